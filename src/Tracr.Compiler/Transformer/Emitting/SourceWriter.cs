using System.Globalization;
using System.Text;

namespace Tracr.Transformer
{
    /// <summary>A tiny indenting writer for generated C#, with "\n" line endings on every platform.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _sb = new StringBuilder();

        public int Indent { get; set; }

        public void Line(string text = "")
        {
            if (text.Length > 0) _sb.Append(' ', Indent * 4).Append(text);
            _sb.Append('\n');
        }

        public void Open()
        {
            Line("{");
            Indent++;
        }

        public void Close(string suffix = "")
        {
            Indent--;
            Line("}" + suffix);
        }

        public override string ToString() => _sb.ToString();

        /// <summary>A C# string literal (escapes quotes, backslashes and every non-printable or non-ASCII character).</summary>
        public static string String(string s)
        {
            var sb = new StringBuilder("\"");
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < 32 || c > 126) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
                }
            }
            return sb.Append('"').ToString();
        }

        /// <summary>
        /// Text that stays inside one <c>//</c> comment line: every line break C# knows (CR, LF, NEL, U+2028,
        /// U+2029) and other control characters become <c>\uXXXX</c>.
        /// </summary>
        public static string CommentText(string s)
        {
            var sb = new StringBuilder(s.Length);
            foreach (char c in s)
            {
                if (c < 32 || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == 127) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
            return sb.ToString();
        }

        /// <summary>
        /// Text for an XML doc comment (<c>///</c>): <see cref="CommentText"/> (a line break would end the
        /// comment), then <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> as entities so the XML stays well formed.
        /// </summary>
        public static string XmlText(string s) => CommentText(s).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

        /// <summary>A C# double literal that parses back to exactly <paramref name="d"/> (NaN, infinities and −0 included).</summary>
        public static string Double(double d)
        {
            if (double.IsNaN(d)) return "double.NaN";
            if (double.IsPositiveInfinity(d)) return "double.PositiveInfinity";
            if (double.IsNegativeInfinity(d)) return "double.NegativeInfinity";
            if (d == 0 && 1 / d < 0) return "-0d";
            string s = d.ToString("R", CultureInfo.InvariantCulture);
            if (double.Parse(s, CultureInfo.InvariantCulture) != d) s = d.ToString("G17", CultureInfo.InvariantCulture);
            return s.IndexOf('.') >= 0 || s.IndexOf('E') >= 0 ? s : s + "d";
        }
    }
}
