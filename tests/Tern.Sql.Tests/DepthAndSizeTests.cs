// Deep and huge SQL: nesting 100,000 levels deep must give SQLite's answer (or a clean
// error), never a stack overflow; a 10 MB statement must parse or fail cleanly. Where
// SQLite itself copes with the input, Tern's verdict is compared with SQLite's.
using System.Text;
using Tern.Sql.Ast;
using Tern.Sql.Tests.Support;

namespace Tern.Sql.Tests;

public sealed class DepthAndSizeTests
{
    private const int Deep = 100_000;

    // Deep recursion is slow to run (every garbage collection walks the whole stack), so
    // the shapes that recurse are also tried at a depth that is still far past any stack.
    private const int Deepish = 25_000;

    private static string? OurError(string sql)
    {
        try
        {
            SqlParser.ParseNext(Encoding.UTF8.GetBytes(sql));
            return null;
        }
        catch (SqlParseException e)
        {
            return e.Message;
        }
    }

    private static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();

    public static TheoryData<string, string?> DeepCases() => new()
    {
        { "SELECT " + Repeat("(", Deep) + "1" + Repeat(")", Deep), null },
        { "SELECT " + Repeat("(", Deep) + "1" + Repeat(")", Deep - 1), "incomplete input" },
        { "SELECT " + Repeat("(SELECT ", Deep) + "1" + Repeat(")", Deep), "Expression tree is too large (maximum depth 1000)" },
        { "SELECT " + Repeat("- ", Deepish) + "1", "Expression tree is too large (maximum depth 1000)" },
        { "SELECT " + Repeat("NOT ", Deepish) + "1", "Expression tree is too large (maximum depth 1000)" },
        { "SELECT " + Repeat("abs(", Deepish) + "1" + Repeat(")", Deepish), "Expression tree is too large (maximum depth 1000)" },
        { "SELECT " + Repeat("CASE WHEN ", Deepish) + "1", "incomplete input" },
        { "SELECT " + Repeat("(SELECT ", Deepish) + "1 garbage", "incomplete input" },
        { "SELECT 1 WHERE 1 IN " + Repeat("(SELECT 1 WHERE 1 IN ", Deepish), "incomplete input" },
        { "SELECT 1" + Repeat(" AND 1", Deep), "Expression tree is too large (maximum depth 1000)" },
        { "SELECT * FROM " + Repeat("(", Deep) + "t" + Repeat(")", Deep), null },
        { "SELECT " + Repeat("+ ", Deep) + "1", null },
        { "SELECT 1" + Repeat(" COLLATE binary", Deep), null },
        { "WITH " + Repeat("a AS (WITH ", Deepish), "incomplete input" },
    };

    [Theory]
    [MemberData(nameof(DeepCases))]
    public void Deep_nesting_gives_SQLites_answer_without_overflowing_the_stack(string sql, string? expected)
    {
        Assert.Equal(expected, OurError(sql));
    }

    [Theory]
    [InlineData("SELECT 1{0}", " AND 1", 999)]
    [InlineData("SELECT 1{0}", " AND 1", 1000)]
    [InlineData("SELECT 1{0}", " + 1", 999)]
    [InlineData("SELECT 1{0}", " + 1", 1000)]
    [InlineData("SELECT {0}1", "- ", 999)]
    [InlineData("SELECT {0}1", "- ", 1000)]
    [InlineData("SELECT {0}1", "+ ", 5000)]
    [InlineData("SELECT {0}1", "NOT ", 1000)]
    [InlineData("SELECT {0}1", "~ ", 1000)]
    [InlineData("SELECT 1 FROM t WHERE a IN ({0}1)", "1,", 2000)]
    [InlineData("SELECT 1 {0}", "UNION SELECT 1 ", 499)]
    [InlineData("SELECT 1 {0}", "UNION SELECT 1 ", 500)]
    [InlineData("VALUES (1){0}", ",(1)", 600)]
    [InlineData("SELECT f({0}1)", "1,", 999)]
    [InlineData("SELECT f({0}1)", "1,", 1000)]
    public void Limits_match_SQLite(string template, string unit, int count)
    {
        string sql = string.Format(template, Repeat(unit, count));
        using var db = SqliteOracle.OpenMemory();
        SqliteOracle.Execute(db, "CREATE TABLE t(a)");
        string? theirs = SqliteOracle.PrepareError(db, sql);
        if (theirs is not null && !SqliteOracle.IsParserMessage(theirs)) theirs = null;
        Assert.Equal(theirs, OurError(sql));
    }

    [Fact]
    public void Deep_trees_SQLite_accepts_print_and_round_trip()
    {
        foreach (string sql in new[] { "SELECT " + Repeat("+ ", Deepish) + "1", "SELECT 1" + Repeat(" COLLATE binary", Deepish) })
        {
            Statement tree = SqlParser.Parse(sql);
            string printed = SqlPrinter.Print(tree);
            Assert.IsType<SelectStatement>(SqlParser.Parse(printed));
        }
    }

    [Fact]
    public void A_10_MB_insert_parses()
    {
        var sb = new StringBuilder("INSERT INTO t VALUES ");
        int rows = 0;
        while (sb.Length < 10_000_000)
        {
            if (rows++ > 0) sb.Append(',');
            sb.Append("(").Append(rows).Append(", 'some text for the row', x'0102', 1.5e3, NULL)");
        }
        var stmt = Assert.IsType<InsertStatement>(SqlParser.Parse(sb.ToString()));
        Assert.Equal(rows, Assert.IsType<ValuesClause>(stmt.Source!.First).Rows.Count);
    }

    [Fact]
    public void A_10_MB_expression_chain_fails_cleanly()
    {
        string sql = "SELECT 1" + Repeat(" + 1", 2_500_000);
        Assert.Equal("Expression tree is too large (maximum depth 1000)", OurError(sql));
    }

    [Fact]
    public void A_10_MB_string_literal_parses()
    {
        string sql = "SELECT '" + new string('x', 10_000_000) + "'";
        var select = Assert.IsType<SelectStatement>(SqlParser.Parse(sql));
        var col = Assert.IsType<ExprColumn>(Assert.IsType<SelectClause>(select.First).Columns[0]);
        Assert.Equal(10_000_000, Assert.IsType<Literal>(col.Expr).Value.Length);
    }
}
