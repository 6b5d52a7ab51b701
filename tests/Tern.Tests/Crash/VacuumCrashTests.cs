// Power cuts at every mutating file operation of a VACUUM (rollback journal and WAL mode,
// with a small page cache so the copy back spills before its commit), with and without a
// torn last write. VACUUM changes no row, so after each cut the reopened database must hold
// exactly the rows it held before, pass integrity_check (Tern's, and SQLite 3.50.4's on a
// sample of the images), and be either the old file or the vacuumed one:
//
//   page_count after the cut = page_count before the VACUUM | page_count after it
//
// and it must keep working (a write commits).
using Tern.Storage.Io;
using Tern.Tests.Faults;
using Tern.Tests.Support;
using Xunit.Abstractions;

namespace Tern.Tests.Crash;

public class VacuumCrashTests(ITestOutputHelper output)
{
    private const string DbPath = "vacuum.db";

    private static DatabaseOptions Options(MemoryFileSystem fs) => new() { FileSystem = fs, PageSize = 1024, CacheSize = 10 };

    /// <summary>A database with free pages and half-empty pages: indexed rows and overflowing blobs, a third deleted.</summary>
    private static Dictionary<string, byte[]> Image(bool wal)
    {
        var fs = new MemoryFileSystem();
        using (Database db = Database.Open(DbPath, Options(fs)))
        using (Connection c = db.Connect())
        {
            c.Execute((wal ? "PRAGMA journal_mode = wal;" : "") +
                "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c INTEGER); CREATE INDEX t_b ON t(b); CREATE TABLE big(id INTEGER PRIMARY KEY, payload BLOB);" +
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150) INSERT INTO t(b, c) SELECT printf('row-%04d', i), i % 17 FROM n;" +
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) INSERT INTO big(payload) SELECT zeroblob(2000 + i * 10) FROM n;" +
                "DELETE FROM t WHERE a % 3 = 0; DELETE FROM big WHERE id % 3 = 0;");
        }
        return fs.Files.ToDictionary(p => p, fs.GetContent);
    }

    private static string Scalar(Connection c, string sql)
    {
        using Statement s = c.Prepare(sql);
        Assert.True(s.Step());
        return s.GetString(0) ?? "";
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Power_cut_at_every_operation_of_a_vacuum_leaves_the_old_or_the_vacuumed_database(bool wal)
    {
        Dictionary<string, byte[]> image = Image(wal);
        string rows, pagesBefore, pagesAfter;
        long operations;
        {
            MemoryFileSystem fs = FaultHarness.Load(image);
            using (Database db = Database.Open(DbPath, Options(fs)))
            using (Connection c = db.Connect())
            {
                rows = FaultHarness.Dump(c);
                pagesBefore = Scalar(c, "PRAGMA page_count");
                c.Execute("VACUUM");
                pagesAfter = Scalar(c, "PRAGMA page_count");
                Assert.Equal(rows, FaultHarness.Dump(c));
            }
            operations = fs.OperationCount;
        }
        Assert.True(int.Parse(pagesAfter, System.Globalization.CultureInfo.InvariantCulture) < int.Parse(pagesBefore, System.Globalization.CultureInfo.InvariantCulture), "the VACUUM shrinks the file");

        int cuts = 0, vacuumed = 0, oracle = 0;
        for (long k = 1; k <= operations; k++)
        {
            foreach (bool tear in new[] { false, true })
            {
                MemoryFileSystem fs = FaultHarness.Load(image);
                fs.TearOnCrash = tear;
                fs.TearRandom = new Random((int)k * 17 + 3);
                fs.CrashAfterOperations = k;
                bool cut = false;
                try
                {
                    Database db = Database.Open(DbPath, Options(fs));
                    Connection c = db.Connect();
                    c.Execute("VACUUM");
                    c.Dispose();
                    db.Dispose();
                }
                catch (SimulatedPowerCutException)
                {
                    cut = true;
                }
                if (!cut) continue;
                cuts++;
                string where = $"wal={wal}, cut at operation {k}{(tear ? " (torn)" : "")}";
                using (Database db = Database.Open(DbPath, Options(fs)))
                using (Connection c = db.Connect())
                {
                    Assert.True(rows == FaultHarness.Dump(c), $"{where}: the rows changed");
                    Assert.Equal("ok", Scalar(c, "PRAGMA integrity_check"));
                    string pages = Scalar(c, "PRAGMA page_count");
                    Assert.True(pages == pagesBefore || pages == pagesAfter, $"{where}: {pages} pages, neither {pagesBefore} nor {pagesAfter}");
                    if (pages == pagesAfter) vacuumed++;
                    if (k % 9 == 0)
                    {
                        oracle++;
                        using var dir = new SqliteShell.TempDir();
                        string path = dir.File("vacuum.db");
                        File.WriteAllBytes(path, fs.GetContent(DbPath));
                        if (fs.Exists(DbPath + "-wal")) File.WriteAllBytes(path + "-wal", fs.GetContent(DbPath + "-wal"));
                        using (var sc = SqliteOracle.Open(path))
                        {
                            Assert.Equal("ok", SqliteOracle.Scalar(sc, "PRAGMA integrity_check"));
                            Assert.Equal(Scalar(c, "SELECT count(*) || ':' || group_concat(b, ',') FROM t"),
                                SqliteOracle.Scalar(sc, "SELECT count(*) || ':' || group_concat(b, ',') FROM t"));
                        }
                        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    }
                    c.Execute("INSERT INTO t(b, c) VALUES('after the cut', 0)");
                    Assert.Equal("ok", Scalar(c, "PRAGMA integrity_check"));
                }
            }
        }
        output.WriteLine($"wal={wal}: {operations} operations, {cuts} power cuts, {vacuumed} left the vacuumed file, {oracle} read by SQLite");
        Assert.True(cuts > operations, "most operations were cut");
        Assert.True(vacuumed > 0 && vacuumed < cuts, "cuts landed both before and after the commit point");
    }
}
