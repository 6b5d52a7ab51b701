// How single values are written in each output mode, byte for byte as the sqlite3 shell
// writes them: CSV quoting, JSON strings, SQL literals (quote and insert modes), HTML and
// TCL escapes, quoted identifiers, and the display form the columnar modes use (one line
// of a value at a time, tabs expanded, wrapped at a width).
using System.Globalization;
using System.Text;
using Tern.Sql.Lexer;

namespace Tern.Cli;

/// <summary>Value formatting helpers for the output modes.</summary>
internal static class CellText
{
    /// <summary>The bytes of a C string: everything before the first NUL.</summary>
    public static ReadOnlySpan<byte> CString(ReadOnlySpan<byte> bytes)
    {
        int nul = bytes.IndexOf((byte)0);
        return nul < 0 ? bytes : bytes[..nul];
    }

    /// <summary>UTF-8 bytes of a string, cut at the first NUL as a C string is.</summary>
    public static byte[] Utf8(string s)
    {
        int nul = s.IndexOf('\0');
        return Encoding.UTF8.GetBytes(nul < 0 ? s : s[..nul]);
    }

    // ------------------------------------------------------------ CSV

    private static bool CsvNeedsQuote(byte b) => b <= 0x20 || b == (byte)'"' || b == (byte)'\'' || b >= 0x7f;

    /// <summary>Writes a CSV field: quoted when empty, when it holds a space, quote, control or non-ASCII byte, or the separator.</summary>
    public static void WriteCsv(ShellOutput o, ReadOnlySpan<byte> z, ReadOnlySpan<byte> separator)
    {
        bool quote = z.Length == 0;
        foreach (byte b in z)
        {
            if (CsvNeedsQuote(b))
            {
                quote = true;
                break;
            }
        }
        if (!quote && separator.Length > 0 && z.IndexOf(separator) >= 0) quote = true;
        if (!quote)
        {
            o.Write(z);
            return;
        }
        o.Write((byte)'"');
        foreach (byte b in z)
        {
            if (b == (byte)'"') o.Write((byte)'"');
            o.Write(b);
        }
        o.Write((byte)'"');
    }

    // ------------------------------------------------------------ JSON

    /// <summary>Writes a JSON string: quotes and backslashes escaped, control bytes as \b \f \n \r \t or \u00XX.</summary>
    public static void WriteJsonString(ShellOutput o, ReadOnlySpan<byte> z)
    {
        o.Write((byte)'"');
        foreach (byte b in z)
        {
            switch (b)
            {
                case (byte)'"' or (byte)'\\':
                    o.Write((byte)'\\');
                    o.Write(b);
                    break;
                case (byte)'\b': o.Write("\\b"); break;
                case (byte)'\f': o.Write("\\f"); break;
                case (byte)'\n': o.Write("\\n"); break;
                case (byte)'\r': o.Write("\\r"); break;
                case (byte)'\t': o.Write("\\t"); break;
                default:
                    if (b < 0x20) o.Write("\\u" + b.ToString("x4", CultureInfo.InvariantCulture));
                    else o.Write(b);
                    break;
            }
        }
        o.Write((byte)'"');
    }

    // ------------------------------------------------------------ SQL literals

    /// <summary>Writes text as a single-quoted SQL string, quotes doubled.</summary>
    public static void WriteQuoted(ShellOutput o, ReadOnlySpan<byte> z)
    {
        o.Write((byte)'\'');
        foreach (byte b in z)
        {
            if (b == (byte)'\'') o.Write((byte)'\'');
            o.Write(b);
        }
        o.Write((byte)'\'');
    }

    /// <summary>
    /// Writes text as an SQL string for insert mode: line feeds and carriage returns are
    /// spelled with an escape that the text does not contain and put back with replace().
    /// </summary>
    public static void WriteQuotedEscaped(ShellOutput o, ReadOnlySpan<byte> z)
    {
        int newlines = 0, returns = 0;
        foreach (byte b in z)
        {
            if (b == (byte)'\n') newlines++;
            else if (b == (byte)'\r') returns++;
        }
        if (newlines == 0 && returns == 0)
        {
            WriteQuoted(o, z);
            return;
        }
        string? nl = newlines > 0 ? UnusedEscape(z, "\\n", "\\012") : null;
        string? cr = returns > 0 ? UnusedEscape(z, "\\r", "\\015") : null;
        if (nl != null) o.Write("replace(");
        if (cr != null) o.Write("replace(");
        o.Write((byte)'\'');
        foreach (byte b in z)
        {
            if (b == (byte)'\'') o.Write("''");
            else if (b == (byte)'\n') o.Write(nl!);
            else if (b == (byte)'\r') o.Write(cr!);
            else o.Write(b);
        }
        o.Write((byte)'\'');
        if (cr != null) o.Write(",'" + cr + "',char(13))");
        if (nl != null) o.Write(",'" + nl + "',char(10))");
    }

    private static string UnusedEscape(ReadOnlySpan<byte> z, string first, string second)
    {
        if (z.IndexOf(Encoding.ASCII.GetBytes(first)) < 0) return first;
        if (z.IndexOf(Encoding.ASCII.GetBytes(second)) < 0) return second;
        for (int i = 0; ; i++)
        {
            string s = "(" + i.ToString(CultureInfo.InvariantCulture) + ")";
            if (z.IndexOf(Encoding.ASCII.GetBytes(s)) < 0) return s;
        }
    }

