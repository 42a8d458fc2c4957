extern alias gen;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using RaspProgramAnalyzer = gen::Tracr.Generators.Analyzers.RaspProgramAnalyzer;

namespace Tracr.Generators.CodeFixes.Tests
{
    /// <summary>
    /// Runs one code fix on source marked with the diagnostics the analyzer must report (<c>{|TRACR002:Reverse|}</c>),
    /// against the runtime's assemblies and Tracr's (no reference packages are downloaded).
    /// </summary>
    internal static class CodeFixVerifier<TCodeFix> where TCodeFix : CodeFixProvider, new()
    {
        private const string Usings = "using Tracr;\nusing static Tracr.Rasp;\n\n";

        /// <summary>The fix turns <paramref name="source"/> into <paramref name="fixedSource"/>, which then has no diagnostics left that are marked there.</summary>
        public static Task VerifyAsync(string source, string fixedSource) => Create(source, fixedSource).RunAsync();

        /// <summary>The analyzer reports the marked diagnostics and the fix offers nothing for them.</summary>
        public static Task VerifyNoFixAsync(string source) => Create(source, source).RunAsync();

        /// <summary>Fix-all in the document turns <paramref name="source"/> into <paramref name="fixedSource"/>.</summary>
        public static Task VerifyFixAllAsync(string source, string fixedSource)
        {
            var test = Create(source, fixedSource);
            test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipFixAllInProjectCheck | CodeFixTestBehaviors.SkipFixAllInSolutionCheck;
            return test.RunAsync();
        }

        private static CSharpCodeFixTest<RaspProgramAnalyzer, TCodeFix, DefaultVerifier> Create(string source, string fixedSource)
        {
            var test = new CSharpCodeFixTest<RaspProgramAnalyzer, TCodeFix, DefaultVerifier>
            {
                TestCode = Usings + source,
                FixedCode = Usings + fixedSource,
                // No reference-assembly package: the runtime's own assemblies (References) stand in for them.
                ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            };
            test.TestState.AdditionalReferences.AddRange(References.Value);
            test.FixedState.AdditionalReferences.AddRange(References.Value);
            return test;
        }

        /// <summary>
        /// Every trusted platform assembly but Tracr's, then Tracr.dll and Tracr.Compiler.dll (the attribute and the DSL).
        /// Tracr.Generators.dll is left out: its public copy of the DSL would make every DSL type ambiguous.
        /// </summary>
        private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new Lazy<IReadOnlyList<MetadataReference>>(() =>
        {
            var tracr = new[] { typeof(Tracr.RaspProgramAttribute).Assembly.Location, typeof(Tracr.SOp).Assembly.Location };
            var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Where(p => !Path.GetFileName(p).StartsWith("Tracr.", StringComparison.OrdinalIgnoreCase) &&
                            !string.Equals(Path.GetFileName(p), "Tracr.dll", StringComparison.OrdinalIgnoreCase));
            return platform.Concat(tracr).Distinct(StringComparer.Ordinal)
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
        });
    }
}
