// How the built-in functions read their arguments, with the conversions SQLite's value
// accessors make: an integer taken from text keeps only its leading decimal digits
// ('1e3' gives 1, too many digits give the nearest 64-bit limit), a double taken from
// text its longest numeric prefix, the text of a number its canonical rendering, and
// "numeric type" applies numeric affinity to a text that is wholly a number. Also here:
// SQLite's lenient UTF-8 reader and writer (any code point up to 21 bits is written,
// surrogates included), and a growable byte buffer that enforces the length limit.
using Tern.Vdbe;

namespace Tern.Functions;

/// <summary>Argument conversions shared by the built-in functions.</summary>
internal static class ArgValues
{
    /// <summary>The largest string or blob a function may produce (SQLITE_MAX_LENGTH).</summary>
    public const long MaxLength = 1_000_000_000;

    /// <summary>The value as a 64-bit integer (NULL is 0).</summary>
    public static long Int64(in Mem m) => m.Kind switch
    {
        MemKind.Int => m.I,
        MemKind.Real => NumericText.RealToInt(m.R),
        MemKind.Text or MemKind.Blob => LeadingInteger(m.Span),
        _ => 0,
    };

    /// <summary>The integer spelled by the leading digits of a text (after spaces and a sign).</summary>
    public static long LeadingInteger(ReadOnlySpan<byte> s)
    {
        int p = 0;
        while (p < s.Length && IsSpace(s[p])) p++;
        bool negative = false;
        if (p < s.Length && (s[p] == '-' || s[p] == '+'))
        {
            negative = s[p] == '-';
            p++;
        }
        UInt128 v = 0;
        bool overflow = false;
        for (; p < s.Length && s[p] >= '0' && s[p] <= '9'; p++)
        {
            if (overflow) continue;
            v = v * 10 + (uint)(s[p] - '0');
            if (v > (UInt128)ulong.MaxValue) overflow = true;
        }
        const ulong limit = 9223372036854775808UL;
        if (negative)
        {
            if (overflow || v >= limit) return long.MinValue;
            return -(long)(ulong)v;
        }
        if (overflow || v >= limit) return long.MaxValue;
        return (long)(ulong)v;
    }

    /// <summary>The value as a double (NULL is 0.0).</summary>
    public static double Double(in Mem m) => NumericText.ToDouble(m);

    /// <summary>The value's text as UTF-8 bytes, or null for NULL.</summary>
    public static byte[]? Text(in Mem m) => m.IsNull ? null : NumericText.ToUtf8(m);

    /// <summary>The text up to (not including) its first NUL byte, as C string functions see it.</summary>
    public static ReadOnlySpan<byte> CString(ReadOnlySpan<byte> s)
    {
        int z = s.IndexOf((byte)0);
        return z < 0 ? s : s[..z];
    }

    /// <summary>
    /// Applies numeric affinity to a text that is wholly a number (no integer conversion of
    /// reals: '5.0' stays 5.0) and returns the resulting storage class.
    /// </summary>
    public static MemKind NumericType(ref Mem m)
    {
        if (m.Kind == MemKind.Text && NumericText.TryParseWhole(m.Span, out long i, out double r, out bool isInt))
        {
            if (isInt) m.SetInt(i);
            else
            {
                m.Kind = MemKind.Real;
                m.R = r;
            }
            m.Bytes = null;
        }
        return m.Kind;
    }

    /// <summary>Whether a byte is a space to SQLite (space, tab, newline, vertical tab, form feed, carriage return).</summary>
    public static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or 0x0b or (byte)'\f' or (byte)'\r';

