using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Tracr.Tests.Golden;

namespace Tracr.Integration.Tests
{
    /// <summary>
    /// One source-generated model and everything it is checked against: the <c>[RaspProgram]</c> method it came
    /// from, the same program built at run time (GoldenPrograms for a golden case, the method itself otherwise),
    /// the compiler settings, and the golden case when there is one.
    /// </summary>
    internal sealed class ModelCase
    {
        private readonly Lazy<CompiledModel> _runtime;
        private readonly Lazy<CompiledTransformer<Value, Value>> _runtimeFast;

        private ModelCase(string name, MethodInfo method, RaspProgramAttribute attribute, ICompiledTransformer generated, GoldenCase? golden)
        {
            Name = name;
            Method = method;
            Attribute = attribute;
            Generated = generated;
            Golden = golden;
            if (golden != null)
            {
                // The golden file's settings, not the attribute's: the attribute is checked against them separately.
                Program = GoldenPrograms.Build(name);
                Vocab = golden.Vocab;
                MaxSeqLen = golden.MaxSeqLen;
                Options = golden.Options();
                EvaluateCausally = golden.Causal || golden.RaspEvaluator == "causal_eval.evaluate";
            }
            else
            {
                Program = (SOp)method.Invoke(null, null)!;
                Vocab = AttributeVocab(attribute);
                MaxSeqLen = attribute.MaxSeqLen;
                Options = AttributeOptions(attribute);
                EvaluateCausally = attribute.Causal;
            }
            _runtime = new Lazy<CompiledModel>(() => RaspCompiler.Compile(Program, Vocab, MaxSeqLen, Options));
            _runtimeFast = new Lazy<CompiledTransformer<Value, Value>>(() => CompiledTransformer.From(Runtime, name));
        }

        /// <summary>The golden case's name, or the method's name for a case without a golden file.</summary>
        public string Name { get; }

        public MethodInfo Method { get; }
        public RaspProgramAttribute Attribute { get; }

        /// <summary>The model the source generator emitted for <see cref="Method"/>.</summary>
        public ICompiledTransformer Generated { get; }

        public GoldenCase? Golden { get; }

        /// <summary>The same program, built at run time.</summary>
        public SOp Program { get; }

        public IReadOnlyList<Value> Vocab { get; }
        public int MaxSeqLen { get; }
        public CompilerOptions Options { get; }

        /// <summary>The evaluator runs causally (Length is the prefix length) for causal models and Tracr's causal cases.</summary>
        public bool EvaluateCausally { get; }

        /// <summary><see cref="Program"/> compiled at run time (every stage kept; <c>Apply</c> is the reference forward pass).</summary>
        public CompiledModel Runtime => _runtime.Value;

        /// <summary><see cref="Runtime"/> wrapped like a generated model (the fast forward pass).</summary>
        public CompiledTransformer<Value, Value> RuntimeFast => _runtimeFast.Value;

        public override string ToString() => Name;

        // ------------------------------------------------------------------ the registry

        /// <summary>
        /// Golden cases the generator is expected to refuse although the run-time compiler accepts them (generator
        /// bugs; each excluded from <see cref="GoldenModels"/> with a comment naming the diagnostic). Empty: every
        /// compilable golden case is generated.
        /// </summary>
        public static readonly IReadOnlyDictionary<string, string> ExcludedGoldenCases = new Dictionary<string, string>(StringComparer.Ordinal);

        private static readonly Lazy<IReadOnlyDictionary<string, ModelCase>> All = new Lazy<IReadOnlyDictionary<string, ModelCase>>(Discover);

        public static IReadOnlyDictionary<string, ModelCase> Cases => All.Value;

        public static ModelCase Get(string name) => Cases[name];

        /// <summary>Golden cases Tracr compiles (everything but <c>unsupported_*</c>).</summary>
        public static IEnumerable<string> CompilableGoldenCases =>
            GoldenData.CaseNames.Where(n => !GoldenData.Load(n).ExpectsError);

        /// <summary>The <c>[RaspProgram]</c> methods of a class with their attribute and generated model, by method name.</summary>
        public static IEnumerable<(MethodInfo Method, RaspProgramAttribute Attribute, ICompiledTransformer Model)> ProgramsOf(Type type)
        {
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
            foreach (var method in type.GetMethods(all).OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                var attribute = method.GetCustomAttribute<RaspProgramAttribute>();
                if (attribute == null) continue;
                string propertyName = attribute.ModelName ?? (method.Name == "Program" ? "Model" : method.Name + "Model");
                var property = type.GetProperty(propertyName, all)
                    ?? throw new InvalidOperationException($"{type.Name}.{method.Name} has no generated model property {propertyName}: did the generator refuse it?");
                yield return (method, attribute, (ICompiledTransformer)property.GetValue(null)!);
            }
        }

        private static IReadOnlyDictionary<string, ModelCase> Discover()
        {
            var cases = new Dictionary<string, ModelCase>(StringComparer.Ordinal);
            var golden = new HashSet<string>(GoldenData.CaseNames, StringComparer.Ordinal);
            foreach (var (method, attribute, model) in ProgramsOf(typeof(GoldenModels)))
                cases.Add(method.Name, new ModelCase(method.Name, method, attribute, model,
                    golden.Contains(method.Name) ? GoldenData.Load(method.Name) : throw new InvalidOperationException($"GoldenModels.{method.Name} names no golden case.")));
            foreach (var type in new[] { typeof(LargerModels), typeof(BeyondTracrModels) })
                foreach (var (method, attribute, model) in ProgramsOf(type))
                    cases.Add(method.Name, new ModelCase(method.Name, method, attribute, model, null));
            return cases;
        }

        /// <summary>The vocab an attribute declares: its constants, or the <c>VocabFrom..VocabTo</c> range.</summary>
        public static Value[] AttributeVocab(RaspProgramAttribute a) =>
            a.Vocab.Length > 0
                ? a.Vocab.Select(Value.From).ToArray()
                : Enumerable.Range(a.VocabFrom, a.VocabTo - a.VocabFrom + 1).Select(i => Value.FromInt(i)).ToArray();

        public static CompilerOptions AttributeOptions(RaspProgramAttribute a) => new CompilerOptions
        {
            Causal = a.Causal,
            CompilerBos = a.CompilerBos,
            CompilerPad = a.CompilerPad,
            MlpExactness = a.MlpExactness,
            SoftmaxColdness = a.SoftmaxColdness,
            MaxValueSetSize = a.MaxValueSetSize,
            MaxNumericalValueSetSize = a.MaxNumericalValueSetSize,
        };
    }
}
