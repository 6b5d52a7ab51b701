// The remaining core scalar functions: char, concat, concat_ws, octet_length, quote,
// unistr_quote, random, randomblob, zeroblob, sign, unhex, unicode, unistr, the
// two-argument trims, likelihood/likely/unlikely (which the compiler usually replaces by
// their first argument) and sqlite_version/sqlite_source_id. Each follows SQLite's
// conversions of its arguments (ArgValues), its NULL rules and its length limit.
using System.Security.Cryptography;
using Tern.Vdbe;

namespace Tern.Functions;

/// <summary>More built-in scalar functions.</summary>
internal static class MoreScalars
{
    /// <summary>The SQLite release whose behaviour Tern follows.</summary>
    public const string SqliteVersion = "3.50.4";

    /// <summary>That release's source identifier.</summary>
    public const string SqliteSourceId = "2025-07-30 19:33:53 4d8adfb30e03f9cf27f800a2c1ba3c48fb4ca1b08b0f5ed59a4d5ecbf45e20a3";

    public static void Register(Action<FunctionDef> add)
    {
        add(new ScalarFunction("char", -1, Char));
        add(new ScalarFunction("concat", -1, Concat));
        add(new ScalarFunction("concat_ws", -1, ConcatWs));
        add(new ScalarFunction("octet_length", 1, OctetLength));
        add(new ScalarFunction("quote", 1, (a, ref r) => Quote(a, ref r, false)));
        add(new ScalarFunction("unistr_quote", 1, (a, ref r) => Quote(a, ref r, true)));
        add(new ScalarFunction("random", 0, Random));
        add(new ScalarFunction("randomblob", 1, RandomBlob));
        add(new ScalarFunction("zeroblob", 1, ZeroBlob));
        add(new ScalarFunction("sign", 1, Sign));
        add(new ScalarFunction("unhex", 1, Unhex));
        add(new ScalarFunction("unhex", 2, Unhex));
        add(new ScalarFunction("unicode", 1, Unicode));
        add(new ScalarFunction("unistr", 1, Unistr));
        add(new ScalarFunction("trim", 2, (a, ref r) => Trim(a, ref r, true, true)));
        add(new ScalarFunction("ltrim", 2, (a, ref r) => Trim(a, ref r, true, false)));
        add(new ScalarFunction("rtrim", 2, (a, ref r) => Trim(a, ref r, false, true)));
        add(new ScalarFunction("likely", 1, First));
        add(new ScalarFunction("unlikely", 1, First));
        add(new ScalarFunction("likelihood", 2, First));
        add(new ScalarFunction("printf", -1, Printf.Function));
        add(new ScalarFunction("format", -1, Printf.Function));
        add(new ScalarFunction("sqlite_version", 0, (a, ref r) => r.SetText(SqliteVersion)));
        add(new ScalarFunction("sqlite_source_id", 0, (a, ref r) => r.SetText(SqliteSourceId)));
    }

    private static void First(ReadOnlySpan<Mem> a, ref Mem r) => r = a[0];

    private static void Char(ReadOnlySpan<Mem> a, ref Mem r)
    {
        var b = new ByteBuilder(a.Length * 4);
        foreach (Mem m in a)
        {
            long x = ArgValues.Int64(m);
            if (x < 0 || x > 0x10FFFF) x = 0xFFFD;
            ArgValues.AppendUtf8(b, (uint)x);
        }
        b.SetText(ref r);
    }

    private static void Concat(ReadOnlySpan<Mem> a, ref Mem r) => ConcatCore(a, [], ref r);

    private static void ConcatWs(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (a[0].IsNull)
        {
            r.SetNull();
            return;
        }
        ConcatCore(a[1..], NumericText.ToUtf8(a[0]), ref r);
    }

    private static void ConcatCore(ReadOnlySpan<Mem> a, byte[] separator, ref Mem r)
    {
        var b = new ByteBuilder();
        foreach (Mem m in a)
        {
            if (m.IsNull) continue;
            if (b.Length > 0) b.Append(separator);
            if (m.Kind is MemKind.Text or MemKind.Blob) b.Append(m.Span);
            else b.Append(NumericText.ToUtf8(m));
        }
        b.SetText(ref r);
    }

