using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Tracr.Generated;
using Tracr.Runtime;
using Tracr.Transformer;

namespace Tracr.Tests
{
    /// <summary>
    /// Compiles <see cref="ForwardCode"/>'s C# for many models in one Roslyn compilation (what the source
    /// generator does per model at build time), loads it, and builds <see cref="FastTransformer"/>s on the
    /// emitted programs. Shared by the tests and the benchmarks.
    /// </summary>
    internal static class ForwardCodeCompiler
    {
        /// <summary>One emitted program per model: index i of the result runs <c>models[i]</c>.</summary>
        public static IReadOnlyList<Func<FastTransformer>> Compile(IReadOnlyList<(PackedModel Packed, bool? DoublePrecision)> models)
        {
            var source = new System.Text.StringBuilder("namespace Tracr.Emitted\n{\n");
            foreach (var u in ForwardCode.Usings) source.Append("using ").Append(u).Append(";\n");
            for (int i = 0; i < models.Count; i++)
                source.Append(ForwardCode.Emit(models[i].Packed, "Forward" + i, "public", models[i].DoublePrecision)).Append('\n');
            source.Append("}\n");

            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Concat(new[] { typeof(FastTransformer).Assembly.Location, typeof(PackedModel).Assembly.Location })
                .Distinct()
                .Select(p => MetadataReference.CreateFromFile(p));
            var compilation = CSharpCompilation.Create("Tracr.Emitted" + Guid.NewGuid().ToString("N"),
                new[] { CSharpSyntaxTree.ParseText(source.ToString(), new CSharpParseOptions(LanguageVersion.Latest)) },
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
            using var image = new MemoryStream();
            var result = compilation.Emit(image);
            var problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            if (!result.Success || problems.Count > 0)
                throw new InvalidOperationException("The emitted forward code does not compile cleanly:\n" + string.Join("\n", problems.Take(20)));
            var assembly = Assembly.Load(image.ToArray());
            return models.Select((m, i) =>
            {
                var type = assembly.GetType("Tracr.Emitted.Forward" + i)!;
                return (Func<FastTransformer>)(() =>
                {
                    object program = type.GetMethod("Create")!.Invoke(null, new object[] { m.Packed })!;
                    return program is ForwardProgram<float> single ? new FastTransformer(single) : new FastTransformer((ForwardProgram<double>)program);
                });
            }).ToList();
        }
    }
}
