// Every keyword (and a plain name, for contrast) in every place a name can appear:
// where SQLite's parser lets a keyword stand for a name, Tern must too, and where it
// does not, Tern must reject it with SQLite's message. Checked against SQLite itself.
using System.Text;
using Microsoft.Data.Sqlite;
using Tern.Sql.Lexer;
using Tern.Sql.Tests.Support;
using Xunit.Abstractions;

namespace Tern.Sql.Tests;

public sealed class KeywordPositionTests(ITestOutputHelper output)
{
    private static readonly string[] Templates =
    [
        "SELECT K", "SELECT K FROM t", "SELECT a K FROM t", "SELECT a AS K FROM t", "SELECT K(1)", "SELECT K()",
        "SELECT t.K FROM t", "SELECT K.a FROM t", "SELECT K.* FROM t", "SELECT (K)", "SELECT -K", "SELECT 1 K",
        "SELECT 1 + K", "SELECT NOT K", "SELECT a COLLATE K FROM t", "SELECT CAST(1 AS K)", "SELECT CAST(1 AS K K)",
        "SELECT * FROM K", "SELECT * FROM t K", "SELECT * FROM t AS K", "SELECT * FROM t K WHERE 1",
        "SELECT * FROM t K JOIN s", "SELECT * FROM t, K", "SELECT * FROM main.K", "SELECT * FROM K.t",
        "SELECT * FROM t INDEXED BY K", "SELECT * FROM t LEFT K JOIN s", "SELECT * FROM t K JOIN s USING (K)",
        "SELECT * FROM K(1)", "SELECT 1 FROM t WHERE a IN K", "SELECT 1 FROM t WHERE a IN K(1)",
        "SELECT count(*) OVER K FROM t", "SELECT count(*) OVER (K) FROM t", "SELECT * FROM t WINDOW K AS ()",
        "SELECT 1 FROM t ORDER BY K", "SELECT 1 FROM t GROUP BY K", "SELECT 1 FROM t LIMIT K",
        "WITH K AS (SELECT 1) SELECT 1", "WITH x(K) AS (SELECT 1) SELECT 1",
        "CREATE TABLE K(x)", "CREATE TABLE x(K)", "CREATE TABLE x(K INT)", "CREATE TABLE x(a K)", "CREATE TABLE x(a INT K)",
        "CREATE TABLE x(a K(1))", "CREATE TABLE x(a COLLATE K)", "CREATE TABLE x(a DEFAULT K)", "CREATE TABLE x(a AS (1) K)",
        "CREATE TABLE x(a REFERENCES K)", "CREATE TABLE x(a REFERENCES t(K))", "CREATE TABLE x(a CONSTRAINT K)",
        "CREATE TABLE x(a) K", "CREATE TABLE x(a) WITHOUT K", "CREATE TABLE x(a, PRIMARY KEY(K))", "CREATE TABLE K.x(a)",
        "CREATE INDEX K ON t(a)", "CREATE INDEX i ON K(a)", "CREATE INDEX i ON t(K)", "CREATE VIEW K AS SELECT 1",
        "CREATE VIEW v(K) AS SELECT 1", "CREATE TRIGGER K AFTER INSERT ON t BEGIN SELECT 1; END",
        "CREATE TRIGGER tr AFTER INSERT ON K BEGIN SELECT 1; END", "CREATE TRIGGER tr AFTER UPDATE OF K ON t BEGIN SELECT 1; END",
        "CREATE VIRTUAL TABLE K USING m", "CREATE VIRTUAL TABLE v USING K", "CREATE VIRTUAL TABLE v USING m(K)",
        "DROP TABLE K", "DROP INDEX K", "DROP VIEW K", "DROP TRIGGER K", "ALTER TABLE K RENAME TO x", "ALTER TABLE t RENAME TO K",
        "ALTER TABLE t RENAME K TO x", "ALTER TABLE t RENAME a TO K", "ALTER TABLE t ADD K", "ALTER TABLE t DROP K",
        "INSERT INTO K VALUES (1)", "INSERT INTO t(K) VALUES (1)", "INSERT INTO t AS K VALUES (1)",
        "UPDATE K SET a = 1", "UPDATE t SET K = 1", "UPDATE t AS K SET a = 1", "DELETE FROM K", "DELETE FROM t AS K",
        "INSERT INTO t VALUES (1) ON CONFLICT (K) DO NOTHING", "SELECT * FROM t JOIN s USING (K)",
        "PRAGMA K", "PRAGMA K.x", "PRAGMA x = K", "PRAGMA x(K)", "SAVEPOINT K", "RELEASE K", "RELEASE SAVEPOINT K",
        "ROLLBACK TO K", "BEGIN TRANSACTION K", "BEGIN K", "COMMIT TRANSACTION K", "ATTACH 'x' AS K", "ATTACH K AS y",
        "DETACH K", "VACUUM K", "VACUUM K INTO 'x'", "ANALYZE K", "ANALYZE K.x", "REINDEX K", "REINDEX x.K", "K",
        "SELECT RAISE(K, 'x')", "SELECT 1 FROM t WHERE a IS K", "SELECT 1 FROM t WHERE a K b", "SELECT * FROM t NATURAL K JOIN s",
    ];

    [Fact]
    public void Keywords_and_names_are_accepted_where_SQLite_accepts_them()
    {
        using SqliteConnection db = SqliteOracle.OpenMemory();
        SqliteOracle.Execute(db, "CREATE TABLE t(a, b); CREATE TABLE s(a, b);");
        var words = new List<string> { "plain", "\"quoted\"", "'str'", "[br]" };
        words.AddRange(AllKeywords());
        int passed = 0;
        var failures = new List<string>();
        foreach (string template in Templates)
        {
            foreach (string word in words)
            {
                string sql = template.Replace("K", word);
                string? ours = null;
                try
                {
                    SqlParser.ParseNext(Encoding.UTF8.GetBytes(sql));
                }
                catch (SqlParseException e)
                {
                    ours = e.Message;
                }
                string? theirs = SqliteOracle.PrepareError(db, sql);
                bool agree = theirs is null || !SqliteOracle.IsParserMessage(theirs) ? ours is null : ours == theirs;
                if (agree) passed++;
                else failures.Add($"{sql}\n  Tern: {ours ?? "ok"}\n  SQLite: {theirs}");
            }
        }
        output.WriteLine($"keyword positions: {passed} passed, {failures.Count} failed");
        foreach (string f in failures.Take(100)) output.WriteLine(f);
        Assert.Empty(failures);
    }

    private static IEnumerable<string> AllKeywords()
    {
        foreach (TokenKind k in Enum.GetValues<TokenKind>())
        {
            if (Keywords.IsKeywordKind(k)) yield return Keywords.Text(k);
        }
        yield return "TEMPORARY";
    }
}
