// RawUtf8: any byte string survives Decode then Encode unchanged, well-formed UTF-8 decodes
// as the framework decodes it, and bytes that are not UTF-8 become escaped characters.
using System.Text;

namespace Tern.Sql.Tests;

public class RawUtf8Tests
{
    [Fact]
    public void Decode_then_Encode_gives_back_any_bytes()
    {
        var random = new Random(1234);
        for (int n = 0; n < 20_000; n++)
        {
            var bytes = new byte[random.Next(0, 12)];
            random.NextBytes(bytes);
            // Bias towards lead and continuation bytes so that partial sequences occur often.
            for (int i = 0; i < bytes.Length; i++) if (random.Next(3) == 0) bytes[i] = (byte)(0x80 | (bytes[i] & 0x7F));
            string s = RawUtf8.Decode(bytes);
            Assert.Equal(bytes, RawUtf8.Encode(s));
            Assert.Equal(bytes.Length, RawUtf8.ByteCount(s));
        }
    }

    [Fact]
    public void Decode_matches_the_framework_on_well_formed_text()
    {
        string text = "a\u00e9\u20ac\U0001F600z";
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        Assert.Equal(text, RawUtf8.Decode(utf8));
        Assert.Equal(utf8, RawUtf8.Encode(text));
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xFF, 0xFE, 0x62 }, "a\\uDCFF\\uDCFEb")]
    [InlineData(new byte[] { 0xC3, 0x28 }, "\\uDCC3(")]              // a lead byte without its continuation
    [InlineData(new byte[] { 0xC0, 0x80 }, "\\uDCC0\\uDC80")]        // an overlong NUL
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "\\uDCED\\uDCA0\\uDC80")] // an encoded surrogate
    [InlineData(new byte[] { 0xE2, 0x82 }, "\\uDCE2\\uDC82")]        // cut short at the end
    public void Decode_escapes_bytes_that_are_not_utf8(byte[] bytes, string escapedExpected)
    {
        // Written with \u escapes: a lone surrogate does not survive an attribute's string.
        string expected = System.Text.RegularExpressions.Regex.Unescape(escapedExpected);
        Assert.Equal(expected, RawUtf8.Decode(bytes));
        Assert.Equal(bytes, RawUtf8.Encode(expected));
    }

    [Fact]
    public void String_literals_keep_bytes_that_are_not_utf8()
    {
        byte[] sql = [.. "SELECT 'a"u8, 0xFF, 0xFE, .. "b'"u8];
        var select = Assert.IsType<Ast.SelectStatement>(SqlParser.ParseNext(sql, 0)!.Statement);
        var column = Assert.IsType<Ast.ExprColumn>(Assert.IsType<Ast.SelectClause>(select.First).Columns[0]);
        var literal = Assert.IsType<Ast.Literal>(column.Expr);
        Assert.Equal(new byte[] { 0x61, 0xFF, 0xFE, 0x62 }, RawUtf8.Encode(literal.Value));
    }
}
