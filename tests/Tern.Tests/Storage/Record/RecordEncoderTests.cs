// Tests of record encoding: byte-exact records taken from files SQLite wrote, the
// self-referential header size, and sizing.
using Tern.Storage.Record;

namespace Tern.Tests.Storage.Record;

public class RecordEncoderTests
{
    // Rows inserted by sqlite3 3.40.1 into "CREATE TABLE t(a,b,c,d,e)" (no affinity), with the
    // record bytes cut from the table's leaf page (after each cell's payload-size and rowid varints).
    public static TheoryData<Value[], string> SqliteRows() => new()
    {
        {
            // (1, 'abc', NULL, 2.5, x'0102')
            [Value.FromInteger(1), Value.FromText("abc"), Value.Null, Value.FromReal(2.5), Value.FromBlob([1, 2])],
            "06" + "09" + "13" + "00" + "07" + "10" + "616263" + "4004000000000000" + "0102"
        },
        {
            // (-129, 'é', 0, -0.0, x'')
            [Value.FromInteger(-129), Value.FromText("é"), Value.FromInteger(0), Value.FromReal(-0.0), Value.FromBlob([])],
            "06" + "02" + "11" + "08" + "07" + "0C" + "FF7F" + "C3A9" + "8000000000000000"
        },
        {
            // (8388608, '', 9223372036854775807, 1e300, NULL)
            [Value.FromInteger(8388608), Value.FromText(""), Value.FromInteger(long.MaxValue), Value.FromReal(1e300), Value.Null],
            "06" + "04" + "0D" + "06" + "07" + "00" + "00800000" + "7FFFFFFFFFFFFFFF" + "7E37E43C8800759C"
        },
    };

    [Theory]
    [MemberData(nameof(SqliteRows))]
    public void Encode_writes_SQLite_bytes_when_row_is_known(Value[] row, string hex)
    {
        byte[] expected = Convert.FromHexString(hex);
        Assert.Equal(expected, RecordEncoder.Encode(row));
        Assert.Equal(expected.Length, RecordEncoder.ComputeSize(row));
    }

    [Fact]
    public void Encode_writes_a_one_byte_header_when_there_are_no_values()
    {
        Assert.Equal(new byte[] { 0x01 }, RecordEncoder.Encode([]));
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(126, 127)]   // 126 type bytes + 1 size byte = 127: still one byte
    [InlineData(127, 129)]   // 127 + 1 = 128 needs a 2-byte size varint, so the header is 129
    [InlineData(128, 130)]
    [InlineData(16380, 16382)]
    [InlineData(16381, 16383)] // 16381 + 2 = 16383 fits 2 bytes ...
    [InlineData(16382, 16385)] // ... but 16382 + 2 = 16384 does not: 3 bytes, 16385
    public void Encode_counts_the_header_size_varint_in_itself_when_header_crosses_a_boundary(int nullColumns, int headerSize)
    {
        // NULLs take one header byte each and no body, so the record is exactly its header.
        var values = new Value[nullColumns];
        byte[] record = RecordEncoder.Encode(values);

        Assert.Equal(headerSize, record.Length);
        Assert.Equal(record.Length, Varint.Read(record, out ulong size) + nullColumns);
        Assert.Equal((ulong)headerSize, size);
        Assert.Equal(nullColumns, new RecordReader(record).ColumnCount);
    }

    [Fact]
    public void Encode_into_a_span_returns_the_size_and_leaves_the_rest_when_destination_is_larger()
    {
        Value[] row = [Value.FromInteger(300), Value.FromText("hi")];
        var buffer = new byte[32];
        buffer.AsSpan().Fill(0xEE);

        int written = RecordEncoder.Encode(row, buffer);

        Assert.Equal(RecordEncoder.ComputeSize(row), written);
        Assert.Equal(RecordEncoder.Encode(row), buffer[..written]);
        Assert.All(buffer[written..], b => Assert.Equal(0xEE, b));
    }

    [Fact]
    public void Encode_into_a_span_throws_when_destination_is_too_small()
    {
        Value[] row = [Value.FromInteger(300), Value.FromText("hi")];
        var buffer = new byte[RecordEncoder.ComputeSize(row) - 1];
        Assert.Throws<ArgumentException>(() => RecordEncoder.Encode(row, buffer));
    }

    [Fact]
    public void Encode_writes_NULL_when_real_is_NaN()
    {
        byte[] record = RecordEncoder.Encode([Value.FromReal(double.NaN)]);
        Assert.Equal(new byte[] { 0x02, 0x00 }, record);
    }

    [Fact]
    public void Encode_uses_a_multi_byte_serial_type_when_text_is_long()
    {
        string text = new('x', 100); // serial type 213 = 0x81 0x55
        byte[] record = RecordEncoder.Encode([Value.FromText(text)]);

        Assert.Equal(3 + 100, record.Length);
        Assert.Equal(Convert.FromHexString("038155"), record[..3]);
    }
}
