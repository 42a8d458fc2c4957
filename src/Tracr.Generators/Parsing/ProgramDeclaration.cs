using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Tracr.Generators.Model;

namespace Tracr.Generators.Parsing
{
    /// <summary>The C# type of a program's tokens, decided by its vocabulary's constants.</summary>
    internal enum TokenType { Int, String, Char, Bool, Double, Value }

    /// <summary>The compiler settings of one program, as equatable data.</summary>
    internal sealed record ProgramOptions(
        EquatableArray<ValueData> Vocab,
        TokenType TokenType,
        int MaxSeqLen,
        bool Causal,
        string CompilerBos,
        string CompilerPad,
        double MlpExactness,
        double SoftmaxColdness,
        int MaxValueSetSize,
        int MaxNumericalValueSetSize)
    {
        public CompilerOptions ToCompilerOptions() => new CompilerOptions
        {
            Causal = Causal,
            CompilerBos = CompilerBos,
            CompilerPad = CompilerPad,
            MlpExactness = MlpExactness,
            SoftmaxColdness = SoftmaxColdness,
            MaxValueSetSize = MaxValueSetSize,
            MaxNumericalValueSetSize = MaxNumericalValueSetSize,
        };
    }

    /// <summary>A usable [RaspProgram] declaration: its options and the name of the model property to generate.</summary>
    internal sealed record ProgramDeclaration(ProgramOptions Options, string ModelName);

    /// <summary>
    /// Reads and checks a [RaspProgram] method and its attribute (TRACR001-TRACR011). Shared by the analyzer,
    /// which reports the problems as you type, and the generator, which skips unusable declarations.
    /// </summary>
    internal static class ProgramDeclarationReader
    {
        public const string AttributeMetadataName = "Tracr.RaspProgramAttribute";

        /// <summary>The model property's name: <c>Model</c> for a method named <c>Program</c>, else <c>&lt;Method&gt;Model</c>.</summary>
        public static string DefaultModelName(string methodName) => methodName == "Program" ? "Model" : methodName + "Model";

        /// <summary>The declaration, or null when it cannot be generated (every problem is added to <paramref name="problems"/>).</summary>
        public static ProgramDeclaration? Read(IMethodSymbol method, AttributeData attribute, List<DiagnosticInfo> problems, CancellationToken cancellationToken)
        {
            int before = problems.Count;
            var methodLocation = LocationInfo.From(method.Locations.FirstOrDefault());
            var attributeLocation = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? methodLocation;
            string methodName = method.Name;

            CheckMethod(method, methodLocation, problems, cancellationToken);

            // ---- named arguments ----
            var named = attribute.NamedArguments.ToDictionary(kv => kv.Key, kv => kv.Value);
            T Get<T>(string name, T fallback) => named.TryGetValue(name, out var c) && c.Value is T v ? v : fallback;
            LocationInfo? ArgumentLocation(string name) => NamedArgumentLocation(attribute, name, cancellationToken) ?? attributeLocation;

            int maxSeqLen = Get("MaxSeqLen", 0);
            if (maxSeqLen < 1)
                problems.Add(DiagnosticInfo.Create(Descriptors.BadMaxSeqLen, named.ContainsKey("MaxSeqLen") ? ArgumentLocation("MaxSeqLen") : attributeLocation, methodName, maxSeqLen));

            double mlpExactness = Get("MlpExactness", 100.0), softmaxColdness = Get("SoftmaxColdness", 100.0);
            int maxValueSetSize = Get("MaxValueSetSize", 20000), maxNumerical = Get("MaxNumericalValueSetSize", 250000);
            void Positive(string name, double value)
            {
                if (!(value > 0) || double.IsInfinity(value))
                    problems.Add(DiagnosticInfo.Create(Descriptors.BadOption, ArgumentLocation(name), name, value.ToString(CultureInfo.InvariantCulture), "it must be a finite number greater than 0"));
            }
            Positive("MlpExactness", mlpExactness);
            Positive("SoftmaxColdness", softmaxColdness);
            Positive("MaxValueSetSize", maxValueSetSize);
            Positive("MaxNumericalValueSetSize", maxNumerical);

            string bos = Get("CompilerBos", "compiler_bos"), pad = Get("CompilerPad", "compiler_pad");
            if (string.IsNullOrEmpty(bos)) problems.Add(DiagnosticInfo.Create(Descriptors.BadOption, ArgumentLocation("CompilerBos"), "CompilerBos", "\"\"", "the BOS token must be a non-empty string"));
            if (string.IsNullOrEmpty(pad)) problems.Add(DiagnosticInfo.Create(Descriptors.BadOption, ArgumentLocation("CompilerPad"), "CompilerPad", "\"\"", "the PAD token must be a non-empty string"));
            if (!string.IsNullOrEmpty(bos) && bos == pad)
                problems.Add(DiagnosticInfo.Create(Descriptors.ReservedToken, ArgumentLocation("CompilerPad"), "'" + pad + "'", "BOS"));

            // ---- vocabulary ----
            var (vocab, tokenType) = ReadVocab(attribute, named, methodName, attributeLocation, ArgumentLocation, problems, cancellationToken);
            if (vocab != null)
            {
                foreach (var token in new[] { ("BOS", bos), ("PAD", pad) })
                {
                    if (!string.IsNullOrEmpty(token.Item2) && vocab.Contains(Value.FromString(token.Item2)))
                        problems.Add(DiagnosticInfo.Create(Descriptors.ReservedToken, attributeLocation, Value.FromString(token.Item2).Repr(), token.Item1));
                }
            }

            // ---- model name ----
            string modelName = Get<string?>("ModelName", null) ?? DefaultModelName(methodName);
            var nameLocation = named.ContainsKey("ModelName") ? ArgumentLocation("ModelName") : methodLocation;
            if (!SyntaxFacts.IsValidIdentifier(modelName) || SyntaxFacts.GetKeywordKind(modelName) != SyntaxKind.None)
                problems.Add(DiagnosticInfo.Create(Descriptors.ModelNameConflict, nameLocation, methodName, modelName, "is not a valid C# identifier"));
            else
            {
                var type = method.ContainingType;
                if (type.Name == modelName)
                    problems.Add(DiagnosticInfo.Create(Descriptors.ModelNameConflict, nameLocation, methodName, modelName, $"is the name of the type '{type.Name}'"));
                else if (type.GetMembers(modelName).Any(m => !m.IsImplicitlyDeclared && !IsGenerated(m)))
                    problems.Add(DiagnosticInfo.Create(Descriptors.ModelNameConflict, nameLocation, methodName, modelName, $"is already a member of '{type.Name}'"));
                else if (type.GetMembers().OfType<IMethodSymbol>().Any(other => !SymbolEqualityComparer.Default.Equals(other, method) && ModelNameOf(other) == modelName))
                    problems.Add(DiagnosticInfo.Create(Descriptors.ModelNameConflict, nameLocation, methodName, modelName, "is also the model name of another RASP program in this type"));
            }

            if (problems.Count > before || vocab is null) return null;
            return new ProgramDeclaration(
                new ProgramOptions(vocab.Select(v => new ValueData(v)).ToEquatableArray(), tokenType, maxSeqLen, Get("Causal", false), bos, pad,
                    mlpExactness, softmaxColdness, maxValueSetSize, maxNumerical),
                modelName);
        }

