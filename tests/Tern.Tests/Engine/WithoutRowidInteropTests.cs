// WITHOUT ROWID tables on disk, checked with the sqlite3 shell: a file Tern writes (composite,
// DESC and collated keys, overflow rows, secondary indexes, rows moved by key changes)
// passes sqlite3's integrity_check and reads the same in sqlite3; a file sqlite3 writes with
// several WITHOUT ROWID tables reads the same in Tern, and Tern's changes to it pass
// sqlite3's check again and read the same in both.
using System.Text;
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

[Collection("sqlite3 shell")]
public class WithoutRowidInteropTests
{
    private const string Schema = """
        CREATE TABLE w(a TEXT COLLATE NOCASE, b INT, c, d BLOB, PRIMARY KEY(b DESC, a)) WITHOUT ROWID;
        CREATE INDEX wc ON w(c);
        CREATE UNIQUE INDEX wd ON w(a, d);
        CREATE TABLE v(k INTEGER PRIMARY KEY, n UNIQUE, payload) WITHOUT ROWID;
        CREATE TABLE s(x TEXT PRIMARY KEY, y) WITHOUT ROWID;
        """;

    private const string Fill = """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 400)
          INSERT INTO w SELECT printf('name-%03d', i), i % 13, i * 3, CASE WHEN i % 25 = 0 THEN zeroblob(3000 + i) ELSE x'01' || i END FROM n;
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 300)
          INSERT INTO v SELECT i * 7, 'n' || i, printf('%.*c', (i % 50) * 40, 'p') FROM n;
        INSERT INTO s VALUES ('only', 1), (printf('%.*c', 2000, 'k'), 2);
        """;

    private const string Changes = """
        UPDATE w SET b = b + 100 WHERE b % 4 = 1;
        UPDATE w SET c = c || '-changed' WHERE b > 100;
        DELETE FROM w WHERE b = 6;
        INSERT OR REPLACE INTO w VALUES ('NAME-007', 7, 'replaced', x'ff');
        UPDATE v SET payload = zeroblob(2500) WHERE k % 21 = 0;
        DELETE FROM v WHERE k % 5 = 0;
        INSERT INTO v VALUES (1, 'first', NULL) ON CONFLICT(k) DO UPDATE SET payload = 'again';
        UPDATE s SET x = 'moved' WHERE y = 2;
        """;

    private const string Query = """
        SELECT a, b, c, length(d), hex(substr(d, 1, 4)) FROM w ORDER BY b DESC, a;
        SELECT a FROM w WHERE c = 30;
        SELECT k, n, length(payload) FROM v ORDER BY k;
        SELECT k FROM v WHERE n = 'n17';
        SELECT x, y FROM s ORDER BY x;
        """;

    [Fact]
    public void File_with_without_rowid_tables_written_by_tern_passes_sqlite_integrity_check_and_reads_the_same()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("w.db");
        string ternRows;
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            c.Execute(Schema + Fill + Changes);
            ternRows = Rows(c, Query);
        }
        Assert.Equal("ok", SqliteShell.Run(path, "PRAGMA integrity_check;").Trim());
        Assert.Equal(ternRows, SqliteShell.Run(path, Query).ReplaceLineEndings("\n"));
        Assert.Contains("|", ternRows);
    }

    [Fact]
    public void File_with_without_rowid_tables_written_by_sqlite_reads_and_updates_in_tern()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("s.db");
        SqliteShell.Run(path, Schema + Fill);
        string expected = SqliteShell.Run(path, Query).ReplaceLineEndings("\n");
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            Assert.Equal(expected, Rows(c, Query));
            Assert.Equal("ok", Rows(c, "PRAGMA integrity_check;").Trim());
            c.Execute(Changes);
        }
        Assert.Equal("ok", SqliteShell.Run(path, "PRAGMA integrity_check;").Trim());
        // The same changes made by sqlite3 on its own copy read the same.
        string twin = dir.File("twin.db");
        SqliteShell.Run(twin, Schema + Fill + Changes);
        Assert.Equal(SqliteShell.Run(twin, Query), SqliteShell.Run(path, Query));
    }

    /// <summary>The rows of each query as the sqlite3 shell prints them in list mode.</summary>
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
