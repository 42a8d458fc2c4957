using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracr
{
    /// <summary>Settings of <see cref="RaspCompiler.Compile"/>, with Tracr's defaults.</summary>
    sealed partial class CompilerOptions
    {
        /// <summary>Compile with causal attention masks (each position sees only itself and earlier positions).</summary>
        public bool Causal { get; set; }

        /// <summary>The beginning-of-sequence token the model is given at position 0; must not be in the vocab.</summary>
        public string CompilerBos { get; set; } = CompilerDefaults.CompilerBos;

        /// <summary>The padding token; must not be in the vocab.</summary>
        public string CompilerPad { get; set; } = CompilerDefaults.CompilerPad;

        /// <summary>
        /// The slope L of the discretising MLPs (Tracr's <c>mlp_exactness</c>). It is a lower bound:
        /// where L is too small to separate a node's input values exactly, the compiler raises it
        /// to 4 / (smallest gap between values), twice the smallest exact slope (see docs/differences-from-tracr.md).
        /// </summary>
        public double MlpExactness { get; set; } = CompilerDefaults.MlpExactness;

        /// <summary>Inverse temperature of the attention softmax (Tracr uses 100).</summary>
        public double SoftmaxColdness { get; set; } = CompilerDefaults.SoftmaxColdness;

        /// <summary>Largest value set a categorical node may have (one residual dimension per value); bigger programs are refused with an error naming the node.</summary>
        public int MaxValueSetSize { get; set; } = CompilerDefaults.MaxValueSetSize;

        /// <summary>Largest value set a numerical node may have (a discretising MLP reading it needs two neurons per value).</summary>
        public int MaxNumericalValueSetSize { get; set; } = CompilerDefaults.MaxNumericalValueSetSize;

        /// <summary>
        /// Largest product basis inference enumerates before it knows a value set (default 4,000,000): a SequenceMap's
        /// |A| × |B| input pairs (its function is called on each), a numerical mean's (k, n) fractions. Over it the
        /// program is refused before the enumeration starts.
        /// </summary>
        public long MaxValueSetProduct { get; set; } = CompilerDefaults.MaxValueSetProduct;

        /// <summary>
        /// The budget of the compile (default 200,000,000): the most weights (matrix entries, held as 8-byte doubles)
        /// the compiler may allocate for one model, counting every craft block, each MLP layer's combined
        /// matrices and the embeddings. The size is estimated from the value sets before any matrix is built; a
        /// program over the budget is refused with the numbers and the node that costs most. Raise it for
        /// models you know are big (the default is 1.6 GB of matrices).
        /// </summary>
        public long MaxWeights { get; set; } = CompilerDefaults.MaxWeights;

        /// <summary>How an Aggregate or SelectorWidth over a composite selector (&amp;, |, ~ over different S-ops) is compiled.</summary>
        public CompositeSelectorConstruction CompositeSelectors { get; set; } = CompositeSelectorConstruction.Auto;

        internal CompilerOptions Clone() => (CompilerOptions)MemberwiseClone();
    }

    /// <summary>The constructions for composite selectors (docs/architecture.md, "Composite selectors").</summary>
#if TRACR_PUBLIC_API
    public
#endif
    enum CompositeSelectorConstruction
    {
        /// <summary>Summed scores wherever sound (a conjunction of conditions that each read one keys/queries pair), tuple keys otherwise.</summary>
        Auto,

        /// <summary>Always lower to one Select over tuple-valued keys and queries built by SequenceMaps (sound for any formula).</summary>
        TupleKeys,
    }

    /// <summary>Why an expression cannot be compiled (the build-time generator reports each kind under its own diagnostic ID).</summary>
#if TRACR_PUBLIC_API
    public
#endif
    enum UnsupportedKind
    {
        /// <summary>Anything not covered by a more specific kind.</summary>
        Other,

        /// <summary>tokens or indices annotated numerical.</summary>
        NumericalTokensOrIndices,

        /// <summary>A Select whose keys or queries are numerical.</summary>
        NumericalSelectorInput,

        /// <summary>An Aggregate whose encoding differs from its input's.</summary>
        AggregateEncodingMismatch,

        /// <summary>An Aggregate default other than None (categorical) or 0 (numerical).</summary>
        AggregateDefault,

        /// <summary>An Aggregate or SelectorWidth over a composite (And/Or/Not) or constant selector.</summary>
        UncompilableSelector,

        /// <summary>A SequenceMap with unsupported encodings (non-linear must be categorical, linear numerical).</summary>
        SequenceMapEncoding,

        /// <summary>A numerical Aggregate (mean) over values other than 0 and 1 (no longer reported: means of any numbers compile).</summary>
        NonBinaryNumericalMean,

        /// <summary>A numerically encoded S-op that can hold a non-number.</summary>
        NonNumericNumerical,

        /// <summary>A Map, SequenceMap or predicate that throws (other than an arithmetic error) on a value it can receive.</summary>
        FunctionFailed,

        /// <summary>A value set larger than the configured limit.</summary>
        ValueSetTooLarge,

        /// <summary>A Map or SequenceMap that produces NaN or an infinity, which no transformer can represent.</summary>
        NonFiniteValue,

        /// <summary>An aggregate whose behaviour on a given input the model cannot reproduce (dynamic validation only).</summary>
        InputDependent,

        /// <summary>A model whose estimated weights exceed <see cref="CompilerOptions.MaxWeights"/>.</summary>
        ModelTooLarge,

        /// <summary>A value set whose computation would enumerate more than <see cref="CompilerOptions.MaxValueSetProduct"/> combinations.</summary>
        ValueSetProductTooLarge,
    }

    /// <summary>One expression the compiler cannot compile, and why.</summary>
    sealed partial class UnsupportedExpression
    {
        public UnsupportedExpression(string nodeName, string? nodeLabel, string reason, UnsupportedKind kind = UnsupportedKind.Other)
        {
            NodeName = nodeName;
            NodeLabel = nodeLabel;
            Reason = reason;
            Kind = kind;
        }

        internal UnsupportedExpression(RaspExpr expr, string? nodeLabel, UnsupportedKind kind, string reason)
            : this(expr.Name, nodeLabel, reason, kind)
        {
            Expression = expr;
        }

        /// <summary>What kind of problem this is.</summary>
        public UnsupportedKind Kind { get; }

        /// <summary>The offending expression (as compiled: follow <see cref="RaspExpr.LoweredFrom"/> to what the user wrote).</summary>
        internal RaspExpr? Expression { get; }

        /// <summary>The expression's name (as given with <c>Named</c>, or its default).</summary>
        public string NodeName { get; }

        /// <summary>The expression's label in the program graph (e.g. <c>map_3</c>), when the graph was built.</summary>
        public string? NodeLabel { get; }

        public string Reason { get; }

        public override string ToString() => $"{NodeLabel ?? NodeName}: {Reason}";
    }

    /// <summary>A RASP program that cannot be compiled: every offending expression with its reason.</summary>
    sealed partial class RaspCompilationException : Exception
    {
        public RaspCompilationException(string stage, IReadOnlyList<UnsupportedExpression> unsupported)
            : base($"Cannot compile the RASP program ({stage}):\n" + string.Join("\n", unsupported.Select(u => u.ToString())))
        {
            Stage = stage;
            Unsupported = unsupported;
        }

        public RaspCompilationException(string stage, UnsupportedExpression unsupported)
            : this(stage, new[] { unsupported })
        {
        }

        /// <summary>The pass that refused the program: validate, basis_inference, estimate_size, expr_to_craft, ...</summary>
        public string Stage { get; }

        public IReadOnlyList<UnsupportedExpression> Unsupported { get; }
    }
}
