// Tests of record reading: round trips through every serial type, columns past the header
// (ALTER TABLE ADD COLUMN), typed accessors without allocation, wide records, and malformed
// records, which must all fail as SQLITE_CORRUPT rather than with an index exception.
using Tern.Storage.Record;

namespace Tern.Tests.Storage.Record;

public class RecordReaderTests
{
    private static readonly Value[] EveryType =
    [
        Value.Null,
        Value.FromInteger(0),                     // 8
        Value.FromInteger(1),                     // 9
        Value.FromInteger(-5),                    // 1
        Value.FromInteger(-300),                  // 2
        Value.FromInteger(1 << 20),               // 3
        Value.FromInteger(-(1L << 30)),           // 4
        Value.FromInteger(1L << 40),              // 5
        Value.FromInteger(long.MinValue),         // 6
        Value.FromReal(3.25),                     // 7
        Value.FromReal(-0.0),
        Value.FromReal(double.NegativeInfinity),
        Value.FromText(""),                       // 13
        Value.FromText("héllo, wörld"),
        Value.FromText(new string('z', 5000)),
        Value.FromBlob([]),                       // 12
        Value.FromBlob([0, 1, 2, 0xFF]),
        Value.FromBlob(new byte[70000]),
    ];

    [Fact]
    public void Decode_returns_the_encoded_values_when_record_has_every_serial_type()
    {
        byte[] record = RecordEncoder.Encode(EveryType);
        Assert.Equal(EveryType, RecordReader.Decode(record));
    }

    [Fact]
    public void Decode_returns_the_values_when_record_was_written_by_SQLite()
    {
        byte[] record = Convert.FromHexString("06091300071061626340040000000000000102");
        Value[] expected = [Value.FromInteger(1), Value.FromText("abc"), Value.Null, Value.FromReal(2.5), Value.FromBlob([1, 2])];
        Assert.Equal(expected, RecordReader.Decode(record));
    }

    [Fact]
    public void GetSerialType_returns_the_header_types_when_columns_are_read_in_any_order()
    {
        byte[] record = RecordEncoder.Encode(EveryType);
        var reader = new RecordReader(record, stackalloc ulong[4]);
        Assert.Equal(7UL, reader.GetSerialType(9));
        Assert.Equal(8UL, reader.GetSerialType(1));
        Assert.Equal(0UL, reader.GetSerialType(0));
        Assert.Equal(6UL, reader.GetSerialType(8));
        Assert.Equal(13UL, reader.GetSerialType(12));
        Assert.Equal(12UL + 2 * 70000, reader.GetSerialType(17));
        Assert.Equal(EveryType.Length, reader.ColumnCount);
        for (int i = EveryType.Length - 1; i >= 0; i--)
        {
            Assert.Equal(EveryType[i], reader.GetValue(i));
        }
    }

    [Fact]
    public void GetValue_returns_NULL_when_column_is_past_the_header()
    {
        byte[] record = RecordEncoder.Encode([Value.FromInteger(42), Value.FromText("x")]);
        var reader = new RecordReader(record);

        Assert.Equal(2, reader.ColumnCount);
        Assert.Equal(Value.Null, reader.GetValue(2));
        Assert.Equal(Value.Null, reader.GetValue(1000));
        Assert.True(reader.IsNull(5));
        Assert.Equal(0UL, reader.GetSerialType(5));
        Assert.Equal(0L, reader.GetInt64(5));
        Assert.Equal(0.0, reader.GetDouble(5));
        Assert.True(reader.GetBytes(5).IsEmpty);
        Assert.Equal(42L, reader.GetInt64(0));
    }

    [Fact]
    public void Typed_accessors_return_the_content_when_types_match()
    {
        byte[] record = RecordEncoder.Encode(EveryType);
        var reader = new RecordReader(record, stackalloc ulong[RecordReader.DefaultBufferLength]);

        Assert.Equal(0L, reader.GetInt64(0));
        Assert.Equal(0L, reader.GetInt64(1));
        Assert.Equal(1L, reader.GetInt64(2));
        Assert.Equal(-300L, reader.GetInt64(4));
        Assert.Equal(long.MinValue, reader.GetInt64(8));
        Assert.Equal(3.25, reader.GetDouble(9));
        Assert.Equal(-300.0, reader.GetDouble(4));
        Assert.Equal("héllo, wörld"u8.ToArray(), reader.GetBytes(13).ToArray());
        Assert.Equal(new byte[] { 0, 1, 2, 0xFF }, reader.GetBytes(16).ToArray());
        Assert.Equal(ValueKind.Text, reader.GetKind(13));
        Assert.Equal(ValueKind.Blob, reader.GetKind(16));
        Assert.Equal(ValueKind.Real, reader.GetKind(9));
        Assert.Equal(8, reader.GetContent(8).Length);
    }

    [Theory]
    [InlineData(3.99, 3L)]
    [InlineData(-3.99, -3L)]
    [InlineData(1e300, long.MaxValue)]
    [InlineData(-1e300, long.MinValue)]
    [InlineData(9223372036854775808.0, long.MaxValue)]
    [InlineData(-9223372036854775808.0, long.MinValue)]
    public void GetInt64_converts_like_SQLite_when_column_is_real(double real, long expected)
    {
        byte[] record = RecordEncoder.Encode([Value.FromReal(real)]);
        Assert.Equal(expected, new RecordReader(record).GetInt64(0));
    }

