namespace Tracr
{
    /// <summary>
    /// The default of every compiler option, defined once: <see cref="CompilerOptions"/>,
    /// <c>RaspProgramAttribute</c> (Tracr.dll, through InternalsVisibleTo) and the generator's declaration
    /// reader (which links this file) all read these, so the run-time and build-time paths cannot drift apart.
    /// </summary>
    internal static class CompilerDefaults
    {
        /// <summary>The beginning-of-sequence token (Tracr's <c>compiler_bos</c>).</summary>
        public const string CompilerBos = "compiler_bos";

        /// <summary>The padding token (Tracr's <c>compiler_pad</c>).</summary>
        public const string CompilerPad = "compiler_pad";

        /// <summary>Tracr's <c>mlp_exactness</c>.</summary>
        public const double MlpExactness = 100;

        /// <summary>Tracr's softmax coldness.</summary>
        public const double SoftmaxColdness = 100;

        /// <summary>Largest categorical value set (one residual dimension per value).</summary>
        public const int MaxValueSetSize = 20000;

        /// <summary>Largest numerical value set (two discretising-MLP neurons per value).</summary>
        public const int MaxNumericalValueSetSize = 250000;

        /// <summary>
        /// Largest product basis inference may enumerate: a SequenceMap's input pairs, a numerical mean's
        /// fractions. 4M function calls take a few seconds at build time.
        /// </summary>
        public const long MaxValueSetProduct = 4000000;

        /// <summary>
        /// Largest number of weights (matrix entries, 8 bytes each) the compiler may allocate for one model.
        /// 200M is 1.6 GB of matrices (measured peak RSS about 1 GB at the limit): above every library and golden
        /// program at its tested size (sort 64/64 allocates 34.7M, shuffle_dyck at length 32 9.3M), and low enough
        /// that a CI machine or an IDE survives the largest model it admits (reverse compiles up to MaxSeqLen 366).
        /// </summary>
        public const long MaxWeights = 200000000;
    }
}
