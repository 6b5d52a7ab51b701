// PRAGMA integrity_check above the b-trees, against SQLite 3.50.4 on the same file: every
// row must have its entry in each index that holds it, and each index as many entries as
// such rows — with partial, expression and generated-column indexes, the error limit of
// integrity_check(N), and quick_check, which skips these checks.
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public sealed class IntegrityCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tern-integrity-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static List<string> TernRows(string path, string sql)
    {
        using Database db = Database.Open(path);
        using Connection c = db.Connect();
        using Statement s = c.Prepare(sql);
        var rows = new List<string>();
        while (s.Step()) rows.Add(s.GetString(0) ?? "");
        return rows;
    }

    private static List<string> SqliteRows(string path, string sql)
    {
        using var c = SqliteOracle.Open(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<string>();
        while (r.Read()) rows.Add(r.GetString(0));
        return rows;
    }

    private string Build(string name, string sql)
    {
        string path = Path.Combine(_dir, name);
        using var c = SqliteOracle.Open(path);
        SqliteOracle.Execute(c, sql);
        return path;
    }

    [Fact]
    public void A_partial_index_with_extra_entries_is_not_counted_as_sqlite_3_50_does_not()
    {
        string path = Build("partial.db", """
            CREATE TABLE u(p); CREATE INDEX up ON u(p); INSERT INTO u VALUES (1), (2);
            PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = 'CREATE INDEX up ON u(p) WHERE p > 1' WHERE name = 'up';
            """);
        Assert.Equal(SqliteRows(path, "PRAGMA integrity_check"), TernRows(path, "PRAGMA integrity_check"));
    }

    [Theory]
    [InlineData("PRAGMA integrity_check")]
    [InlineData("PRAGMA integrity_check(2)")]
    [InlineData("PRAGMA integrity_check(4)")]
    [InlineData("PRAGMA quick_check")]
    public void Rows_missing_from_an_index_and_wrong_entry_counts_are_reported_as_sqlite_does(string pragma)
    {
        // The stored definitions are changed under the indexes, so their entries no longer
        // match the rows (as in a file damaged by hand or by a buggy writer).
        string path = Build("damaged.db", """
            CREATE TABLE t(a, b); CREATE INDEX tb ON t(b); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z');
            CREATE TABLE u(p); CREATE INDEX up ON u(p) WHERE p > 1; INSERT INTO u VALUES (1), (2);
            PRAGMA writable_schema = ON;
            UPDATE sqlite_schema SET sql = 'CREATE INDEX tb ON t(a)' WHERE name = 'tb';
            UPDATE sqlite_schema SET sql = 'CREATE INDEX up ON u(p) WHERE p > 0' WHERE name = 'up';
            """);
        List<string> expected = SqliteRows(path, pragma);
        Assert.Equal(expected, TernRows(path, pragma));
    }

    [Fact]
    public void A_healthy_file_with_partial_expression_and_generated_column_indexes_is_ok()
    {
        string path = Build("healthy.db", """
            CREATE TABLE a(x, y UNIQUE, z AS (x * 2), w TEXT COLLATE NOCASE);
            CREATE INDEX az ON a(z); CREATE INDEX ap ON a(x) WHERE x > 5; CREATE INDEX ae ON a(lower(w), x DESC);
            CREATE INDEX aw ON a(w);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
            INSERT INTO a(x, y, w) SELECT i, i * 1.5, char(65 + i % 26) || i FROM n;
            DELETE FROM a WHERE x % 7 = 0;
            """);
        Assert.Equal(["ok"], SqliteRows(path, "PRAGMA integrity_check"));
        Assert.Equal(["ok"], TernRows(path, "PRAGMA integrity_check"));
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            c.Execute("INSERT INTO a(x, y, w) VALUES (1000, 2.5, 'mixed'), (NULL, NULL, NULL); UPDATE a SET x = x + 1 WHERE x < 50");
        }
        Assert.Equal(["ok"], TernRows(path, "PRAGMA integrity_check"));
        Assert.Equal(["ok"], SqliteRows(path, "PRAGMA integrity_check"));
    }
}