    /// <summary>Writes a BLOB literal: X'..' in lower-case hex.</summary>
    public static void WriteBlobLiteral(ShellOutput o, ReadOnlySpan<byte> z)
    {
        o.Write("X'");
        o.Write(Convert.ToHexStringLower(z));
        o.Write((byte)'\'');
    }

    /// <summary>A name as SQL writes it: bare when it is a plain word that is not a keyword, else in double quotes.</summary>
    public static string QuoteName(string name)
    {
        bool plain = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_');
        if (plain)
        {
            foreach (char c in name)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '_')
                {
                    plain = false;
                    break;
                }
            }
        }
        if (plain && !Keywords.IsKeyword(name)) return name;
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    // ------------------------------------------------------------ HTML and TCL

    /// <summary>Writes text with HTML's special characters escaped.</summary>
    public static void WriteHtml(ShellOutput o, ReadOnlySpan<byte> z)
    {
        foreach (byte b in z)
        {
            switch (b)
            {
                case (byte)'<': o.Write("&lt;"); break;
                case (byte)'&': o.Write("&amp;"); break;
                case (byte)'>': o.Write("&gt;"); break;
                case (byte)'"': o.Write("&quot;"); break;
                case (byte)'\'': o.Write("&#39;"); break;
                default: o.Write(b); break;
            }
        }
    }

    /// <summary>Writes a C-style double-quoted string: backslash escapes, octal for unprintable bytes.</summary>
    public static void WriteCString(ShellOutput o, ReadOnlySpan<byte> z)
    {
        o.Write((byte)'"');
        foreach (byte b in z)
        {
            switch (b)
            {
                case (byte)'\\': o.Write("\\\\"); break;
                case (byte)'"': o.Write("\\\""); break;
                case (byte)'\t': o.Write("\\t"); break;
                case (byte)'\n': o.Write("\\n"); break;
                case (byte)'\r': o.Write("\\r"); break;
                default:
                    if (b < 0x20 || b >= 0x7f) o.Write("\\" + Convert.ToString(b, 8).PadLeft(3, '0'));
                    else o.Write(b);
                    break;
            }
        }
        o.Write((byte)'"');
    }

    // ------------------------------------------------------------ columnar display

    /// <summary>The display width of text: one per character (UTF-8 continuation bytes do not count).</summary>
    public static int Width(ReadOnlySpan<byte> z)
    {
        int n = 0;
        foreach (byte b in z)
        {
            if ((b & 0xC0) != 0x80) n++;
        }
        return n;
    }

    /// <summary>
    /// The first display line of <paramref name="z"/> from <paramref name="start"/>: up to
    /// <paramref name="maxWidth"/> characters (0: no limit), tabs expanded to stops of 8, ending at
    /// a control character. <paramref name="next"/> is where the next line starts, or -1 when
    /// nothing is left. With <paramref name="wordWrap"/>, a line cut at the width backs up to a
    /// space (or a word boundary) in its second half.
    /// </summary>
    public static byte[] DisplayLine(byte[] z, int start, int maxWidth, bool wordWrap, out int next)
    {
        int limit = maxWidth == 0 ? 1_000_000 : Math.Abs(maxWidth);
        int i = start, n = 0;
        byte At(int k) => k < z.Length ? z[k] : (byte)0;
        while (n < limit)
        {
            byte c = At(i);
            if (c >= (byte)' ')
            {
                n++;
                do i++; while ((At(i) & 0xC0) == 0x80);
                continue;
            }
            if (c == (byte)'\t')
            {
                do n++; while ((n & 7) != 0 && n < limit);
                i++;
                continue;
            }
            break;
        }
        int end = i;
        if (n >= limit && wordWrap)
        {
            int half = start + (i - start) / 2;
            int k = i;
            while (k > half && !IsSpace(At(k - 1))) k--;
            if (k <= half)
            {
                for (k = i; k > half; k--)
                {
                    if (IsAlnum(At(k - 1)) != IsAlnum(At(k)) && (At(k) & 0xC0) != 0x80) break;
                }
            }
            if (k > half)
            {
                end = k;
                i = k;
                while (At(i) == (byte)' ') i++;
            }
        }
        // The line's bytes, tabs expanded.
        var line = new List<byte>(end - start + 8);
        int col = 0;
        for (int p = start; p < end;)
        {
            byte c = z[p];
            if (c == (byte)'\t')
            {
                do
                {
                    line.Add((byte)' ');
                    col++;
                }
                while ((col & 7) != 0 && col < limit);
                p++;
                continue;
            }
            col++;
            do line.Add(z[p++]); while (p < end && (z[p] & 0xC0) == 0x80);
        }
        // Where the next line starts: a line cut at the width goes on at the next character;
        // otherwise the byte that ended it (a line break or other control byte; CR LF as one)
        // is consumed.
        if (n >= limit && At(i) >= (byte)' ') next = i;
        else if (At(i) == (byte)'\r' && At(i + 1) == (byte)'\n') next = At(i + 2) != 0 ? i + 2 : -1;
        else if (At(i) == 0 || At(i + 1) == 0) next = -1;
        else next = i + 1;
        return line.ToArray();
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or 0x0b;

    private static bool IsAlnum(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z');
}
