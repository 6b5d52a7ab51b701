// Tests of SQLite varints: exact encodings, round trips over every length boundary, and
// truncated input, which must be reported as corruption without reading past the span.
using Tern.Storage.Record;

namespace Tern.Tests.Storage.Record;

public class VarintTests
{
    public static TheoryData<ulong> BoundaryValues()
    {
        var values = new SortedSet<ulong> { 0, 1, 127, 128, 240, 241, 255, 256, 2047, 2048, 2287, 2288, 67823, 67824 };
        for (int bits = 7; bits < 64; bits += 7)
        {
            values.Add((1UL << bits) - 1); // the largest value of each length
            values.Add(1UL << bits);       // the smallest value of the next
        }
        values.Add((1UL << 63) - 1);
        values.Add(1UL << 63);
        values.Add(ulong.MaxValue - 1);
        values.Add(ulong.MaxValue);               // also (ulong)-1L
        values.Add(unchecked((ulong)-129L));
        values.Add(unchecked((ulong)long.MinValue + 1));
        return new TheoryData<ulong>(values);
    }

    [Theory]
    [MemberData(nameof(BoundaryValues))]
    public void Write_then_Read_round_trips_when_value_is_at_a_boundary(ulong value)
    {
        Span<byte> buffer = stackalloc byte[Varint.MaxLength + 3];
        buffer.Fill(0xEE);
        int written = Varint.Write(buffer, value);

        Assert.Equal(Varint.Length(value), written);
        Assert.Equal(0xEE, buffer[written]); // nothing written past the varint
        Assert.Equal(written, Varint.Read(buffer, out ulong read));
        Assert.Equal(value, read);
        Assert.Equal(written, Varint.Read(buffer[..written], out read)); // exact-length span
        Assert.Equal(value, read);
        Assert.Equal(written, Varint.TryRead(buffer[..written], out read));
        Assert.Equal(value, read);
    }

    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(1UL, "01")]
    [InlineData(127UL, "7F")]
    [InlineData(128UL, "8100")]
    [InlineData(300UL, "822C")]
    [InlineData(16383UL, "FF7F")]
    [InlineData(16384UL, "818000")]
    [InlineData(0x1FFFFFUL, "FFFF7F")]
    [InlineData(0x200000UL, "81808000")]
    [InlineData(0xFFFFFFFFUL, "8FFFFFFF7F")]
    [InlineData(0x00FFFFFFFFFFFFFFUL, "FFFFFFFFFFFFFF7F")]
    [InlineData(0x0100000000000000UL, "80C080808080808000")] // 2^56: eight 7-bit groups, then 8 bits
    [InlineData(0x7FFFFFFFFFFFFFFFUL, "BFFFFFFFFFFFFFFFFF")]
    [InlineData(0x8000000000000000UL, "C08080808080808000")]
    [InlineData(0xFFFFFFFFFFFFFFFFUL, "FFFFFFFFFFFFFFFFFF")]
    public void Write_produces_SQLite_bytes_when_value_is_known(ulong value, string hex)
    {
        byte[] expected = Convert.FromHexString(hex);
        var buffer = new byte[Varint.MaxLength];
        int written = Varint.Write(buffer, value);

        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(expected.Length, Varint.Length(value));
    }

    [Fact]
    public void Write_then_Read_round_trips_when_values_are_random()
    {
        var random = new Random(12345);
        Span<byte> buffer = stackalloc byte[Varint.MaxLength];
        for (int i = 0; i < 20_000; i++)
        {
            ulong value = (ulong)random.NextInt64() << 1 ^ (ulong)random.Next(2);
            value >>= random.Next(64);
            int written = Varint.Write(buffer, value);
            Assert.Equal(Varint.Length(value), written);
            Assert.Equal(written, Varint.Read(buffer[..written], out ulong read));
            Assert.Equal(value, read);
        }
    }

    [Fact]
    public void Read_takes_all_eight_bits_of_the_ninth_byte_when_varint_is_nine_bytes()
    {
        // Eight continuation bytes then 0xFF: the ninth byte's high bit is data, not a flag.
        byte[] bytes = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0xFF, 0x01];
        Assert.Equal(9, Varint.Read(bytes, out ulong value));
        Assert.Equal(0xFFUL, value);
    }

    [Fact]
    public void Read_accepts_non_minimal_encoding_when_leading_bytes_are_0x80()
    {
        byte[] bytes = [0x80, 0x80, 0x05];
        Assert.Equal(3, Varint.Read(bytes, out ulong value));
        Assert.Equal(5UL, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("80")]
    [InlineData("FF")]
    [InlineData("8180")]
    [InlineData("818080")]
    [InlineData("FFFFFFFFFFFFFF")]
    [InlineData("FFFFFFFFFFFFFFFF")]
    public void Read_throws_corrupt_when_varint_is_truncated(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);
        var ex = Assert.Throws<TernException>(() => Varint.Read(bytes, out _));
        Assert.Equal(ResultCode.Corrupt, ex.Code);
        ex = Assert.Throws<TernException>(() => Varint.Read32(bytes, out _));
        Assert.Equal(ResultCode.Corrupt, ex.Code);
        Assert.Equal(0, Varint.TryRead(bytes, out ulong value));
        Assert.Equal(0UL, value);
    }

    [Fact]
    public void Read_does_not_look_past_the_span_when_the_next_byte_would_complete_the_varint()
    {
        byte[] backing = [0x81, 0x00];
        var ex = Assert.Throws<TernException>(() => Varint.Read(backing.AsSpan(0, 1), out _));
        Assert.Equal(ResultCode.Corrupt, ex.Code);
    }

    [Theory]
    [InlineData(0UL, 0U)]
    [InlineData(300UL, 300U)]
    [InlineData(0xFFFFFFFFUL, 0xFFFFFFFFU)]
    [InlineData(0x100000000UL, 0xFFFFFFFFU)]
    [InlineData(ulong.MaxValue, 0xFFFFFFFFU)]
    public void Read32_saturates_when_value_exceeds_32_bits(ulong value, uint expected)
    {
        var buffer = new byte[Varint.MaxLength];
        int written = Varint.Write(buffer, value);
        Assert.Equal(written, Varint.Read32(buffer.AsSpan(0, written), out uint read));
        Assert.Equal(expected, read);
    }

    [Theory]
    [InlineData(0UL, 0)]
    [InlineData(127UL, 0)]
    [InlineData(128UL, 1)]
    [InlineData(1UL << 56, 8)]
    [InlineData(ulong.MaxValue, 8)]
    public void Write_throws_when_destination_is_too_short(ulong value, int length)
    {
        var buffer = new byte[length];
        Assert.Throws<ArgumentException>(() => Varint.Write(buffer, value));
    }
}
