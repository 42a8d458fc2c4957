using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Tracr.Generators.Model;

namespace Tracr.Generators.Parsing
{
    /// <summary>
    /// The C# type of a program's tokens, decided by its vocabulary's constants: all <c>int</c> (or a
    /// <c>VocabFrom</c>/<c>VocabTo</c> range) is <see cref="Int"/>, all <c>string</c> <see cref="String"/>, all
    /// <c>char</c> <see cref="Char"/> (stored as one-character string values), all <c>bool</c> <see cref="Bool"/>,
    /// all <c>double</c> <see cref="Double"/>; a mix is <see cref="Value"/>.
    /// </summary>
    internal enum TokenType { Int, String, Char, Bool, Double, Value }

    /// <summary>The compiler settings of one program, as equatable data (no symbols, no syntax).</summary>
    /// <param name="Vocab">The tokens in the order written (the compiler sorts them).</param>
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
        int MaxNumericalValueSetSize,
        long MaxValueSetProduct,
        long MaxWeights)
    {
        /// <summary>The settings as the compiler takes them (the vocab and MaxSeqLen are passed separately).</summary>
        public CompilerOptions ToCompilerOptions() => new CompilerOptions
        {
            Causal = Causal,
            CompilerBos = CompilerBos,
            CompilerPad = CompilerPad,
            MlpExactness = MlpExactness,
            SoftmaxColdness = SoftmaxColdness,
            MaxValueSetSize = MaxValueSetSize,
            MaxNumericalValueSetSize = MaxNumericalValueSetSize,
            MaxValueSetProduct = MaxValueSetProduct,
            MaxWeights = MaxWeights,
        };
    }

    /// <summary>A usable <c>[RaspProgram]</c> declaration: its options and the name of the model property to generate.</summary>
    internal sealed record ProgramDeclaration(ProgramOptions Options, string ModelName);

    /// <summary>
    /// Reads and checks a <c>[RaspProgram]</c> method and its attribute (TRACR001-TRACR011). Shared by the analyzer,
    /// which reports the problems as you type, and the generator, which skips declarations it cannot generate.
    /// A pure function of the symbols (and their syntax, for locations): no semantic model, nothing kept.
    /// </summary>
    internal static class ProgramDeclarationReader
    {
        public const string AttributeMetadataName = "Tracr.RaspProgramAttribute";

        /// <summary>The most tokens a <c>VocabFrom</c>/<c>VocabTo</c> range may hold (one residual dimension each).</summary>
        public const int MaxRangeTokens = 100_000;


        /// <summary>How the diagnostics name a program method: its containing types and name, e.g. <c>Outer.Reverse.Program</c>.</summary>
        private static readonly SymbolDisplayFormat TypeFormat = new SymbolDisplayFormat(
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

        /// <summary>The model property's name: <c>Model</c> for a method named <c>Program</c>, else <c>&lt;Method&gt;Model</c>.</summary>
        public static string DefaultModelName(string methodName) => methodName == "Program" ? "Model" : methodName + "Model";

        /// <summary>Whether <paramref name="type"/> is <c>Tracr.RaspProgramAttribute</c> (compared by metadata name).</summary>
        public static bool IsRaspProgramAttribute(INamedTypeSymbol? type) =>
            type != null && type.Name == "RaspProgramAttribute" && type.ContainingType is null && IsNamespace(type.ContainingNamespace, "Tracr");

        /// <summary>
        /// Checks the method and its attribute. Returns null when the program cannot be generated, after adding every
        /// usage problem (TRACR001-TRACR011) to <paramref name="problems"/> at the smallest useful location. Also returns
        /// null, adding nothing, when the attribute itself does not compile (the C# compiler reports that).
        /// </summary>
        public static ProgramDeclaration? Read(IMethodSymbol method, AttributeData attribute, List<DiagnosticInfo> problems, CancellationToken cancellationToken)
        {
            var reader = new Reader(method, attribute, problems, cancellationToken);
            return reader.Read();
        }

        /// <summary>The model name a [RaspProgram] method asks for: its <c>ModelName</c>, or the default (whether or not it is usable).</summary>
        private static string RequestedModelName(IMethodSymbol method, AttributeData attribute)
        {
            foreach (var pair in attribute.NamedArguments)
                if (pair.Key == "ModelName" && pair.Value.Kind == TypedConstantKind.Primitive && pair.Value.Value is string name)
                    return name;
            return DefaultModelName(method.Name);
        }

        private static bool IsNamespace(INamespaceSymbol? ns, string name) =>
            ns != null && ns.Name == name && ns.ContainingNamespace != null && ns.ContainingNamespace.IsGlobalNamespace;

        /// <summary>Tracr.SOp or a subclass (compared by metadata name: the generator carries its own copy of the DSL).</summary>
        private static bool IsSOp(ITypeSymbol type)
        {
            for (var t = type as INamedTypeSymbol; t != null; t = t.BaseType)
                if (t.Name == "SOp" && t.ContainingType is null && IsNamespace(t.ContainingNamespace, "Tracr")) return true;
            return false;
        }

        private static bool IsValidIdentifier(string name) =>
            SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None;

        /// <summary>
        /// The generator's own output (seen by the analyzer in the IDE and in a build): the one static property it emits
        /// per program, in a source the Tracr generator added (Roslyn names generated trees
        /// <c>Tracr.Generators/&lt;generator type&gt;/&lt;hint name&gt;</c>) or tagged <c>[GeneratedCode("Tracr.Generators", ...)]</c>.
        /// </summary>
        private static bool IsEmittedByGenerator(ISymbol member)
        {
            if (!(member is IPropertySymbol property) || !property.IsStatic || property.DeclaringSyntaxReferences.IsEmpty) return false;
            if (property.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.CodeDom.Compiler.GeneratedCodeAttribute" &&
                                                  a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value as string == "Tracr.Generators"))
                return true;
            return property.DeclaringSyntaxReferences.All(r => IsGeneratorOutputPath(r.SyntaxTree.FilePath));
        }

        private static bool IsGeneratorOutputPath(string path)
        {
            var parts = path.Split('/', '\\');
            for (int i = 0; i + 1 < parts.Length; i++)
                if (parts[i] == "Tracr.Generators" && parts[i + 1].StartsWith("Tracr.Generators.", StringComparison.Ordinal))
                    return true;
            return false;
        }

        private static string Repr(Value value) => value.Repr();

        /// <summary>One Read: the method, its attribute's syntax and the problems found so far.</summary>
        private sealed class Reader
        {
            private readonly IMethodSymbol _method;
            private readonly AttributeData _attribute;
            private readonly List<DiagnosticInfo> _problems;
            private readonly CancellationToken _cancellationToken;
            private readonly AttributeSyntax? _syntax;
            private readonly string _programName;
            private readonly Dictionary<string, TypedConstant> _named = new Dictionary<string, TypedConstant>(StringComparer.Ordinal);
            private bool _broken;

            public Reader(IMethodSymbol method, AttributeData attribute, List<DiagnosticInfo> problems, CancellationToken cancellationToken)
            {
                _method = method;
                _attribute = attribute;
                _problems = problems;
                _cancellationToken = cancellationToken;
                _syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
                _programName = method.ContainingType is null ? method.Name : method.ContainingType.ToDisplayString(TypeFormat) + "." + method.Name;
                foreach (var pair in attribute.NamedArguments) _named[pair.Key] = pair.Value;
            }

            public ProgramDeclaration? Read()
            {
                int before = _problems.Count;
                // An attribute that does not bind (wrong argument types, unknown names) is the C# compiler's to report.
                _broken = _attribute.AttributeConstructor is null
                          || _attribute.ConstructorArguments.Any(c => c.Kind == TypedConstantKind.Error)
                          || _attribute.NamedArguments.Any(p => p.Value.Kind == TypedConstantKind.Error);

                string modelName = RequestedModelName(_method, _attribute);
                CheckMethod(modelName);
                if (_broken) return null;

                var vocab = ReadVocab(out var tokenType);
                int maxSeqLen = ReadMaxSeqLen();
                bool causal = Named("Causal")?.Value is bool b && b;
                // Defaults from CompilerDefaults, as the attribute and CompilerOptions read them.
                double mlpExactness = ReadPositiveDouble("MlpExactness", CompilerDefaults.MlpExactness);
                double softmaxColdness = ReadPositiveDouble("SoftmaxColdness", CompilerDefaults.SoftmaxColdness);
                int maxValueSetSize = (int)ReadPositiveInteger("MaxValueSetSize", CompilerDefaults.MaxValueSetSize);
                int maxNumericalValueSetSize = (int)ReadPositiveInteger("MaxNumericalValueSetSize", CompilerDefaults.MaxNumericalValueSetSize);
                long maxValueSetProduct = ReadPositiveInteger("MaxValueSetProduct", CompilerDefaults.MaxValueSetProduct);
                long maxWeights = ReadPositiveInteger("MaxWeights", CompilerDefaults.MaxWeights);
                var (bos, pad) = ReadSpecialTokens(vocab);
                CheckModelName(modelName);

                if (_problems.Count > before || vocab is null || bos is null || pad is null) return null;
                var options = new ProgramOptions(vocab.Select(v => new ValueData(v.Value)).ToEquatableArray(), tokenType, maxSeqLen, causal, bos, pad,
                    mlpExactness, softmaxColdness, maxValueSetSize, maxNumericalValueSetSize, maxValueSetProduct, maxWeights);
                return new ProgramDeclaration(options, modelName);
            }

            // ---------------------------------------------------------------- the method

            private void CheckMethod(string modelName)
            {
                var declaration = _method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_cancellationToken)).FirstOrDefault();
                var identifier = LocationInfo.From(_method.Locations.FirstOrDefault()) ?? Location(declaration);

                if (_method.MethodKind != MethodKind.Ordinary)
                    Report(Descriptors.MethodNotStatic, identifier, _programName,
                        "an ordinary static method of a class, struct, record or interface (not a local function, lambda, accessor or operator)");
                else if (!_method.IsStatic)
                    Report(Descriptors.MethodNotStatic, identifier, _programName, "static");

                for (var type = _method.ContainingType; type != null; type = type.ContainingType)
                {
                    // Every declaration of the type needs `partial` for the generator's part to join it; name the first one without.
                    var notPartial = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_cancellationToken))
                        .FirstOrDefault(s => !(s is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword)));
                    if (notPartial != null || type.DeclaringSyntaxReferences.IsEmpty)
                    {
                        var location = notPartial is BaseTypeDeclarationSyntax t ? LocationInfo.From(t.Identifier) : Location(notPartial);
                        Report(Descriptors.TypeNotPartial, location ?? identifier, type.ToDisplayString(TypeFormat), modelName);
                    }
                }

                // The generator adds a part to the program's types: a file type cannot take a part from another file.
                for (var type = _method.ContainingType; type != null; type = type.ContainingType)
                {
                    if (!type.IsFileLocal) continue;
                    Report(Descriptors.FileLocalType, identifier, _programName, type.ToDisplayString(TypeFormat));
                    break;
                }

                if (_method.IsPartialDefinition || _method.PartialDefinitionPart != null || _method.PartialImplementationPart != null
                    || (declaration is MethodDeclarationSyntax { } partial && partial.Modifiers.Any(SyntaxKind.PartialKeyword)))
                    Report(Descriptors.PartialMethod, identifier, _programName);

                if (_method.IsExtern)
                    Report(Descriptors.ExternMethod, identifier, _programName);

                if (_method.Parameters.Length > 0)
                {
                    var parameters = ParameterListOf(declaration)?.Parameters;
                    var location = parameters is { Count: > 0 } list
                        ? Location(list[0].SyntaxTree, TextSpan.FromBounds(list[0].SpanStart, list[list.Count - 1].Span.End))
                        : identifier;
                    Report(Descriptors.MethodHasParameters, location, _programName);
                }

                if (_method.ReturnType.TypeKind == TypeKind.Error)
                    _broken = true; // an unknown return type (say, a missing using): the compiler's error, not ours
                else if (_method.ReturnsVoid || _method.ReturnsByRef || _method.ReturnsByRefReadonly || !IsSOp(_method.ReturnType))
                    Report(Descriptors.MethodReturnType, Location(ReturnTypeOf(declaration)) ?? identifier, _programName,
                        _method.ReturnType.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat));

                if (_method.IsGenericMethod)
                    Report(Descriptors.GenericNotSupported, Location(TypeParametersOf(declaration)) ?? identifier, _programName);
                else
                {
                    for (var type = _method.ContainingType; type != null; type = type.ContainingType)
                    {
                        if (type.TypeParameters.Length == 0) continue;
                        Report(Descriptors.GenericNotSupported, identifier, _programName);
                        break;
                    }
                }
            }

            private static ParameterListSyntax? ParameterListOf(SyntaxNode? declaration) => declaration switch
            {
                BaseMethodDeclarationSyntax m => m.ParameterList,
                LocalFunctionStatementSyntax f => f.ParameterList,
                ParenthesizedLambdaExpressionSyntax l => l.ParameterList,
                _ => null,
            };

            private static SyntaxNode? ReturnTypeOf(SyntaxNode? declaration) => declaration switch
            {
                MethodDeclarationSyntax m => m.ReturnType,
                LocalFunctionStatementSyntax f => f.ReturnType,
                ParenthesizedLambdaExpressionSyntax l => l.ReturnType,
                OperatorDeclarationSyntax o => o.ReturnType,
                _ => null,
            };

            private static SyntaxNode? TypeParametersOf(SyntaxNode? declaration) => declaration switch
            {
                MethodDeclarationSyntax m => m.TypeParameterList,
                LocalFunctionStatementSyntax f => f.TypeParameterList,
                _ => null,
            };

            // ---------------------------------------------------------------- the vocabulary

            private List<(Value Value, LocationInfo? Location)>? ReadVocab(out TokenType tokenType)
            {
                tokenType = TokenType.Value;
                var from = Named("VocabFrom");
                var to = Named("VocabTo");
                var elements = ImmutableArray<TypedConstant>.Empty;
                if (_attribute.ConstructorArguments.Length == 1 && _attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array)
                {
                    var listed = _attribute.ConstructorArguments[0];
                    if (listed.IsNull)
                    {
                        Report(Descriptors.BadVocabEntry, VocabElementLocation(0, 1), _programName, "the token list is null");
                        return null;
                    }
                    elements = listed.Values;
                }

                if (from != null || to != null)
                {
                    if (elements.Length > 0)
                    {
                        Report(Descriptors.BadVocabEntry, NamedLocation(from != null ? "VocabFrom" : "VocabTo"), _programName,
                            "give the tokens either as a list or as VocabFrom/VocabTo, not both");
                        return null;
                    }
                    if (from is null || to is null)
                    {
                        string set = from != null ? "VocabFrom" : "VocabTo", missing = from != null ? "VocabTo" : "VocabFrom";
                        Report(Descriptors.BadVocabEntry, NamedLocation(set), _programName, $"{set} is set but {missing} is not; set both (the range is inclusive)");
                        return null;
                    }
                    int first = from.Value.Value is int f ? f : 0, last = to.Value.Value is int l ? l : 0;
                    if (first > last)
                    {
                        Report(Descriptors.BadVocabEntry, NamedLocation("VocabTo"), _programName, $"VocabFrom ({first}) is greater than VocabTo ({last})");
                        return null;
                    }
                    long count = (long)last - first + 1;
                    if (count > MaxRangeTokens)
                    {
                        Report(Descriptors.BadVocabEntry, NamedLocation("VocabTo"), _programName,
                            $"VocabFrom..VocabTo holds {count.ToString(CultureInfo.InvariantCulture)} tokens, more than the {MaxRangeTokens.ToString("N0", CultureInfo.InvariantCulture)} supported");
                        return null;
                    }
                    tokenType = TokenType.Int;
                    var range = new List<(Value, LocationInfo?)>((int)count);
                    for (long i = first; i <= last; i++) range.Add((Value.FromInt(i), null));
                    return range;
                }

                if (elements.Length == 0)
                {
                    Report(Descriptors.EmptyVocab, Location(_syntax?.Name) ?? Location(_syntax), _programName);
                    return null;
                }

                var tokens = new List<(Value Value, LocationInfo? Location)>(elements.Length);
                var kinds = new HashSet<TokenType>();
                bool ok = true;
                for (int i = 0; i < elements.Length; i++)
                {
                    var element = elements[i];
                    var location = VocabElementLocation(i, elements.Length);
                    var (value, kind, problem) = Token(element);
                    if (problem != null)
                    {
                        Report(Descriptors.BadVocabEntry, location, _programName, problem);
                        ok = false;
                        continue;
                    }
                    // Tokens are RASP values, equal as in Python: 1, 1.0 and true are one token, so is 'a' with "a".
                    int earlier = tokens.FindIndex(t => t.Value.Equals(value));
                    if (earlier >= 0)
                    {
                        var other = tokens[earlier].Value;
                        Report(Descriptors.BadVocabEntry, location, _programName, Repr(other) == Repr(value)
                            ? $"the token {Repr(value)} is listed more than once"
                            : $"the token {Repr(value)} is the same RASP value as the token {Repr(other)} (values compare as in Python)");
                        ok = false;
                        continue;
                    }
                    tokens.Add((value, location));
                    kinds.Add(kind);
                }
                if (!ok) return null;
                tokenType = kinds.Count == 1 ? kinds.First() : TokenType.Value;
                return tokens;
            }

            private static (Value Value, TokenType Kind, string? Problem) Token(TypedConstant constant)
            {
                if (constant.IsNull) return (default, default, "null is not a token");
                if (constant.Kind == TypedConstantKind.Primitive)
                {
                    switch (constant.Value)
                    {
                        case int i: return (Value.FromInt(i), TokenType.Int, null);
                        case string s: return (Value.FromString(s), TokenType.String, null);
                        case char c: return (Value.FromString(c.ToString()), TokenType.Char, null);
                        case bool b: return (Value.FromBool(b), TokenType.Bool, null);
                        case double d when double.IsNaN(d) || double.IsInfinity(d):
                            return (default, default, $"the token {d.ToString("R", CultureInfo.InvariantCulture)} is not a finite number");
                        case double d: return (Value.FromFloat(d), TokenType.Double, null);
                    }
                }
                string type = constant.Type?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) ?? constant.Kind.ToString();
                return (default, default, $"a token of type '{type}' is not supported (tokens are int, string, char, bool or double constants)");
            }

            /// <summary>
            /// Where vocab element <paramref name="index"/> is written: an element of an explicit array
            /// (<c>new object[] { ... }</c>, <c>new[] { ... }</c>, <c>[ ... ]</c>), else the positional argument (params form).
            /// </summary>
            private LocationInfo? VocabElementLocation(int index, int count)
            {
                var positional = _syntax?.ArgumentList?.Arguments.Where(a => a.NameEquals is null).ToList();
                if (positional is null || positional.Count == 0) return Location(_syntax);
                if (positional.Count == 1)
                {
                    IReadOnlyList<SyntaxNode>? items = positional[0].Expression switch
                    {
                        ArrayCreationExpressionSyntax a => a.Initializer?.Expressions,
                        ImplicitArrayCreationExpressionSyntax a => a.Initializer.Expressions,
                        CollectionExpressionSyntax c => c.Elements,
                        _ => null,
                    };
                    if (items != null && items.Count == count) return Location(items[index]);
                }
                return index < positional.Count && positional.Count == count ? Location(positional[index]) : Location(positional[0]);
            }

            // ---------------------------------------------------------------- options

            private int ReadMaxSeqLen()
            {
                var constant = Named("MaxSeqLen");
                if (constant is null)
                {
                    Report(Descriptors.BadMaxSeqLen, Location(_syntax?.Name) ?? Location(_syntax), _programName, "not set");
                    return 0;
                }
                int value = constant.Value.Value is int n ? n : 0;
                if (value < 1) Report(Descriptors.BadMaxSeqLen, NamedLocation("MaxSeqLen"), _programName, value.ToString(CultureInfo.InvariantCulture));
                return value;
            }

            private double ReadPositiveDouble(string name, double fallback)
            {
                var constant = Named(name);
                if (constant is null) return fallback;
                double value = constant.Value.Value is double d ? d : Convert.ToDouble(constant.Value.Value, CultureInfo.InvariantCulture);
                if (!(value > 0) || double.IsInfinity(value))
                    Report(Descriptors.BadOption, NamedLocation(name), name, value.ToString("R", CultureInfo.InvariantCulture), "it must be a finite number greater than 0");
                return value;
            }

            /// <summary>An int or long option (the attribute declares the limits' types).</summary>
            private long ReadPositiveInteger(string name, long fallback)
            {
                var constant = Named(name);
                if (constant is null) return fallback;
                long value = constant.Value.Value switch { int n => n, long n => n, _ => 0 };
                if (value < 1)
                    Report(Descriptors.BadOption, NamedLocation(name), name, value.ToString(CultureInfo.InvariantCulture), "it must be at least 1");
                return value;
            }

            /// <summary>BOS and PAD: non-empty strings, different from each other and from every token (as RASP values).</summary>
            private (string? Bos, string? Pad) ReadSpecialTokens(List<(Value Value, LocationInfo? Location)>? vocab)
            {
                string? ReadToken(string name, string fallback)
                {
                    var constant = Named(name);
                    if (constant is null) return fallback;
                    var text = constant.Value.Value as string;
                    if (string.IsNullOrEmpty(text))
                    {
                        Report(Descriptors.BadOption, NamedLocation(name), name, text is null ? "null" : "\"\"", "the token must be a non-empty string");
                        return null;
                    }
                    return text;
                }

                string? bos = ReadToken("CompilerBos", CompilerDefaults.CompilerBos);
                string? pad = ReadToken("CompilerPad", CompilerDefaults.CompilerPad);

                if (vocab != null)
                {
                    foreach (var (name, role, token) in new[] { ("CompilerBos", "BOS", bos), ("CompilerPad", "PAD", pad) })
                    {
                        if (token is null) continue;
                        var value = Value.FromString(token);
                        int index = vocab.FindIndex(t => t.Value.Equals(value));
                        if (index < 0) continue;
                        // Point at the option when it is written, else at the vocabulary token that takes the default.
                        var location = Named(name) != null ? NamedLocation(name) : vocab[index].Location ?? Location(_syntax);
                        Report(Descriptors.ReservedToken, location, Repr(value), role, "a vocabulary token");
                    }
                }
                if (bos != null && pad != null && bos == pad)
                {
                    string where = Named("CompilerPad") != null ? "CompilerPad" : "CompilerBos";
                    Report(Descriptors.ReservedToken, NamedLocation(where), Repr(Value.FromString(pad)), "PAD", "the BOS token");
                }
                return (bos, pad);
            }

            // ---------------------------------------------------------------- the model name

            private void CheckModelName(string modelName)
            {
                var location = Named("ModelName")?.Value is string ? NamedLocation("ModelName") : LocationInfo.From(_method.Locations.FirstOrDefault());
                if (!IsValidIdentifier(modelName))
                {
                    Report(Descriptors.ModelNameConflict, location, _programName, modelName, "is not a valid C# identifier");
                    return;
                }
                var type = _method.ContainingType;
                if (type is null || _method.MethodKind != MethodKind.Ordinary) return;
                string typeName = type.ToDisplayString(TypeFormat);
                if (type.Name == modelName)
                {
                    Report(Descriptors.ModelNameConflict, location, _programName, modelName, $"is the name of its type '{typeName}' (a member cannot have the name of its type)");
                    return;
                }
                var member = type.GetMembers(modelName).FirstOrDefault(m => !IsEmittedByGenerator(m));
                if (member != null)
                {
                    string what = SymbolEqualityComparer.Default.Equals(member, _method) ? "is the name of the method itself" : $"is already a member of '{typeName}'";
                    Report(Descriptors.ModelNameConflict, location, _programName, modelName, what);
                    return;
                }
                foreach (var other in type.GetMembers().OfType<IMethodSymbol>())
                {
                    if (SymbolEqualityComparer.Default.Equals(other, _method) || other.MethodKind != MethodKind.Ordinary) continue;
                    var otherAttribute = other.GetAttributes().FirstOrDefault(a => IsRaspProgramAttribute(a.AttributeClass));
                    if (otherAttribute is null || RequestedModelName(other, otherAttribute) != modelName) continue;
                    Report(Descriptors.ModelNameConflict, location, _programName, modelName, $"is also the model name of the RASP program '{typeName}.{other.Name}'");
                    return;
                }
            }

            // ---------------------------------------------------------------- helpers

            private TypedConstant? Named(string name) => _named.TryGetValue(name, out var constant) ? constant : default(TypedConstant?);

            /// <summary>The <c>Name = value</c> argument, or the attribute when it is not written.</summary>
            private LocationInfo? NamedLocation(string name)
            {
                var argument = _syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
                return Location(argument) ?? Location(_syntax) ?? LocationInfo.From(_method.Locations.FirstOrDefault());
            }

            private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] arguments) =>
                _problems.Add(DiagnosticInfo.Create(descriptor, location, arguments));

            private static LocationInfo? Location(SyntaxNode? node) => node is null ? null : LocationInfo.From(node);

            private static LocationInfo? Location(SyntaxTree tree, TextSpan span) => LocationInfo.From(Microsoft.CodeAnalysis.Location.Create(tree, span));
        }
    }
}
