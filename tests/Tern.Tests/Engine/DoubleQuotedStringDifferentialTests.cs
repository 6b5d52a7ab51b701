// Double-quoted string literals (SQLite's DQS), compared with SQLite 3.50.4: a double-quoted
// name that names no column, alias or trigger row is the string it spells, in queries, DML
// and (while DQS_DDL is on, and always in a schema read from a file) table and index
// definitions; its result column is named by its text, quotes included, except in a FROM
// subquery or CTE, whose columns are named before names resolve. Off, it is an error.
namespace Tern.Tests.Engine;

public class DoubleQuotedStringDifferentialTests
{
    [Theory]
    [InlineData("SELECT \"abc\"; SELECT \"abc\" || 1, typeof(\"q\"), \"q\" = 'q', \"q\" COLLATE NOCASE = 'Q'")]
    [InlineData("CREATE TABLE t(a); INSERT INTO t VALUES (1); SELECT \"abc\", a, \"a\", t.\"a\" FROM t")]
    [InlineData("CREATE TABLE t(a); INSERT INTO t VALUES (\"hello\"); UPDATE t SET a = \"upd\" WHERE a = \"hello\"; SELECT * FROM t WHERE \"nope\" = 'nope'")]
    [InlineData("SELECT * FROM (SELECT \"q\"); SELECT * FROM (SELECT (\"w\")); WITH c AS (SELECT \"k\") SELECT * FROM c")]
    [InlineData("CREATE TABLE t(a); INSERT INTO t VALUES (1); SELECT * FROM (SELECT \"q\", 1 AS n FROM t) WHERE n = 1; SELECT * FROM (SELECT \"q\" FROM t) WHERE \"q\" = 'q'")]
    [InlineData("CREATE TABLE t(a); INSERT INTO t VALUES (1); SELECT * FROM (SELECT A FROM t); SELECT * FROM (SELECT \"q\" AS w) WHERE w = 'q'")]
    [InlineData("VALUES (\"a\"); SELECT * FROM (VALUES (\"a\", \"b\"), (\"c\", \"d\")); SELECT \"q\" AS \"w\" UNION SELECT \"e\"")]
    [InlineData("CREATE TABLE t2 AS SELECT \"q\", (\"r\"); SELECT * FROM t2; SELECT sql FROM sqlite_schema; CREATE VIEW v AS SELECT \"z\"; SELECT * FROM v")]
    [InlineData("CREATE TABLE t(a); INSERT INTO t VALUES (1); SELECT count(*) FROM t GROUP BY \"g\"; SELECT a, \"lit\" FROM t ORDER BY 2")]
    [InlineData("CREATE TABLE t(a CHECK (a <> \"x\"), b DEFAULT \"y\", c AS (\"c\" || a)); INSERT INTO t(a) VALUES ('x'); INSERT INTO t(a) VALUES ('z'); SELECT * FROM t")]
    [InlineData("CREATE TABLE t(a); CREATE INDEX i ON t(a || \"zz\"); INSERT INTO t VALUES ('x'); SELECT * FROM t WHERE a || 'zz' = 'xzz'; PRAGMA integrity_check")]
    [InlineData("CREATE TABLE t(a, b); CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET b = \"trig\" WHERE rowid = new.rowid; END; INSERT INTO t(a) VALUES (1); SELECT * FROM t")]
    public void Double_quoted_name_that_names_nothing_is_a_string_when_dqs_is_on(string script) =>
        Differential.AssertSame(script);

    [Theory]
    [InlineData("SELECT \"abc\"; VALUES (\"a\"); SELECT * FROM (SELECT 1 AS x) WHERE \"y\" = 1")]
    [InlineData("CREATE TABLE t(a); INSERT INTO t VALUES (\"hello\"); SELECT \"a\" FROM t")]
    [InlineData("CREATE TABLE t(a CHECK (a <> \"x\")); CREATE TABLE g(a, b AS (\"q\")); CREATE TABLE u(a DEFAULT \"y\"); SELECT name FROM sqlite_schema")]
    public void Double_quoted_name_that_names_nothing_is_an_error_when_dqs_is_off(string script) =>
        Differential.AssertSame(script, doubleQuotedStrings: false);

    [Fact]
    public void Dqs_switches_default_on_and_turn_off_separately()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        Assert.True(c.DoubleQuotedStringsInDml);
        Assert.True(c.DoubleQuotedStringsInDdl);
        c.DoubleQuotedStringsInDml = false;
        TernException e = Assert.Throws<TernException>(() => c.Execute("SELECT \"x\""));
        Assert.Equal("no such column: \"x\" - should this be a string literal in single-quotes?", e.Message);
        c.Execute("CREATE TABLE t(a CHECK (a <> \"x\"))");
        c.DoubleQuotedStringsInDdl = false;
        e = Assert.Throws<TernException>(() => c.Execute("CREATE TABLE u(a CHECK (a <> \"x\"))"));
        Assert.Equal("no such column: \"x\" - should this be a string literal in single-quotes?", e.Message);
        // A definition already in the schema keeps reading the name as a string.
        e = Assert.Throws<TernException>(() => c.Execute("INSERT INTO t VALUES ('x')"));
        Assert.Equal("CHECK constraint failed: a <> \"x\"", e.Message);
    }
}
