// Tests of Value: factories and accessors, exact equality and hashing, and the debug rendering.
namespace Tern.Tests;

public class ValueTests
{
    [Fact]
    public void Default_is_NULL_when_not_initialised()
    {
        Value v = default;
        Assert.Equal(ValueKind.Null, v.Kind);
        Assert.True(v.IsNull);
        Assert.Equal(Value.Null, v);
        Assert.Equal("NULL", v.ToString());
    }

    [Fact]
    public void Accessors_return_the_content_when_kind_matches()
    {
        Assert.Equal(-42L, Value.FromInteger(-42).AsInteger);
        Assert.Equal(2.5, Value.FromReal(2.5).AsReal);
        Assert.Equal("héllo", Value.FromText("héllo").AsString());
        Assert.Equal("héllo"u8.ToArray(), Value.FromText("héllo").AsBytes.ToArray());
        Assert.Equal(new byte[] { 1, 2 }, Value.FromBlob([1, 2]).AsBytes.ToArray());
        Assert.Equal("abc", Value.FromUtf8("abc"u8.ToArray()).AsString());
        Assert.Equal(ValueKind.Text, Value.FromUtf8([]).Kind);
        Assert.Equal(ValueKind.Blob, Value.FromBlob([]).Kind);
    }

    [Fact]
    public void Accessors_throw_when_kind_does_not_match()
    {
        Assert.Throws<InvalidOperationException>(() => Value.FromReal(1).AsInteger);
        Assert.Throws<InvalidOperationException>(() => Value.FromInteger(1).AsReal);
        Assert.Throws<InvalidOperationException>(() => Value.Null.AsBytes.Length);
        Assert.Throws<InvalidOperationException>(() => Value.FromInteger(1).AsBytes.Length);
        Assert.Throws<InvalidOperationException>(() => Value.FromBlob([65]).AsString());
        Assert.Throws<ArgumentNullException>(() => Value.FromText(null!));
        Assert.Throws<ArgumentNullException>(() => Value.FromBlob(null!));
    }

    [Fact]
    public void Equals_is_exact_when_values_look_alike()
    {
        Assert.Equal(Value.FromText("ab"), Value.FromUtf8("ab"u8.ToArray()));
        Assert.NotEqual(Value.FromText("ab"), Value.FromBlob("ab"u8.ToArray()));
        Assert.NotEqual(Value.FromInteger(1), Value.FromReal(1.0));
        Assert.NotEqual(Value.FromReal(0.0), Value.FromReal(-0.0));
        Assert.Equal(Value.FromReal(double.NaN), Value.FromReal(double.NaN));
        Assert.NotEqual(Value.FromInteger(0), Value.Null);
        Assert.NotEqual(Value.FromBlob([]), Value.Null);
        Assert.True(Value.FromInteger(5) == Value.FromInteger(5));
        Assert.True(Value.FromInteger(5) != Value.FromInteger(6));
        Assert.False(Value.FromInteger(5).Equals((object)5L));
    }

    [Fact]
    public void GetHashCode_agrees_when_values_are_equal()
    {
        Assert.Equal(Value.FromText("ab").GetHashCode(), Value.FromUtf8("ab"u8.ToArray()).GetHashCode());
        Assert.Equal(Value.FromBlob([1, 2, 3]).GetHashCode(), Value.FromBlob([1, 2, 3]).GetHashCode());
        Assert.Equal(Value.FromInteger(7).GetHashCode(), Value.FromInteger(7).GetHashCode());
    }

    [Fact]
    public void ToString_renders_SQL_literals_when_debugging()
    {
        Assert.Equal("-7", Value.FromInteger(-7).ToString());
        Assert.Equal("2.5", Value.FromReal(2.5).ToString());
        Assert.Equal("0.1", Value.FromReal(0.1).ToString());
        Assert.Equal("'it''s'", Value.FromText("it's").ToString());
        Assert.Equal("x'01FF'", Value.FromBlob([1, 255]).ToString());
    }
}
