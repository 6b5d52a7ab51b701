// Generated columns on disk, checked with the sqlite3 shell: a file Tern writes (VIRTUAL
// columns left out of the records, STORED ones in declaration order among the stored
// columns, indexes on both kinds) passes sqlite3's integrity_check and reads the same in
// sqlite3; a file sqlite3 writes reads the same in Tern, and Tern's changes to it pass
// sqlite3's check again.
using System.Text;
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

[Collection("sqlite3 shell")]
public class GeneratedColumnInteropTests
{
    private const string Schema = """
        CREATE TABLE g(id INTEGER PRIMARY KEY, a INT, b INT AS (a * 2), c TEXT AS (a || '-' || d) STORED, d, e REAL AS (b + 0.5) VIRTUAL, f AS (c || e) STORED);
        CREATE INDEX gb ON g(b);
        CREATE INDEX gc ON g(c, e DESC);
        CREATE UNIQUE INDEX gf ON g(f) WHERE a > 2;
        """;

    private const string Query = "SELECT id, a, b, c, d, e, f FROM g ORDER BY id; SELECT id FROM g WHERE b = 8; SELECT count(*) FROM g WHERE c > '3';";

    [Fact]
    public void File_with_generated_columns_written_by_tern_passes_sqlite_integrity_check_and_reads_the_same()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("g.db");
        string ternRows;
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            c.Execute(Schema);
            c.Execute("""
                INSERT INTO g(a, d) VALUES (1, 'x'), (2, 'y'), (3, NULL), (4, 'w');
                WITH RECURSIVE n(i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM n LIMIT 300) INSERT INTO g(a, d) SELECT i, hex(i) FROM n;
                UPDATE g SET a = a + 100 WHERE id % 7 = 0;
                UPDATE g SET d = 'z' || id WHERE id % 5 = 0;
                DELETE FROM g WHERE id % 11 = 0;
                """);
            ternRows = Rows(c, Query);
        }
        Assert.Equal("ok", SqliteShell.Run(path, "PRAGMA integrity_check;").Trim());
        Assert.Equal(ternRows, SqliteShell.Run(path, Query).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void File_with_generated_columns_written_by_sqlite_reads_the_same_in_tern()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("s.db");
        SqliteShell.Run(path, Schema + """
            INSERT INTO g(a, d) VALUES (1, 'x'), (2, 'y'), (3, NULL), (4, 'w');
            WITH RECURSIVE n(i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM n LIMIT 300) INSERT INTO g(a, d) SELECT i, hex(i) FROM n;
            UPDATE g SET a = a + 100 WHERE id % 7 = 0;
            ALTER TABLE g ADD COLUMN h AS (a + id);
            """);
        string expected = SqliteShell.Run(path, Query + "SELECT sum(h) FROM g;").ReplaceLineEndings("\n");
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            Assert.Equal(expected, Rows(c, Query + "SELECT sum(h) FROM g;"));
            c.Execute("UPDATE g SET a = a * 3 WHERE id % 4 = 0; DELETE FROM g WHERE id % 9 = 0; INSERT INTO g(a, d) VALUES (5000, 'new');");
            expected = Rows(c, Query + "SELECT sum(h) FROM g;");
        }
        Assert.Equal("ok", SqliteShell.Run(path, "PRAGMA integrity_check;").Trim());
        Assert.Equal(expected, SqliteShell.Run(path, Query + "SELECT sum(h) FROM g;").ReplaceLineEndings("\n"));
    }

    /// <summary>The rows of each statement as the sqlite3 shell prints them in list mode.</summary>
    private static string Rows(Connection c, string sql)
    {
        var sb = new StringBuilder();
        foreach (string one in Differential.Statements(sql))
        {
            using Statement s = c.Prepare(one);
            while (s.Step())
            {
                for (int i = 0; i < s.ColumnCount; i++)
                {
                    if (i > 0) sb.Append('|');
                    if (!s.IsNull(i)) sb.Append(s.GetString(i));
                }
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }
}