        private static void CheckMethod(IMethodSymbol method, LocationInfo? location, List<DiagnosticInfo> problems, CancellationToken cancellationToken)
        {
            if (!method.IsStatic) problems.Add(DiagnosticInfo.Create(Descriptors.MethodNotStatic, location, method.Name));
            if (method.Parameters.Length > 0)
                problems.Add(DiagnosticInfo.Create(Descriptors.MethodHasParameters, LocationInfo.From(method.Parameters[0].Locations.FirstOrDefault()) ?? location, method.Name));
            if (!IsSOp(method.ReturnType))
                problems.Add(DiagnosticInfo.Create(Descriptors.MethodReturnType, ReturnTypeLocation(method, cancellationToken) ?? location, method.Name,
                    method.ReturnType.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
            bool generic = method.IsGenericMethod;
            for (var t = method.ContainingType; t != null; t = t.ContainingType) generic |= t.IsGenericType;
            if (generic) problems.Add(DiagnosticInfo.Create(Descriptors.GenericNotSupported, location, method.Name));
            for (var t = method.ContainingType; t != null; t = t.ContainingType)
            {
                bool isPartial = t.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax d && d.Modifiers.Any(SyntaxKind.PartialKeyword));
                if (!isPartial)
                    problems.Add(DiagnosticInfo.Create(Descriptors.TypeNotPartial, LocationInfo.From(t.Locations.FirstOrDefault()) ?? location, t.Name, ModelNameOf(method) ?? DefaultModelName(method.Name)));
            }
        }

        private static (List<Value>? Vocab, TokenType Type) ReadVocab(AttributeData attribute, Dictionary<string, TypedConstant> named, string methodName,
            LocationInfo? attributeLocation, Func<string, LocationInfo?> argumentLocation, List<DiagnosticInfo> problems, CancellationToken cancellationToken)
        {
            var listed = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array
                ? attribute.ConstructorArguments[0].Values
                : System.Collections.Immutable.ImmutableArray<TypedConstant>.Empty;
            bool hasRange = named.ContainsKey("VocabFrom") || named.ContainsKey("VocabTo");
            if (hasRange)
            {
                if (listed.Length > 0)
                {
                    problems.Add(DiagnosticInfo.Create(Descriptors.BadVocabEntry, attributeLocation, methodName, "give either the tokens or VocabFrom/VocabTo, not both"));
                    return (null, TokenType.Value);
                }
                int from = named.TryGetValue("VocabFrom", out var f) && f.Value is int fi ? fi : 0;
                int to = named.TryGetValue("VocabTo", out var t) && t.Value is int ti ? ti : 0;
                if (from > to)
                {
                    problems.Add(DiagnosticInfo.Create(Descriptors.BadVocabEntry, argumentLocation("VocabTo"), methodName, $"VocabFrom ({from}) is greater than VocabTo ({to})"));
                    return (null, TokenType.Value);
                }
                if ((long)to - from + 1 > 100_000)
                {
                    problems.Add(DiagnosticInfo.Create(Descriptors.BadVocabEntry, argumentLocation("VocabTo"), methodName, $"{(long)to - from + 1} tokens is more than the 100,000 supported"));
                    return (null, TokenType.Value);
                }
                return (Enumerable.Range(from, to - from + 1).Select(i => Value.FromInt(i)).ToList(), TokenType.Int);
            }

            if (listed.Length == 0)
            {
                problems.Add(DiagnosticInfo.Create(Descriptors.EmptyVocab, attributeLocation, methodName));
                return (null, TokenType.Value);
            }

            var argumentSyntax = (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.ArgumentList?.Arguments
                .Where(a => a.NameEquals is null && a.NameColon is null).ToArray();
            LocationInfo? EntryLocation(int i) => argumentSyntax != null && i < argumentSyntax.Length ? LocationInfo.From(argumentSyntax[i]) ?? attributeLocation : attributeLocation;

            var values = new List<Value>();
            var kinds = new HashSet<TokenType>();
            bool ok = true;
            for (int i = 0; i < listed.Length; i++)
            {
                var constant = listed[i];
                Value? value = constant.Value switch
                {
                    int n => Value.FromInt(n),
                    long n => Value.FromInt(n),
                    string s => Value.FromString(s),
                    char c => Value.FromString(c.ToString()),
                    bool b => Value.FromBool(b),
                    double d when !double.IsNaN(d) && !double.IsInfinity(d) => Value.FromFloat(d),
                    _ => (Value?)null,
                };
                if (value is null)
                {
                    string what = constant.IsNull ? "null" : constant.Value?.GetType().Name ?? "?";
                    problems.Add(DiagnosticInfo.Create(Descriptors.BadVocabEntry, EntryLocation(i), methodName, $"token {i} is {what}; tokens must be int, string, char, bool or finite double constants"));
                    ok = false;
                    continue;
                }
                if (values.Contains(value.Value))
                {
                    problems.Add(DiagnosticInfo.Create(Descriptors.BadVocabEntry, EntryLocation(i), methodName, $"the token {value.Value.Repr()} is listed twice (tokens equal as RASP values, like 1 and 1.0, count as the same)"));
                    ok = false;
                    continue;
                }
                values.Add(value.Value);
                kinds.Add(constant.Value switch { int _ => TokenType.Int, long _ => TokenType.Int, string _ => TokenType.String, char _ => TokenType.Char, bool _ => TokenType.Bool, _ => TokenType.Double });
            }
            if (!ok) return (null, TokenType.Value);
            return (values, kinds.Count == 1 ? kinds.Single() : TokenType.Value);
        }

        private static bool IsSOp(ITypeSymbol type)
        {
            for (var t = type; t != null; t = t.BaseType)
                if (t.Name == "SOp" && t.ContainingNamespace?.ToDisplayString() == "Tracr") return true;
            return false;
        }

        private static string? ModelNameOf(IMethodSymbol method)
        {
            var attribute = method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == AttributeMetadataName);
            if (attribute is null) return null;
            var named = attribute.NamedArguments.FirstOrDefault(kv => kv.Key == "ModelName");
            return named.Value.Value as string ?? DefaultModelName(method.Name);
        }

        // The generator's own output (from an earlier run in the IDE) is not a conflict.
        private static bool IsGenerated(ISymbol member) =>
            member.DeclaringSyntaxReferences.All(r => r.SyntaxTree.FilePath.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase));

        private static LocationInfo? NamedArgumentLocation(AttributeData attribute, string name, CancellationToken cancellationToken) =>
            (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.ArgumentList?.Arguments
                .Where(a => a.NameEquals?.Name.Identifier.ValueText == name)
                .Select(a => LocationInfo.From(a))
                .FirstOrDefault();

        private static LocationInfo? ReturnTypeLocation(IMethodSymbol method, CancellationToken cancellationToken) =>
            method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>()
                .Select(m => LocationInfo.From(m.ReturnType)).FirstOrDefault();
    }
}