    private static void OctetLength(ReadOnlySpan<Mem> a, ref Mem r)
    {
        Mem m = a[0];
        switch (m.Kind)
        {
            case MemKind.Null: r.SetNull(); return;
            case MemKind.Text or MemKind.Blob: r.SetInt(m.Length); return;
            default: r.SetInt(NumericText.ToUtf8(m).Length); return;
        }
    }

    private static void Quote(ReadOnlySpan<Mem> a, ref Mem r, bool unistr)
    {
        Mem m = a[0];
        switch (m.Kind)
        {
            case MemKind.Null:
                r.SetText("NULL"u8.ToArray());
                return;
            case MemKind.Int:
                r.SetText(NumericText.ToUtf8(m));
                return;
            case MemKind.Real:
                r.SetText(QuoteReal(m.R));
                return;
            case MemKind.Blob:
                {
                    var b = new ByteBuilder(m.Length * 2 + 3);
                    b.Append("X'");
                    b.Append(Convert.ToHexString(m.Span));
                    b.Append((byte)'\'');
                    b.SetText(ref r);
                    return;
                }
            default:
                r.SetText(Printf.Format(unistr ? "%#Q"u8 : "%Q"u8, [m]) ?? []);
                return;
        }
    }

    /// <summary>A real as quote() writes it: 15 significant digits, or 20 when those do not read back as the same value.</summary>
    public static byte[] QuoteReal(double v)
    {
        var arg = default(Mem);
        arg.Kind = MemKind.Real;
        arg.R = v;
        string s = Printf.Format("%!0.15g", arg);
        if (FloatDecimal.Parse(System.Text.Encoding.ASCII.GetBytes(s)) != v) s = Printf.Format("%!0.20e", arg);
        return System.Text.Encoding.ASCII.GetBytes(s);
    }

    private static void Random(ReadOnlySpan<Mem> a, ref Mem r)
    {
        long v = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
        if (v < 0) v = -(v & long.MaxValue);
        r.SetInt(v);
    }

    private static void RandomBlob(ReadOnlySpan<Mem> a, ref Mem r)
    {
        long n = ArgValues.Int64(a[0]);
        if (n < 1) n = 1;
        if (n > ArgValues.MaxLength) ArgValues.ThrowTooBig();
        byte[] b = RandomNumberGenerator.GetBytes((int)n);
        r.SetBytes(MemKind.Blob, b, 0, b.Length);
    }

    private static void ZeroBlob(ReadOnlySpan<Mem> a, ref Mem r)
    {
        long n = ArgValues.Int64(a[0]);
        if (n < 0) n = 0;
        if (n > ArgValues.MaxLength) ArgValues.ThrowTooBig();
        r.SetBytes(MemKind.Blob, new byte[n], 0, (int)n);
    }

    private static void Sign(ReadOnlySpan<Mem> a, ref Mem r)
    {
        Mem m = a[0];
        MemKind k = ArgValues.NumericType(ref m);
        if (k is not (MemKind.Int or MemKind.Real))
        {
            r.SetNull();
            return;
        }
        double x = ArgValues.Double(m);
        r.SetInt(x < 0 ? -1 : x > 0 ? 1 : 0);
    }

    private static void Unhex(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (a[0].IsNull || (a.Length > 1 && a[1].IsNull))
        {
            r.SetNull();
            return;
        }
        ReadOnlySpan<byte> hex = ArgValues.CString(NumericText.ToUtf8(a[0]));
        byte[] pass = a.Length > 1 ? NumericText.ToUtf8(a[1]) : [];
        var output = new byte[hex.Length / 2];
        int n = 0;
        int p = 0;
        while (p < hex.Length)
        {
            if (!IsHexDigit(hex[p]))
            {
                // Characters of the second argument may stand between (not inside) byte pairs.
                if (!ContainsChar(pass, ArgValues.ReadUtf8(hex, ref p)))
                {
                    r.SetNull();
                    return;
                }
                continue;
            }
            if (p + 1 >= hex.Length || !IsHexDigit(hex[p + 1]))
            {
                r.SetNull();
                return;
            }
            output[n++] = (byte)((HexValue(hex[p]) << 4) | HexValue(hex[p + 1]));
            p += 2;
        }
        r.SetBytes(MemKind.Blob, output, 0, n);
    }

