using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;

namespace Tracr.Tests.RandomPrograms
{
    /// <summary>What happened to one random program.</summary>
    public sealed class ProgramOutcome
    {
        internal ProgramOutcome(GeneratedProgram program) { Program = program; }

        public GeneratedProgram Program { get; }

        public bool Compiled { get; internal set; }

        /// <summary>The compiler's message when it refused the program (legitimately; otherwise <see cref="Failure"/> is set).</summary>
        public string? Refusal { get; internal set; }

        public int InputsCompared { get; internal set; }

        /// <summary>Inputs on which the evaluator fails or the program is undefined (an ambiguous categorical Aggregate).</summary>
        public int InputsSkipped { get; internal set; }

        public int PositionsCompared { get; internal set; }

        /// <summary>Null when the program passed; otherwise a full report (seed, program, input, both outputs).</summary>
        public string? Failure { get; internal set; }

        public TimeSpan Elapsed { get; internal set; }
    }

    /// <summary>
    /// The differential test: compile a program, run the model and the RASP evaluator on random
    /// inputs, and compare position by position (categorical: Python equality of the decoded
    /// value; numerical: within <see cref="Tolerance"/>, relative above 1).
    /// </summary>
    public static class DifferentialCheck
    {
        public const double Tolerance = 1e-4;

        public static ProgramOutcome Run(GeneratedProgram gp, int inputs = 8)
        {
            var outcome = new ProgramOutcome(gp);
            var watch = Stopwatch.StartNew();
            try
            {
                RunCore(gp, inputs, outcome);
            }
            finally
            {
                outcome.Elapsed = watch.Elapsed;
            }
            return outcome;
        }

        private static void RunCore(GeneratedProgram gp, int inputs, ProgramOutcome outcome)
        {
            var violations = new ProgramAnalysis(gp.Vocab, gp.MaxSeqLen).RuleViolations(gp.Program);
            CompiledModel model;
            try
            {
                model = Compile(gp, gp.Program);
            }
            catch (RaspCompilationException e)
            {
                outcome.Refusal = e.Message;
                if (violations.Count == 0)
                    outcome.Failure = $"The compiler refused a well-formed program (stage {e.Stage}):\n{e.Message}\n\n{gp}";
                return;
            }
            catch (Exception e)
            {
                outcome.Failure = $"The compiler crashed instead of compiling or refusing:\n{e}\n\n{gp}";
                return;
            }
            outcome.Compiled = true;
            if (violations.Count > 0)
            {
                outcome.Failure = $"The compiler accepted a program that breaks Tracr's rules: {string.Join("; ", violations)}\n\n{gp}";
                return;
            }

            var rng = new Random(unchecked(gp.Seed * 7919 + 17));
            for (int i = 0; i < inputs; i++)
            {
                int length = i == 0 ? gp.MaxSeqLen : i == 1 ? 1 : rng.Next(1, gp.MaxSeqLen + 1);
                var tokens = Enumerable.Range(0, length).Select(_ => gp.Vocab[rng.Next(gp.Vocab.Count)]).ToArray();
                var result = Compare(gp.Program, model, tokens, gp.Causal);
                if (result.Skipped != null)
                {
                    outcome.InputsSkipped++;
                    continue;
                }
                outcome.InputsCompared++;
                outcome.PositionsCompared += tokens.Length;
                if (result.Mismatch != null)
                {
                    var sb = new StringBuilder();
                    sb.AppendLine("The compiled model disagrees with the RASP evaluator.");
                    sb.AppendLine(gp.ToString());
                    sb.AppendLine(result.Mismatch);
                    var smallest = SmallestFailingSubprogram(gp, tokens);
                    if (smallest != null) sb.AppendLine().AppendLine("Smallest failing sub-program on this input:").AppendLine(smallest);
                    outcome.Failure = sb.ToString();
                    return;
                }
            }
        }

        private static CompiledModel Compile(GeneratedProgram gp, SOp program) =>
            RaspCompiler.Compile(program, gp.Vocab, gp.MaxSeqLen, new CompilerOptions { Causal = gp.Causal });

        /// <summary>The result of one input: skipped (with why), a mismatch report, or neither (agreement).</summary>
        public readonly struct InputResult
        {
            public InputResult(string? skipped, string? mismatch)
            {
                Skipped = skipped;
                Mismatch = mismatch;
            }

            public string? Skipped { get; }
            public string? Mismatch { get; }
        }

