namespace Tracr.Transformer
{
    /// <summary>
    /// The names of the run-time types (in the Tracr assembly) that generated code uses, defined once for
    /// the emitters: the compiler does not reference the runtime, so a renamed runtime type would only show
    /// up as broken generated code. A test resolves every name here against the Tracr assembly.
    /// Except for the public <see cref="CompiledTransformer"/>, <see cref="Value"/> and <see cref="Encoding"/>, they all
    /// live in <see cref="GeneratedNamespace"/>, public but hidden from IntelliSense
    /// (<c>[EditorBrowsable(Never)]</c>), as the Regex generator's support types are; a test checks that too.
    /// Short names are used under the using directive of that namespace; <see cref="Qualified"/> lists every name
    /// with its namespace and generic arity.
    /// </summary>
    internal static class RuntimeNames
    {
        /// <summary>The one namespace of the types only generated code calls (in Tracr.dll and Tracr.Compiler.dll).</summary>
        public const string GeneratedNamespace = "Tracr.Generated";
        public const string RootNamespace = "Tracr";

        public const string ForwardProgram = "ForwardProgram";
        public const string PlannedForward = "PlannedForward";
        public const string ModelPlan = "ModelPlan";
        public const string KernelScratch = "KernelScratch";
        public const string RegisterWidth = "IRegisterWidth";
        public const string Width512 = "Width512";
        public const string Width256 = "Width256";
        public const string Simd = "Simd";
        public const string TransformerKernels = "TransformerKernels";
        public const string ModelDataReader = "ModelDataReader";
        public const string FastTransformer = "FastTransformer";
        public const string CompiledTransformer = "CompiledTransformer";
        public const string Value = "Value";
        public const string Encoding = "Encoding";
        public const string PackedModel = "PackedModel";
        public const string PackedBlock = "PackedBlock";
        public const string PackedAttention = "PackedAttention";
        public const string PackedHead = "PackedHead";
        public const string PackedMlp = "PackedMlp";

        /// <summary>Every name above as a metadata name (namespace, name and `arity), for the test that resolves them.</summary>
        public static readonly string[] Qualified =
        {
            GeneratedNamespace + "." + ForwardProgram + "`1",
            GeneratedNamespace + "." + PlannedForward + "`1",
            GeneratedNamespace + "." + ModelPlan + "`1",
            GeneratedNamespace + "." + KernelScratch + "`1",
            GeneratedNamespace + "." + RegisterWidth + "`2",
            GeneratedNamespace + "." + Width512 + "`1",
            GeneratedNamespace + "." + Width256 + "`1",
            GeneratedNamespace + "." + Simd,
            GeneratedNamespace + "." + TransformerKernels,
            GeneratedNamespace + "." + ModelDataReader,
            GeneratedNamespace + "." + FastTransformer,
            RootNamespace + "." + CompiledTransformer + "`2",
            RootNamespace + "." + Value,
            RootNamespace + "." + Encoding,
            GeneratedNamespace + "." + PackedModel,
            GeneratedNamespace + "." + PackedBlock,
            GeneratedNamespace + "." + PackedAttention,
            GeneratedNamespace + "." + PackedHead,
            GeneratedNamespace + "." + PackedMlp,
        };
    }
}
