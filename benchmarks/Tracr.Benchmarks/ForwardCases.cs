using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Generated;
using Tracr.Runtime;
using Tracr.Transformer;
using static Tracr.Rasp;

namespace Tracr.Benchmarks
{
    /// <summary>
    /// The forward-pass benchmark cases: every library program with the vocab and max_seq_len of its
    /// golden case (the compile benchmark's list), plus the scaled models of tests/Tracr.Compiler.Tests/ScaleTests.cs.
    /// Every case runs on one input of the maximum length.
    /// </summary>
    internal static class ForwardCases
    {
        public static IReadOnlyList<BenchCase> All()
        {
            var list = CompileBenchmark.Cases().ToList();
            list.Add(new BenchCase("scaled_sort_64", () => Library.MakeSort(Tokens, Tokens, 64, 1), Enumerable.Range(0, 64).Select(i => (Value)i).ToArray(), 64));
            list.Add(new BenchCase("scaled_shuffle_dyck_32", () => Library.MakeShuffleDyck(new[] { "()", "{}" }), new Value[] { "(", ")", "{", "}" }, 32));
            return list;
        }

        public static IReadOnlyList<BenchCase> Select(string? filter) =>
            All().Where(c => filter is null || c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>
    /// One compiled case ready to run: the model; its specialised forward pass (the code the source generator
    /// emits for it, <see cref="ForwardCode"/>, compiled here with Roslyn exactly as the generator's output is
    /// compiled in a user's build); the same pass on the generic kernels driven by the model's plan; one
    /// max-length input and the buffers.
    /// </summary>
    internal sealed class ForwardSubject
    {
        public const int BatchSize = 256;

        public ForwardSubject(BenchCase c, ForwardPrecision precision = ForwardPrecision.Auto, FormSelection forms = FormSelection.Auto, bool emit = true)
        {
            Case = c;
            Model = RaspCompiler.Compile(c.Build(), c.Vocab, c.MaxSeqLen);
            Fast = new FastTransformer(Model.Packed, precision, forms);
            Workspace = Fast.CreateWorkspace();
            Specialised = emit ? Tracr.Tests.ForwardCodeCompiler.Compile(new[] { (Model.Packed, (bool?)null) })[0]() : Fast;
            SpecialisedWorkspace = Specialised.CreateWorkspace();
            var rng = new Random(12345);
            Ids = RandomIds(rng);
            Batch = Enumerable.Range(0, BatchSize).Select(_ => RandomIds(rng)).ToArray();
            CategoricalOut = new int[c.MaxSeqLen];
            NumericalOut = new double[c.MaxSeqLen];
            BatchCategorical = Batch.Select(b => new int[b.Length - 1]).ToArray();
            BatchNumerical = Batch.Select(b => new double[b.Length - 1]).ToArray();
            Numerical = Model.OutputEncoding == Encoding.Numerical;
        }

        public BenchCase Case { get; }
        public CompiledModel Model { get; }

        /// <summary>The fast forward pass on the generic kernels (<see cref="PlannedForward{T}"/>).</summary>
        public FastTransformer Fast { get; }

        public ForwardWorkspace Workspace { get; }

        /// <summary>The fast forward pass on the code emitted for this model.</summary>
        public FastTransformer Specialised { get; }

        public ForwardWorkspace SpecialisedWorkspace { get; }
        public int[] Ids { get; }
        public int[][] Batch { get; }
        public bool Numerical { get; }
        private int[] CategoricalOut { get; }
        private double[] NumericalOut { get; }
        private int[][] BatchCategorical { get; }
        private double[][] BatchNumerical { get; }

        private int[] RandomIds(Random rng)
        {
            var ids = new int[Case.MaxSeqLen + 1];
            ids[0] = Model.Assembled.BosTokenIndex;
            for (int i = 1; i < ids.Length; i++) ids[i] = rng.Next(Model.Vocab.Count);
            return ids;
        }

        /// <summary>The generic kernels' fast path on the input (decoded outputs only, no allocation).</summary>
        public void RunFast()
        {
            if (Numerical) Fast.PredictNumerical(Ids, NumericalOut, Workspace);
            else Fast.PredictCategorical(Ids, CategoricalOut, Workspace);
        }

        /// <summary>The specialised (emitted) fast path on the input.</summary>
        public void RunSpecialised()
        {
            if (Numerical) Specialised.PredictNumerical(Ids, NumericalOut, SpecialisedWorkspace);
            else Specialised.PredictCategorical(Ids, CategoricalOut, SpecialisedWorkspace);
        }

        /// <summary>The reference forward pass on the same input.</summary>
        public ModelRun<Value> RunReference() => ReferenceForward.Run(Model.Assembled, Ids);

        /// <summary>The batch API of the specialised pass on <see cref="BatchSize"/> max-length inputs.</summary>
        public void RunBatch()
        {
            if (Numerical) Specialised.PredictNumericalBatch(Batch, BatchNumerical);
            else Specialised.PredictCategoricalBatch(Batch, BatchCategorical);
        }

        /// <summary>Both fast paths' decoded outputs agree with the reference's on the benchmark input.</summary>
        public string? Verify()
        {
            var expected = RunReference().Outputs;
            foreach (var (name, engine, run) in new (string, FastTransformer, Action)[] { ("kernels", Fast, RunFast), ("specialised", Specialised, RunSpecialised) })
            {
                run();
                for (int i = 0; i < expected.Length; i++)
                {
                    Value actual = Numerical ? Value.FromFloat(NumericalOut[i]) : engine.OutputValue(CategoricalOut[i]);
                    bool ok = Numerical ? Math.Abs(actual.AsDouble - expected[i].AsDouble) <= 1e-4 * Math.Max(1, Math.Abs(expected[i].AsDouble)) : actual.Equals(expected[i]);
                    if (!ok) return $"position {i + 1}: reference {expected[i].Repr()}, {name} {actual.Repr()}";
                }
            }
            return null;
        }
    }
}
