using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Tracr.Generators.Tests.Infrastructure
{
    /// <summary>Test sources with expected diagnostic spans marked <c>[|like this|]</c>.</summary>
    internal static class SourceMarkup
    {
        public static (string Source, IReadOnlyList<TextSpan> Spans) Parse(string markup)
        {
            var sb = new StringBuilder();
            var spans = new List<TextSpan>();
            var open = new Stack<int>();
            for (int i = 0; i < markup.Length; i++)
            {
                if (i + 1 < markup.Length && markup[i] == '[' && markup[i + 1] == '|') { open.Push(sb.Length); i++; continue; }
                if (i + 1 < markup.Length && markup[i] == '|' && markup[i + 1] == ']') { int start = open.Pop(); spans.Add(TextSpan.FromBounds(start, sb.Length)); i++; continue; }
                sb.Append(markup[i]);
            }
            spans.Sort((a, b) => a.Start.CompareTo(b.Start));
            return (sb.ToString(), spans);
        }
    }
}
