using System;

namespace Tracr
{
    /// <summary>
    /// Marks a static, parameterless method of a partial class whose body builds a RASP program with the
    /// DSL (<c>using static Tracr.Rasp;</c>). At build time the Tracr source generator evaluates the body,
    /// compiles the program to a transformer and adds the model to the class as a static property:
    /// <c>Model</c> when the method is named <c>Program</c>, otherwise <c>&lt;MethodName&gt;Model</c>
    /// (or <see cref="ModelName"/>).
    /// </summary>
    /// <example>
    /// <code>
    /// public static partial class Reverse
    /// {
    ///     [RaspProgram("a", "b", "c", MaxSeqLen = 5)]
    ///     static SOp Program() => Library.MakeReverse(Tokens);
    /// }
    /// // Reverse.Model.Apply(new[] { "a", "b", "c" })  ==>  c b a
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    public sealed class RaspProgramAttribute : Attribute
    {
        /// <summary>The input vocabulary: constants of one kind (int, string, char, bool or double).</summary>
        public RaspProgramAttribute(params object[] vocab)
        {
            Vocab = vocab ?? Array.Empty<object>();
        }

        /// <summary>The vocabulary given to the constructor (empty when <see cref="VocabFrom"/>/<see cref="VocabTo"/> give it).</summary>
        public object[] Vocab { get; }

        /// <summary>An integer vocabulary <c>VocabFrom..VocabTo</c> (inclusive), instead of listing every token.</summary>
        public int VocabFrom { get; set; }

        /// <summary>See <see cref="VocabFrom"/>.</summary>
        public int VocabTo { get; set; }

        /// <summary>The longest input the model accepts (required, at least 1).</summary>
        public int MaxSeqLen { get; set; }

        /// <summary>Compile with causal attention (each position sees itself and earlier ones). Default false.</summary>
        public bool Causal { get; set; }

        // Defaults come from CompilerDefaults (Tracr.Compiler), which CompilerOptions and the generator also read.

        /// <summary>The beginning-of-sequence token (default <c>compiler_bos</c>); must not be in the vocab.</summary>
        public string CompilerBos { get; set; } = CompilerDefaults.CompilerBos;

        /// <summary>The padding token (default <c>compiler_pad</c>); must not be in the vocab.</summary>
        public string CompilerPad { get; set; } = CompilerDefaults.CompilerPad;

        /// <summary>Slope of the discretising MLPs (Tracr's <c>mlp_exactness</c>, default 100).</summary>
        public double MlpExactness { get; set; } = CompilerDefaults.MlpExactness;

        /// <summary>Inverse temperature of the attention softmax (default 100).</summary>
        public double SoftmaxColdness { get; set; } = CompilerDefaults.SoftmaxColdness;

        /// <summary>Largest categorical value set (default 20000).</summary>
        public int MaxValueSetSize { get; set; } = CompilerDefaults.MaxValueSetSize;

        /// <summary>Largest numerical value set (default 250000).</summary>
        public int MaxNumericalValueSetSize { get; set; } = CompilerDefaults.MaxNumericalValueSetSize;

        /// <summary>
        /// Largest product basis inference may enumerate, e.g. a SequenceMap's input pairs (default 4,000,000;
        /// over it: TRACR303). See <c>CompilerOptions.MaxValueSetProduct</c>.
        /// </summary>
        public long MaxValueSetProduct { get; set; } = CompilerDefaults.MaxValueSetProduct;

        /// <summary>
        /// The compile's budget: most weights (8-byte matrix entries) the compiler may allocate for the model
        /// (default 200,000,000, i.e. 1.6 GB; over it: TRACR302). See <c>CompilerOptions.MaxWeights</c>.
        /// </summary>
        public long MaxWeights { get; set; } = CompilerDefaults.MaxWeights;

        /// <summary>The name of the generated model property, instead of the default naming rule.</summary>
        public string? ModelName { get; set; }
    }
}
