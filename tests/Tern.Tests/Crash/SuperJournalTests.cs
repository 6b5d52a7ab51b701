// Transactions over several database files (main and attached ones) commit atomically
// through SQLite's super-journal. The power is cut at every file operation of such a
// transaction, from BEGIN to the end of COMMIT (tearing the interrupted write or not); after
// recovery both files hold the transaction or neither does, both pass integrity_check, and
// no hot journal is left behind. An I/O error injected at each file call of the same
// transaction leaves both files as they were (or, for a failing COMMIT past its commit point,
// both committed). Some recovered images also go through the sqlite3 shell,
// which must recover the same state from Tern's journals and super-journal; and a committed
// transaction over files on a real disk leaves no journal behind.
using Tern.Storage.Io;
using Tern.Tests.Support;

namespace Tern.Tests.Crash;

public class SuperJournalTests
{
    private const string Setup =
        "CREATE TABLE m(k INTEGER PRIMARY KEY, v TEXT); CREATE INDEX mv ON m(v); "
        + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) INSERT INTO m SELECT i, printf('main-%04d-%s', i, zeroblob(60)) FROM n; "
        + "CREATE TABLE aux.a(k INTEGER PRIMARY KEY, w BLOB); "
        + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30) INSERT INTO aux.a SELECT i, randomblob(150) FROM n;";

    private static readonly string[] Transaction =
    [
        "BEGIN",
        "INSERT INTO m SELECT k + 100, v || '-new' FROM m WHERE k <= 20",
        "UPDATE aux.a SET w = zeroblob(300) WHERE k % 3 = 0",
        "DELETE FROM m WHERE k BETWEEN 5 AND 9",
        "INSERT INTO aux.a(w) SELECT zeroblob(900 + k) FROM m WHERE k < 8",
        "COMMIT",
    ];

    /// <summary>Both databases' rows in one text (the content compared across runs).</summary>
    private static string State(Connection c)
    {
        var parts = new List<string>();
        foreach (string sql in new[] { "SELECT count(*), total(k), group_concat(v, ',') FROM m", "SELECT count(*), total(k), hex(group_concat(w)) FROM aux.a" })
        {
            using Statement s = c.Prepare(sql);
            Assert.True(s.Step());
            parts.Add(string.Join("|", Enumerable.Range(0, 3).Select(i => s.GetValue(i).ToString())));
        }
        return string.Join("\n", parts);
    }

    private static Database Open(MemoryFileSystem fs, string dir) =>
        Database.Open(dir + "main.db", new DatabaseOptions { FileSystem = fs, PageSize = 1024, CacheSize = 10 });

    private static Connection Attach(Database db, string dir)
    {
        Connection c = db.Connect();
        c.Execute($"ATTACH '{dir}aux.db' AS aux");
        return c;
    }

    private static Dictionary<string, byte[]> Image(string dir, out string before, out string after, out long operations)
    {
        var fs = new MemoryFileSystem();
        using (Database db = Open(fs, dir))
        using (Connection c = Attach(db, dir))
        {
            c.Execute(Setup);
        }
        Dictionary<string, byte[]> image = fs.Files.ToDictionary(p => p, fs.GetContent);
        fs = Load(image);
        using (Database db = Open(fs, dir))
        using (Connection c = Attach(db, dir))
        {
            before = State(c);
            long start = fs.OperationCount;
            foreach (string sql in Transaction) c.Execute(sql);
            operations = fs.OperationCount - start;
            after = State(c);
        }
        Assert.NotEqual(before, after);
        return image;
    }

    private static MemoryFileSystem Load(Dictionary<string, byte[]> image)
    {
        var fs = new MemoryFileSystem();
        foreach ((string path, byte[] data) in image) fs.SetContent(path, data);
        return fs;
    }

    [Fact]
    public void A_power_cut_anywhere_in_a_transaction_over_two_files_leaves_both_or_neither()
    {
        Dictionary<string, byte[]> image = Image("", out string before, out string after, out long operations);
        Assert.True(operations > 20, $"{operations} operations");
        int cuts = 0, committed = 0, rolledBack = 0;
        for (long k = 0; k <= operations; k++)
        {
            foreach (bool tear in new[] { false, true })
            {
                MemoryFileSystem fs = Load(image);
                bool returned = false;
                using (Database db = Open(fs, ""))
                using (Connection c = Attach(db, ""))
                {
                    fs.TearOnCrash = tear;
                    fs.TearRandom = new Random((int)k * 2 + (tear ? 1 : 0));
                    fs.CrashAfterOperations = fs.OperationCount + k;
                    try
                    {
                        foreach (string sql in Transaction) c.Execute(sql);
                        returned = true;
                    }
                    catch (Exception e) when (e is SimulatedPowerCutException || e is TernException { Code: ResultCode.IoErr })
                    {
                    }
                }
                if (fs.CrashAfterOperations != null)
                {
                    // The transaction ended before the cut: nothing happened.
                    Assert.True(returned);
                    fs.CrashAfterOperations = null;
                }
                else cuts++;
                string where = $"cut after {k} operations{(tear ? ", torn" : "")}";
                using (Database db = Open(fs, ""))
                using (Connection c = Attach(db, ""))
                {
                    string seen = State(c);
                    if (returned) Assert.True(seen == after, $"{where}: a returned COMMIT is lost:\n{seen}");
                    Assert.True(seen == before || seen == after, $"{where}: the files disagree:\n{seen}");
                    if (seen == after) committed++;
                    else rolledBack++;
                    Assert.Equal("ok", Scalar(c, "PRAGMA main.integrity_check"));
                    Assert.Equal("ok", Scalar(c, "PRAGMA aux.integrity_check"));
                }
                // (A journal whose header never reached the disk starts with a zero byte: not hot, as
                // in SQLite. A super-journal cut before any child journal named it stays behind as
                // garbage, as SQLite's does: only a child's recovery deletes a super-journal.)
                string? left = fs.Files.FirstOrDefault(f => f.EndsWith("-journal", StringComparison.Ordinal) && fs.GetContent(f) is [not 0, ..]);
                Assert.True(left == null, $"{where}: {left} is left behind ({(left == null ? 0 : fs.GetContent(left).Length)} bytes, returned {returned})");
            }
        }
        Assert.True(committed > 0 && rolledBack > 0, $"{cuts} cuts: {committed} committed, {rolledBack} rolled back");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_io_error_anywhere_in_a_transaction_over_two_files_undoes_both_or_neither(bool persistent)
    {
        Dictionary<string, byte[]> image = Image("", out string before, out string after, out _);
        long calls;
        {
            MemoryFileSystem count = Load(image);
            using Database db = Open(count, "");
            using Connection c = Attach(db, "");
            long start = count.CallCount;
            foreach (string sql in Transaction) c.Execute(sql);
            calls = count.CallCount - start;
        }
        int failures = 0;
        for (long k = 0; k < calls; k++)
        {
            MemoryFileSystem fs = Load(image);
            string where = $"{(persistent ? "every call from" : "call")} {k}";
            string seen;
            using (Database db = Open(fs, ""))
            using (Connection c = Attach(db, ""))
            {
                fs.ScheduleFault(fs.CallCount + k, persistent: persistent);
                int failedAt = -1;
                for (int i = 0; i < Transaction.Length && failedAt < 0; i++)
                {
                    try
                    {
                        c.Execute(Transaction[i]);
                    }
                    catch (TernException e)
                    {
                        Assert.True(e.Code is ResultCode.IoErr or ResultCode.Full or ResultCode.CantOpen, $"{where}: {e.ExtendedCode} {e.Message}");
                        failedAt = i;
                    }
                }
                fs.ClearFaults();
                if (failedAt >= 0) failures++;
                if (!c.AutoCommit) c.Execute("ROLLBACK");
                seen = State(c);
                // Only a failing COMMIT may have passed its commit point (the super-journal deleted).
                if (failedAt < 0) Assert.True(seen == after, $"{where}: a COMMIT that returned is not there");
                else if (failedAt < Transaction.Length - 1) Assert.True(seen == before, $"{where}: step {failedAt} failed, yet\n{seen}");
                else Assert.True(seen == before || seen == after, $"{where}: the files disagree\n{seen}");
                Assert.Equal("ok", Scalar(c, "PRAGMA main.integrity_check"));
                Assert.Equal("ok", Scalar(c, "PRAGMA aux.integrity_check"));
            }
            using (Database db = Open(fs, ""))
            using (Connection c = Attach(db, ""))
            {
                Assert.True(State(c) == seen, $"{where}: reopened, the files hold another state");
                Assert.Equal("ok", Scalar(c, "PRAGMA aux.integrity_check"));
            }
        }
        Assert.True(failures > calls / 2, $"{failures} failures in {calls} calls");
    }

    [Fact]
    public void Sqlite_recovers_a_cut_transaction_from_the_super_journal_tern_wrote()
    {
        using var dir = new SqliteShell.TempDir();
        string prefix = dir.Path + "/";
        Dictionary<string, byte[]> image = Image(prefix, out string before, out string after, out long operations);
        int checkedImages = 0, withSuper = 0;
        for (long k = operations / 2; k <= operations && checkedImages < 12; k += Math.Max(1, operations / 40))
        {
            MemoryFileSystem fs = Load(image);
            using (Database db = Open(fs, prefix))
            using (Connection c = Attach(db, prefix))
            {
                fs.CrashAfterOperations = fs.OperationCount + k;
                try
                {
                    foreach (string sql in Transaction) c.Execute(sql);
                }
                catch (Exception e) when (e is SimulatedPowerCutException || e is TernException { Code: ResultCode.IoErr })
                {
                }
            }
            if (fs.CrashAfterOperations != null) continue;
            foreach (string f in Directory.GetFiles(dir.Path)) File.Delete(f);
            foreach (string f in fs.Files) File.WriteAllBytes(f, fs.GetContent(f));
            if (fs.Files.Any(f => f.Contains("-mj", StringComparison.Ordinal))) withSuper++;
            checkedImages++;
            // What Tern recovers from the same files.
            string tern;
            MemoryFileSystem copy = Load(fs.Files.ToDictionary(p => p, fs.GetContent));
            using (Database db = Open(copy, prefix))
            using (Connection c = Attach(db, prefix))
            {
                tern = State(c);
            }
            Assert.True(tern == before || tern == after, $"cut after {k}: Tern recovered a mixed state");
            string expected = tern == before ? "40|30" : "55|34";
            string output = SqliteShell.Run(prefix + "main.db",
                $"ATTACH '{prefix}aux.db' AS aux; SELECT count(*) || '|' || (SELECT count(*) FROM aux.a) FROM m; PRAGMA main.integrity_check; PRAGMA aux.integrity_check;");
            Assert.Equal($"{expected}\nok\nok\n", output);
        }
        Assert.True(checkedImages > 5 && withSuper > 0, $"{checkedImages} images, {withSuper} with a super-journal");
    }

    [Fact]
    public void A_committed_transaction_over_files_on_disk_leaves_no_journal()
    {
        using var dir = new SqliteShell.TempDir();
        using (Database db = Database.Open(dir.File("main.db")))
        using (Connection c = db.Connect())
        {
            c.Execute($"ATTACH '{dir.File("aux.db")}' AS aux; CREATE TABLE m(x); CREATE TABLE aux.a(y); "
                + "BEGIN; INSERT INTO m VALUES (1); INSERT INTO aux.a VALUES (2); COMMIT; "
                + "BEGIN; INSERT INTO m VALUES (3); INSERT INTO aux.a VALUES (4); ROLLBACK");
            Assert.Equal("1", Scalar(c, "SELECT count(*) FROM m"));
        }
        Assert.Equal("aux.db main.db", string.Join(" ", Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order()));
        Assert.Equal("1|2\nok\n", SqliteShell.Run(dir.File("main.db"), $"ATTACH '{dir.File("aux.db")}' AS aux; SELECT * FROM m, aux.a; PRAGMA aux.integrity_check;"));
    }

    private static string Scalar(Connection c, string sql)
    {
        using Statement s = c.Prepare(sql);
        Assert.True(s.Step());
        return s.GetString(0) ?? "NULL";
    }
}
