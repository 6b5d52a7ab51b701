// The checksum of SQLite's write-ahead log: two 32-bit running sums over a sequence of
// 32-bit words taken in pairs. It protects the WAL header and chains through every frame
// (each frame's checksum continues from the one before it), and, with the words taken in
// the machine's own order, it protects the wal-index header too.
//
//   for each pair of words (x0, x1):
//       s1 += x0 + s2
//       s2 += x1 + s1          (all arithmetic modulo 2^32)
//
// The words are read big-endian or little-endian: the WAL's magic number says which
// (0x377f0683 big-endian, 0x377f0682 little-endian); the wal-index uses native order.
// Input is always a whole number of 8-byte pairs.
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Tern.Storage.Wal;

/// <summary>The pair of running sums of a WAL checksum (checksum-1 and checksum-2).</summary>
/// <param name="S1">The first sum (stored first in a header).</param>
/// <param name="S2">The second sum.</param>
public readonly record struct WalChecksum(uint S1, uint S2)
{
    /// <summary>The starting state (both sums zero).</summary>
    public static WalChecksum Zero => default;

    /// <summary>
    /// Continues this checksum over <paramref name="data"/> (a multiple of 8 bytes), reading
    /// words big-endian when <paramref name="bigEndian"/> is set and little-endian otherwise.
    /// </summary>
    public WalChecksum Add(ReadOnlySpan<byte> data, bool bigEndian)
    {
        if ((data.Length & 7) != 0) TernException.Throw(ResultCode.Misuse);
        uint s1 = S1, s2 = S2;
        ReadOnlySpan<uint> words = MemoryMarshal.Cast<byte, uint>(data);
        bool native = bigEndian != BitConverter.IsLittleEndian;
        int i = 0;
        if (native)
        {
            for (; i + 8 <= words.Length; i += 8)
            {
                s1 += words[i] + s2; s2 += words[i + 1] + s1;
                s1 += words[i + 2] + s2; s2 += words[i + 3] + s1;
                s1 += words[i + 4] + s2; s2 += words[i + 5] + s1;
                s1 += words[i + 6] + s2; s2 += words[i + 7] + s1;
            }
            for (; i < words.Length; i += 2)
            {
                s1 += words[i] + s2; s2 += words[i + 1] + s1;
            }
        }
        else
        {
            for (; i < words.Length; i += 2)
            {
                s1 += BinaryPrimitives.ReverseEndianness(words[i]) + s2;
                s2 += BinaryPrimitives.ReverseEndianness(words[i + 1]) + s1;
            }
        }
        return new WalChecksum(s1, s2);
    }

    /// <summary>The checksum of <paramref name="data"/> from the zero state.</summary>
    public static WalChecksum Compute(ReadOnlySpan<byte> data, bool bigEndian) => Zero.Add(data, bigEndian);

    /// <summary>Reads a checksum stored as two big-endian words (as in WAL and frame headers).</summary>
    public static WalChecksum ReadBigEndian(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt32BigEndian(source), BinaryPrimitives.ReadUInt32BigEndian(source[4..]));

    /// <summary>Writes the checksum as two big-endian words.</summary>
    public void WriteBigEndian(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, S1);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], S2);
    }
}
