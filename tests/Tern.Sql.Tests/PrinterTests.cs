// Unit tests of SqlPrinter: canonical output, quoting, and that printed SQL parses back
// to an equal tree (the corpus test checks the same over every corpus statement).
using Tern.Sql.Ast;

namespace Tern.Sql.Tests;

public sealed class PrinterTests
{
    [Theory]
    [InlineData("select a+b*c from t", "SELECT a + (b * c) FROM t")]
    [InlineData("SELECT -1, - -1, NOT a", "SELECT -1, -(-1), NOT a")]
    [InlineData("SELECT \"select\", [a b], \"x\"", "SELECT \"select\", [a b], \"x\"")]
    [InlineData("SELECT t.\"key\" FROM t", "SELECT t.\"key\" FROM t")]
    [InlineData("SELECT 'it''s', x'AB'", "SELECT 'it''s', X'AB'")]
    [InlineData("SELECT 1 LIMIT 2, 3", "SELECT 1 LIMIT 3 OFFSET 2")]
    [InlineData("SELECT * FROM a LEFT OUTER JOIN b ON 1, c NATURAL JOIN d", "SELECT * FROM a LEFT JOIN b ON 1, c NATURAL JOIN d")]
    [InlineData("CREATE TABLE t(a DEFAULT -1, b DEFAULT (1), c DEFAULT abc)", "CREATE TABLE t (a DEFAULT -1, b DEFAULT (1), c DEFAULT abc)")]
    [InlineData("PRAGMA main.x(ON)", "PRAGMA main.x = ON")]
    [InlineData("begin immediate transaction", "BEGIN IMMEDIATE")]
    [InlineData("SELECT a IS NOT DISTINCT FROM b", "SELECT a IS b")]
    public void Prints_canonical_SQL(string sql, string expected) => Assert.Equal(expected, SqlPrinter.Print(SqlParser.Parse(sql)));

    [Theory]
    [InlineData("SELECT replace, \"order\", key FROM t")]
    [InlineData("SELECT CAST(a AS VARCHAR(10)), CAST(b AS) FROM t")]
    [InlineData("SELECT a BETWEEN (b AND c) AND d")]
    [InlineData("SELECT x FROM t WHERE a NOT LIKE b ESCAPE c AND d ISNULL AND e NOT NULL")]
    [InlineData("SELECT sum(x) OVER (PARTITION BY a ORDER BY b RANGE BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE GROUP) FROM t")]
    [InlineData("WITH RECURSIVE c(n) AS NOT MATERIALIZED (VALUES (1)) SELECT * FROM c")]
    [InlineData("INSERT INTO t SELECT * FROM s WHERE 1 ON CONFLICT (a) DO UPDATE SET b = 1 ON CONFLICT DO NOTHING RETURNING *")]
    [InlineData("CREATE TABLE t (a INT CONSTRAINT c CHECK (a > 0) REFERENCES p (x) MATCH SIMPLE ON UPDATE NO ACTION NOT DEFERRABLE, PRIMARY KEY (a AUTOINCREMENT) CONSTRAINT k UNIQUE (a)) STRICT")]
    [InlineData("CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT RAISE(FAIL, 'x'); UPDATE t SET a = 1; END")]
    [InlineData("SELECT [a b], `c``d`")]
    [InlineData("SELECT * FROM (a JOIN (b, c)) AS n")]
    public void Printed_SQL_parses_back_to_the_same_tree(string sql)
    {
        Statement tree = SqlParser.Parse(sql);
        Assert.Equal(tree, SqlParser.Parse(SqlPrinter.Print(tree)));
    }

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("a$1", "a$1")]
    [InlineData("1a", "\"1a\"")]
    [InlineData("select", "\"select\"")]
    [InlineData("a\"b", "\"a\"\"b\"")]
    [InlineData("", "\"\"")]
    [InlineData("é", "é")]
    public void Quotes_names_that_need_it(string name, string expected) => Assert.Equal(expected, SqlPrinter.QuoteName(name));
}