    /// <summary>
    /// Reads one character the way SQLite does: a lead byte of 0xC0 or more takes every
    /// continuation byte that follows; overlong forms, surrogates and U+FFFE/U+FFFF read as
    /// U+FFFD; any other byte is its own value.
    /// </summary>
    public static uint ReadUtf8(ReadOnlySpan<byte> s, ref int pos)
    {
        uint c = s[pos++];
        if (c < 0xC0) return c;
        c = c switch
        {
            < 0xE0 => c - 0xC0,
            < 0xF0 => c - 0xE0,
            < 0xF8 => c - 0xF0,
            < 0xFC => c - 0xF8,
            < 0xFE => c - 0xFC,
            _ => 0,
        };
        while (pos < s.Length && (s[pos] & 0xC0) == 0x80) c = (c << 6) + (uint)(s[pos++] & 0x3F);
        if (c < 0x80 || (c & 0xFFFFF800) == 0xD800 || (c & 0xFFFFFFFE) == 0xFFFE) c = 0xFFFD;
        return c;
    }

    /// <summary>Writes a code point (up to 21 bits, not validated) as one to four UTF-8 bytes.</summary>
    public static void AppendUtf8(ByteBuilder b, uint v)
    {
        if (v < 0x80) b.Append((byte)v);
        else if (v < 0x800)
        {
            b.Append((byte)(0xC0 | ((v >> 6) & 0x1F)));
            b.Append((byte)(0x80 | (v & 0x3F)));
        }
        else if (v < 0x10000)
        {
            b.Append((byte)(0xE0 | ((v >> 12) & 0x0F)));
            b.Append((byte)(0x80 | ((v >> 6) & 0x3F)));
            b.Append((byte)(0x80 | (v & 0x3F)));
        }
        else
        {
            b.Append((byte)(0xF0 | ((v >> 18) & 0x07)));
            b.Append((byte)(0x80 | ((v >> 12) & 0x3F)));
            b.Append((byte)(0x80 | ((v >> 6) & 0x3F)));
            b.Append((byte)(0x80 | (v & 0x3F)));
        }
    }

    /// <summary>Throws SQLITE_TOOBIG ("string or blob too big").</summary>
    public static void ThrowTooBig() => TernException.Throw(ResultCode.TooBig);
}

/// <summary>A growable byte buffer for building function results.</summary>
internal sealed class ByteBuilder
{
    private byte[] _buffer;
    private int _length;

    public ByteBuilder(int capacity = 32) => _buffer = new byte[Math.Max(capacity, 8)];

    public int Length => _length;

    /// <summary>Set when the result exceeded <see cref="ArgValues.MaxLength"/>; the content is then incomplete.</summary>
    public bool TooBig { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Append(byte b)
    {
        if (!Reserve(1)) return;
        _buffer[_length++] = b;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (!Reserve(bytes.Length)) return;
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Append(string ascii)
    {
        if (!Reserve(ascii.Length)) return;
        foreach (char c in ascii) _buffer[_length++] = (byte)c;
    }

    public void AppendRepeat(byte b, long count)
    {
        if (count <= 0 || !Reserve(count)) return;
        _buffer.AsSpan(_length, (int)count).Fill(b);
        _length += (int)count;
    }

    /// <summary>Makes room for <paramref name="n"/> more bytes; false (and TooBig) past the length limit.</summary>
    private bool Reserve(long n)
    {
        if (TooBig) return false;
        if (_length + n > ArgValues.MaxLength)
        {
            TooBig = true;
            return false;
        }
        if (_length + n > _buffer.Length)
        {
            long size = Math.Max(_length + n, Math.Min(2L * _buffer.Length, ArgValues.MaxLength));
            Array.Resize(ref _buffer, (int)size);
        }
        return true;
    }

    /// <summary>Records that the result would outgrow the limit.</summary>
    public void MarkTooBig() => TooBig = true;

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    /// <summary>The content as a TEXT result, or SQLITE_TOOBIG when it outgrew the limit.</summary>
    public void SetText(ref Mem result)
    {
        if (TooBig) ArgValues.ThrowTooBig();
        result.SetText(ToArray());
    }

    /// <summary>The content as a BLOB result, or SQLITE_TOOBIG when it outgrew the limit.</summary>
    public void SetBlob(ref Mem result)
    {
        if (TooBig) ArgValues.ThrowTooBig();
        byte[] b = ToArray();
        result.SetBytes(MemKind.Blob, b, 0, b.Length);
    }
}
