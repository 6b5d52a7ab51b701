// Serial types: the per-column codes in a record header that say what a column's content
// is and how many bytes of the record body it takes. Integers are big-endian two's
// complement; reals are IEEE-754 doubles stored big-endian.
//
//   serial type    content size     meaning
//   0              0                NULL
//   1              1                8-bit signed integer
//   2              2                16-bit signed integer
//   3              3                24-bit signed integer
//   4              4                32-bit signed integer
//   5              6                48-bit signed integer
//   6              8                64-bit signed integer
//   7              8                IEEE-754 64-bit float
//   8              0                the integer 0 (schema format 4 and later)
//   9              0                the integer 1 (schema format 4 and later)
//   10, 11         -                reserved for internal use; never in a well-formed file
//   N >= 12, even  (N - 12) / 2     BLOB of that many bytes
//   N >= 13, odd   (N - 13) / 2     TEXT of that many bytes (UTF-8 here)
//
// Writing picks the smallest integer encoding, always uses 8 and 9 for 0 and 1 (Tern writes
// schema format 4), and keeps a REAL a REAL even when its value is integral. SQLite never
// stores a NaN (it becomes NULL), so writing a NaN gives NULL, and a NaN read back from a
// file reads as NULL.
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Tern.Storage.Record;

/// <summary>The serial types of SQLite's record format: content sizes, choice, encoding and decoding.</summary>
internal static class SerialType
{
    /// <summary>NULL: no content.</summary>
    public const uint Null = 0;
    /// <summary>8-bit signed integer.</summary>
    public const uint Int8 = 1;
    /// <summary>16-bit big-endian signed integer.</summary>
    public const uint Int16 = 2;
    /// <summary>24-bit big-endian signed integer.</summary>
    public const uint Int24 = 3;
    /// <summary>32-bit big-endian signed integer.</summary>
    public const uint Int32 = 4;
    /// <summary>48-bit big-endian signed integer.</summary>
    public const uint Int48 = 5;
    /// <summary>64-bit big-endian signed integer.</summary>
    public const uint Int64 = 6;
    /// <summary>IEEE-754 64-bit float, big-endian.</summary>
    public const uint Real = 7;
    /// <summary>The integer 0, no content.</summary>
    public const uint Zero = 8;
    /// <summary>The integer 1, no content.</summary>
    public const uint One = 9;
    /// <summary>The smallest BLOB serial type (an empty blob); blobs are the even types from here.</summary>
    public const uint MinBlob = 12;
    /// <summary>The smallest TEXT serial type (an empty text); texts are the odd types from here.</summary>
    public const uint MinText = 13;

    // Content sizes of serial types 0..9 (10 and 11 are reserved).
    private static ReadOnlySpan<byte> FixedSizes => [0, 1, 2, 3, 4, 6, 8, 8, 0, 0];

    /// <summary>
    /// The content size of a serial type read from a record. Throws SQLITE_CORRUPT for the
    /// reserved types 10 and 11.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ContentSize(uint serialType)
    {
        if (serialType >= MinBlob)
        {
            return (int)((serialType - MinBlob) >> 1);
        }
        if (serialType >= 10)
        {
            return TernException.ThrowCorrupt<int>();
        }
        return FixedSizes[(int)serialType];
    }

    /// <summary>
    /// The content size of a serial type read from a record. Throws SQLITE_CORRUPT for the
    /// reserved types 10 and 11, and for types whose content could not fit in any record.
    /// </summary>
    public static int ContentSize(ulong serialType) =>
        serialType > uint.MaxValue ? TernException.ThrowCorrupt<int>() : ContentSize((uint)serialType);

    /// <summary>
    /// The storage class a (non-reserved) serial type holds. Type 7 is <see cref="ValueKind.Real"/>
    /// even when its content is a NaN (which <see cref="Read"/> turns into NULL).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueKind KindOf(uint serialType) => serialType switch
    {
        Null => ValueKind.Null,
        Real => ValueKind.Real,
        <= One => ValueKind.Integer,
        < MinBlob => TernException.ThrowCorrupt<ValueKind>(),
        _ => (serialType & 1) != 0 ? ValueKind.Text : ValueKind.Blob,
    };

    /// <summary>The serial type SQLite writes for an integer: 8 or 9 for 0 and 1, else the smallest of 1..6.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ForInteger(long value)
    {
        // Magnitude with the sign folded away: ~v for negatives maps -1..-128 to 0..127.
        ulong u = value < 0 ? ~(ulong)value : (ulong)value;
        if (u <= 0x7F)
        {
            return (ulong)value <= 1 ? Zero + (uint)value : Int8;
        }
        if (u <= 0x7FFF)
        {
            return Int16;
        }
        if (u <= 0x7F_FFFF)
        {
            return Int24;
        }
        if (u <= 0x7FFF_FFFF)
        {
            return Int32;
        }
        return u <= 0x7FFF_FFFF_FFFF ? Int48 : Int64;
    }

