// Builds SQLite records: the byte strings a table row or an index entry is stored as.
// A record is a header followed by a body:
//
//   +-------------+---------+---------+-----+---------+-----------+-----------+-----+
//   | header size | type 0  | type 1  | ... | type N-1| content 0 | content 1 | ... |
//   |  (varint)   | (varint)| (varint)|     | (varint)|           |           |     |
//   +-------------+---------+---------+-----+---------+-----------+-----------+-----+
//   |<------------------ header size bytes ---------->|<---------- body ----------->|
//
// The header size counts its own varint, which makes it self-referential: for 127 bytes of
// serial types the header is 129 bytes (a 2-byte size varint), not 128. Contents follow in
// column order, each as long as its serial type says (see SerialType), with no padding.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Tern.Storage.Record;

/// <summary>Encodes values into SQLite's record format.</summary>
internal static class RecordEncoder
{
    /// <summary>
    /// The size in bytes of the record of <paramref name="values"/>. Throws SQLITE_TOOBIG when the
    /// record would exceed <see cref="int.MaxValue"/> bytes.
    /// </summary>
    public static int ComputeSize(ReadOnlySpan<Value> values)
    {
        Measure(values, out int headerSize, out int bodySize);
        return headerSize + bodySize;
    }

    /// <summary>
    /// Writes the record of <paramref name="values"/> to the start of <paramref name="destination"/>
    /// and returns its size. Throws <see cref="ArgumentException"/> when the destination is smaller
    /// than <see cref="ComputeSize"/>.
    /// </summary>
    public static int Encode(ReadOnlySpan<Value> values, Span<byte> destination)
    {
        Measure(values, out int headerSize, out int bodySize);
        int size = headerSize + bodySize;
        if (destination.Length < size)
        {
            ThrowTooShort();
        }
        Write(values, headerSize, destination[..size]);
        return size;
    }

    /// <summary>Returns the record of <paramref name="values"/> in a new array.</summary>
    public static byte[] Encode(ReadOnlySpan<Value> values)
    {
        Measure(values, out int headerSize, out int bodySize);
        byte[] record = GC.AllocateUninitializedArray<byte>(headerSize + bodySize);
        Write(values, headerSize, record);
        return record;
    }

    /// <summary>
    /// The header size (including its own varint) and the body size of a record, which are all the
    /// encoder needs before writing. The serial types are recomputed while writing: cheaper than
    /// storing them anywhere.
    /// </summary>
    private static void Measure(ReadOnlySpan<Value> values, out int headerSize, out int bodySize)
    {
        long typeBytes = 0;
        long body = 0;
        foreach (ref readonly Value value in values)
        {
            ulong serialType = SerialType.For(value);
            typeBytes += Varint.Length(serialType);
            body += ContentSize(serialType);
        }

        // The size varint counts itself; adding it can push the total over a varint boundary,
        // in which case the varint needs one more byte (it can only ever grow by one).
        int sizeLength = Varint.Length((ulong)typeBytes);
        long header = typeBytes + sizeLength;
        if (Varint.Length((ulong)header) > sizeLength)
        {
            header++;
        }

        if (header + body > int.MaxValue)
        {
            TernException.Throw(ResultCode.TooBig);
        }
        headerSize = (int)header;
        bodySize = (int)body;
    }

    /// <summary>The content size of a serial type chosen by the encoder (never reserved, possibly huge).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long ContentSize(ulong serialType) =>
        serialType >= SerialType.MinBlob ? (long)((serialType - SerialType.MinBlob) >> 1) : SerialType.ContentSize((uint)serialType);

    /// <summary>Writes header and body into <paramref name="record"/>, which is exactly the record's size.</summary>
    private static void Write(ReadOnlySpan<Value> values, int headerSize, Span<byte> record)
    {
        int h = Varint.Write(record, (ulong)headerSize);
        int b = headerSize;
        foreach (ref readonly Value value in values)
        {
            ulong serialType = SerialType.For(value);
            h += Varint.Write(record[h..], serialType);
            b += SerialType.Write(serialType, value, record[b..]);
        }
    }

    [DoesNotReturn]
    private static void ThrowTooShort() =>
        throw new ArgumentException("The destination is smaller than the record.", "destination");
}
