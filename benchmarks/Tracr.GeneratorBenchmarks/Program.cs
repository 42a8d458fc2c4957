extern alias gen;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RaspProgramGenerator = gen::Tracr.Generators.RaspProgramGenerator;

// Build cost of the [RaspProgram] generator, measured the way the compiler runs it (CSharpGeneratorDriver, in process).
// Prints one line per measurement; docs/performance.md ("Build cost") records a run.

var programs = new (string Name, string Attribute, string Body)[]
{
    ("reverse", "\"a\", \"b\", \"c\", MaxSeqLen = 5", "Library.MakeReverse(Tokens)"),
    ("hist", "\"a\", \"b\", \"c\", MaxSeqLen = 5", "Library.MakeHist()"),
    ("sort", "VocabFrom = 1, VocabTo = 5, MaxSeqLen = 5", "Library.MakeSort(Tokens, Tokens, maxSeqLen: 5, minKey: 1)"),
    ("sort_unique", "VocabFrom = 1, VocabTo = 5, MaxSeqLen = 5", "Library.MakeSortUnique(Tokens, Tokens)"),
    ("frac_prevs", "\"l\", \"r\", \"x\", MaxSeqLen = 5", "Library.MakeFracPrevs(Tokens == \"l\")"),
    ("pair_balance", "\"(\", \")\", MaxSeqLen = 5", "Library.MakePairBalance(Tokens, \"(\", \")\")"),
    ("shuffle_dyck", "\"(\", \")\", \"{\", \"}\", MaxSeqLen = 5", "Library.MakeShuffleDyck(new[] { \"()\", \"{}\" })"),
    ("count_less_freq", "\"a\", \"b\", \"c\", \"d\", MaxSeqLen = 5", "Library.MakeCountLessFreq(2)"),
};

string Program(string name, string attribute, string body) => $$"""
    using Tracr;
    using static Tracr.Rasp;
    namespace Bench;
    public static partial class P_{{name}}
    {
        [RaspProgram({{attribute}})]
        static SOp Program() => {{body}};
    }
    """;

// ~20,000 lines of ordinary code: the "large file" an unrelated edit touches.
string LargeFile(int salt)
{
    var sb = new StringBuilder("namespace Bench;\npublic static class Large\n{\n");
    for (int i = 0; i < 2000; i++)
        sb.Append($"    public static int F{i}(int x)\n    {{\n        int y = x * {i + salt};\n        for (int k = 0; k < 3; k++) y += k;\n        if (y > 10) y -= 1;\n        return y + {i};\n    }}\n\n");
    return sb.Append("}\n").ToString();
}

