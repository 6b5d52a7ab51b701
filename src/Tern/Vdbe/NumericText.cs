// Conversions between text and numbers with SQLite's rules: whether a text "looks like a
// number" (affinity), the numeric prefix of a text (arithmetic and CAST), and the text
// of a REAL ("%!.15g": 15 significant digits rounded as SQLite's printf rounds them,
// always a decimal point or exponent, so 1.0, 0.1 and 1.0e+20; see FloatDecimal).
using System.Globalization;
using System.Text;

namespace Tern.Vdbe;

/// <summary>SQLite's text/number conversions.</summary>
internal static class NumericText
{
    /// <summary>
    /// Parses the longest numeric prefix of <paramref name="s"/> (after leading spaces).
    /// Returns how many bytes formed the number (0 when none: then <paramref name="r"/> is
    /// 0.0, or -0.0 after a minus sign); <paramref name="isInt"/>
    /// says whether it is an integer that fits in 64 bits.
    /// </summary>
    public static int ParsePrefix(ReadOnlySpan<byte> s, out long i, out double r, out bool isInt)
    {
        i = 0;
        r = 0;
        isInt = false;
        int p = 0;
        while (p < s.Length && IsSpace(s[p])) p++;
        int start = p;
        if (p < s.Length && (s[p] == '+' || s[p] == '-')) p++;
        int digitsStart = p;
        while (p < s.Length && s[p] >= '0' && s[p] <= '9') p++;
        int intDigits = p - digitsStart;
        bool real = false;
        int fracDigits = 0;
        if (p < s.Length && s[p] == '.')
        {
            int q = p + 1;
            while (q < s.Length && s[q] >= '0' && s[q] <= '9') q++;
            fracDigits = q - p - 1;
            if (intDigits + fracDigits > 0)
            {
                real = true;
                p = q;
            }
        }
        if (intDigits + fracDigits == 0)
        {
            // No digits: the value is zero, keeping a minus sign ('-', '-x', '-Inf' and '-.e5'
            // are -0.0 as reals, as sqlite3AtoF leaves them).
            if (p > start && s[start] == '-') r = -0.0;
            return 0;
        }
        if (p < s.Length && (s[p] == 'e' || s[p] == 'E'))
        {
            int q = p + 1;
            if (q < s.Length && (s[q] == '+' || s[q] == '-')) q++;
            int es = q;
            while (q < s.Length && s[q] >= '0' && s[q] <= '9') q++;
            if (q > es)
            {
                real = true;
                p = q;
            }
        }
        string text = Encoding.ASCII.GetString(s[start..p]);
        if (!real && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out i))
        {
            isInt = true;
            // As a real, "-0" is negative zero (sqlite3AtoF keeps the sign of a zero).
            r = i == 0 && s[start] == '-' ? -0.0 : i;
            return p;
        }
        r = ParseReal(s[start..p]);
        return p;
    }

    /// <summary>
    /// The double a decimal number denotes, read as SQLite reads it (double-double scaling
    /// of up to 19 significant digits, not always the nearest double); see FloatDecimal.
    /// </summary>
    public static double ParseReal(ReadOnlySpan<byte> number) => Functions.FloatDecimal.Parse(number);

    /// <inheritdoc cref="ParseReal(ReadOnlySpan{byte})"/>
    public static double ParseReal(string number) => Functions.FloatDecimal.Parse(Encoding.ASCII.GetBytes(number));

    /// <summary>Whether the whole text (trailing spaces allowed) is a number; gives it as an integer or a real.</summary>
    public static bool TryParseWhole(ReadOnlySpan<byte> s, out long i, out double r, out bool isInt)
    {
        int n = ParsePrefix(s, out i, out r, out isInt);
        if (n == 0) return false;
        while (n < s.Length && IsSpace(s[n])) n++;
        return n == s.Length;
    }

    /// <summary>The numeric value of any register for arithmetic: text by its numeric prefix, blobs likewise, NULL stays NULL.</summary>
    public static void ToNumeric(ref Mem m)
    {
        if (m.Kind is MemKind.Text or MemKind.Blob)
        {
            int n = ParsePrefix(m.Span, out long i, out double r, out bool isInt);
            if (isInt) m.SetInt(i);
            else if (IsExactInt(r, out long ri) && !HasRealSyntax(m.Span[..n])) m.SetInt(ri); // only the number's own text decides ('integer' - 0 is 0)
            else
            {
                m.Kind = MemKind.Real;
                m.R = r;
            }
            m.Bytes = null;
        }
    }

    private static bool HasRealSyntax(ReadOnlySpan<byte> s) => s.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0;

    /// <summary>Whether a double holds an integer exactly representable as a long.</summary>
    public static bool IsExactInt(double r, out long i)
    {
        if (r >= -9223372036854775808.0 && r < 9223372036854775808.0 && Math.Floor(r) == r)
        {
            i = (long)r;
            return true;
        }
        i = 0;
        return false;
    }

    /// <summary>The integer a value converts to (CAST AS INTEGER, sqlite3_column_int64).</summary>
    public static long ToInt64(in Mem m) => m.Kind switch
    {
        MemKind.Int => m.I,
        MemKind.Real => RealToInt(m.R),
        MemKind.Text or MemKind.Blob => PrefixToInt(m.Span),
        _ => 0,
    };

    /// <summary>
    /// Text as an integer the way SQLite's sqlite3Atoi64 reads it (CAST AS INTEGER, bitwise
    /// operators, sqlite3_column_int64): leading spaces, an optional sign, then the longest
    /// run of digits, clamped to the 64-bit range; anything after the digits — a '.', an
    /// exponent — is ignored, so '1.5e3' is 1 and '0x10' is 0.
    /// </summary>
    private static long PrefixToInt(ReadOnlySpan<byte> s)
    {
        int i = 0;
        while (i < s.Length && s[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\f' or (byte)'\r' or 0x0b) i++;
        bool negative = false;
        if (i < s.Length && s[i] is (byte)'-' or (byte)'+')
        {
            negative = s[i] == '-';
            i++;
        }
        ulong magnitude = 0;
        bool overflow = false;
        for (; i < s.Length && s[i] is >= (byte)'0' and <= (byte)'9'; i++)
        {
            if (magnitude > (ulong.MaxValue - 9) / 10) overflow = true;
            else magnitude = magnitude * 10 + (ulong)(s[i] - '0');
        }
        if (negative) return overflow || magnitude > 9223372036854775808UL ? long.MinValue : (long)(0UL - magnitude);
        return overflow || magnitude > long.MaxValue ? long.MaxValue : (long)magnitude;
    }

    public static long RealToInt(double r)
    {
        if (double.IsNaN(r)) return 0;
        if (r <= -9223372036854775808.0) return long.MinValue;
        if (r >= 9223372036854775807.0) return long.MaxValue;
        return (long)r;
    }

    /// <summary>The double a value converts to.</summary>
    public static double ToDouble(in Mem m) => m.Kind switch
    {
        MemKind.Int => m.I,
        MemKind.Real => m.R,
        MemKind.Text or MemKind.Blob => PrefixToDouble(m.Span),
        _ => 0,
    };

    private static double PrefixToDouble(ReadOnlySpan<byte> s)
    {
        ParsePrefix(s, out _, out double r, out _);
        return r;
    }

    /// <summary>The text of a REAL as SQLite renders it.</summary>
    public static string FormatReal(double r) => Functions.FloatDecimal.ToSqlText(r);

    /// <summary>The UTF-8 text of a number.</summary>
    public static byte[] ToUtf8(in Mem m) => m.Kind switch
    {
        MemKind.Int => Encoding.ASCII.GetBytes(m.I.ToString(CultureInfo.InvariantCulture)),
        MemKind.Real => Encoding.ASCII.GetBytes(FormatReal(m.R)),
        _ => m.Span.ToArray(),
    };

    /// <summary>Turns a number into TEXT in place (text affinity, concatenation).</summary>
    public static void ToText(ref Mem m)
    {
        if (m.Kind is MemKind.Int or MemKind.Real) m.SetText(ToUtf8(m));
        else if (m.Kind == MemKind.Blob) m.Kind = MemKind.Text;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or 0x0b;
}