    /// <summary>
    /// The serial type a value is written with. TEXT and BLOB types grow with the length, so the
    /// result is a <see cref="ulong"/> (a 2^31-byte text would not fit a <see cref="uint"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong For(in Value value) => value.Kind switch
    {
        ValueKind.Integer => ForInteger(value.AsInteger),
        ValueKind.Real => double.IsNaN(value.AsReal) ? Null : Real,
        ValueKind.Text => ((ulong)(uint)value.AsBytes.Length << 1) + MinText,
        ValueKind.Blob => ((ulong)(uint)value.AsBytes.Length << 1) + MinBlob,
        _ => Null,
    };

    /// <summary>
    /// Writes a value's content for the serial type <see cref="For"/> chose for it, and returns the
    /// bytes written. <paramref name="destination"/> must have room for the content.
    /// </summary>
    public static int Write(ulong serialType, in Value value, Span<byte> destination)
    {
        switch (serialType)
        {
            case Null or Zero or One:
                return 0;
            case Real:
                BinaryPrimitives.WriteInt64BigEndian(destination, BitConverter.DoubleToInt64Bits(value.AsReal));
                return 8;
            case <= Int64:
                return WriteInteger((uint)serialType, value.AsInteger, destination);
            default:
                ReadOnlySpan<byte> bytes = value.AsBytes;
                bytes.CopyTo(destination);
                return bytes.Length;
        }
    }

    /// <summary>Writes an integer as serial type 1..6 (big-endian two's complement) and returns its size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteInteger(uint serialType, long value, Span<byte> destination)
    {
        switch (serialType)
        {
            case Int8:
                destination[0] = (byte)value;
                return 1;
            case Int16:
                BinaryPrimitives.WriteInt16BigEndian(destination, (short)value);
                return 2;
            case Int24:
                destination[2] = (byte)value;
                BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(value >> 8));
                return 3;
            case Int32:
                BinaryPrimitives.WriteInt32BigEndian(destination, (int)value);
                return 4;
            case Int48:
                BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)value);
                BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(value >> 32));
                return 6;
            case Int64:
                BinaryPrimitives.WriteInt64BigEndian(destination, value);
                return 8;
            default:
                ThrowNotInteger(serialType);
                return 0;
        }
    }

    /// <summary>
    /// Reads the integer of serial type 0..6, 8 or 9 from the start of <paramref name="content"/>
    /// (NULL reads as 0). The caller has checked that the content lies inside the record.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ReadInteger(uint serialType, ReadOnlySpan<byte> content)
    {
        switch (serialType)
        {
            case Int8:
                return (sbyte)content[0];
            case Int16:
                return BinaryPrimitives.ReadInt16BigEndian(content);
            case Int24:
                return ((long)(sbyte)content[0] << 16) | BinaryPrimitives.ReadUInt16BigEndian(content[1..]);
            case Int32:
                return BinaryPrimitives.ReadInt32BigEndian(content);
            case Int48:
                return ((long)BinaryPrimitives.ReadInt16BigEndian(content) << 32) | BinaryPrimitives.ReadUInt32BigEndian(content[2..]);
            case Int64:
                return BinaryPrimitives.ReadInt64BigEndian(content);
            case One:
                return 1;
            case Null or Zero:
                return 0;
            default:
                ThrowNotInteger(serialType);
                return 0;
        }
    }

    /// <summary>Reads a serial type 7 double (big-endian IEEE-754) from the start of <paramref name="content"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ReadReal(ReadOnlySpan<byte> content) =>
        BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(content));

    /// <summary>
    /// Decodes a column's content into a <see cref="Value"/>; <paramref name="content"/> is exactly
    /// the column's content. Allocates only for TEXT and BLOB. A stored NaN reads as NULL, as in SQLite.
    /// </summary>
    public static Value Read(uint serialType, ReadOnlySpan<byte> content)
    {
        switch (serialType)
        {
            case Null:
                return Value.Null;
            case Real:
                double d = ReadReal(content);
                return double.IsNaN(d) ? Value.Null : Value.FromReal(d);
            case <= One:
                return Value.FromInteger(ReadInteger(serialType, content));
            case < MinBlob:
                return TernException.ThrowCorrupt<Value>();
            default:
                return (serialType & 1) != 0 ? Value.FromUtf8(content.ToArray()) : Value.FromBlob(content.ToArray());
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotInteger(uint serialType) =>
        throw new ArgumentOutOfRangeException(nameof(serialType), serialType, "Not an integer serial type.");
}