var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
    .Where(p => !Path.GetFileName(p).StartsWith("Tracr", StringComparison.Ordinal))
    .Append(typeof(Tracr.RaspProgramAttribute).Assembly.Location)
    .Append(typeof(Tracr.SOp).Assembly.Location)
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
var parse = new CSharpParseOptions(LanguageVersion.Latest);
CSharpCompilation Compilation(IEnumerable<(string Path, string Text)> files) =>
    CSharpCompilation.Create("Bench", files.Select(f => CSharpSyntaxTree.ParseText(f.Text, parse, f.Path)), references,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
GeneratorDriver Driver() => CSharpGeneratorDriver.Create(new[] { new RaspProgramGenerator().AsSourceGenerator() }, parseOptions: parse,
    driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
double Ms(Stopwatch sw) => sw.Elapsed.TotalMilliseconds;

// Warm-up: the first run pays for JIT-compiling the generator and the compiler.
var sw = Stopwatch.StartNew();
Driver().RunGenerators(Compilation(new[] { ("reverse.cs", Program("w", programs[0].Attribute, programs[0].Body)) }));
Console.WriteLine($"generator cold_start_ms={Ms(sw):F0}");

// Time per program (warm): each program alone in a fresh compilation, median of 5.
foreach (var p in programs)
{
    var times = new List<double>();
    for (int r = 0; r < 5; r++)
    {
        var compilation = Compilation(new[] { (p.Name + ".cs", Program(p.Name, p.Attribute, p.Body)) });
        sw.Restart();
        var result = Driver().RunGenerators(compilation).GetRunResult();
        times.Add(Ms(sw));
        if (result.Diagnostics.Length > 0 || result.GeneratedTrees.Length != 1) throw new InvalidOperationException($"{p.Name}: {string.Join("; ", result.Diagnostics)}");
    }
    times.Sort();
    Console.WriteLine($"generator program {p.Name} ms={times[2]:F1}");
}

// All programs plus the large file; then edits.
var files = programs.Select(p => (Path: p.Name + ".cs", Text: Program(p.Name, p.Attribute, p.Body))).ToList();
files.Add(("Large.cs", LargeFile(0)));
var all = Compilation(files);
var driver = Driver();
sw.Restart();
driver = driver.RunGenerators(all);
Console.WriteLine($"generator all_programs programs={programs.Length} ms={Ms(sw):F0}");

string Reasons(GeneratorDriver d) => string.Join(",", d.GetRunResult().Results[0].TrackedSteps[RaspProgramGenerator.TrackingNames.Compile]
    .SelectMany(s => s.Outputs).GroupBy(o => o.Reason).Select(g => $"{g.Key}:{g.Count()}"));

var medians = new List<double>();
var current = all;
for (int r = 0; r < 7; r++)
{
    var old = current.SyntaxTrees.Single(t => t.FilePath == "Large.cs");
    current = current.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(LargeFile(r + 1), parse, "Large.cs"));
    sw.Restart();
    driver = driver.RunGenerators(current);
    medians.Add(Ms(sw));
}
medians.Sort();
Console.WriteLine($"generator unrelated_edit_large_file ms={medians[3]:F1} compile_steps={Reasons(driver)}");

var programTree = current.SyntaxTrees.Single(t => t.FilePath == "sort.cs");
current = current.ReplaceSyntaxTree(programTree, CSharpSyntaxTree.ParseText(Program("sort", programs[2].Attribute, "Library.MakeSort(Tokens, Tokens, maxSeqLen: 5, minKey: 2)"), parse, "sort.cs"));
sw.Restart();
driver = driver.RunGenerators(current);
Console.WriteLine($"generator edit_one_program ms={Ms(sw):F1} compile_steps={Reasons(driver)}");

// Scaled models: generated source size, generation time, and the C# compiler's time to emit the generated code.
foreach (var (name, attribute, body) in new[]
{
    ("sort_0_63_len64", "VocabFrom = 0, VocabTo = 63, MaxSeqLen = 64", "Library.MakeSort(Tokens, Tokens, maxSeqLen: 64, minKey: 1)"),
    ("shuffle_dyck_len32", "\"(\", \")\", \"{\", \"}\", MaxSeqLen = 32", "Library.MakeShuffleDyck(new[] { \"()\", \"{}\" })"),
})
{
    if (args.Contains("--skip-large") && name.StartsWith("shuffle", StringComparison.Ordinal)) continue;
    var compilation = Compilation(new[] { (name + ".cs", Program(name, attribute, body)) });
    sw.Restart();
    Driver().RunGeneratorsAndUpdateCompilation(compilation, out var withModel, out var diagnostics);
    double generate = Ms(sw);
    if (diagnostics.Length > 0) throw new InvalidOperationException(string.Join("; ", diagnostics));
    long chars = withModel.SyntaxTrees.Last().Length;
    sw.Restart();
    using var stream = new MemoryStream();
    var emit = withModel.Emit(stream);
    if (!emit.Success) throw new InvalidOperationException(string.Join("; ", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
    Console.WriteLine($"generator scaled {name} generate_ms={generate:F0} source_chars={chars} csharp_emit_ms={Ms(sw):F0} assembly_bytes={stream.Length}");
}
