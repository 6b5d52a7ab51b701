// Unit tests of value formatting: CSV quoting, JSON strings, SQL literals, the %!.20g
// text of reals, display lines of the columnar modes, and each mode's layout on small
// results (expected text as the sqlite3 shell 3.40 prints it).
using System.Text;

namespace Tern.Cli.Tests;

public class FormattingTests
{
    private static string Capture(Action<ShellOutput> write)
    {
        var ms = new MemoryStream();
        var o = new ShellOutput(ms);
        write(o);
        o.Flush();
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Runs a script in a fresh in-memory shell; returns standard output and standard error.</summary>
    internal static (string Out, string Err) Shell(string script)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        Tern.Cli.Shell.Run([], new MemoryStream(Encoding.UTF8.GetBytes(script)), stdout, stderr);
        return (Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "\"\"")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("é", "\"é\"")]
    [InlineData("a;b", "a;b")]
    public void Csv_fields_are_quoted_as_sqlite3_quotes_them(string value, string expected)
    {
        Assert.Equal(expected, Capture(o => CellText.WriteCsv(o, Encoding.UTF8.GetBytes(value), ","u8)));
    }

    [Fact]
    public void Json_strings_escape_quotes_backslashes_and_control_characters()
    {
        string s = Capture(o => CellText.WriteJsonString(o, Encoding.UTF8.GetBytes("a\"b\\c\n\t\u0001\u001f\u007fé/")));
        Assert.Equal("\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\u007fé/\"", s);
    }

