// Text that keeps every byte. SQLite takes SQL text as bytes and stores a string literal's
// bytes as they are, even where they are not UTF-8 (hex('a<FF><FE>b') is 61FFFE62). The
// parser and the engine work on .NET strings, so bytes that do not form UTF-8 are carried
// through a string as lone low surrogates, one per byte:
//
//   byte sequence                          string
//   -------------------------------------  ------------------------------------------
//   well-formed UTF-8 (U+0000..U+10FFFF,   the characters it encodes
//   no surrogates, shortest form)
//   any other byte B (0x80..0xFF)          the lone surrogate U+DC00 + B (U+DC80..U+DCFF)
//
// Well-formed UTF-8 never decodes to a lone surrogate, so the mapping is reversible:
// Encode turns such a surrogate back into its byte, and text without them encodes as
// plain UTF-8 (both directions take the framework's fast paths for well-formed text).
using System.Diagnostics;
using System.Text;
using System.Text.Unicode;

namespace Tern.Sql;

/// <summary>Byte-preserving conversions between UTF-8 input and strings.</summary>
public static class RawUtf8
{
    private const char EscapeBase = '\uDC00';

    /// <summary>Whether <paramref name="c"/> stands for a byte that was not UTF-8.</summary>
    public static bool IsEscapedByte(char c) => c is >= '\uDC80' and <= '\uDCFF';

    /// <summary>
    /// Decodes one character (or surrogate pair) from <paramref name="bytes"/>; returns how many
    /// bytes it took. A byte that does not start a well-formed sequence becomes an escaped byte.
    /// </summary>
    public static int DecodeOne(ReadOnlySpan<byte> bytes, out int codePoint, out bool escaped)
    {
        Debug.Assert(bytes.Length > 0);
        byte b0 = bytes[0];
        escaped = false;
        if (b0 < 0x80)
        {
            codePoint = b0;
            return 1;
        }
        int need;
        int min;
        int cp;
        if (b0 is >= 0xC2 and <= 0xDF) { need = 1; min = 0x80; cp = b0 & 0x1F; }
        else if (b0 is >= 0xE0 and <= 0xEF) { need = 2; min = 0x800; cp = b0 & 0x0F; }
        else if (b0 is >= 0xF0 and <= 0xF4) { need = 3; min = 0x10000; cp = b0 & 0x07; }
        else return Escape(b0, out codePoint, out escaped);
        if (bytes.Length <= need) return Escape(b0, out codePoint, out escaped);
        for (int i = 1; i <= need; i++)
        {
            byte b = bytes[i];
            if ((b & 0xC0) != 0x80) return Escape(b0, out codePoint, out escaped);
            cp = (cp << 6) | (b & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || cp is >= 0xD800 and <= 0xDFFF) return Escape(b0, out codePoint, out escaped);
        codePoint = cp;
        return need + 1;
    }

    private static int Escape(byte b, out int codePoint, out bool escaped)
    {
        codePoint = EscapeBase + b;
        escaped = true;
        return 1;
    }

    /// <summary>Decodes bytes into a string, escaping bytes that are not UTF-8.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes)) return Encoding.UTF8.GetString(bytes);
        var sb = new StringBuilder(bytes.Length);
        int i = 0;
        while (i < bytes.Length)
        {
            i += DecodeOne(bytes[i..], out int cp, out bool escaped);
            if (escaped || cp < 0x10000) sb.Append((char)cp);
            else sb.Append(char.ConvertFromUtf32(cp));
        }
        return sb.ToString();
    }

    /// <summary>The number of bytes <see cref="Encode(ReadOnlySpan{char})"/> produces for <paramref name="s"/>.</summary>
    public static int ByteCount(ReadOnlySpan<char> s)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                n += 4;
                i++;
            }
            else if (IsEscapedByte(c)) n++;
            else n += 3;
        }
        return n;
    }

    /// <summary>Encodes a string as UTF-8, turning escaped bytes back into the bytes they stand for.</summary>
    public static byte[] Encode(ReadOnlySpan<char> s)
    {
        if (s.IndexOfAnyInRange('\uDC80', '\uDCFF') < 0)
        {
            var plain = new byte[Encoding.UTF8.GetByteCount(s)];
            Encoding.UTF8.GetBytes(s, plain);
            return plain;
        }
        var bytes = new byte[ByteCount(s)];
        int o = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c < 0x80)
            {
                bytes[o++] = (byte)c;
            }
            else if (c < 0x800)
            {
                bytes[o++] = (byte)(0xC0 | (c >> 6));
                bytes[o++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                int cp = char.ConvertToUtf32(c, s[++i]);
                bytes[o++] = (byte)(0xF0 | (cp >> 18));
                bytes[o++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                bytes[o++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                bytes[o++] = (byte)(0x80 | (cp & 0x3F));
            }
            else if (IsEscapedByte(c))
            {
                bytes[o++] = (byte)(c - EscapeBase);
            }
            else
            {
                // A lone surrogate from elsewhere (not produced by Decode) has no UTF-8 form:
                // U+FFFD, as Encoding.UTF8 writes it.
                char w = char.IsSurrogate(c) ? '\uFFFD' : c;
                bytes[o++] = (byte)(0xE0 | (w >> 12));
                bytes[o++] = (byte)(0x80 | ((w >> 6) & 0x3F));
                bytes[o++] = (byte)(0x80 | (w & 0x3F));
            }
        }
        Debug.Assert(o == bytes.Length);
        return bytes;
    }
}
