using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Tracr.Compiler;
using Tracr.Craft;
using Xunit;

namespace Tracr.Tests.Golden
{
    /// <summary>
    /// Our compiler against DeepMind's Python Tracr, one test per golden file (Golden/*.json):
    /// <list type="number">
    /// <item>our RASP evaluator reproduces Tracr's evaluator on every sample (and on every node);</item>
    /// <item>the compiled model reproduces the RASP outputs on every sample, also where Tracr's own model was wrong;</item>
    /// <item>where Tracr is exact, the compiled structure is Tracr's: graph, value sets, layer allocation,
    ///   layers, heads, MLP sizes, residual basis, every weight (up to renaming of directions) and the
    ///   residual stream of the traced samples;</item>
    /// <item>programs Tracr refuses are refused with the offending node and the reason.</item>
    /// </list>
    /// The only differences allowed are the deliberate ones (see <see cref="GoldenCheck"/>).
    /// </summary>
    public class GoldenConformanceTests
    {
        public static IEnumerable<object[]> Cases => GoldenData.CaseNames.Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(Cases))]
        public void Conforms(string golden)
        {
            var check = new GoldenCheck(golden);
            check.Run();
            if (check.Failures.Count > 0)
            {
                const int shown = 40;
                var text = new StringBuilder();
                text.AppendLine($"{golden}: {check.Failures.Count} difference(s) from Tracr:");
                foreach (var f in check.Failures.Take(shown)) text.AppendLine("  - " + f);
                if (check.Failures.Count > shown) text.AppendLine($"  ... and {check.Failures.Count - shown} more");
                Assert.Fail(text.ToString());
            }
        }

        [Fact]
        public void EveryGoldenCaseHasAProgram()
        {
            var missing = GoldenData.CaseNames.Except(GoldenPrograms.Known).ToList();
            var stale = GoldenPrograms.Known.Except(GoldenData.CaseNames).ToList();
            Assert.True(missing.Count == 0, "No C# program for: " + string.Join(", ", missing));
            Assert.True(stale.Count == 0, "Programs without a golden file: " + string.Join(", ", stale));
        }

        [Fact]
        public void EveryIndexedCaseHasItsFile()
        {
            using var index = System.Text.Json.JsonDocument.Parse(
                System.IO.File.ReadAllBytes(System.IO.Path.Combine(GoldenData.Directory, "_index.json")));
            var indexed = index.RootElement.GetProperty("cases").EnumerateArray()
                .Select(c => c.GetProperty("name").GetString()!).OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.Equal(indexed, GoldenData.CaseNames);
        }
    }

    /// <summary>Minimal reproductions of differences from Tracr found by the golden suite.</summary>
    public class GoldenMinimalTests
    {
        /// <summary>
        /// Tracr's assembled residual is the craft residual plus tokens, indices and output
        /// (assemble.py joins exactly those); the <c>one</c> direction is only there when a block reads
        /// it, and the embedding writes 1 into it only "if we use the 'one' direction". A single
        /// categorical Map (a lookup-table MLP) never reads it, so Tracr's model has 11 dimensions here
        /// (golden integ_map.json, model_residual_basis).
        /// </summary>
        [Fact]
        public void ResidualHasNoOneDirectionWhenNoBlockReadsIt()
        {
            var program = Rasp.Categorical(Rasp.Map(x => x + 1, Rasp.Tokens));
            var model = RaspCompiler.Compile(program, new Value[] { 0, 1, 2 }, 3);
            var tracr = new[]
            {
                "indices:0", "indices:1", "indices:2", "map_1:1", "map_1:2", "map_1:3",
                "tokens:0", "tokens:1", "tokens:2", "tokens:compiler_bos", "tokens:compiler_pad",
            };
            Assert.Equal(tracr, model.ResidualLabels);
        }
    }

    /// <summary>The checks themselves must see differences: feed them programs and settings that differ from Tracr's.</summary>
    public class GoldenCheckSelfTests
    {
        [Fact]
        public void ReportsAProgramThatDiffersFromTracrs()
        {
            // Tracr's make_sort with min_key 1; min_key 2 shifts the tie-breaking keys (and breaks ties wrongly).
            var golden = GoldenPrograms.Get("lib_make_sort");
            var wrong = new GoldenProgram(golden.Name, Library.MakeSort(Rasp.Tokens, Rasp.Tokens, maxSeqLen: 5, minKey: 2),
                golden.Vocab, golden.MaxSeqLen, golden.Options);
            var check = new GoldenCheck("lib_make_sort", wrong);
            check.Run();
            Assert.Contains(check.Failures, f => f.StartsWith("evaluator on", StringComparison.Ordinal));
            Assert.Contains(check.Failures, f => f.StartsWith("value set of sequence_map_5", StringComparison.Ordinal));
        }

        [Fact]
        public void ReportsWeightsThatDifferFromTracrs()
        {
            // The outputs stay right with a steeper discretising MLP, but the weights are not Tracr's.
            var golden = GoldenPrograms.Get("lib_make_length");
            golden.Options.MlpExactness = 1000;
            var check = new GoldenCheck("lib_make_length", golden);
            check.Run();
            Assert.DoesNotContain(check.Failures, f => f.StartsWith("model", StringComparison.Ordinal));
            Assert.Contains(check.Failures, f => f.StartsWith("block 1, MLP fst:", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("lib_make_length", "")]            // max_seq_len 5: Tracr's slope 100 separates 1/5 and 1/6
        [InlineData("tc_make_count_less_freq_numerical_1", "")]
        [InlineData("lib_make_count", "count_a_1")]    // max_seq_len 8: 1/8 and 1/9 are less than 2/100 apart
        public void AppliesTheSlopeDifferenceOnlyWhereTracrIsInexact(string golden, string raised)
        {
            var check = new GoldenCheck(golden);
            check.Run();
            Assert.Empty(check.Failures);
            Assert.Equal(raised, string.Join(",", check.RaisedSlopeNodes.OrderBy(x => x, StringComparer.Ordinal)));
        }

        [Fact]
        public void ComparesWeightsAndResidualsOfExactCases()
        {
            var check = new GoldenCheck("lib_make_sort");
            check.Run();
            Assert.True(check.TracrIsExact);
            Assert.Empty(check.Failures);
            // Blocks: MLP (sequence_map_5), attention + MLP (target_pos_3), attention (sort_1): 2 + 2 + 2 + 2 matrices.
            Assert.Equal(8, check.ComparedMatrices);
            // Two traced samples (first and longest), 5 steps each, every position, every craft residual direction.
            Assert.True(check.ComparedResidualValues > 2 * 5 * 2 * 40, $"compared {check.ComparedResidualValues} residual values");
        }
    }

    /// <summary>
    /// Runs every check of one golden case and collects the differences.
    /// Deliberate differences from Tracr, and nothing else, are allowed:
    /// (a) numerical Aggregate value sets hold every reachable fraction k/n (Tracr misses e.g. 2/3), so
    ///     they and the nodes downstream may be supersets; every extra value must be reachable, and the
    ///     blocks reading such a node are not compared weight by weight;
    /// (b) SelectorWidth's BOS-cleaning hidden neuron is <c>_hidden_clean_bos_:&lt;selector width label&gt;</c>;
    /// (c) a discretising MLP's slope may exceed mlp_exactness where Tracr's slope is inexact: checked by
    ///     running Tracr's MLP on every input the node can get (it must be inexact somewhere), then ours
    ///     must be exact there and have Tracr's sparsity pattern (the samples may miss the inexact inputs:
    ///     lib_make_count at max_seq_len 8 agrees on all samples, yet Tracr's MLP writes about 0.69 / 0.31
    ///     instead of a one-hot for width 8, as slope 100 cannot separate 1/9 from 1/8);
    /// (d) only changes programs Tracr gets wrong (extra_*, compared on outputs only);
    /// (e) <c>length</c> and <c>Full</c> compile (no golden case uses them);
    /// (f) discretising MLPs of Maps are gated off at BOS, so the BOS row of the residual stream holds
    /// nothing where Tracr's holds f(0) (residual traces accept 0 there);
    /// (g) value sets computed from two means over one selector combine only means of the same width
    ///     (shared denominators), so they may lack values Tracr lists; every lacking value must be
    ///     unreached by the evaluator on every input up to max_seq_len (where those are too many: not a
    ///     combination of two means of the same width);
    /// (h) a numerical mean of any numbers compiles (unsupported_numerical_numerical_aggregate): the model
    ///     must reproduce Tracr's evaluator on the golden samples.
    /// </summary>
    internal sealed class GoldenCheck
    {
        private const double EvaluatorTolerance = 1e-6;
        private const double ModelNumericalTolerance = 1e-3; // summary.agree_tolerance_numerical
        private const double ValueSetTolerance = 1e-9;        // value sets are written with 12 decimals
        private const double ResidualTolerance = 1e-6;
        private const int MaxReportedPerCheck = 6;

        private readonly string _name;
        private readonly GoldenCase _g;
        private readonly GoldenProgram _p;
        private CompiledModel? _m;

        // Golden label <-> our label.
        private readonly Dictionary<string, string> _g2o = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _o2g = new Dictionary<string, string>(StringComparer.Ordinal);

        // Golden labels of nodes whose value set is a justified superset of Tracr's (difference (a)).
        private readonly HashSet<string> _inflated = new HashSet<string>(StringComparer.Ordinal);

        // Golden labels of nodes whose block reads an inflated node: weights and sizes legitimately differ.
        private readonly HashSet<string> _readsInflated = new HashSet<string>(StringComparer.Ordinal);

        public GoldenCheck(string name, GoldenProgram? program = null)
        {
            _name = name;
            _g = GoldenData.Load(name);
            _p = program ?? GoldenPrograms.Get(name);
        }

        public List<string> Failures { get; } = new List<string>();

        /// <summary>
        /// Tracr's compiled model is exact on every sample here, so its structure and weights are the
        /// reference. This includes the two <c>extra_*</c> cases where Tracr agrees (the README reverse
        /// with BOS "BOS", two heads in one layer); the other <c>extra_*</c> cases are Tracr-wrong.
        /// </summary>
        public bool TracrIsExact => _g.AllAgree && !_g.ExpectsError;

        /// <summary>How many weight matrices were compared entry by entry (or by sparsity, for difference (c)).</summary>
        public int ComparedMatrices { get; private set; }

        /// <summary>Golden labels of nodes whose discretising MLP is inexact in Tracr (difference (c) applied).</summary>
        public HashSet<string> RaisedSlopeNodes { get; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>How many residual-stream coordinates were compared with Tracr's traces.</summary>
        public int ComparedResidualValues { get; private set; }

        private void Fail(string message) => Failures.Add(message);

        public void Run()
        {
            CheckEvaluator();
            if (_g.ExpectsError && CompiledBeyondTracr.Contains(_name))
            {
                CheckCompiledBeyondTracr();
                return;
            }
            if (_g.ExpectsError)
            {
                CheckRefused();
                return;
            }

            try
            {
                _m = _p.Compile();
            }
            catch (Exception e)
            {
                Fail($"compilation failed: {e.GetType().Name}: {e.Message}");
                return;
            }

            CheckModelOutputs();
            if (!MapNodes()) return;
            CheckNodeEvaluations();
            if (!TracrIsExact) return;

            CheckGraph();
            CheckValueSets();
            CheckLayerAllocation();
            bool layoutMatches = CheckLayers();
            CheckResidualBasis();
            if (layoutMatches) CheckResidualTraces();

            // Guard against a vacuous pass.
            if (layoutMatches && _g.Blocks.Count > 0 && ComparedMatrices == 0) Fail("no weight matrix was compared");
            if (layoutMatches && _g.Samples.Any(s => s.ResidualTrace != null) && ComparedResidualValues == 0) Fail("no residual value was compared");
        }

        // ---- (i) the RASP evaluator ---------------------------------------------------------

        private bool CausalEvaluation => _g.Causal || _g.RaspEvaluator == "causal_eval.evaluate";

        private void CheckEvaluator()
        {
            int reported = 0;
            foreach (var s in _g.Samples)
            {
                IReadOnlyList<Value> ours;
                try
                {
                    ours = Rasp.Evaluate(_p.Program, s.Input, CausalEvaluation);
                }
                catch (Exception e)
                {
                    if (reported++ < MaxReportedPerCheck) Fail($"evaluator threw on {Show(s.Input)}: {e.Message}");
                    continue;
                }
                if (!SequenceClose(ours, s.Rasp, EvaluatorTolerance) && reported++ < MaxReportedPerCheck)
                    Fail($"evaluator on {Show(s.Input)}: expected {Show(s.Rasp)}, got {Show(ours)}");
            }
        }

        /// <summary>Every node's evaluator value (golden samples carry them all), through our graph's expressions.</summary>
        private void CheckNodeEvaluations()
        {
            int reported = 0;
            foreach (var s in _g.Samples)
            {
                var evaluator = new RaspEvaluator(CausalEvaluation);
                foreach (var kv in s.NodeRasp)
                {
                    if (!_g2o.TryGetValue(kv.Key, out var label)) continue;
                    if (!(_m!.Graph[label].Expr is SOp sop)) continue;
                    Value[] ours;
                    try
                    {
                        ours = evaluator.EvaluateSOp(sop, s.Input);
                    }
                    catch (Exception e)
                    {
                        if (reported++ < MaxReportedPerCheck) Fail($"evaluator threw for node {label} on {Show(s.Input)}: {e.Message}");
                        continue;
                    }
                    if (!SequenceClose(ours, kv.Value, EvaluatorTolerance) && reported++ < MaxReportedPerCheck)
                        Fail($"evaluator, node {label} on {Show(s.Input)}: expected {Show(kv.Value)}, got {Show(ours)}");
                }
            }
        }

        // ---- (ii) the compiled model's outputs ------------------------------------------------

        private void CheckModelOutputs()
        {
            int reported = 0, wrong = 0;
            foreach (var s in _g.Samples)
            {
                IReadOnlyList<Value> ours;
                try
                {
                    ours = _m!.Apply(s.Input).Outputs;
                }
                catch (Exception e)
                {
                    wrong++;
                    if (reported++ < MaxReportedPerCheck) Fail($"model threw on {Show(s.Input)}: {e.GetType().Name}: {e.Message}");
                    continue;
                }
                if (!SequenceClose(ours, s.Rasp, ModelNumericalTolerance))
                {
                    wrong++;
                    if (reported++ < MaxReportedPerCheck)
                        Fail($"model on {Show(s.Input)}: expected (RASP) {Show(s.Rasp)}, got {Show(ours)}");
                }
            }
            if (wrong > MaxReportedPerCheck) Fail($"model wrong on {wrong} of {_g.Samples.Count} samples");
        }

        // ---- (iv) refused programs ------------------------------------------------------------

        // What the reason must talk about, per refused program (any of the words, case-insensitive).
        private static readonly Dictionary<string, (string Node, string[] Words)> RefusalExpectations =
            new Dictionary<string, (string, string[])>(StringComparer.Ordinal)
            {
                ["unsupported_numerical_categorical_aggregate"] = ("aggregate", new[] { "encoding" }),
                ["unsupported_categorical_numerical_aggregate"] = ("aggregate", new[] { "encoding" }),
                ["unsupported_aggregate_with_not_None_default"] = ("aggregate", new[] { "encoding" }),
                ["unsupported_categorical_LinearSequenceMap"] = ("linear_sequence_map", new[] { "numerical" }),
                ["unsupported_numerical_SequenceMap"] = ("sequence_map", new[] { "categorical" }),
                ["unsupported_numerical_selector"] = ("select", new[] { "categorical" }),
                ["unsupported_numerical_tokens"] = ("tokens", new[] { "categorical" }),
                ["unsupported_numerical_indices"] = ("indices", new[] { "categorical" }),
            };

        // Difference (h): programs Tracr refuses that compile here (a numerical mean of values other than 0 and 1).
        private static readonly HashSet<string> CompiledBeyondTracr = new HashSet<string>(StringComparer.Ordinal)
        {
            "unsupported_numerical_numerical_aggregate",
        };

        /// <summary>The model must reproduce Tracr's evaluator on every golden sample.</summary>
        private void CheckCompiledBeyondTracr()
        {
            CompiledModel model;
            try
            {
                model = _p.Compile();
            }
            catch (Exception e)
            {
                Fail($"Tracr refuses it, and so do we, but it should compile: {e.GetType().Name}: {e.Message}");
                return;
            }
            if (_g.Samples.Count == 0) Fail("no samples to check the model on");
            foreach (var sample in _g.Samples)
            {
                var outputs = model.Apply(sample.Input).Outputs;
                for (int i = 0; i < sample.Rasp.Length; i++)
                    if (!(sample.Rasp[i].IsNumeric && outputs[i].IsNumeric && Math.Abs(sample.Rasp[i].AsDouble - outputs[i].AsDouble) <= ModelNumericalTolerance))
                        Fail($"model on [{string.Join(", ", sample.Input.Select(v => v.Repr()))}] position {i}: {outputs[i].Repr()}, Tracr's evaluator {sample.Rasp[i].Repr()}");
            }
        }

        private void CheckRefused()
        {
            if (!RefusalExpectations.TryGetValue(_name, out var expected))
            {
                Fail($"no refusal expectation for {_name} (Tracr: {_g.ErrorMessage})");
                return;
            }
            // Tracr's static validation names the node first: "name: reason".
            var tracrLine = (_g.ErrorMessage ?? "").Split('\n').FirstOrDefault(l => l.StartsWith(expected.Node + ": ", StringComparison.Ordinal));
            if (_g.ErrorStage == "static_validate" && tracrLine == null)
                Fail($"golden error does not name '{expected.Node}': {_g.ErrorMessage}");

            RaspCompilationException? ex = null;
            try
            {
                _p.Compile();
                Fail($"compiled, but Tracr refuses it: {_g.ErrorMessage}");
                return;
            }
            catch (RaspCompilationException e)
            {
                ex = e;
            }
            catch (Exception e)
            {
                Fail($"threw {e.GetType().Name} instead of RaspCompilationException: {e.Message}");
                return;
            }

            var entry = ex.Unsupported.FirstOrDefault(u => u.NodeName == expected.Node);
            if (entry == null)
            {
                Fail($"refusal does not name node '{expected.Node}' (Tracr: {tracrLine ?? _g.ErrorMessage}); got: {ex.Message}");
                return;
            }
            string shownAs = entry.NodeLabel ?? entry.NodeName;
            if (entry.NodeLabel != null && !(entry.NodeLabel == expected.Node || entry.NodeLabel.StartsWith(expected.Node + "_", StringComparison.Ordinal)))
                Fail($"refused node label '{entry.NodeLabel}' is not a label of '{expected.Node}'");
            if (string.IsNullOrWhiteSpace(entry.Reason))
                Fail($"refusal of '{shownAs}' gives no reason");
            else if (!expected.Words.Any(w => entry.Reason.IndexOf(w, StringComparison.OrdinalIgnoreCase) >= 0))
                Fail($"refusal reason for '{shownAs}' does not mention {string.Join(" / ", expected.Words)}: '{entry.Reason}' (Tracr: {tracrLine ?? _g.ErrorMessage})");
            if (!ex.Message.Contains(shownAs) || !ex.Message.Contains(entry.Reason))
                Fail($"exception message does not show '{shownAs}: {entry.Reason}': {ex.Message}");
        }

        // ---- node correspondence ---------------------------------------------------------------

        /// <summary>Pairs golden and our nodes by walking both graphs from the output, children in order.</summary>
        private bool MapNodes()
        {
            var graph = _m!.Graph;
            if (_g.Sink == null) { Fail("golden file has no graph"); return false; }
            var queue = new Queue<(string G, string O)>();
            queue.Enqueue((_g.Sink, graph.Sink.Label));
            bool ok = true;
            while (queue.Count > 0)
            {
                var (gl, ol) = queue.Dequeue();
                if (_g2o.TryGetValue(gl, out var known))
                {
                    if (known != ol) { Fail($"graph: golden node {gl} corresponds to both {known} and {ol}"); ok = false; }
                    continue;
                }
                if (_o2g.TryGetValue(ol, out var knownG))
                {
                    Fail($"graph: our node {ol} corresponds to both {knownG} and {gl}");
                    ok = false;
                    continue;
                }
                _g2o[gl] = ol;
                _o2g[ol] = gl;
                var gc = _g.Node(gl).Children;
                var oc = graph[ol].Children;
                if (gc.Count != oc.Count)
                {
                    Fail($"graph: {gl} has children [{string.Join(", ", gc)}] in Tracr but ours {ol} has [{string.Join(", ", oc)}]");
                    ok = false;
                    continue;
                }
                for (int i = 0; i < gc.Count; i++) queue.Enqueue((gc[i], oc[i]));
            }
            if (_g2o.Count != _g.Nodes.Count)
            {
                Fail($"graph: reached {_g2o.Count} of Tracr's {_g.Nodes.Count} nodes from the output");
                ok = false;
            }
            return ok;
        }

        private void CheckGraph()
        {
            var graph = _m!.Graph;
            if (graph.Nodes.Count != _g.Nodes.Count)
                Fail($"graph: {graph.Nodes.Count} nodes, Tracr has {_g.Nodes.Count}");
            foreach (var gn in _g.Nodes)
            {
                var on = graph[_g2o[gn.Label]];
                if (on.Label != gn.Label)
                    Fail($"graph: node {gn.Label} is labelled {on.Label}");
                if (on.Expr.GetType().Name != gn.Class)
                    Fail($"graph: node {gn.Label} is a {on.Expr.GetType().Name}, Tracr has {gn.Class}");
                if (on.Expr.Name != gn.Name)
                    Fail($"graph: node {gn.Label} is named {on.Expr.Name}, Tracr has {gn.Name}");
                if (gn.Encoding != null)
                {
                    string enc = on.Expr is SOp sop ? (sop.IsNumerical ? "numerical" : "categorical") : "selector";
                    if (enc != gn.Encoding) Fail($"graph: node {gn.Label} is {enc}, Tracr has {gn.Encoding}");
                }
            }
        }

        // ---- value sets --------------------------------------------------------------------------

        private void CheckValueSets()
        {
            var graph = _m!.Graph;
            foreach (var on in graph.TopologicalOrder())
            {
                if (!_o2g.TryGetValue(on.Label, out var gl)) continue;
                var gn = _g.Node(gl);
                if (gn.ValueSet == null) continue;
                var ours = on.ValueSet;
                if (ours == null) { Fail($"value set of {on.Label}: missing"); continue; }

                var missing = gn.ValueSet.Where(v => !ContainsClose(ours, v)).ToList();
                var extra = ours.Where(v => !ContainsClose(gn.ValueSet, v)).ToList();
                if (missing.Count > 0)
                {
                    // Difference (g): a value Tracr lists may be missing when no input reaches it (shared denominators:
                    // two means over one selector divide by the same width). Checked by evaluating every input.
                    var reached = ReachedValues(on) ?? SameWidthValues(on);
                    var reachable = reached == null ? missing : missing.Where(v => ContainsClose(reached, v)).ToList();
                    if (reachable.Count > 0)
                    {
                        Fail($"value set of {on.Label}: lacks {Show(reachable)} (Tracr {Show(gn.ValueSet)}, ours {Show(ours)})");
                        continue;
                    }
                    _inflated.Add(gl);
                }
                if (extra.Count == 0) continue;

                // Difference (a): a numerical mean may take every reachable fraction, and what reads it
                // may then take more values too. Every extra value must be reachable.
                bool source = on.Expr is Aggregate agg && agg.IsNumerical;
                bool downstream = InputNodes(on).Any(c => _o2g.TryGetValue(c.Label, out var cg) && _inflated.Contains(cg));
                if (!source && !downstream)
                {
                    Fail($"value set of {on.Label}: extra values {Show(extra)} (Tracr {Show(gn.ValueSet)}), not explained by a numerical aggregate upstream");
                    continue;
                }
                var possible = PossibleValues(on);
                var unreachable = possible == null ? extra : extra.Where(v => !ContainsClose(possible, v)).ToList();
                if (unreachable.Count > 0)
                {
                    Fail($"value set of {on.Label}: extra values {Show(unreachable)} are not reachable from its inputs");
                    continue;
                }
                _inflated.Add(gl);
            }

            foreach (var on in graph.Nodes)
                if (_o2g.TryGetValue(on.Label, out var gl) && InputNodes(on).Any(c => _o2g.TryGetValue(c.Label, out var cg) && _inflated.Contains(cg)))
                    _readsInflated.Add(gl);
        }

        /// <summary>The S-op nodes a node reads, looking through selectors to their keys and queries.</summary>
        private IEnumerable<GraphNode> InputNodes(GraphNode node)
        {
            foreach (var c in node.Children)
            {
                var child = _m!.Graph[c];
                if (child.Expr is Selector)
                {
                    foreach (var x in InputNodes(child)) yield return x;
                }
                else
                {
                    yield return child;
                }
            }
        }

        /// <summary>Every value the evaluator gives the node on any input up to max_seq_len (null when there are too many inputs to try).</summary>
        private List<Value>? ReachedValues(GraphNode node)
        {
            if (!(node.Expr is SOp sop)) return null;
            double count = Enumerable.Range(1, _g.MaxSeqLen).Sum(n => Math.Pow(_g.Vocab.Count, n));
            if (count > 200_000) return null;
            var reached = new HashSet<Value>();
            var input = new List<Value>();
            void Walk()
            {
                if (input.Count > 0)
                    foreach (var v in new RaspEvaluator(_g.Causal).EvaluateSOp(sop, input)) reached.Add(v);
                if (input.Count == _g.MaxSeqLen) return;
                foreach (var t in _g.Vocab)
                {
                    input.Add(t);
                    Walk();
                    input.RemoveAt(input.Count - 1);
                }
            }
            Walk();
            return reached.ToList();
        }

        /// <summary>
        /// For inputs too many to evaluate: a SequenceMap of two numerical means over one selector, over every pair of
        /// means of the same width n (0 for both when nothing is selected). Null for any other node.
        /// </summary>
        private List<Value>? SameWidthValues(GraphNode node)
        {
            if (!(node.Expr is SequenceMap sm)) return null;
            var a = _m!.Graph[node.Children[0]];
            var b = _m.Graph[node.Children[1]];
            if (!(a.Expr is Aggregate x && b.Expr is Aggregate y && x.IsNumerical && y.IsNumerical)) return null;
            // The same selector, or two Selects with the same keys, queries and comparison (make_frac_prevs builds one each call).
            var sa = _m.Graph[a.Children[0]];
            var sb = _m.Graph[b.Children[0]];
            bool same = sa == sb || sa.Expr is Select p1 && sb.Expr is Select p2 && p1.Predicate.Comparison is Comparison c &&
                        p2.Predicate.Comparison == c && sa.Children.SequenceEqual(sb.Children);
            if (!same) return null;
            List<double>[] MeansByWidth(GraphNode mean)
            {
                var source = _m.Graph[mean.Children[1]].ValueSet!.Select(v => v.AsDouble).Distinct().ToList();
                var byWidth = new List<double>[_g.MaxSeqLen + 1];
                byWidth[0] = new List<double> { 0 };
                var sums = new HashSet<double> { 0 };
                for (int n = 1; n <= _g.MaxSeqLen; n++)
                {
                    sums = new HashSet<double>(sums.SelectMany(s => source.Select(v => Math.Round(s + v, 9))));
                    byWidth[n] = sums.Select(s => s / n).ToList();
                }
                return byWidth;
            }
            var ma = MeansByWidth(a);
            var mb = MeansByWidth(b);
            var result = new List<Value>();
            for (int n = 0; n <= _g.MaxSeqLen; n++)
                foreach (var p in ma[n])
                    foreach (var q in mb[n])
                        result.Add(sm.Function(p, q));
            return result;
        }

        /// <summary>Every value the node can take given our value sets of its inputs (null if unknown).</summary>
        private List<Value>? PossibleValues(GraphNode node)
        {
            var graph = _m!.Graph;
            IReadOnlyList<Value> Child(int i) => graph[node.Children[i]].ValueSet ?? Array.Empty<Value>();
            var result = new List<Value>();
            void Add(Func<Value> f)
            {
                try { result.Add(f()); } catch (Exception) { /* Tracr drops values its function fails on */ }
            }
            switch (node.Expr)
            {
                case Map map:
                    foreach (var x in Child(0)) Add(() => map.Function(x));
                    return result;
                case SequenceMap sm:
                    foreach (var x in Child(0))
                        foreach (var y in Child(1)) Add(() => sm.Function(x, y));
                    return result;
                case SelectorWidth _:
                    for (int i = 0; i <= _g.MaxSeqLen; i++) result.Add(i);
                    return result;
                case Aggregate agg when agg.IsCategorical:
                    result.AddRange(Child(1));
                    if (!agg.Default.IsNone) result.Add(agg.Default);
                    return result;
                case Aggregate agg:
                {
                    // Means of 1..max_seq_len selected values (with repetition), and the default.
                    var source = Child(1).Select(v => v.AsDouble).Distinct().ToList();
                    var sums = new HashSet<double> { 0 };
                    for (int n = 1; n <= _g.MaxSeqLen; n++)
                    {
                        sums = new HashSet<double>(sums.SelectMany(s => source.Select(v => Math.Round(s + v, 9))));
                        foreach (var s in sums) result.Add(s / n);
                    }
                    if (!agg.Default.IsNone) result.Add(agg.Default);
                    return result;
                }
                default:
                    return null;
            }
        }

        // ---- layout ----------------------------------------------------------------------------------

        private void CheckLayerAllocation()
        {
            var ours = _m!.LayerAllocation;
            foreach (var kv in _g.LayerAllocation)
            {
                var label = _g2o.TryGetValue(kv.Key, out var l) ? l : kv.Key;
                if (!ours.TryGetValue(label, out var hl))
                    Fail($"layer allocation: {label} not allocated (Tracr: half layer {kv.Value})");
                else if (hl != kv.Value)
                    Fail($"layer allocation: {label} at half layer {hl}, Tracr {kv.Value}");
            }
            foreach (var kv in ours)
                if (!_o2g.TryGetValue(kv.Key, out var gl) || !_g.LayerAllocation.ContainsKey(gl))
                    Fail($"layer allocation: {kv.Key} at half layer {kv.Value} has no allocation in Tracr");
        }

        /// <summary>Layers, kinds, half layers, heads, MLP sizes and weights. Returns whether the layout matches.</summary>
        private bool CheckLayers()
        {
            var layers = _m!.Craft.Layers;
            if (layers.Count != _g.Blocks.Count)
            {
                Fail($"layers: {layers.Count} blocks, Tracr {_g.Blocks.Count} " +
                     $"(ours: {string.Join(", ", layers.Select(Describe))}; Tracr: {string.Join(", ", _g.Blocks.Select(Describe))})");
                return false;
            }
            int ourLayers = layers.Count == 0 ? 0 : layers.Max(l => l.Layer) + 1;
            if (ourLayers != _g.NumLayers) Fail($"layers: {ourLayers} transformer layers, Tracr {_g.NumLayers}");

            bool ok = true;
            for (int i = 0; i < layers.Count; i++)
            {
                var ol = layers[i];
                var gb = _g.Blocks[i];
                string kind = ol is AttentionLayer ? "attention" : ol is MlpLayer ? "mlp" : ol.GetType().Name;
                if (kind != gb.Kind || ol.HalfLayer != gb.HalfLayer || ol.Layer != gb.TransformerLayer)
                {
                    Fail($"block {i}: ours is {Describe(ol)}, Tracr {Describe(gb)}");
                    ok = false;
                    continue;
                }
                var gNodes = gb.Nodes.Select(MapNode).OrderBy(x => x, StringComparer.Ordinal).ToList();
                var oNodes = ol.Nodes.OrderBy(x => x, StringComparer.Ordinal).ToList();
                if (!gNodes.SequenceEqual(oNodes))
                    Fail($"block {i} ({gb.Kind}, half layer {gb.HalfLayer}): nodes [{string.Join(", ", oNodes)}], Tracr [{string.Join(", ", gNodes)}]");

                if (ol is AttentionLayer att) CheckAttention(i, att, gb);
                else if (ol is MlpLayer mlp) CheckMlp(i, mlp, gb);
            }
            return ok;
        }

        private void CheckAttention(int index, AttentionLayer att, GoldenBlock gb)
        {
            if (att.Heads.Count != gb.Heads.Count)
                Fail($"block {index}: {att.Heads.Count} heads, Tracr {gb.Heads.Count}");
            foreach (var gh in gb.Heads)
            {
                string node = MapNode(gh.Node);
                var oh = att.Heads.FirstOrDefault(h => h.Node == node);
                if (oh == null) { Fail($"block {index}: no head for {node}"); continue; }
                // Tracr's craft heads are not causal; its assembled model masks every head when compiled causally.
                bool causal = gh.Causal || _g.Causal;
                if (oh.Causal != causal) Fail($"block {index}, head {node}: causal {oh.Causal}, Tracr's model {causal}");
                if (_readsInflated.Contains(gh.Node)) continue;
                CompareMatrix($"block {index}, head {node}, W_QK", gh.WQK, oh.WQK.LeftSpace, oh.WQK.RightSpace, oh.WQK.Matrix, null, null, null, false);
                CompareMatrix($"block {index}, head {node}, W_OV", gh.WOV, oh.WOV.InputSpace, oh.WOV.OutputSpace, oh.WOV.Matrix, null, null, null, false);
            }
        }

        private void CheckMlp(int index, MlpLayer layer, GoldenBlock gb)
        {
            var mlp = layer.Mlp;
            string? sw = SelectorWidthIn(gb);

            // Difference (c): where Tracr's discretising MLP is inexact at slope mlp_exactness, ours may use
            // a larger slope. Such a node's hidden neurons must have Tracr's sparsity pattern and be exact.
            var raised = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in gb.Nodes)
                if (!_readsInflated.Contains(node) && CheckDiscretisation(index, mlp, gb, node, sw)) raised.Add(node);
            RaisedSlopeNodes.UnionWith(raised);

            // Hidden neurons of nodes that read an inflated node are not compared (difference (a)).
            string? GOwner(GoldenDirection d) => Owner(d.Name, sw);
            string? OOwner(BasisDirection d) => OurOwner(d, gb) is string o && _o2g.TryGetValue(o, out var g) ? g : null;
            bool KeepGolden(GoldenDirection d) => !(GOwner(d) is string o && (_readsInflated.Contains(o) || raised.Contains(o)));
            bool KeepOurs(BasisDirection d) => !(OOwner(d) is string o && (_readsInflated.Contains(o) || raised.Contains(o)));
            bool RaisedGolden(GoldenDirection d) => GOwner(d) is string o && raised.Contains(o);
            bool RaisedOurs(BasisDirection d) => OOwner(d) is string o && raised.Contains(o);

            int gHidden = gb.Fst!.Cols.Count(d => !(GOwner(d) is string o && _readsInflated.Contains(o)));
            int oHidden = mlp.Fst.OutputSpace.Basis.Count(d => !(OOwner(d) is string o && _readsInflated.Contains(o)));
            if (gb.Fst.Cols.Count != gb.HiddenSize) Fail($"block {index}: golden hidden size {gb.HiddenSize} != fst columns {gb.Fst.Cols.Count}");
            if (gHidden != oHidden)
                Fail($"block {index} (MLP {string.Join(", ", layer.Nodes)}): hidden size {oHidden}, Tracr {gHidden}" +
                     (gHidden != gb.HiddenSize ? $" (of {mlp.HiddenSize} / {gb.HiddenSize} in all)" : ""));
            CompareMatrix($"block {index}, MLP fst", gb.Fst, mlp.Fst.InputSpace, mlp.Fst.OutputSpace, mlp.Fst.Matrix, null, (KeepGolden, KeepOurs), sw, false);
            CompareMatrix($"block {index}, MLP snd", gb.Snd!, mlp.Snd.InputSpace, mlp.Snd.OutputSpace, mlp.Snd.Matrix, (KeepGolden, KeepOurs), null, sw, false);
            if (raised.Count > 0)
            {
                CompareMatrix($"block {index}, MLP fst (sparsity, raised slope)", gb.Fst, mlp.Fst.InputSpace, mlp.Fst.OutputSpace, mlp.Fst.Matrix, null, (RaisedGolden, RaisedOurs), sw, true);
                CompareMatrix($"block {index}, MLP snd (sparsity, raised slope)", gb.Snd!, mlp.Snd.InputSpace, mlp.Snd.OutputSpace, mlp.Snd.Matrix, (RaisedGolden, RaisedOurs), null, sw, true);
            }
        }

        /// <summary>
        /// For a node computed by a discretising MLP (SelectorWidth's decoder, or a Map of a numerical
        /// S-op), runs Tracr's and our MLP on every input the node can receive. Returns true when
        /// Tracr's is inexact (so difference (c) applies); ours must then be exact.
        /// </summary>
        private bool CheckDiscretisation(int index, Mlp mlp, GoldenBlock gb, string node, string? sw)
        {
            var gn = _g.Node(node);
            var on = _m!.Graph[MapNode(node)];
            var cases = new List<(Dictionary<string, double> G, Dictionary<string, double> O, Value Expected)>();
            if (gn.Class == "SelectorWidth")
            {
                for (int w = 0; w <= _g.MaxSeqLen; w++)
                {
                    double x = 1.0 / (w + 1);
                    cases.Add((new Dictionary<string, double> { [node + "_selector_width_attn_output"] = x, ["one"] = 1 },
                               new Dictionary<string, double> { [on.Label + "_selector_width_attn_output"] = x, ["one"] = 1 },
                               w));
                }
            }
            else if (gn.Class == "Map" && _g.Node(gn.Children[0]).Encoding == "numerical" && on.Expr is Map map)
            {
                var input = _m.Graph[on.Children[0]];
                foreach (var v in input.ValueSet ?? Array.Empty<Value>())
                {
                    Value y;
                    try { y = map.Function(v); } catch (Exception) { continue; }
                    if (y.IsNone) continue;
                    cases.Add((new Dictionary<string, double> { [gn.Children[0]] = v.AsDouble, ["one"] = 1 },
                               new Dictionary<string, double> { [input.Label] = v.AsDouble, ["one"] = 1 },
                               y));
                }
            }
            else
            {
                return false;
            }

            double tracrError = 0, ourError = 0;
            string ourWorst = "";
            foreach (var (gx, ox, expected) in cases)
            {
                var gy = RunMlp(gb.Fst!.Rows.Select(d => d.Label).ToList(), gb.Fst.Cols.Select(d => d.Label).ToList(),
                    gb.Snd!.Rows.Select(d => d.Label).ToList(), gb.Snd.Cols.Select(d => d.Label).ToList(),
                    gb.Fst.Values, gb.Snd.Values, gx, j => Owner(gb.Fst.Cols[j].Name, sw) == node);
                tracrError = Math.Max(tracrError, OutputError(gb.Snd.Cols.Select(d => (d.Name, d.Value)).ToList(), gy, node, gn.Encoding, expected));

                var oy = RunMlp(mlp.Fst.InputSpace.Basis.Select(d => d.Label).ToList(), mlp.Fst.OutputSpace.Basis.Select(d => d.Label).ToList(),
                    mlp.Snd.InputSpace.Basis.Select(d => d.Label).ToList(), mlp.Snd.OutputSpace.Basis.Select(d => d.Label).ToList(),
                    mlp.Fst.Matrix, mlp.Snd.Matrix, ox, j => OurOwner(mlp.Fst.OutputSpace.Basis[j], gb) == on.Label);
                double e = OutputError(mlp.Snd.OutputSpace.Basis.Select(d => (d.Name, d.Value)).ToList(), oy, on.Label, gn.Encoding, expected);
                if (e > ourError) { ourError = e; ourWorst = $"input {string.Join(", ", ox.Select(kv => kv.Key + "=" + Fmt(kv.Value)))} (expected {expected.Repr()})"; }
            }
            if (tracrError <= 1e-6) return false;
            if (ourError > 1e-6)
                Fail($"block {index}, MLP of {on.Label}: inexact like Tracr's (max error {Fmt(ourError)} at {ourWorst}; Tracr {Fmt(tracrError)})");
            return true;
        }

        /// <summary>relu(x fst) snd on labelled vectors, using only the hidden neurons <paramref name="keepHidden"/> selects.</summary>
        private static double[] RunMlp(IReadOnlyList<string> inLabels, IReadOnlyList<string> hiddenLabels,
            IReadOnlyList<string> sndRowLabels, IReadOnlyList<string> outLabels,
            double[,] fst, double[,] snd, Dictionary<string, double> x, Func<int, bool> keepHidden)
        {
            var hidden = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int j = 0; j < hiddenLabels.Count; j++)
            {
                if (!keepHidden(j)) continue;
                double h = 0;
                for (int i = 0; i < inLabels.Count; i++)
                    if (x.TryGetValue(inLabels[i], out var xi)) h += xi * fst[i, j];
                hidden[hiddenLabels[j]] = Math.Max(0, h);
            }
            var y = new double[outLabels.Count];
            for (int i = 0; i < sndRowLabels.Count; i++)
                if (hidden.TryGetValue(sndRowLabels[i], out var h) && h != 0)
                    for (int k = 0; k < outLabels.Count; k++) y[k] += h * snd[i, k];
            return y;
        }

        /// <summary>Largest deviation of a node's output coordinates from the exact output.</summary>
        private static double OutputError(IReadOnlyList<(string Name, Value Value)> outDirs, double[] y, string node, string? encoding, Value expected)
        {
            double err = 0;
            for (int k = 0; k < outDirs.Count; k++)
            {
                if (outDirs[k].Name != node) continue;
                double want = encoding == "numerical" ? expected.AsDouble : Close(outDirs[k].Value, expected, ValueSetTolerance) ? 1 : 0;
                err = Math.Max(err, Math.Abs(y[k] - want));
            }
            return err;
        }

        /// <summary>
        /// Compares two matrices as maps (row label, column label) -> value, absent entries being 0,
        /// after renaming the golden directions to ours.
        /// </summary>
        private void CompareMatrix(string what, GoldenMatrix g, VectorSpace rows, VectorSpace cols, double[,] o,
            (Func<GoldenDirection, bool> G, Func<BasisDirection, bool> O)? rowFilter,
            (Func<GoldenDirection, bool> G, Func<BasisDirection, bool> O)? colFilter,
            string? sw, bool patternOnly)
        {
            var expected = new Dictionary<(string, string), double>();
            for (int i = 0; i < g.Rows.Count; i++)
            {
                if (rowFilter != null && !rowFilter.Value.G(g.Rows[i])) continue;
                string r = MapLabel(g.Rows[i], sw);
                for (int j = 0; j < g.Cols.Count; j++)
                {
                    if (colFilter != null && !colFilter.Value.G(g.Cols[j])) continue;
                    double v = g.Values[i, j];
                    if (v == 0) continue;
                    var key = (r, MapLabel(g.Cols[j], sw));
                    if (expected.ContainsKey(key)) { Fail($"{what}: golden direction pair {key} appears twice"); continue; }
                    expected[key] = v;
                }
            }
            var actual = new Dictionary<(string, string), double>();
            if (o.GetLength(0) != rows.Dimensions || o.GetLength(1) != cols.Dimensions)
            {
                Fail($"{what}: our matrix is {o.GetLength(0)}x{o.GetLength(1)} but its spaces are {rows.Dimensions}x{cols.Dimensions}");
                return;
            }
            for (int i = 0; i < rows.Dimensions; i++)
            {
                if (rowFilter != null && !rowFilter.Value.O(rows.Basis[i])) continue;
                for (int j = 0; j < cols.Dimensions; j++)
                {
                    if (colFilter != null && !colFilter.Value.O(cols.Basis[j])) continue;
                    double v = o[i, j];
                    if (Math.Abs(v) < 1e-12) continue;
                    actual[(rows.Basis[i].Label, cols.Basis[j].Label)] = v;
                }
            }
            ComparedMatrices++;
            var diffs = new List<string>();
            foreach (var key in expected.Keys.Union(actual.Keys))
            {
                expected.TryGetValue(key, out var e);
                actual.TryGetValue(key, out var a);
                bool differs = patternOnly ? (e == 0) != (a == 0) : Math.Abs(e - a) > 1e-6 + 1e-9 * Math.Abs(e);
                if (differs)
                    diffs.Add($"[{key.Item1}, {key.Item2}] = {Fmt(a)}, Tracr {Fmt(e)}");
            }
            if (diffs.Count > 0)
                Fail($"{what}: {diffs.Count} of {expected.Count} Tracr entries differ, e.g. {string.Join("; ", diffs.OrderBy(d => d, StringComparer.Ordinal).Take(MaxReportedPerCheck))}");
        }

        // ---- residual stream ----------------------------------------------------------------------

        private void CheckResidualBasis()
        {
            CompareBasis("craft residual basis", _g.CraftResidualBasis, _m!.Craft.ResidualSpace.Basis.Select(b => b.Label).ToList());
            CompareBasis("model residual basis", _g.ModelResidualBasis, _m.ResidualLabels);
        }

        private void CompareBasis(string what, IReadOnlyList<GoldenDirection> golden, IReadOnlyList<string> ours)
        {
            var mapped = golden.Select(d => MapLabel(d, null)).ToList();
            var missing = mapped.Except(ours).ToList();
            var extra = ours.Except(mapped).Where(l => !(OwnerOfLabel(l) is string o && _inflated.Contains(o))).ToList();
            if (missing.Count > 0) Fail($"{what}: lacks {string.Join(", ", missing.Take(10))}");
            if (extra.Count > 0) Fail($"{what}: has extra directions {string.Join(", ", extra.Take(10))}");
            if (_inflated.Count == 0 && ours.Count != golden.Count)
                Fail($"{what}: {ours.Count} dimensions, Tracr {golden.Count}");
            if (missing.Count == 0 && extra.Count == 0 && _inflated.Count == 0 && !mapped.SequenceEqual(ours))
            {
                int first = Enumerable.Range(0, mapped.Count).First(i => mapped[i] != ours[i]);
                Fail($"{what}: order differs from Tracr's at position {first}: ours {ours[first]}, Tracr {mapped[first]}");
            }
        }

        private void CheckResidualTraces()
        {
            var labels = _m!.ResidualLabels;
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < labels.Count; i++) index[labels[i]] = i;
            var columns = new List<(int Golden, int Ours, string Label)>();
            foreach (var (d, gi) in _g.CraftResidualBasis.Select((d, gi) => (d, gi)))
            {
                // Directions of nodes whose values or blocks legitimately differ (difference (a)) are not compared.
                if (Owner(d.Name, null) is string o && (_inflated.Contains(o) || _readsInflated.Contains(o))) continue;
                string label = MapLabel(d, null);
                if (index.TryGetValue(label, out var oi)) columns.Add((gi, oi, label));
                // A missing direction was reported by the basis check.
            }

            foreach (var s in _g.Samples.Where(s => s.ResidualTrace != null))
            {
                var trace = s.ResidualTrace!;
                var ours = _m.Apply(s.Input).Residuals;
                if (ours.Count != trace.Count)
                {
                    Fail($"residuals on {Show(s.Input)}: {ours.Count} steps, Tracr {trace.Count}");
                    continue;
                }
                var diffs = new List<string>();
                for (int t = 0; t < trace.Count; t++)
                {
                    var gt = trace[t];
                    var ot = ours[t];
                    if (gt.GetLength(0) != ot.GetLength(0))
                    {
                        diffs.Add($"step {t}: {ot.GetLength(0)} positions, Tracr {gt.GetLength(0)}");
                        continue;
                    }
                    ComparedResidualValues += gt.GetLength(0) * columns.Count;
                    for (int p = 0; p < gt.GetLength(0); p++)
                        foreach (var (gc, oc, label) in columns)
                            if (Math.Abs(gt[p, gc] - ot[p, oc]) > ResidualTolerance
                                // Difference (f): our discretising MLPs are gated off at BOS, so where Tracr writes
                                // f(0) into the BOS row (and later heads read it) we keep the BOS row empty.
                                && !(p == 0 && Math.Abs(ot[p, oc]) <= ResidualTolerance && IsNodeDirection(label)))
                                diffs.Add($"step {t} ({(t == 0 ? "embedding" : "after block " + (t - 1))}), position {p}, {label}: {Fmt(ot[p, oc])}, Tracr {Fmt(gt[p, gc])}");
                }
                if (diffs.Count > 0)
                    Fail($"residuals on {Show(s.Input)}: {diffs.Count} entries differ, e.g. {string.Join("; ", diffs.Take(MaxReportedPerCheck))}");
            }
        }

        /// <summary>A direction computed by a block (not tokens, indices or one), which at BOS must hold nothing but may hold Tracr's garbage.</summary>
        private static bool IsNodeDirection(string label) =>
            !(label == "one" || label.StartsWith("tokens:", StringComparison.Ordinal) || label.StartsWith("indices:", StringComparison.Ordinal));

        // ---- renaming golden directions to ours ------------------------------------------------------

        private string MapNode(string goldenLabel) => _g2o.TryGetValue(goldenLabel, out var o) ? o : goldenLabel;

        /// <summary>
        /// The golden node a direction name belongs to: the node itself (<c>label</c>), its hidden
        /// neurons (<c>_hidden_label_...</c>), its selector-width attention output, or the SelectorWidth
        /// of the block for <c>_hidden_clean_bos_</c>.
        /// </summary>
        private string? Owner(string name, string? selectorWidth)
        {
            if (name == "_hidden_clean_bos_") return selectorWidth;
            string? best = null;
            foreach (var n in _g.Nodes)
            {
                var l = n.Label;
                bool match = name == l
                    || name.StartsWith("_hidden_" + l + "_", StringComparison.Ordinal)
                    || name == l + "_selector_width_attn_output";
                if (match && (best == null || l.Length > best.Length)) best = l;
            }
            return best;
        }

        /// <summary>The golden owner of one of our residual labels (by our node labels).</summary>
        private string? OwnerOfLabel(string ourLabel)
        {
            string? best = null;
            foreach (var kv in _o2g)
            {
                var l = kv.Key;
                if ((ourLabel == l || ourLabel.StartsWith(l + ":", StringComparison.Ordinal) || ourLabel.StartsWith(l + "_selector_width_attn_output", StringComparison.Ordinal))
                    && (best == null || l.Length > best.Length)) best = l;
            }
            return best == null ? null : _o2g[best];
        }

        /// <summary>Our node owning one of our hidden directions (labels are ours).</summary>
        private string? OurOwner(BasisDirection d, GoldenBlock gb)
        {
            if (d.Name == "_hidden_clean_bos_") return d.Value.IsNone ? MapNodeOrNull(SelectorWidthIn(gb)) : d.Value.ToString();
            string? best = null;
            foreach (var l in _o2g.Keys)
            {
                bool match = d.Name == l
                    || d.Name.StartsWith("_hidden_" + l + "_", StringComparison.Ordinal)
                    || d.Name == l + "_selector_width_attn_output";
                if (match && (best == null || l.Length > best.Length)) best = l;
            }
            return best;
        }

        private string? MapNodeOrNull(string? goldenLabel) => goldenLabel == null ? null : MapNode(goldenLabel);

        /// <summary>The (single) SelectorWidth node computed by a golden block, for <c>_hidden_clean_bos_</c>.</summary>
        private string? SelectorWidthIn(GoldenBlock gb)
        {
            var sws = gb.Nodes.Where(n => _g.Node(n).Class == "SelectorWidth").ToList();
            return sws.Count == 1 ? sws[0] : null;
        }

        /// <summary>A golden direction's label with node labels renamed to ours (and difference (b) applied).</summary>
        private string MapLabel(GoldenDirection d, string? selectorWidth)
        {
            if (d.Name == "_hidden_clean_bos_" && d.Value.IsNone)
                return selectorWidth == null ? d.Label : "_hidden_clean_bos_:" + MapNode(selectorWidth);

            string name = d.Name;
            if (Owner(name, null) is string owner)
            {
                string o = MapNode(owner);
                if (name == owner) name = o;
                else if (name.StartsWith("_hidden_" + owner + "_", StringComparison.Ordinal)) name = "_hidden_" + o + name.Substring(8 + owner.Length);
                else name = o + name.Substring(owner.Length);
            }
            string valueText = d.Label.Length > d.Name.Length ? d.Label.Substring(d.Name.Length) : "";
            foreach (var kv in _g2o)
                if (kv.Key != kv.Value) valueText = valueText.Replace("'" + kv.Key + "'", "'" + kv.Value + "'");
            return name + valueText;
        }

        // ---- helpers ------------------------------------------------------------------------------------

        private static string Describe(CraftLayer l) =>
            $"{(l is AttentionLayer a ? $"attention[{a.Heads.Count}]" : "mlp")}@{l.HalfLayer}({string.Join("+", l.Nodes)})";

        private static string Describe(GoldenBlock b) =>
            $"{(b.Kind == "attention" ? $"attention[{b.Heads.Count}]" : "mlp")}@{b.HalfLayer}({string.Join("+", b.Nodes)})";

        private static bool SequenceClose(IReadOnlyList<Value> a, IReadOnlyList<Value> b, double tol) =>
            a.Count == b.Count && a.Zip(b, (x, y) => Close(x, y, tol)).All(t => t);

        /// <summary>Python equality, with a tolerance on numbers (bools count as 0 / 1, as in Python).</summary>
        public static bool Close(Value a, Value b, double tol)
        {
            if (a.IsNone || b.IsNone) return a.IsNone && b.IsNone;
            if (a.IsNumeric && b.IsNumeric)
            {
                double x = a.AsDouble, y = b.AsDouble;
                return x == y || Math.Abs(x - y) <= tol;
            }
            if (a.Kind == ValueKind.Tuple && b.Kind == ValueKind.Tuple)
            {
                var l = a.AsTuple;
                var r = b.AsTuple;
                return l.Count == r.Count && l.Zip(r, (x, y) => Close(x, y, tol)).All(t => t);
            }
            return a.Equals(b);
        }

        private static bool ContainsClose(IEnumerable<Value> set, Value v) => set.Any(x => Close(x, v, ValueSetTolerance));

        private static string Show(IEnumerable<Value> values) => "[" + string.Join(", ", values.Select(v => v.Repr())) + "]";

        private static string Fmt(double d) => d.ToString("G10", CultureInfo.InvariantCulture);
    }
}
