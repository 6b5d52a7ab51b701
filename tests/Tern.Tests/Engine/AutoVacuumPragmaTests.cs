// PRAGMA auto_vacuum set before the first table creates an auto-vacuum file (FULL or
// INCREMENTAL), and PRAGMA incremental_vacuum(N) gives up to N free pages back; SQLite
// 3.50.4 (in-process) reads the header fields back and passes the file's integrity check.
// An existing auto-vacuum file switches between FULL and INCREMENTAL (the header flag is
// rewritten, as SQLite does); NONE and auto-vacuum cannot be switched without VACUUM.
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public class AutoVacuumPragmaTests
{
    [Theory]
    [InlineData("full", 1L)]
    [InlineData("INCREMENTAL", 2L)]
    [InlineData("2", 2L)]
    [InlineData("none", 0L)]
    public void Auto_vacuum_pragma_sets_the_mode_when_set_before_the_first_table(string mode, long expected)
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("av.db");
        using (Database db = Database.Open(path, new DatabaseOptions { PageSize = 1024 }))
        using (Connection c = db.Connect())
        {
            c.Execute($"PRAGMA auto_vacuum = {mode}; CREATE TABLE t(x); INSERT INTO t VALUES(1);");
            Assert.Equal(expected, Scalar(c, "PRAGMA auto_vacuum"));
            // Once the file exists, its mode stays.
            c.Execute("PRAGMA auto_vacuum = " + (expected == 0 ? "full" : "none"));
            Assert.Equal(expected, Scalar(c, "PRAGMA auto_vacuum"));
        }
        using var s = SqliteOracle.Open(path);
        Assert.Equal(expected, SqliteOracle.Scalar(s, "PRAGMA auto_vacuum"));
        Assert.Equal("ok", SqliteOracle.Scalar(s, "PRAGMA integrity_check"));
    }

    [Fact]
    public void Incremental_vacuum_releases_at_most_the_pages_asked_for()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("iv.db");
        using (Database db = Database.Open(path, new DatabaseOptions { PageSize = 1024 }))
        using (Connection c = db.Connect())
        {
            c.Execute("""
                PRAGMA auto_vacuum = incremental;
                CREATE TABLE t(x);
                INSERT INTO t SELECT randomblob(3000) FROM generate_series(1, 20);
                DELETE FROM t;
                """);
            long free = (long)Scalar(c, "PRAGMA freelist_count")!;
            long pages = (long)Scalar(c, "PRAGMA page_count")!;
            Assert.True(free > 10, $"only {free} free pages");
            c.Execute("PRAGMA incremental_vacuum(3)");
            Assert.Equal(free - 3, Scalar(c, "PRAGMA freelist_count"));
            Assert.Equal(pages - 3, Scalar(c, "PRAGMA page_count"));
            c.Execute("PRAGMA incremental_vacuum");
            Assert.Equal(0L, Scalar(c, "PRAGMA freelist_count"));
        }
        using var s = SqliteOracle.Open(path);
        Assert.Equal("ok", SqliteOracle.Scalar(s, "PRAGMA integrity_check"));
        Assert.Equal(0L, SqliteOracle.Scalar(s, "PRAGMA freelist_count"));
    }

    [Theory]
    [InlineData("full", "incremental", 2L)]
    [InlineData("incremental", "full", 1L)]
    [InlineData("full", "none", 1L)]
    [InlineData("none", "incremental", 0L)]
    [InlineData("none", "full", 0L)]
    public void An_existing_file_switches_only_between_full_and_incremental(string created, string then, long expected)
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("sw.db");
        using (Database db = Database.Open(path, new DatabaseOptions { PageSize = 1024 }))
        using (Connection c = db.Connect())
        {
            c.Execute($"PRAGMA auto_vacuum = {created}; CREATE TABLE t(x); INSERT INTO t SELECT randomblob(3000) FROM generate_series(1, 20);");
            c.Execute($"PRAGMA auto_vacuum = {then}");
            Assert.Equal(expected, Scalar(c, "PRAGMA auto_vacuum"));
            // The mode in force decides what a commit does: FULL gives free pages back at once.
            c.Execute("DELETE FROM t");
            long free = (long)Scalar(c, "PRAGMA freelist_count")!;
            Assert.True(expected == 1 ? free == 0 : free > 10, $"{free} free pages in auto_vacuum mode {expected}");
        }
        using var s = SqliteOracle.Open(path);
        Assert.Equal(expected, SqliteOracle.Scalar(s, "PRAGMA auto_vacuum"));
        Assert.Equal("ok", SqliteOracle.Scalar(s, "PRAGMA integrity_check"));
    }

    [Fact]
    public void Switching_matches_sqlite_on_the_same_statements()
    {
        using var dir = new SqliteShell.TempDir();
        string script = "PRAGMA auto_vacuum = full; CREATE TABLE t(x); INSERT INTO t VALUES(randomblob(5000)); PRAGMA auto_vacuum = incremental; PRAGMA auto_vacuum; DELETE FROM t; PRAGMA freelist_count; PRAGMA auto_vacuum = 1; PRAGMA auto_vacuum; PRAGMA freelist_count; PRAGMA auto_vacuum = 0; PRAGMA auto_vacuum";
        string ternPath = dir.File("tern.db"), sqlitePath = dir.File("sqlite.db");
        var tern = new List<object?>();
        using (Database db = Database.Open(ternPath, new DatabaseOptions { PageSize = 1024 }))
        using (Connection c = db.Connect())
        {
            foreach (string sql in script.Split("; "))
            {
                if (sql.StartsWith("PRAGMA", StringComparison.Ordinal) && !sql.Contains('=')) tern.Add(Scalar(c, sql));
                else c.Execute(sql);
            }
        }
        var sqlite = new List<object?>();
        using (var s = SqliteOracle.Open(sqlitePath))
        {
            SqliteOracle.Execute(s, "PRAGMA page_size = 1024");
            foreach (string sql in script.Split("; "))
            {
                if (sql.StartsWith("PRAGMA", StringComparison.Ordinal) && !sql.Contains('=')) sqlite.Add(SqliteOracle.Scalar(s, sql));
                else SqliteOracle.Execute(s, sql);
            }
        }
        Assert.Equal(sqlite, tern);
    }

    private static object? Scalar(Connection c, string sql)
    {
        using Statement s = c.Prepare(sql);
        Assert.True(s.Step());
        return s.GetValue(0).Kind == ValueKind.Integer ? s.GetInt64(0) : s.GetString(0);
    }
}
