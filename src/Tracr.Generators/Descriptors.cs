using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Tracr.Generators
{
    /// <summary>
    /// Every diagnostic the analyzers and the generator report. IDs are grouped: TRACR0xx usage of
    /// <c>[RaspProgram]</c>, TRACR1xx C# the generator cannot evaluate at build time, TRACR2xx RASP programs
    /// the compiler refuses, TRACR3xx compile limits, TRACR9xx internal errors. Each ID has a page under docs/diagnostics/.
    /// </summary>
    internal static class Descriptors
    {
        private const string Usage = "Tracr.Usage";
        private const string Evaluation = "Tracr.Evaluation";
        private const string Rasp = "Tracr.Rasp";
        private const string Limits = "Tracr.Limits";
        private const string Internal = "Tracr.Internal";

        private static DiagnosticDescriptor Error(string id, string title, string message, string category) =>
            new DiagnosticDescriptor(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true,
                helpLinkUri: GeneratorAssembly.HelpLink(id));

        // --- Usage (analyzer: no compilation of the program needed) ---

        public static readonly DiagnosticDescriptor MethodNotStatic = Error("TRACR001",
            "A RASP program method must be static", "The RASP program method '{0}' must be {1}", Usage);

        public static readonly DiagnosticDescriptor TypeNotPartial = Error("TRACR002",
            "The type holding a RASP program must be partial", "The type '{0}' must be partial: the generator adds the compiled model '{1}' to it", Usage);

        public static readonly DiagnosticDescriptor MethodHasParameters = Error("TRACR003",
            "A RASP program method takes no parameters", "The RASP program method '{0}' must have no parameters (move parameterised code into a helper method it calls)", Usage);

        public static readonly DiagnosticDescriptor MethodReturnType = Error("TRACR004",
            "A RASP program method must return an SOp", "The RASP program method '{0}' returns '{1}'; it must return Tracr.SOp", Usage);

        public static readonly DiagnosticDescriptor GenericNotSupported = Error("TRACR005",
            "Generic RASP programs are not supported", "The RASP program method '{0}' must not be generic or inside a generic type", Usage);

        public static readonly DiagnosticDescriptor EmptyVocab = Error("TRACR006",
            "The vocabulary is empty", "The RASP program '{0}' has an empty vocabulary: list the tokens in [RaspProgram(...)] or set VocabFrom/VocabTo", Usage);

        public static readonly DiagnosticDescriptor BadMaxSeqLen = Error("TRACR007",
            "MaxSeqLen must be at least 1", "The RASP program '{0}' needs MaxSeqLen, the longest input it accepts, of at least 1 (it is {1})", Usage);

        public static readonly DiagnosticDescriptor ReservedToken = Error("TRACR008",
            "The BOS or PAD token is already in use", "The {1} token {0} is also {2}; the BOS token, the PAD token and the vocabulary tokens must all differ", Usage);

        public static readonly DiagnosticDescriptor BadVocabEntry = Error("TRACR009",
            "Invalid vocabulary", "Invalid vocabulary for '{0}': {1}", Usage);

        public static readonly DiagnosticDescriptor BadOption = Error("TRACR010",
            "Invalid compiler option", "Invalid option {0} = {1}: {2}", Usage);

        public static readonly DiagnosticDescriptor ModelNameConflict = Error("TRACR011",
            "The generated model name is taken", "The compiled model of '{0}' would be named '{1}', which {2}; set ModelName to another name", Usage);

        public static readonly DiagnosticDescriptor FileLocalType = Error("TRACR012",
            "A RASP program cannot be in a file-local type", "The RASP program '{0}' is in the file-local type '{1}': the generator cannot add its model to a file type (its parts must all be in one file); move the program to a type that is not 'file'", Usage);

        public static readonly DiagnosticDescriptor PartialMethod = Error("TRACR013",
            "A RASP program cannot be a partial method", "The RASP program '{0}' is a partial method; write it as an ordinary static method with a body", Usage);

        public static readonly DiagnosticDescriptor ExternMethod = Error("TRACR014",
            "A RASP program cannot be extern", "The RASP program '{0}' is extern and has no body to compile; remove 'extern' and write the program in its body", Usage);

        // --- C# the generator cannot evaluate at build time ---

        public static readonly DiagnosticDescriptor UnsupportedSyntax = Error("TRACR101",
            "C# construct not supported in a RASP program", "{0} is not supported in a RASP program body", Evaluation);

        public static readonly DiagnosticDescriptor NotConstant = Error("TRACR102",
            "Value not known at build time", "'{0}' cannot be evaluated at build time: {1}", Evaluation);

        public static readonly DiagnosticDescriptor UnsupportedLambda = Error("TRACR103",
            "Lambda cannot be compiled", "This lambda cannot become part of the model: {0}", Evaluation);

        public static readonly DiagnosticDescriptor EvaluationLimit = Error("TRACR104",
            "Build-time evaluation limit reached", "{0}", Evaluation);

        public static readonly DiagnosticDescriptor EvaluationFailed = Error("TRACR105",
            "Build-time evaluation failed", "Evaluating this at build time failed: {0}", Evaluation);

        public static readonly DiagnosticDescriptor NoProgramReturned = Error("TRACR106",
            "The program does not return an SOp", "The RASP program method '{0}' {1}", Evaluation);

        // --- RASP programs the compiler refuses (one per UnsupportedKind) ---

        public static readonly DiagnosticDescriptor NumericalSelectorInput = Error("TRACR201",
            "Select over a numerical S-op", "Cannot compile '{0}': {1}", Rasp);

        public static readonly DiagnosticDescriptor AggregateDefault = Error("TRACR202",
            "Unsupported Aggregate default", "Cannot compile '{0}': {1}", Rasp);

        public static readonly DiagnosticDescriptor AggregateEncoding = Error("TRACR203",
            "Aggregate encoding differs from its input", "Cannot compile '{0}': {1}", Rasp);

        public static readonly DiagnosticDescriptor UncompilableSelector = Error("TRACR204",
            "Composite or constant selector", "Cannot compile '{0}': {1}", Rasp);

        public static readonly DiagnosticDescriptor SequenceMapEncoding = Error("TRACR205",
            "Unsupported SequenceMap encoding", "Cannot compile '{0}': {1}", Rasp);

        public static readonly DiagnosticDescriptor NonBinaryMean = Error("TRACR206",
            "Numerical mean over values other than 0 and 1", "Cannot compile '{0}': {1}", Rasp);

        public static readonly DiagnosticDescriptor NonNumericNumerical = Error("TRACR207",
            "Numerical S-op holds a non-number", "Cannot compile '{0}': {1}", Rasp);

        public static readonly DiagnosticDescriptor FunctionFailed = Error("TRACR208",
            "A program function fails on a possible value", "Cannot compile '{0}': {1}", Rasp);

        public static readonly DiagnosticDescriptor NumericalTokens = Error("TRACR209",
            "tokens and indices must be categorical", "Cannot compile '{0}': {1}", Rasp);

        public static readonly DiagnosticDescriptor NonFiniteValue = Error("TRACR210",
            "A function produces NaN or an infinity", "Cannot compile '{0}': {1}", Rasp);

        public static readonly DiagnosticDescriptor OtherUnsupported = Error("TRACR299",
            "RASP expression cannot be compiled", "Cannot compile '{0}': {1}", Rasp);

        // --- Compile limits ---

        public static readonly DiagnosticDescriptor ValueSetTooLarge = Error("TRACR301",
            "Value set too large", "Cannot compile '{0}': {1}", Limits);

        public static readonly DiagnosticDescriptor ModelTooLarge = Error("TRACR302",
            "Model over the compile budget", "Cannot compile '{0}': {1}", Limits);

        public static readonly DiagnosticDescriptor ValueSetProductTooLarge = Error("TRACR303",
            "Value set product too large", "Cannot compile '{0}': {1}", Limits);

        // --- Internal ---

        public static readonly DiagnosticDescriptor InternalError = Error("TRACR900",
            "Internal generator error", "The Tracr generator failed on the RASP program '{0}': {1}. Please report this.", Internal);

        /// <summary>The descriptor for a compiler refusal.</summary>
        public static DiagnosticDescriptor ForUnsupported(UnsupportedKind kind) => kind switch
        {
            UnsupportedKind.NumericalTokensOrIndices => NumericalTokens,
            UnsupportedKind.NumericalSelectorInput => NumericalSelectorInput,
            UnsupportedKind.AggregateEncodingMismatch => AggregateEncoding,
            UnsupportedKind.AggregateDefault => AggregateDefault,
            UnsupportedKind.UncompilableSelector => UncompilableSelector,
            UnsupportedKind.SequenceMapEncoding => SequenceMapEncoding,
            UnsupportedKind.NonBinaryNumericalMean => NonBinaryMean,
            UnsupportedKind.NonNumericNumerical => NonNumericNumerical,
            UnsupportedKind.FunctionFailed => FunctionFailed,
            UnsupportedKind.ValueSetTooLarge => ValueSetTooLarge,
            UnsupportedKind.ModelTooLarge => ModelTooLarge,
            UnsupportedKind.ValueSetProductTooLarge => ValueSetProductTooLarge,
            UnsupportedKind.NonFiniteValue => NonFiniteValue,
            _ => OtherUnsupported,
        };

        public static IReadOnlyList<DiagnosticDescriptor> All { get; } = typeof(Descriptors)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id, System.StringComparer.Ordinal)
            .ToArray();

        private static readonly Dictionary<string, DiagnosticDescriptor> _byId = All.ToDictionary(d => d.Id);

        public static DiagnosticDescriptor ById(string id) => _byId[id];
    }
}
