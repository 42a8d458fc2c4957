using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Threading.Tasks;
using Tracr.Runtime;
using Tracr.Transformer;

namespace Tracr.Generated
{
    /// <summary>Element type of the fast forward pass.</summary>
    internal enum ForwardPrecision
    {
        /// <summary>Chosen per model by <see cref="FastTransformer.ChoosePrecision"/>.</summary>
        Auto,

        /// <summary>float32.</summary>
        Single,

        /// <summary>float64 (the reference forward pass's precision).</summary>
        Double,
    }

    /// <summary>
    /// The fast forward pass of a compiled transformer: the same computation as
    /// <see cref="ReferenceForward"/> (embeddings, softmax attention over every position including BOS,
    /// causal masks, ReLU MLPs, residual additions, the same decoding), laid out for speed: a
    /// dimension-major residual stream (each dimension a SIMD vector over positions), each block
    /// restricted to the residual dimensions it touches with all-zero weights pruned (once, when the model
    /// is packed: <see cref="BlockPruning"/>), each weight matrix in the cheaper of two forms (<see cref="Triplets{T}"/>
    /// summed in registers, or per-position <see cref="SparseRows{T}"/>), terms with a zero factor
    /// skipped, and no allocation on the fast path. Design and measurements: docs/performance.md.
    /// </summary>
    /// <remarks>
    /// <para><b>Inputs</b> are embedding ids as <see cref="CompiledModel.Encode"/> produces them: BOS
    /// first, then one id per input token (1 to <see cref="PackedModel.MaxSeqLen"/> tokens, so 2 to
    /// <see cref="PackedModel.MaxPositions"/> ids; a lone BOS is accepted and produces no output).</para>
    /// <para><b>Outputs</b> are for positions 1..n (BOS dropped), like <see cref="ModelRun{TOutput}.Outputs"/>:
    /// categorical outputs as an index into <see cref="PackedModel.OutputValues"/> or -1 for None,
    /// numerical outputs as the value.</para>
    /// <para><b>Precision</b>: float32 unless the model needs float64 (<see cref="ChoosePrecision"/>).</para>
    /// <para><b>Threads</b>: the transformer is immutable and may be shared; a
    /// <see cref="ForwardWorkspace"/> is for one thread at a time. The batch methods are thread-safe.</para>
    /// </remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class FastTransformer
    {
        private readonly ForwardEngine<float>? _single;
        private readonly ForwardEngine<double>? _double;
        private readonly ConcurrentBag<ForwardWorkspace> _pool = new ConcurrentBag<ForwardWorkspace>();

        /// <summary>Prepares <paramref name="packed"/> (weight layout and element type; its blocks were pruned when it was packed).</summary>
        /// <param name="packed">The packed model.</param>
        /// <param name="precision">Element type; <see cref="ForwardPrecision.Auto"/> applies <see cref="ChoosePrecision"/>.</param>
        /// <param name="forms">Weight layout per matrix; <see cref="FormSelection.Auto"/> picks the cheaper by estimate (forcing one is for tests and measurements).</param>
        /// <param name="policy">How run-length rows are split into runs and dense spans (row form).</param>
        internal FastTransformer(PackedModel packed, ForwardPrecision precision = ForwardPrecision.Auto, FormSelection forms = FormSelection.Auto, SegmentPolicy? policy = null)
        {
            Packed = packed ?? throw new ArgumentNullException(nameof(packed));
            Precision = precision != ForwardPrecision.Auto ? precision : ChoosePrecision(packed);
            if (Precision == ForwardPrecision.Single) _single = new ForwardEngine<float>(new PlannedForward<float>(new ModelPlan<float>(packed, forms, policy)));
            else _double = new ForwardEngine<double>(new PlannedForward<double>(new ModelPlan<double>(packed, forms, policy)));
        }

        /// <summary>Runs <paramref name="program"/> (e.g. the forward code the source generator emitted for a model) in float32.</summary>
        public FastTransformer(ForwardProgram<float> program)
        {
            _single = new ForwardEngine<float>(program ?? throw new ArgumentNullException(nameof(program)));
            Packed = program.Plan.Packed;
            Precision = ForwardPrecision.Single;
        }

        /// <summary>Runs <paramref name="program"/> in float64.</summary>
        public FastTransformer(ForwardProgram<double> program)
        {
            _double = new ForwardEngine<double>(program ?? throw new ArgumentNullException(nameof(program)));
            Packed = program.Plan.Packed;
            Precision = ForwardPrecision.Double;
        }

        /// <summary>Prepares a runtime-compiled model (<see cref="CompiledModel.Packed"/>).</summary>
        internal FastTransformer(CompiledModel model, ForwardPrecision precision = ForwardPrecision.Auto)
            : this((model ?? throw new ArgumentNullException(nameof(model))).Packed, precision)
        {
        }

        /// <summary>The packed weights this forward pass runs.</summary>
        public PackedModel Packed { get; }

        /// <summary>The element type in use (never <see cref="ForwardPrecision.Auto"/>).</summary>
        internal ForwardPrecision Precision { get; }

        /// <summary>The float32 plan, or null when the model runs in float64.</summary>
        public ModelPlan<float>? SinglePlan => _single?.Plan;

        /// <summary>The float64 plan, or null when the model runs in float32.</summary>
        public ModelPlan<double>? DoublePlan => _double?.Plan;

        /// <summary>The block code in use: a <see cref="PlannedForward{T}"/>, or code generated for this model.</summary>
        public object Program => (object?)_single?.Program ?? _double!.Program;

        /// <summary>The blocks whose code is specialised to this model (none for <see cref="PlannedForward{T}"/>).</summary>
        public IReadOnlyList<string> SpecialisedBlocks => _single?.Program.SpecialisedBlocks ?? _double!.Program.SpecialisedBlocks;

        /// <summary>
        /// The precision rule (<see cref="PackedModel.NeedsDoublePrecision"/>): float32 when the largest MLP
        /// pre-activation scale is at most <see cref="PackedModel.SinglePrecisionScaleLimit"/>, else float64.
        /// </summary>
        internal static ForwardPrecision ChoosePrecision(PackedModel packed) =>
            (packed ?? throw new ArgumentNullException(nameof(packed))).NeedsDoublePrecision ? ForwardPrecision.Double : ForwardPrecision.Single;

        /// <summary>Buffers for <see cref="PredictCategorical"/> / <see cref="PredictNumerical"/>: allocate once, reuse (one thread at a time).</summary>
        internal ForwardWorkspace CreateWorkspace() =>
            _single != null ? new ForwardWorkspace(this, _single.CreateScratch(), null) : new ForwardWorkspace(this, null, _double!.CreateScratch());

        /// <summary>
        /// The fast path for a categorical model: writes, for input positions 1..n, the index of the
        /// decoded value in <see cref="PackedModel.OutputValues"/> or -1 for None. Allocation-free.
        /// </summary>
        /// <param name="tokenIds">Embedding ids, BOS first (length 1 .. <see cref="PackedModel.MaxPositions"/>).</param>
        /// <param name="outputs">At least <c>tokenIds.Length - 1</c> entries.</param>
        /// <param name="workspace">From <see cref="CreateWorkspace"/> of this transformer.</param>
        internal void PredictCategorical(ReadOnlySpan<int> tokenIds, Span<int> outputs, ForwardWorkspace workspace)
        {
            Check(tokenIds, outputs.Length, workspace, Encoding.Categorical);
            if (_single != null) _single.PredictCategorical(tokenIds, outputs, workspace.Single!);
            else _double!.PredictCategorical(tokenIds, outputs, workspace.Double!);
        }

        /// <summary>The fast path for a numerical model: writes the output value at input positions 1..n. Allocation-free.</summary>
        internal void PredictNumerical(ReadOnlySpan<int> tokenIds, Span<double> outputs, ForwardWorkspace workspace)
        {
            Check(tokenIds, outputs.Length, workspace, Encoding.Numerical);
            if (_single != null) _single.PredictNumerical(tokenIds, outputs, workspace.Single!);
            else _double!.PredictNumerical(tokenIds, outputs, workspace.Double!);
        }

        /// <summary>The decoded value of a categorical output index (-1 is None).</summary>
        public Value OutputValue(int index) => index < 0 ? Value.None : Packed.OutputValues[index];

        /// <summary>
        /// Many sequences: <c>outputs[i]</c> (at least <c>batch[i].Length - 1</c> entries) receives what
        /// <see cref="PredictCategorical"/> writes for <c>batch[i]</c>. The first sequences run on the calling
        /// thread for <see cref="SequentialProbeMicroseconds"/>; if the rest would take at least
        /// <see cref="ParallelMinimumMicroseconds"/> at that rate, it runs on all cores, each worker with its
        /// own pooled workspace. The results do not depend on how the batch was split.
        /// </summary>
        public void PredictCategoricalBatch(IReadOnlyList<int[]> batch, int[][] outputs)
        {
            CheckBatch(batch, outputs?.Length ?? -1, Encoding.Categorical);
            RunBatch(batch, (i, ws) => PredictCategorical(batch[i], outputs![i], ws));
        }

        /// <summary>Many sequences of a numerical model: as <see cref="PredictCategoricalBatch"/>.</summary>
        public void PredictNumericalBatch(IReadOnlyList<int[]> batch, double[][] outputs)
        {
            CheckBatch(batch, outputs?.Length ?? -1, Encoding.Numerical);
            RunBatch(batch, (i, ws) => PredictNumerical(batch[i], outputs![i], ws));
        }

        /// <summary>The batch methods first run sequences on the calling thread for this long, to measure their rate.</summary>
        public const double SequentialProbeMicroseconds = 25;

        /// <summary>The rest of a batch runs on all cores when it would take at least this long on one.</summary>
        public const double ParallelMinimumMicroseconds = 50;

        /// <summary>
        /// The full path: the decoded outputs and every intermediate, in the reference's shapes
        /// (<see cref="ModelRun{TOutput}"/>: residuals, layer outputs, layer names, every head's logits and weights).
        /// Allocates its results.
        /// </summary>
        public ModelRun<Value> RunFull(ReadOnlySpan<int> tokenIds)
        {
            Check(tokenIds, int.MaxValue, null, Packed.OutputEncoding);
            return _single != null ? _single.RunFull(tokenIds) : _double!.RunFull(tokenIds);
        }

        private void RunBatch(IReadOnlyList<int[]> batch, Action<int, ForwardWorkspace> run)
        {
            int count = batch.Count;
            if (count == 0) return;
            // Sequentially first, timed: a batch whose remainder would take less than ParallelMinimumMicroseconds
            // at the measured rate stays on this thread (going parallel costs several microseconds).
            var ws = Rent();
            int done = 0;
            try
            {
                long start = Stopwatch.GetTimestamp();
                while (done < count)
                {
                    run(done++, ws);
                    if (Environment.ProcessorCount == 1 || done == count) continue;
                    double elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    if (elapsed < SequentialProbeMicroseconds) continue;
                    if (elapsed / done * (count - done) >= ParallelMinimumMicroseconds) break;
                }
            }
            finally { _pool.Add(ws); }
            if (done == count) return;

            int first = done, rest = count - done;
            int workers = Math.Min(Environment.ProcessorCount, rest);
            int chunk = Math.Max(1, Math.Min(64, rest / (workers * 4)));
            int chunks = (rest + chunk - 1) / chunk;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = workers }, Rent, (c, _, w) =>
            {
                for (int i = first + c * chunk, end = Math.Min(count, i + chunk); i < end; i++) run(i, w);
                return w;
            }, w => _pool.Add(w));
        }

        private ForwardWorkspace Rent() => _pool.TryTake(out var ws) ? ws : CreateWorkspace();

        private void Check(ReadOnlySpan<int> tokenIds, int outputLength, ForwardWorkspace? workspace, Encoding encoding)
        {
            if (workspace != null && !ReferenceEquals(workspace.Owner, this)) throw new ArgumentException("The workspace belongs to another FastTransformer.", nameof(workspace));
            if (Packed.OutputEncoding != encoding)
                throw new InvalidOperationException($"The model's output is {Packed.OutputEncoding}; use Predict{Packed.OutputEncoding}.");
            int n = tokenIds.Length;
            if (n < 1 || n > Packed.MaxPositions)
                throw new ArgumentException($"Expected 1 to {Packed.MaxPositions} token ids (BOS first), got {n}.", nameof(tokenIds));
            if (outputLength < n - 1) throw new ArgumentException($"The output span needs {n - 1} entries, has {outputLength}.", "outputs");
            int tokens = Packed.Tokens.Length;
            for (int p = 0; p < n; p++)
                if ((uint)tokenIds[p] >= (uint)tokens) throw new ArgumentOutOfRangeException(nameof(tokenIds), $"Token id {tokenIds[p]} at position {p} is not in 0..{tokens - 1}.");
        }

        private void CheckBatch(IReadOnlyList<int[]> batch, int outputs, Encoding encoding)
        {
            if (batch is null) throw new ArgumentNullException(nameof(batch));
            if (outputs < 0) throw new ArgumentNullException(nameof(outputs));
            if (outputs < batch.Count) throw new ArgumentException($"Need {batch.Count} output arrays, got {outputs}.", nameof(outputs));
            if (Packed.OutputEncoding != encoding)
                throw new InvalidOperationException($"The model's output is {Packed.OutputEncoding}; use Predict{Packed.OutputEncoding}Batch.");
        }
    }

    /// <summary>
    /// Reusable buffers of one <see cref="FastTransformer"/> for one sequence at a time (not thread-safe;
    /// create one per thread with <see cref="FastTransformer.CreateWorkspace"/>).
    /// </summary>
    internal sealed class ForwardWorkspace
    {
        internal ForwardWorkspace(FastTransformer owner, KernelScratch<float>? single, KernelScratch<double>? @double)
        {
            Owner = owner;
            Single = single;
            Double = @double;
        }

        internal FastTransformer Owner { get; }
        internal KernelScratch<float>? Single { get; }
        internal KernelScratch<double>? Double { get; }
    }
}
