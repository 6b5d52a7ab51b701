// SQLite's variable-length integer ("varint"): a 64-bit unsigned integer in 1 to 9 bytes,
// most significant group first. Each of the first eight bytes gives 7 bits and says, in its
// high bit, whether another byte follows; a ninth byte, when reached, gives all 8 of its bits.
// Small values are short, and every 64-bit value fits (negative integers, read as unsigned,
// always take 9 bytes).
//
//   bytes  layout (c = continuation bit, x = value bits)             value bits  largest value
//   1      0xxxxxxx                                                   7           0x7F
//   2      1xxxxxxx 0xxxxxxx                                          14          0x3FFF
//   3      1xxxxxxx 1xxxxxxx 0xxxxxxx                                 21          0x1FFFFF
//   ...    (7 more bits per byte)
//   8      1xxxxxxx * 7, 0xxxxxxx                                     56          2^56 - 1
//   9      1xxxxxxx * 8, xxxxxxxx  (last byte: all 8 bits, no flag)   64          2^64 - 1
//
// Example: 128 = 0b1_0000000 is written 0x81 0x00; 300 = 0b10_0101100 is written 0x82 0x2C.
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Tern.Storage.Record;

/// <summary>Reads and writes SQLite varints (1 to 9 bytes, big-endian, 7 bits per byte then 8).</summary>
internal static class Varint
{
    /// <summary>The most bytes a varint takes.</summary>
    public const int MaxLength = 9;

    /// <summary>
    /// Reads a varint from the start of <paramref name="p"/> and returns the bytes it took (1..9).
    /// Never reads past the end of <paramref name="p"/>: a varint cut short by the end of the span
    /// throws SQLITE_CORRUPT.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Read(ReadOnlySpan<byte> p, out ulong value)
    {
        if (p.Length >= 1)
        {
            uint b0 = p[0];
            if (b0 < 0x80)
            {
                value = b0;
                return 1;
            }
            if (p.Length >= 2)
            {
                uint b1 = p[1];
                if (b1 < 0x80)
                {
                    value = ((b0 & 0x7F) << 7) | b1;
                    return 2;
                }
            }
        }
        // The slow path writes a temporary: passing `value` itself to a non-inlined method would
        // expose the caller's local to memory and keep it out of registers on the fast path.
        int n = ReadSlow(p, out ulong slow);
        value = slow;
        return n;
    }

    /// <summary>
    /// Reads a varint like <see cref="Read"/>, but returns 0 (and a value of 0) instead of throwing
    /// when the span ends before the varint does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TryRead(ReadOnlySpan<byte> p, out ulong value)
    {
        if (p.Length >= 1)
        {
            uint b0 = p[0];
            if (b0 < 0x80)
            {
                value = b0;
                return 1;
            }
            if (p.Length >= 2)
            {
                uint b1 = p[1];
                if (b1 < 0x80)
                {
                    value = ((b0 & 0x7F) << 7) | b1;
                    return 2;
                }
            }
        }
        int n = TryReadGeneral(p, out ulong slow);
        value = slow;
        return n;
    }

    /// <summary>
    /// Reads a varint whose value is expected to be small (a record header size, a serial type):
    /// values above <see cref="uint.MaxValue"/> saturate to <see cref="uint.MaxValue"/>, which every
    /// caller then rejects as out of bounds. Returns the bytes taken (1..9); a truncated varint
    /// throws SQLITE_CORRUPT.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Read32(ReadOnlySpan<byte> p, out uint value)
    {
        if (p.Length >= 1)
        {
            uint b0 = p[0];
            if (b0 < 0x80)
            {
                value = b0;
                return 1;
            }
            if (p.Length >= 2)
            {
                uint b1 = p[1];
                if (b1 < 0x80)
                {
                    value = ((b0 & 0x7F) << 7) | b1;
                    return 2;
                }
            }
        }
        int n = Read32Slow(p, out uint slow);
        value = slow;
        return n;
    }

    /// <summary>The number of bytes (1..9) the varint of <paramref name="value"/> takes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Length(ulong value)
    {
        if (value <= 0x7F)
        {
            return 1;
        }
        // Significant bits, then 7 per byte up to 56 bits; beyond that, 9 bytes.
        uint bits = 64 - (uint)BitOperations.LeadingZeroCount(value);
        return bits > 56 ? 9 : (int)((bits + 6) / 7);
    }

    /// <summary>
    /// Writes the varint of <paramref name="value"/> at the start of <paramref name="p"/> and returns
    /// the bytes written (1..9). Throws <see cref="ArgumentException"/> when <paramref name="p"/> is too short.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Write(Span<byte> p, ulong value)
    {
        if (value <= 0x7F && p.Length >= 1)
        {
            p[0] = (byte)value;
            return 1;
        }
        if (value <= 0x3FFF && p.Length >= 2)
        {
            p[0] = (byte)(0x80 | (value >> 7));
            p[1] = (byte)(value & 0x7F);
            return 2;
        }
        return WriteSlow(p, value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ReadSlow(ReadOnlySpan<byte> p, out ulong value)
    {
        int n = TryReadGeneral(p, out value);
        if (n == 0)
        {
            TernException.ThrowCorrupt();
        }
        return n;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Read32Slow(ReadOnlySpan<byte> p, out uint value)
    {
        int n = TryReadGeneral(p, out ulong v);
        if (n == 0)
        {
            TernException.ThrowCorrupt();
        }
        value = v > uint.MaxValue ? uint.MaxValue : (uint)v;
        return n;
    }

    /// <summary>The general decoder: any length, bounded by the span; 0 when truncated.</summary>
    private static int TryReadGeneral(ReadOnlySpan<byte> p, out ulong value)
    {
        ulong v = 0;
        int limit = p.Length < 8 ? p.Length : 8;
        for (int i = 0; i < limit; i++)
        {
            uint b = p[i];
            v = (v << 7) | (b & 0x7F);
            if (b < 0x80)
            {
                value = v;
                return i + 1;
            }
        }
        if (p.Length >= 9)
        {
            value = (v << 8) | p[8];
            return 9;
        }
        value = 0;
        return 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteSlow(Span<byte> p, ulong value)
    {
        int n = Length(value);
        if (p.Length < n)
        {
            ThrowTooShort();
        }
        if (n == 9)
        {
            // The ninth byte takes the low 8 bits; the first eight take 7 bits each, flagged.
            p[8] = (byte)value;
            value >>= 8;
            for (int i = 7; i >= 0; i--)
            {
                p[i] = (byte)(0x80 | (value & 0x7F));
                value >>= 7;
            }
            return 9;
        }
        p[n - 1] = (byte)(value & 0x7F);
        value >>= 7;
        for (int i = n - 2; i >= 0; i--)
        {
            p[i] = (byte)(0x80 | (value & 0x7F));
            value >>= 7;
        }
        return n;
    }

    [DoesNotReturn]
    private static void ThrowTooShort() =>
        throw new ArgumentException("The destination is too short for the varint.", "p");
}
