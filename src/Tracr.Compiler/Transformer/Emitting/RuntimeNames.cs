namespace Tracr.Transformer
{
    /// <summary>
    /// The names of the run-time types (in the Tracr assembly) that generated code uses, defined once for
    /// the emitters: the compiler does not reference the runtime, so a renamed runtime type would only show
    /// up as broken generated code. A test resolves every name here against the Tracr assembly.
    /// Short names are used under the <see cref="RuntimeNamespace"/> and <see cref="TransformerNamespace"/>
    /// using directives; <see cref="Qualified"/> lists every name with its namespace and generic arity.
    /// </summary>
    public static class RuntimeNames
    {
        public const string RuntimeNamespace = "Tracr.Runtime";
        public const string TransformerNamespace = "Tracr.Transformer";
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
            RuntimeNamespace + "." + ForwardProgram + "`1",
            RuntimeNamespace + "." + PlannedForward + "`1",
            RuntimeNamespace + "." + ModelPlan + "`1",
            RuntimeNamespace + "." + KernelScratch + "`1",
            RuntimeNamespace + "." + RegisterWidth + "`2",
            RuntimeNamespace + "." + Width512 + "`1",
            RuntimeNamespace + "." + Width256 + "`1",
            RuntimeNamespace + "." + Simd,
            RuntimeNamespace + "." + TransformerKernels,
            RuntimeNamespace + "." + ModelDataReader,
            RuntimeNamespace + "." + FastTransformer,
            RootNamespace + "." + CompiledTransformer + "`2",
            RootNamespace + "." + Value,
            RootNamespace + "." + Encoding,
            TransformerNamespace + "." + PackedModel,
            TransformerNamespace + "." + PackedBlock,
            TransformerNamespace + "." + PackedAttention,
            TransformerNamespace + "." + PackedHead,
            TransformerNamespace + "." + PackedMlp,
        };
    }
}
