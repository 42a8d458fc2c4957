using static Tracr.Rasp;

namespace Tracr.Export.Tests
{
    /// <summary>A model compiled by the source generator during this project's build, to export like a run-time one.</summary>
    internal static partial class BuildTimeModels
    {
        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5)]
        internal static SOp Reverse() => Library.MakeReverse(Tokens);
    }
}
