using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Generators.Tests.Infrastructure;
using Xunit;

namespace Tracr.Generators.Tests
{
    /// <summary>The generated source itself: approved snapshots, determinism, and robustness on half-typed code.</summary>
    public class GeneratedSourceTests
    {
        private static string Wrap(string type, string attribute, string body) => $$"""
            using System;
            using Tracr;
            using static Tracr.Rasp;

            namespace Showcase;

            public static partial class {{type}}
            {
                [RaspProgram({{attribute}})]
                static SOp Program() {{body}}
            }
            """;

        public static IEnumerable<object[]> SnapshotCases() => new[]
        {
            new object[] { "Reverse", "\"a\", \"b\", \"c\", MaxSeqLen = 5", "=> Library.MakeReverse(Tokens);" },
            new object[] { "Hist", "\"a\", \"b\", \"c\", MaxSeqLen = 4", "=> Library.MakeHist();" },
            new object[] { "FracPrevs", "\"l\", \"r\", MaxSeqLen = 4", "=> Library.MakeFracPrevs(Tokens == \"l\");" },
            new object[] { "Custom", "VocabFrom = 0, VocabTo = 3, MaxSeqLen = 3, Causal = true",
                "{\n        var doubled = Map(x => x * 2 + 1, Tokens).Named(\"doubled\");\n        var prev = Aggregate(Select(Indices, Indices, (k, q) => k == q - 1), doubled).Named(\"prev\");\n        return SequenceMap((a, b) => a > b ? a : b, doubled, prev).Named(\"running_max\");\n    }" },
        };

        [Theory]
        [MemberData(nameof(SnapshotCases))]
        public void Generated_source_matches_the_approved_snapshot(string type, string attribute, string body)
        {
            var output = GeneratorHarness.Run(Wrap(type, attribute, body));
            Assert.Empty(output.Diagnostics);
            Assert.Empty(output.CompileErrors);
            Snapshots.Verify(type, Assert.Single(output.Sources).Value);
        }

        [Fact]
        public void Generation_is_deterministic_across_runs_and_file_positions()
        {
            string a = Assert.Single(GeneratorHarness.Run(Wrap("Reverse", "\"a\", \"b\", MaxSeqLen = 4", "=> Library.MakeReverse(Tokens);")).Sources).Value;
            // Another compilation, the program moved down and another program compiled first: same bytes.
            var other = GeneratorHarness.Run(GeneratorHarness.Compilation(
                ("A.cs", Wrap("Hist", "\"x\", MaxSeqLen = 2", "=> Library.MakeHist();")),
                ("B.cs", "\n\n// moved\n" + Wrap("Reverse", "\"b\", \"a\", MaxSeqLen = 4", "=> Library.MakeReverse(Tokens);"))));
            Assert.Equal(a, other.Sources["Showcase.Reverse.Program.g.cs"]);
        }

        public static IEnumerable<object[]> Bodies() => new[]
        {
            new object[] { "{\n        var x = Map(v => v * 2 + 1, Tokens);\n        for (int i = 0; i < 2; i++) x = Library.ShiftBy(i + 1, x);\n        return Numerical(Map(v => v > 3 ? 1 : 0, x));\n    }" },
            new object[] { "=> Library.MakeSort(Tokens, Map(x => (int)x switch { 1 => 3, > 2 => 0, _ => x }, Tokens), maxSeqLen: 4, minKey: 1);" },
            new object[] { "{\n        var sel = Select(Indices, Indices, (k, q) => k <= q && (k + q) % 2 == 0);\n        var w = SelectorWidth(sel).Named($\"width_{1 + 1}\");\n        return SequenceMap((a, b) => (a, b), w, Tokens);\n    }" },
            new object[] { "=> Numerical(Aggregate(Select(Tokens, Tokens, Comparison.LEQ), Numerical(Map(x => x == 1 ? 1 : 0, Tokens)), 0));" },
        };

        /// <summary>Every prefix of a body (what the IDE sees while it is typed): diagnostics or nothing, never a crash or an internal error.</summary>
        [Theory]
        [MemberData(nameof(Bodies))]
        public void Every_prefix_of_a_program_body_is_handled(string body)
        {
            string full = Wrap("Typing", "1, 2, 3, MaxSeqLen = 4", body);
            int start = full.IndexOf(body, StringComparison.Ordinal);
            var complete = GeneratorHarness.Run(full);
            Assert.Empty(complete.Diagnostics);
            Assert.Single(complete.Sources);

            for (int length = 0; length < body.Length; length++)
            {
                string prefix = full.Substring(0, start + length);
                var output = GeneratorHarness.Run(prefix); // throws if the generator throws
                Assert.DoesNotContain(output.Diagnostics, d => d.Id == "TRACR900");
            }
        }
    }
}
