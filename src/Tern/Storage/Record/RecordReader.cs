// Reads columns out of a SQLite record (layout: see RecordEncoder) without copying it.
// The header is parsed lazily, only as far as the highest column asked for, into a table of
// packed entries, one 64-bit word per column:
//
//   bit 63 ............ 32 | 31 ............. 0
//   content offset (int)   | serial type (uint)
//
// The table lives in a buffer the caller passes in (typically stackalloc'd, or an array a
// cursor reuses across rows); when a record has more columns than the buffer holds, the
// reader moves to an array of its own. Everything taken from the record is bounds-checked
// before use: a header size past the record's end, a serial-type varint crossing the header's
// end, a reserved serial type (10, 11), a content running past the record's end, or a body
// that does not end exactly where the record does (checked once the whole header has been
// read, as SQLite's OP_Column does) all throw SQLITE_CORRUPT. Columns past the last one in
// the header read as NULL: that is how rows written before an ALTER TABLE ADD COLUMN read.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Tern.Storage.Record;

/// <summary>A zero-copy reader of one SQLite record's columns.</summary>
internal ref struct RecordReader
{
    /// <summary>A good size for a stackalloc'd column buffer: records wider than this still work.</summary>
    public const int DefaultBufferLength = 32;

    private readonly ReadOnlySpan<byte> _record;
    private Span<ulong> _columns;      // packed (content offset << 32 | serial type), one per parsed column
    private readonly int _headerSize;  // the header's size, including its size varint
    private int _headerPos;            // the next header byte to parse
    private int _contentPos;           // the content offset of the next column to parse
    private int _parsed;               // columns parsed so far

    /// <summary>
    /// Opens a record with a column buffer of its own (allocated when the header is first parsed).
    /// Prefer the overload taking a buffer on hot paths.
    /// </summary>
    public RecordReader(ReadOnlySpan<byte> record)
        : this(record, default)
    {
    }

    /// <summary>
    /// Opens a record, parsing its header into <paramref name="columns"/> (one entry per column, for
    /// as many columns as are read). A too-small or empty buffer is replaced by an allocated one as
    /// needed. Throws SQLITE_CORRUPT when the header size is not within the record.
    /// </summary>
    public RecordReader(ReadOnlySpan<byte> record, Span<ulong> columns)
    {
        int n = Varint.Read32(record, out uint headerSize);
        if (headerSize < (uint)n || headerSize > (uint)record.Length)
        {
            TernException.ThrowCorrupt();
        }
        _record = record;
        _columns = columns;
        _headerSize = (int)headerSize;
        _headerPos = n;
        _contentPos = (int)headerSize;
        _parsed = 0;
        if (n == _headerSize && record.Length != _headerSize)
        {
            // No columns at all, yet a body: the body cannot belong to anything.
            TernException.ThrowCorrupt();
        }
    }

    /// <summary>The number of columns in the record's header (parses the whole header).</summary>
    public int ColumnCount
    {
        get
        {
            if (_headerPos < _headerSize)
            {
                ParseThrough(int.MaxValue);
            }
            return _parsed;
        }
    }

    /// <summary>The serial type of column <paramref name="i"/>; 0 (NULL) for a column past the header's end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong GetSerialType(int i) => (uint)Entry(i);

    /// <summary>The storage class of column <paramref name="i"/> as stored (a NaN REAL reports Real; <see cref="GetValue"/> gives NULL).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueKind GetKind(int i) => SerialType.KindOf((uint)Entry(i));

    /// <summary>Whether column <paramref name="i"/> is NULL (including a column past the header's end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsNull(int i) => (uint)Entry(i) == SerialType.Null;

    /// <summary>Column <paramref name="i"/> as a <see cref="Value"/>; allocates only for TEXT and BLOB.</summary>
    public Value GetValue(int i)
    {
        ulong e = Entry(i);
        uint serialType = (uint)e;
        return SerialType.Read(serialType, _record.Slice((int)(e >> 32), SerialType.ContentSize(serialType)));
    }

    /// <summary>
    /// Column <paramref name="i"/> as an integer, without allocating: an INTEGER as is, NULL as 0, a
    /// REAL converted the way SQLite converts (truncated toward zero, saturated, NaN as 0).
    /// </summary>
    /// <exception cref="InvalidOperationException">The column is TEXT or BLOB.</exception>
    public long GetInt64(int i)
    {
        ulong e = Entry(i);
        uint serialType = (uint)e;
        if (serialType == SerialType.Real)
        {
            return RealToInt64(SerialType.ReadReal(_record[(int)(e >> 32)..]));
        }
        if (serialType >= SerialType.MinBlob)
        {
            ThrowNotNumeric(i);
        }
        return SerialType.ReadInteger(serialType, _record[(int)(e >> 32)..]);
    }

    /// <summary>Column <paramref name="i"/> as a double, without allocating: a REAL as is, an INTEGER converted, NULL as 0.0.</summary>
    /// <exception cref="InvalidOperationException">The column is TEXT or BLOB.</exception>
    public double GetDouble(int i)
    {
        ulong e = Entry(i);
        uint serialType = (uint)e;
        if (serialType == SerialType.Real)
        {
            return SerialType.ReadReal(_record[(int)(e >> 32)..]);
        }
        if (serialType >= SerialType.MinBlob)
        {
            ThrowNotNumeric(i);
        }
        return SerialType.ReadInteger(serialType, _record[(int)(e >> 32)..]);
    }

    /// <summary>
    /// The content of column <paramref name="i"/>, a slice of the record: TEXT (UTF-8) or BLOB bytes;
    /// empty for NULL.
    /// </summary>
    /// <exception cref="InvalidOperationException">The column is an INTEGER or a REAL.</exception>
    public ReadOnlySpan<byte> GetBytes(int i)
    {
        ulong e = Entry(i);
        uint serialType = (uint)e;
        if (serialType < SerialType.MinBlob)
        {
            if (serialType == SerialType.Null)
            {
                return default;
            }
            ThrowNotBytes(i);
        }
        return _record.Slice((int)(e >> 32), (int)((serialType - SerialType.MinBlob) >> 1));
    }

    /// <summary>
    /// The raw content of column <paramref name="i"/> (a slice of the record, as long as its serial
    /// type says; empty for NULL, 0, 1 and columns past the header).
    /// </summary>
    public ReadOnlySpan<byte> GetContent(int i)
    {
        ulong e = Entry(i);
        return _record.Slice((int)(e >> 32), SerialType.ContentSize((uint)e));
    }

    /// <summary>Decodes a whole record into a new array of values (a convenience for tests and tools).</summary>
    public static Value[] Decode(ReadOnlySpan<byte> record)
    {
        var reader = new RecordReader(record, stackalloc ulong[DefaultBufferLength]);
        int count = reader.ColumnCount;
        var values = new Value[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = reader.GetValue(i);
        }
        return values;
    }

    /// <summary>The packed entry of column i, parsing the header up to it when needed; 0 past the header's end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Entry(int i)
    {
        if ((uint)i < (uint)_parsed)
        {
            return _columns[i];
        }
        return ParseThrough(i);
    }

    /// <summary>
    /// Parses header entries until column <paramref name="i"/> is parsed or the header ends, and
    /// returns column i's entry (0, i.e. NULL at offset 0, when the header ends first).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong ParseThrough(int i)
    {
        if (i < 0)
        {
            ThrowColumnIndex(i);
        }
        ReadOnlySpan<byte> header = _record[.._headerSize];
        ReadOnlySpan<byte> record = _record;
        int pos = _headerPos;
        int content = _contentPos;
        int parsed = _parsed;
        ulong entry = 0;
        while (parsed <= i && pos < header.Length)
        {
            uint serialType = header[pos];
            if (serialType < 0x80)
            {
                pos++;
            }
            else
            {
                // A varint running past the header's end throws here.
                pos += Varint.Read32(header[pos..], out serialType);
            }
            int size = SerialType.ContentSize(serialType);
            if (size > record.Length - content)
            {
                TernException.ThrowCorrupt();
            }
            if (parsed == _columns.Length)
            {
                Grow(parsed, parsed + 1 + (header.Length - pos));
            }
            entry = ((ulong)(uint)content << 32) | serialType;
            _columns[parsed++] = entry;
            content += size;
        }
        _headerPos = pos;
        _contentPos = content;
        _parsed = parsed;
        if (pos == header.Length && content != record.Length)
        {
            // The header is complete but the contents do not fill the record exactly.
            TernException.ThrowCorrupt();
        }
        return parsed > i ? entry : 0;
    }

    /// <summary>
    /// Moves the column table's first <paramref name="parsed"/> entries to a larger array, of at most
    /// <paramref name="maxColumns"/> entries (the most the rest of the header can hold).
    /// </summary>
    private void Grow(int parsed, int maxColumns)
    {
        int length = Math.Max(_columns.Length * 2, DefaultBufferLength);
        var larger = new ulong[Math.Min(length, maxColumns)];
        _columns[..parsed].CopyTo(larger);
        _columns = larger;
    }

    /// <summary>SQLite's REAL to INTEGER conversion: truncation toward zero, saturating, NaN as 0.</summary>
    private static long RealToInt64(double r)
    {
        if (double.IsNaN(r))
        {
            return 0;
        }
        if (r <= -9223372036854775808.0)
        {
            return long.MinValue;
        }
        if (r >= 9223372036854775808.0)
        {
            return long.MaxValue;
        }
        return (long)r;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowColumnIndex(int i) =>
        throw new ArgumentOutOfRangeException(nameof(i), i, "A column index cannot be negative.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotNumeric(int i) =>
        throw new InvalidOperationException($"Column {i} is TEXT or BLOB, not a number.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotBytes(int i) =>
        throw new InvalidOperationException($"Column {i} is a number, not TEXT or BLOB.");
}
