namespace Tracr.Generators.CodeFixes
{
    /// <summary>
    /// The IDs of the usage diagnostics these fixes repair, as the generator's Descriptors reports them (this assembly
    /// does not reference the generator; the tests run the real analyzer, so a mismatch fails them).
    /// </summary>
    internal static class DiagnosticIds
    {
        public const string MethodNotStatic = "TRACR001";
        public const string TypeNotPartial = "TRACR002";
        public const string MethodHasParameters = "TRACR003";
        public const string ModelNameConflict = "TRACR011";
    }
}
