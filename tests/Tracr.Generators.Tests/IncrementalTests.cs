extern alias gen;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Tracr.Generators.Tests.Infrastructure;
using Xunit;
using TrackingNames = gen::Tracr.Generators.RaspProgramGenerator.TrackingNames;

namespace Tracr.Generators.Tests
{
    /// <summary>
    /// The expensive compile step must run only when a program changes: tracked steps after edits, and
    /// the pipeline's models are equatable data (no symbols, syntax, semantic models or compilations).
    /// </summary>
    public class IncrementalTests
    {
        private const string ProgramFile = """
            using Tracr;
            using static Tracr.Rasp;
            namespace Demo;
            public static partial class Shifted
            {
                [RaspProgram(1, 2, 3, MaxSeqLen = 5)]
                static SOp Program() => Helpers.Shift(Tokens);
            }
            public static partial class Reverse
            {
                [RaspProgram("a", "b", MaxSeqLen = 4)]
                static SOp Program() => Library.MakeReverse(Tokens);
            }
            """;

        private const string HelperFile = """
            using Tracr;
            namespace Demo;
            public static class Helpers
            {
                public static SOp Shift(SOp s) => Library.ShiftBy(1, s);
            }
            """;

        private const string UnrelatedFile = """
            namespace Demo;
            public static class Unrelated
            {
                public static int Answer() => 42;
            }
            """;

        private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
        {
            var compilation = GeneratorHarness.Compilation(("Program.cs", ProgramFile), ("Helpers.cs", HelperFile), ("Unrelated.cs", UnrelatedFile));
            var driver = GeneratorHarness.Driver().RunGenerators(compilation);
            Assert.Equal(2, driver.GetRunResult().GeneratedTrees.Length);
            return (driver, compilation);
        }

        private static CSharpCompilation Replace(CSharpCompilation compilation, string path, string newText)
        {
            var old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
            return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(newText, GeneratorHarness.ParseOptions, path));
        }

        private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step) =>
            driver.GetRunResult().Results[0].TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

        private static IncrementalStepRunReason[] OutputReasons(GeneratorDriver driver) =>
            driver.GetRunResult().Results[0].TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

        [Fact]
        public void An_unrelated_edit_recompiles_nothing_and_regenerates_nothing()
        {
            var (driver, compilation) = FirstRun();
            var edited = Replace(compilation, "Unrelated.cs", UnrelatedFile.Replace("42", "43"));
            driver = driver.RunGenerators(edited);

            Assert.All(Reasons(driver, TrackingNames.Compile), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
            Assert.All(OutputReasons(driver), r => Assert.True(r == IncrementalStepRunReason.Cached || r == IncrementalStepRunReason.Unchanged, r.ToString()));
        }

        [Fact]
        public void Moving_a_program_within_its_file_keeps_the_compile_cached()
        {
            var (driver, compilation) = FirstRun();
            var edited = Replace(compilation, "Program.cs", "// a comment that shifts every line\n\n" + ProgramFile);
            driver = driver.RunGenerators(edited);

            Assert.All(Reasons(driver, TrackingNames.Compile), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        }

        [Fact]
        public void Editing_a_helper_in_another_file_recompiles_only_the_program_that_uses_it()
        {
            var (driver, compilation) = FirstRun();
            var before = driver.GetRunResult().GeneratedTrees.ToDictionary(t => t.FilePath, t => t.GetText().ToString());
            var edited = Replace(compilation, "Helpers.cs", HelperFile.Replace("ShiftBy(1, s)", "ShiftBy(2, s)"));
            driver = driver.RunGenerators(edited);

            var compile = Reasons(driver, TrackingNames.Compile);
            Assert.Equal(1, compile.Count(r => r == IncrementalStepRunReason.Modified));
            Assert.Equal(1, compile.Count(r => r == IncrementalStepRunReason.Unchanged || r == IncrementalStepRunReason.Cached));

            var after = driver.GetRunResult().GeneratedTrees.ToDictionary(t => t.FilePath, t => t.GetText().ToString());
            var changed = after.Where(kv => before[kv.Key] != kv.Value).Select(kv => System.IO.Path.GetFileName(kv.Key)).ToArray();
            Assert.Equal(new[] { "Demo.Shifted.Program.g.cs" }, changed);
        }

        [Fact]
        public void Equal_sources_give_equal_pipeline_models()
        {
            var a = GeneratorHarness.Driver().RunGenerators(GeneratorHarness.Compilation(("Program.cs", ProgramFile), ("Helpers.cs", HelperFile))).GetRunResult();
            var b = GeneratorHarness.Driver().RunGenerators(GeneratorHarness.Compilation(("Program.cs", ProgramFile), ("Helpers.cs", HelperFile))).GetRunResult();
            foreach (var step in new[] { TrackingNames.Spec, TrackingNames.CompileInput, TrackingNames.Compile })
            {
                var left = a.Results[0].TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value).ToArray();
                var right = b.Results[0].TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value).ToArray();
                Assert.Equal(left.Length, right.Length);
                for (int i = 0; i < left.Length; i++)
                {
                    Assert.Equal(left[i], right[i]);
                    Assert.Equal(left[i].GetHashCode(), right[i].GetHashCode());
                }
            }
        }

        [Fact]
        public void Pipeline_models_hold_no_symbols_syntax_or_compilations()
        {
            var result = GeneratorHarness.Driver().RunGenerators(GeneratorHarness.Compilation(("Program.cs", ProgramFile), ("Helpers.cs", HelperFile))).GetRunResult();
            var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(SemanticModel), typeof(Compilation), typeof(Location), typeof(SyntaxTree) };
            foreach (var step in new[] { TrackingNames.Spec, TrackingNames.CompileInput, TrackingNames.Compile })
                foreach (var output in result.Results[0].TrackedSteps[step].SelectMany(s => s.Outputs))
                    AssertHoldsNo(output.Value, forbidden, new HashSet<object>(ReferenceEqualityComparer.Instance), step);
        }

        /// <summary>Walks every field reachable from <paramref name="value"/>.</summary>
        private static void AssertHoldsNo(object? value, Type[] forbidden, HashSet<object> seen, string path)
        {
            if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
            if (!value.GetType().IsValueType && !seen.Add(value)) return;
            foreach (var type in forbidden)
                Assert.False(type.IsInstanceOfType(value), $"{path} holds a {value.GetType().Name}");
            if (value is Delegate) return; // compiled lambdas inside Value-typed data are not Roslyn objects
            if (value is System.Collections.IEnumerable items)
            {
                int i = 0;
                foreach (var item in items) AssertHoldsNo(item, forbidden, seen, $"{path}[{i++}]");
            }
            for (var t = value.GetType(); t != null && t != typeof(object); t = t.BaseType)
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    AssertHoldsNo(field.GetValue(value), forbidden, seen, $"{path}.{field.Name}");
        }
    }
}