    [Fact]
    public void Sql_literals_double_quotes_and_spell_line_breaks_in_insert_mode()
    {
        Assert.Equal("'it''s'", Capture(o => CellText.WriteQuoted(o, "it's"u8)));
        Assert.Equal("replace('a\\nb','\\n',char(10))", Capture(o => CellText.WriteQuotedEscaped(o, "a\nb"u8)));
        Assert.Equal("replace(replace('a\\r\\nb','\\r',char(13)),'\\n',char(10))", Capture(o => CellText.WriteQuotedEscaped(o, "a\r\nb"u8)));
        Assert.Equal("replace('\\n\\012','\\012',char(10))", Capture(o => CellText.WriteQuotedEscaped(o, "\\n\n"u8)));
        Assert.Equal("X'00ff'", Capture(o => CellText.WriteBlobLiteral(o, [0, 255])));
    }

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("_x1", "_x1")]
    [InlineData("table", "\"table\"")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("1a", "\"1a\"")]
    [InlineData("q\"q", "\"q\"\"q\"")]
    public void Names_are_quoted_when_they_are_not_plain_words(string name, string expected)
    {
        Assert.Equal(expected, CellText.QuoteName(name));
    }

    [Theory]
    [InlineData(0.1, "0.10000000000000000555")]
    [InlineData(1.5, "1.5")]
    [InlineData(100.0, "100.0")]
    [InlineData(-2.0, "-2.0")]
    [InlineData(-0.0, "0.0")]
    [InlineData(1e20, "1.0e+20")]
    [InlineData(1e-7, "9.9999999999999995472e-08")]
    [InlineData(123456.0, "123456.0")]
    [InlineData(0.00025, "0.0002500000000000000052")]
    [InlineData(9007199254740992.0, "9007199254740991.9999")]
    [InlineData(123456789.123456789, "123456789.12345679103")]
    [InlineData(0.30000000000000004, "0.3000000000000000444")]
    [InlineData(4.9406564584124654e-324, "4.9406564584124654428e-324")]
    [InlineData(double.PositiveInfinity, "Inf")]
    public void Reals_in_json_and_quote_modes_use_twenty_digits_as_sqlite3_computes_them(double value, string expected)
    {
        Assert.Equal(expected, RealText.Format(value));
    }

    [Fact]
    public void Display_lines_end_at_control_characters_and_expand_tabs()
    {
        byte[] z = "ab\tc\r\nd\u0001e"u8.ToArray();
        Assert.Equal("ab      c", Encoding.UTF8.GetString(CellText.DisplayLine(z, 0, 0, false, out int next)));
        Assert.Equal("d", Encoding.UTF8.GetString(CellText.DisplayLine(z, next, 0, false, out next)));
        Assert.Equal("e", Encoding.UTF8.GetString(CellText.DisplayLine(z, next, 0, false, out next)));
        Assert.Equal(-1, next);
    }

    [Fact]
    public void Display_lines_wrap_at_the_width_and_at_words()
    {
        byte[] z = "ab cdefgh ijklmnop q"u8.ToArray();
        var plain = new List<string>();
        var words = new List<string>();
        for (int next = 0; next >= 0;) plain.Add(Encoding.UTF8.GetString(CellText.DisplayLine(z, next, 5, false, out next)));
        for (int next = 0; next >= 0;) words.Add(Encoding.UTF8.GetString(CellText.DisplayLine(z, next, 5, true, out next)));
        Assert.Equal(["ab cd", "efgh ", "ijklm", "nop q"], plain);
        Assert.Equal(["ab ", "cdefg", "h ijk", "lmnop", "q"], words);
    }

    [Fact]
    public void Width_counts_characters_not_bytes()
    {
        Assert.Equal(3, CellText.Width("日本語"u8));
        Assert.Equal(2, CellText.Width([0x41, 0x80, 0x41]));
    }

    [Fact]
    public void List_mode_prints_nulls_empty_and_reals_with_a_point()
    {
        var (o, e) = Shell("select 1, NULL, 'x', 1.0, 0.1, 1e20, x'41';\n");
        Assert.Equal("1||x|1.0|0.1|1.0e+20|A\n", o);
        Assert.Equal("", e);
    }

    [Fact]
    public void Csv_mode_ends_rows_with_crlf()
    {
        var (o, _) = Shell(".mode csv\n.headers on\nselect 1 as a, 'x y' as b, NULL as c;\n");
        Assert.Equal("a,b,c\r\n1,\"x y\",\r\n", o);
    }

    [Fact]
    public void Column_mode_pads_to_the_widest_value()
    {
        var (o, _) = Shell(".mode column\nselect 1 as id, 'apple' as name union all select 22, 'fig';\n");
        Assert.Equal("id  name \n--  -----\n1   apple\n22  fig  \n", o);
    }

    [Fact]
    public void Column_mode_separates_rows_when_a_value_spans_lines()
    {
        var (o, _) = Shell("create table t(v);\ninsert into t values ('a\nb'), ('c');\n.mode column\nselect v from t;\n");
        Assert.Equal("v\n-\na\nb\n\nc\n", o);
    }

    [Fact]
    public void Box_mode_draws_lines_and_centres_headers()
    {
        var (o, _) = Shell(".mode box\nselect 1 as x, 'abc' as y;\n");
        Assert.Equal("┌───┬─────┐\n│ x │  y  │\n├───┼─────┤\n│ 1 │ abc │\n└───┴─────┘\n", o);
    }

    [Fact]
    public void Table_and_markdown_modes()
    {
        var (t, _) = Shell(".mode table\nselect 1 as x;\n.mode markdown\nselect 2 as yy;\n");
        Assert.Equal("+---+\n| x |\n+---+\n| 1 |\n+---+\n| yy |\n|----|\n| 2  |\n", t);
    }

    [Fact]
    public void Json_mode_writes_an_array_of_objects()
    {
        var (o, _) = Shell(".mode json\nselect 1 as a, 'x' as b, NULL as c, 1.5 as d union all select 2, 'y\"', 3, 0.5;\n");
        Assert.Equal("[{\"a\":1,\"b\":\"x\",\"c\":null,\"d\":1.5},\n{\"a\":2,\"b\":\"y\\\"\",\"c\":3,\"d\":0.5}]\n", o);
    }

    [Fact]
    public void Line_mode_aligns_names_and_separates_rows()
    {
        var (o, _) = Shell(".mode line\nselect 1 as a, 2 as bbbbbbb union all select 3, 4;\n");
        Assert.Equal("      a = 1\nbbbbbbb = 2\n\n      a = 3\nbbbbbbb = 4\n", o);
    }

    [Fact]
    public void Insert_and_quote_modes()
    {
        var (o, _) = Shell(".mode insert t\nselect 1, 'a''b', NULL, x'01';\n.mode quote\nselect 1, 'a', 2.5;\n");
        Assert.Equal("INSERT INTO t VALUES(1,'a''b',NULL,X'01');\n1,'a',2.5\n", o);
    }

    [Fact]
    public void Count_and_off_modes()
    {
        var (o, _) = Shell(".mode count\nselect 1 union all select 2;\nselect 1;\n.mode off\nselect 3;\n");
        Assert.Equal("2 rows\n1 row\n", o);
    }
}
