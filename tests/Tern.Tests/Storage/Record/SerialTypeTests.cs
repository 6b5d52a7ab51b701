// Tests of serial types: content sizes, the smallest-encoding choice SQLite makes for
// integers, and the byte-exact big-endian encodings of integers and reals.
using Tern.Storage.Record;

namespace Tern.Tests.Storage.Record;

public class SerialTypeTests
{
    [Theory]
    [InlineData(0U, 0)]
    [InlineData(1U, 1)]
    [InlineData(2U, 2)]
    [InlineData(3U, 3)]
    [InlineData(4U, 4)]
    [InlineData(5U, 6)]
    [InlineData(6U, 8)]
    [InlineData(7U, 8)]
    [InlineData(8U, 0)]
    [InlineData(9U, 0)]
    [InlineData(12U, 0)]
    [InlineData(13U, 0)]
    [InlineData(14U, 1)]
    [InlineData(15U, 1)]
    [InlineData(2012U, 1000)]
    [InlineData(2013U, 1000)]
    [InlineData(uint.MaxValue, 0x7FFFFFF9)]
    public void ContentSize_returns_the_format_size_when_type_is_valid(uint serialType, int size)
    {
        Assert.Equal(size, SerialType.ContentSize(serialType));
        Assert.Equal(size, SerialType.ContentSize((ulong)serialType));
    }

    [Theory]
    [InlineData(10UL)]
    [InlineData(11UL)]
    [InlineData(0x1_0000_0000UL)]
    [InlineData(ulong.MaxValue)]
    public void ContentSize_throws_corrupt_when_type_is_reserved_or_impossible(ulong serialType)
    {
        var ex = Assert.Throws<TernException>(() => SerialType.ContentSize(serialType));
        Assert.Equal(ResultCode.Corrupt, ex.Code);
    }

    [Theory]
    [InlineData(0L, 8U)]
    [InlineData(1L, 9U)]
    [InlineData(2L, 1U)]
    [InlineData(-1L, 1U)]
    [InlineData(127L, 1U)]
    [InlineData(-128L, 1U)]
    [InlineData(128L, 2U)]
    [InlineData(-129L, 2U)]
    [InlineData(32767L, 2U)]
    [InlineData(-32768L, 2U)]
    [InlineData(32768L, 3U)]
    [InlineData(-32769L, 3U)]
    [InlineData(8388607L, 3U)]
    [InlineData(-8388608L, 3U)]
    [InlineData(8388608L, 4U)]
    [InlineData(-8388609L, 4U)]
    [InlineData(2147483647L, 4U)]
    [InlineData(-2147483648L, 4U)]
    [InlineData(2147483648L, 5U)]
    [InlineData(-2147483649L, 5U)]
    [InlineData(140737488355327L, 5U)]
    [InlineData(-140737488355328L, 5U)]
    [InlineData(140737488355328L, 6U)]
    [InlineData(-140737488355329L, 6U)]
    [InlineData(long.MaxValue, 6U)]
    [InlineData(long.MinValue, 6U)]
    public void ForInteger_picks_the_smallest_encoding_when_value_is_at_a_boundary(long value, uint serialType)
    {
        Assert.Equal(serialType, SerialType.ForInteger(value));
        Assert.Equal(serialType, SerialType.For(Value.FromInteger(value)));
    }

    [Fact]
    public void For_keeps_a_real_a_real_when_its_value_is_integral()
    {
        Assert.Equal(SerialType.Real, SerialType.For(Value.FromReal(2.0)));
        Assert.Equal(SerialType.Real, SerialType.For(Value.FromReal(0.0)));
        Assert.Equal(SerialType.Real, SerialType.For(Value.FromReal(-0.0)));
        Assert.Equal(SerialType.Real, SerialType.For(Value.FromReal(double.PositiveInfinity)));
    }

    [Fact]
    public void For_gives_NULL_when_real_is_NaN()
    {
        Assert.Equal(SerialType.Null, SerialType.For(Value.FromReal(double.NaN)));
    }