    [Fact]
    public void Typed_accessors_throw_when_storage_class_does_not_fit()
    {
        byte[] record = RecordEncoder.Encode([Value.FromText("a"), Value.FromInteger(7), Value.FromReal(1.5)]);
        Assert.Throws<InvalidOperationException>(() => new RecordReader(record).GetInt64(0));
        Assert.Throws<InvalidOperationException>(() => new RecordReader(record).GetDouble(0));
        Assert.Throws<InvalidOperationException>(() => new RecordReader(record).GetBytes(1));
        Assert.Throws<InvalidOperationException>(() => new RecordReader(record).GetBytes(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecordReader(record).GetValue(-1));
    }

    [Fact]
    public void Typed_accessors_do_not_allocate_when_given_a_stack_buffer()
    {
        byte[] record = RecordEncoder.Encode([Value.FromInteger(123456), Value.FromReal(0.5), Value.FromText("abc"), Value.FromBlob([9])]);
        long sum = ReadAll(record); // warm up (JIT)

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            sum += ReadAll(record);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1001 * (123456 + 0 + 3 + 1 + 4 + 4), sum);

        static long ReadAll(byte[] record)
        {
            var reader = new RecordReader(record, stackalloc ulong[8]);
            return reader.GetInt64(0) + (long)reader.GetDouble(1) + reader.GetBytes(2).Length + reader.GetBytes(3).Length
                + reader.ColumnCount + (long)reader.GetSerialType(1) - 3;
        }
    }

    [Fact]
    public void GetValue_reads_every_column_when_record_is_wider_than_the_buffer()
    {
        var values = new Value[300];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i % 3 == 0 ? Value.FromInteger(i * 1000) : i % 3 == 1 ? Value.FromText("t" + i) : Value.Null;
        }
        byte[] record = RecordEncoder.Encode(values);

        var reader = new RecordReader(record, stackalloc ulong[2]);
        Assert.Equal(values[299], reader.GetValue(299));
        Assert.Equal(300, reader.ColumnCount);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i], reader.GetValue(i));
        }
    }

    [Fact]
    public void GetValue_reads_early_columns_when_a_later_header_entry_is_bad()
    {
        // The header is parsed lazily, as far as needed: column 0 reads, the whole header does not.
        byte[] record = Convert.FromHexString("03010A05");
        var reader = new RecordReader(record);

        Assert.Equal(Value.FromInteger(5), reader.GetValue(0));
        var ex = Assert.Throws<TernException>(() => new RecordReader(record).ColumnCount);
        Assert.Equal(ResultCode.Corrupt, ex.Code);
    }

    [Fact]
    public void GetValue_gives_NULL_when_stored_real_is_NaN()
    {
        byte[] record = Convert.FromHexString("02077FF8000000000000");
        var reader = new RecordReader(record);
        Assert.Equal(Value.Null, reader.GetValue(0));
        Assert.True(double.IsNaN(reader.GetDouble(0)));
    }

    public static TheoryData<string, string> CorruptRecords() => new()
    {
        { "", "empty record" },
        { "81", "truncated header-size varint" },
        { "00", "header size smaller than its own varint" },
        { "8000", "header size 0 in a two-byte varint" },
        { "05010203", "header size past the end of the record" },
        { "FFFFFFFFFFFFFFFFFF", "header size saturating to 2^32-1" },
        { "020A", "reserved serial type 10" },
        { "020B", "reserved serial type 11" },
        { "0313136162636465", "second 3-byte text with only 2 bytes left" },
        { "021361", "text of 3 bytes with only 1 present" },
        { "0206000000", "64-bit integer with 3 bytes present" },
        { "0207", "real with no content" },
        { "0281", "serial type varint running past the header's end" },
        { "03018101", "two-byte serial type varint crossing the header's end" },
        { "0201050505", "body longer than its contents" },
        { "0100", "bytes after an empty header" },
        { "06FFFFFFFF0F", "serial type above 2^32, saturated, far larger than the record" },
    };

    [Theory]
    [MemberData(nameof(CorruptRecords))]
    public void Decode_throws_corrupt_when_record_is_malformed(string hex, string why)
    {
        byte[] record = Convert.FromHexString(hex);
        var ex = Assert.Throws<TernException>(() => RecordReader.Decode(record));
        Assert.True(ex.Code == ResultCode.Corrupt, why);
    }

    [Fact]
    public void Reader_throws_corrupt_when_a_content_runs_past_the_end_whatever_the_buffer()
    {
        // Column 1 is a 4-byte integer but only 2 bytes remain.
        byte[] record = Convert.FromHexString("0301040102");
        var ex = Assert.Throws<TernException>(() => new RecordReader(record, stackalloc ulong[1]).GetInt64(1));
        Assert.Equal(ResultCode.Corrupt, ex.Code);
        Assert.Equal(1L, new RecordReader(record).GetInt64(0));
    }
}