    private static bool ContainsChar(byte[] set, uint ch)
    {
        int p = 0;
        while (p < set.Length)
        {
            if (ArgValues.ReadUtf8(set, ref p) == ch) return true;
        }
        return false;
    }

    private static bool IsHexDigit(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private static void Unicode(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (a[0].IsNull)
        {
            r.SetNull();
            return;
        }
        ReadOnlySpan<byte> s = ArgValues.CString(NumericText.ToUtf8(a[0]));
        if (s.Length == 0)
        {
            r.SetNull();
            return;
        }
        int p = 0;
        r.SetInt(ArgValues.ReadUtf8(s, ref p));
    }

    private static void Unistr(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (a[0].IsNull)
        {
            r.SetNull();
            return;
        }
        byte[] s = NumericText.ToUtf8(a[0]);
        var b = new ByteBuilder(s.Length);
        int i = 0;
        while (i < s.Length)
        {
            // Escapes are looked for only up to the first NUL; the rest is copied as it is.
            int nul = s.AsSpan(i).IndexOf((byte)0);
            int limit = nul < 0 ? s.Length : i + nul;
            int slash = s.AsSpan(i, limit - i).IndexOf((byte)'\\');
            if (slash < 0)
            {
                b.Append(s.AsSpan(i));
                break;
            }
            b.Append(s.AsSpan(i, slash));
            i += slash;
            byte next = i + 1 < s.Length ? s[i + 1] : (byte)0;
            if (next == '\\')
            {
                b.Append((byte)'\\');
                i += 2;
                continue;
            }
            (int skip, int digits) = next switch
            {
                (byte)'+' => (2, 6),
                (byte)'u' => (2, 4),
                (byte)'U' => (2, 8),
                _ => IsHexDigit(next) ? (1, 4) : (0, 0),
            };
            if (digits == 0 || !HexRun(s, i + skip, digits, out uint v))
                throw new TernException(ResultCode.Error, "invalid Unicode escape");
            i += skip + digits;
            ArgValues.AppendUtf8(b, v);
        }
        b.SetText(ref r);
    }

    private static bool HexRun(byte[] s, int start, int count, out uint v)
    {
        v = 0;
        if (start + count > s.Length) return false;
        for (int k = start; k < start + count; k++)
        {
            if (!IsHexDigit(s[k])) return false;
            v = (v << 4) | (uint)HexValue(s[k]);
        }
        return true;
    }

    private static void Trim(ReadOnlySpan<Mem> a, ref Mem r, bool left, bool right)
    {
        if (a[0].IsNull || a[1].IsNull)
        {
            r.SetNull();
            return;
        }
        ReadOnlySpan<byte> s = NumericText.ToUtf8(a[0]);
        ReadOnlySpan<byte> set = ArgValues.CString(NumericText.ToUtf8(a[1]));
        var chars = new List<byte[]>();
        for (int p = 0; p < set.Length;)
        {
            int start = p;
            if (set[p++] >= 0xC0)
            {
                while (p < set.Length && (set[p] & 0xC0) == 0x80) p++;
            }
            chars.Add(set[start..p].ToArray());
        }
        if (chars.Count > 0)
        {
            if (left)
            {
                for (int n; s.Length > 0 && (n = Match(s, chars, false)) > 0;) s = s[n..];
            }
            if (right)
            {
                for (int n; s.Length > 0 && (n = Match(s, chars, true)) > 0;) s = s[..^n];
            }
        }
        r.SetText(s.ToArray());
    }

    /// <summary>The length of the first character of the set found at the start (or end) of the text, or 0.</summary>
    private static int Match(ReadOnlySpan<byte> s, List<byte[]> chars, bool atEnd)
    {
        foreach (byte[] c in chars)
        {
            if (c.Length <= s.Length && (atEnd ? s[(s.Length - c.Length)..] : s[..c.Length]).SequenceEqual(c)) return c.Length;
        }
        return 0;
    }
}