        /// <summary>Runs the evaluator and the model on one input and compares them.</summary>
        public static InputResult Compare(SOp program, CompiledModel model, IReadOnlyList<Value> tokens, bool causal)
        {
            var evaluator = new RaspEvaluator(causal);
            Value[] expected;
            try
            {
                expected = evaluator.EvaluateSOp(program, tokens);
            }
            catch (Exception e) when (e is InvalidOperationException || e is DivideByZeroException || e is ArgumentException || e is OverflowException)
            {
                return new InputResult("evaluator: " + e.Message, null);
            }

            // A categorical Aggregate that selects several different values has no compiled meaning
            // (the evaluator averages numbers, the model mixes one-hot vectors): skip such inputs.
            foreach (var agg in ProgramPrinter.Nodes(program).OfType<Aggregate>().Where(a => a.IsCategorical))
            {
                var selected = evaluator.EvaluateSelector(agg.Selector, tokens);
                var values = evaluator.EvaluateSOp(agg.Source, tokens);
                for (int q = 0; q < selected.Length; q++)
                {
                    var chosen = ProgramAnalysis.Distinct(Enumerable.Range(0, values.Length).Where(k => selected[q][k]).Select(k => values[k]));
                    if (chosen.Count > 1) return new InputResult($"categorical aggregate '{agg.Name}' selects different values at position {q}", null);
                }
            }

            IReadOnlyList<Value> actual;
            try
            {
                actual = model.Apply(tokens).Outputs;
            }
            catch (Exception e)
            {
                return new InputResult(null, $"input:    {ProgramPrinter.List(tokens)}\nexpected: {ProgramPrinter.List(expected)}\nthe model crashed: {e}");
            }

            bool ok = actual.Count == expected.Length;
            for (int i = 0; ok && i < expected.Length; i++) ok = Agree(expected[i], actual[i], program.IsNumerical);
            if (ok) return default;
            return new InputResult(null,
                $"input:    {ProgramPrinter.List(tokens)}\nexpected: {ProgramPrinter.List(expected)}  (evaluator{(causal ? ", causal" : "")})\nactual:   {ProgramPrinter.List(actual)}  (compiled model)");
        }

        public static bool Agree(Value expected, Value actual, bool numerical)
        {
            if (!numerical || expected.IsNone) return expected == actual;
            if (!actual.IsNumeric || !expected.IsNumeric) return false;
            double e = expected.AsDouble, a = actual.AsDouble;
            return Math.Abs(e - a) <= Tolerance * Math.Max(1, Math.Abs(e));
        }

        /// <summary>
        /// Compiles every sub-expression of the program on its own, smallest first, and returns the
        /// first that also fails on <paramref name="tokens"/>: usually a two- or three-node repro.
        /// </summary>
        private static string? SmallestFailingSubprogram(GeneratedProgram gp, IReadOnlyList<Value> tokens)
        {
            var candidates = ProgramPrinter.Nodes(gp.Program).OfType<SOp>()
                .Where(s => !(s is TokensType) && !(s is IndicesType))
                .Select(s => (Sop: s, Size: ProgramPrinter.Nodes(s).Count))
                .OrderBy(c => c.Size);
            foreach (var (sop, _) in candidates)
            {
                CompiledModel model;
                try { model = Compile(gp, sop); }
                catch (Exception) { continue; }
                var result = Compare(sop, model, tokens, gp.Causal);
                if (result.Mismatch != null) return ProgramPrinter.Print(sop) + "\n" + result.Mismatch;
            }
            return null;
        }

        /// <summary>Runs <paramref name="count"/> programs from seed <paramref name="firstSeed"/> on all cores.</summary>
        public static List<ProgramOutcome> RunBatch(int firstSeed, int count, int inputs = 8)
        {
            var outcomes = new ProgramOutcome[count];
            System.Threading.Tasks.Parallel.For(0, count, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                int seed = unchecked(firstSeed + i);
                GeneratedProgram gp;
                try
                {
                    gp = RandomProgramGenerator.Generate(seed);
                }
                catch (Exception e)
                {
                    var placeholder = new GeneratedProgram(seed, Rasp.Tokens, new Value[] { 0 }, 1, false, null);
                    outcomes[i] = new ProgramOutcome(placeholder) { Failure = $"The generator failed for seed {seed}:\n{e}" };
                    return;
                }
                outcomes[i] = Run(gp, inputs);
            });
            return outcomes.ToList();
        }

        /// <summary>A one-paragraph summary of a batch: counts of programs, refusals, comparisons and failures.</summary>
        public static string Summarise(IReadOnlyList<ProgramOutcome> outcomes, TimeSpan elapsed)
        {
            int compiled = outcomes.Count(o => o.Compiled);
            int refused = outcomes.Count(o => o.Refusal != null);
            int deliberate = outcomes.Count(o => o.Program.DeliberateViolation != null);
            int failures = outcomes.Count(o => o.Failure != null);
            int compared = outcomes.Sum(o => o.InputsCompared);
            int skipped = outcomes.Sum(o => o.InputsSkipped);
            int positions = outcomes.Sum(o => o.PositionsCompared);
            int noComparison = outcomes.Count(o => o.Compiled && o.InputsCompared == 0);
            return $"{outcomes.Count} programs (seeds {outcomes.FirstOrDefault()?.Program.Seed}..{outcomes.LastOrDefault()?.Program.Seed}) in {elapsed.TotalSeconds:F1} s: " +
                   $"{compiled} compiled, {refused} refused ({deliberate} deliberately invalid), {failures} failures; " +
                   $"{compared} inputs compared ({positions} positions), {skipped} inputs skipped, {noComparison} compiled programs with no comparable input.";
        }
    }
}