    [Fact]
    public void For_encodes_the_length_when_value_is_text_or_blob()
    {
        Assert.Equal(13UL, SerialType.For(Value.FromText("")));
        Assert.Equal(19UL, SerialType.For(Value.FromText("abc")));
        Assert.Equal(17UL, SerialType.For(Value.FromText("é"))); // two UTF-8 bytes
        Assert.Equal(12UL, SerialType.For(Value.FromBlob([])));
        Assert.Equal(16UL, SerialType.For(Value.FromBlob([1, 2])));
        Assert.Equal(0UL, SerialType.For(Value.Null));
    }

    [Theory]
    [InlineData(-1L, "FF")]
    [InlineData(100L, "64")]
    [InlineData(-129L, "FF7F")]
    [InlineData(0x1234L, "1234")]
    [InlineData(-8388608L, "800000")]
    [InlineData(0x123456L, "123456")]
    [InlineData(8388608L, "00800000")]
    [InlineData(-2147483649L, "FFFF7FFFFFFF")]
    [InlineData(0x123456789ABCL, "123456789ABC")]
    [InlineData(long.MaxValue, "7FFFFFFFFFFFFFFF")]
    [InlineData(long.MinValue, "8000000000000000")]
    public void WriteInteger_writes_big_endian_twos_complement_when_value_is_known(long value, string hex)
    {
        uint serialType = SerialType.ForInteger(value);
        var buffer = new byte[8];
        int written = SerialType.WriteInteger(serialType, value, buffer);

        Assert.Equal(Convert.FromHexString(hex), buffer[..written]);
        Assert.Equal(value, SerialType.ReadInteger(serialType, buffer.AsSpan(0, written)));
    }

    [Fact]
    public void WriteInteger_then_ReadInteger_round_trips_when_values_are_random()
    {
        var random = new Random(7);
        var buffer = new byte[8];
        for (int i = 0; i < 20_000; i++)
        {
            long value = random.NextInt64() >> random.Next(64);
            if (random.Next(2) == 0)
            {
                value = ~value;
            }
            uint serialType = SerialType.ForInteger(value);
            if (serialType >= SerialType.Zero)
            {
                Assert.Equal(value, serialType - SerialType.Zero);
                continue;
            }
            int written = SerialType.WriteInteger(serialType, value, buffer);
            Assert.Equal(SerialType.ContentSize(serialType), written);
            Assert.Equal(value, SerialType.ReadInteger(serialType, buffer.AsSpan(0, written)));
        }
    }

    [Fact]
    public void Write_writes_big_endian_IEEE754_when_value_is_real()
    {
        var buffer = new byte[8];
        Assert.Equal(8, SerialType.Write(SerialType.Real, Value.FromReal(2.5), buffer));
        Assert.Equal(Convert.FromHexString("4004000000000000"), buffer);
        Assert.Equal(2.5, SerialType.ReadReal(buffer));

        SerialType.Write(SerialType.Real, Value.FromReal(-0.0), buffer);
        Assert.Equal(Convert.FromHexString("8000000000000000"), buffer);
    }

    [Fact]
    public void Read_gives_NULL_when_stored_real_is_NaN()
    {
        byte[] nan = Convert.FromHexString("7FF8000000000000");
        Assert.Equal(Value.Null, SerialType.Read(SerialType.Real, nan));
    }

    [Theory]
    [InlineData(10U)]
    [InlineData(11U)]
    public void Read_throws_corrupt_when_type_is_reserved(uint serialType)
    {
        var ex = Assert.Throws<TernException>(() => SerialType.Read(serialType, default));
        Assert.Equal(ResultCode.Corrupt, ex.Code);
    }

    [Theory]
    [InlineData(0U, ValueKind.Null)]
    [InlineData(1U, ValueKind.Integer)]
    [InlineData(6U, ValueKind.Integer)]
    [InlineData(7U, ValueKind.Real)]
    [InlineData(8U, ValueKind.Integer)]
    [InlineData(9U, ValueKind.Integer)]
    [InlineData(12U, ValueKind.Blob)]
    [InlineData(13U, ValueKind.Text)]
    [InlineData(100U, ValueKind.Blob)]
    [InlineData(101U, ValueKind.Text)]
    public void KindOf_gives_the_storage_class_when_type_is_valid(uint serialType, ValueKind kind)
    {
        Assert.Equal(kind, SerialType.KindOf(serialType));
    }
}
