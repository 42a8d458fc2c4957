using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Tests.Golden;
using static Tracr.Rasp;

namespace Tracr.Export.Tests
{
    /// <summary>A model to export and the inputs to check it on.</summary>
    public sealed class ExportCase
    {
        public ExportCase(string name, CompiledModel model, IReadOnlyList<Value[]> inputs)
        {
            Name = name;
            Model = model;
            Inputs = inputs;
        }

        public string Name { get; }
        public CompiledModel Model { get; }
        public IReadOnlyList<Value[]> Inputs { get; }

        public override string ToString() => Name;
    }

    /// <summary>
    /// Every golden case that compiles (its program from GoldenPrograms, its inputs from the golden samples), and
    /// library programs compiled here with their own inputs, which need no golden data.
    /// </summary>
    public static class ExportCases
    {
        private static readonly Lazy<IReadOnlyList<ExportCase>> AllCases = new Lazy<IReadOnlyList<ExportCase>>(Build);

        public static IReadOnlyList<ExportCase> All => AllCases.Value;

        public static IEnumerable<object[]> Names => All.Select(c => new object[] { c.Name });

        public static ExportCase Get(string name) => All.Single(c => c.Name == name);

        private static IReadOnlyList<ExportCase> Build()
        {
            var cases = new List<ExportCase>();
            foreach (var name in GoldenData.CaseNames)
            {
                var golden = GoldenData.Load(name);
                if (golden.ExpectsError || !GoldenPrograms.Known.Contains(name)) continue;
                var model = GoldenPrograms.Get(name).Compile();
                // The longest samples exercise every position; a handful keeps the suite quick.
                var inputs = golden.Samples.Select(s => s.Input).OrderByDescending(i => i.Length).Take(4).ToList();
                cases.Add(new ExportCase(name, model, inputs));
            }
            cases.Add(Library("library_reverse", Tracr.Library.MakeReverse(Tokens), "abcd", 6, "dcbaab", "a", ""));
            cases.Add(Library("library_hist", Tracr.Library.MakeHist(), "abc", 5, "abcab", "ccc"));
            cases.Add(Library("library_frac_prevs", Tracr.Library.MakeFracPrevs(Tokens == "a"), "ab", 5, "abbaa", "b"));
            cases.Add(Library("library_sort_causal", Tracr.Library.MakeSortUnique(Tokens, Tokens), "abcd", 4, "dbca", "ba", causal: true));
            return cases;
        }

        private static ExportCase Library(string name, SOp program, string vocab, int maxSeqLen, string input1, string input2, string? input3 = null, bool causal = false)
        {
            var model = RaspCompiler.Compile(program, vocab.Select(c => (Value)c.ToString()), maxSeqLen, new CompilerOptions { Causal = causal });
            var inputs = new[] { input1, input2, input3 }.Where(s => s != null).Select(s => s!.Select(c => (Value)c.ToString()).ToArray()).ToList();
            return new ExportCase(name, model, inputs);
        }
    }
}
