// Shared-cache connections (Database.Connect(sharedCache: true)) against SQLite's shared-cache
// mode (SQLITE_OPEN_SHAREDCACHE), through the raw C API so no provider's retry loop hides a
// result: each script runs on both engines and the transcripts — rows, and errors with their
// extended codes and messages — must be the same. Table locks of writers and open readers,
// one writer at a time, the schema lock at prepare, read_uncommitted, a refused writer
// holding new transactions off, BEGIN EXCLUSIVE, savepoints, rollbacks beside another
// connection's open reader, WAL mode, closing a connection mid-transaction; then seeded random
// scripts over three connections (TERN_SHARED_CACHE_SEEDS scripts, 12 by default). Last,
// connections of one shared cache on several threads insert every row.
using System.Globalization;
using System.Text;
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public sealed class SharedCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tern-shared-cache-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Setup = "a: CREATE TABLE t(x); INSERT INTO t VALUES (1),(2),(3),(4),(5); CREATE TABLE u(y); INSERT INTO u VALUES (1),(2),(3)";

    [Theory]
    [InlineData("delete")]
    [InlineData("wal")]
    public void Writer_locks_its_tables_and_the_schema(string mode) => TwoEngineScript.AssertSameShared(_dir, $"""
        a: PRAGMA journal_mode = {mode}
        {Setup}
        b: SELECT count(*) FROM t
        a: BEGIN; INSERT INTO t VALUES (6)
        b: SELECT count(*) FROM t
        b: SELECT count(*) FROM u
        b: INSERT INTO u VALUES (4)
        b: BEGIN IMMEDIATE
        b: PRAGMA read_uncommitted = 1; SELECT count(*), sum(x) FROM t; PRAGMA read_uncommitted
        b: PRAGMA read_uncommitted = 0
        a: CREATE TABLE v(z)
        b: SELECT count(*) FROM u
        b> SELECT 1
        b: PRAGMA read_uncommitted = 1; SELECT count(*) FROM u
        a: ROLLBACK
        b: SELECT count(*) FROM t; SELECT group_concat(name) FROM sqlite_schema; PRAGMA read_uncommitted = 0
        a: BEGIN; CREATE TABLE v(z); INSERT INTO v VALUES (1); COMMIT
        b: SELECT * FROM v
        """);

    [Theory]
    [InlineData("delete")]
    [InlineData("wal")]
    public void Open_reader_locks_its_table_and_the_schema(string mode) => TwoEngineScript.AssertSameShared(_dir, $"""
        a: PRAGMA journal_mode = {mode}
        {Setup}
        b> SELECT x FROM t ORDER BY x
        a: INSERT INTO t VALUES (6)
        a: INSERT INTO u VALUES (4)
        a: UPDATE u SET y = y * 10
        a: DROP TABLE u
        a: CREATE INDEX tu ON u(y)
        b>
        b> SELECT y FROM u ORDER BY y
        a: DELETE FROM t
        a: DELETE FROM u
        b>
        b.
        a: DELETE FROM u WHERE y > 20
        a: CREATE INDEX tx ON t(x)
        b: SELECT count(*) FROM t; SELECT group_concat(y) FROM u
        """);

    [Fact]
    public void Refused_writer_holds_new_transactions_off_until_the_readers_are_done() => TwoEngineScript.AssertSameShared(_dir, $"""
        {Setup}
        a> SELECT x FROM t ORDER BY x
        b: BEGIN; INSERT INTO u VALUES (5)
        b: INSERT INTO t VALUES (9)
        c: SELECT count(*) FROM u
        c: SELECT 1
        a: SELECT count(*) FROM u
        a: SELECT count(*) FROM t
        a.
        c: SELECT count(*) FROM t
        c: SELECT count(*) FROM u
        b: SAVEPOINT s1; INSERT INTO t VALUES (9); ROLLBACK TO s1; INSERT INTO t VALUES (10); RELEASE s1
        c: PRAGMA read_uncommitted = 1; SELECT group_concat(x) FROM t; PRAGMA read_uncommitted = 0
        b: COMMIT
        c: SELECT group_concat(x) FROM t; SELECT count(*) FROM u
        """);

    [Theory]
    [InlineData("delete")]
    [InlineData("wal")]
    public void Begin_exclusive_keeps_everyone_else_out(string mode) => TwoEngineScript.AssertSameShared(_dir, $"""
        a: PRAGMA journal_mode = {mode}
        {Setup}
        a: BEGIN EXCLUSIVE
        b: SELECT count(*) FROM u
        b> SELECT 1
        a: INSERT INTO t VALUES (6); COMMIT
        b: SELECT count(*) FROM t
        b> SELECT y FROM u
        a: BEGIN EXCLUSIVE
        a: BEGIN IMMEDIATE
        a: INSERT INTO t VALUES (7)
        b.
        a: INSERT INTO t VALUES (7)
        a: COMMIT
        b: SELECT count(*) FROM t
        """);

    [Theory]
    [InlineData("delete")]
    [InlineData("wal")]
    public void Commit_and_rollback_beside_another_connections_open_reader(string mode) => TwoEngineScript.AssertSameShared(_dir, $"""
        a: PRAGMA journal_mode = {mode}
        {Setup}
        b> SELECT y FROM u ORDER BY y
        a: BEGIN; INSERT INTO t VALUES (6); DELETE FROM t WHERE x < 3; UPDATE t SET x = x + 100
        b>
        a: ROLLBACK
        b>
        a: BEGIN; INSERT INTO t SELECT x + 10 FROM t; DELETE FROM t WHERE x = 1
        a: COMMIT
        b>
        b> SELECT y FROM u ORDER BY y
        b: SELECT count(*), sum(x) FROM t
        a: BEGIN; INSERT INTO t VALUES (50)
        a: INSERT INTO u VALUES (50)
        b.
        a: INSERT INTO t VALUES (50)
        b: SELECT count(*) FROM t
        a!
        b: SELECT count(*), sum(x) FROM t; PRAGMA integrity_check
        """);

    [Fact]
    public void Many_rows_and_a_cache_spill_under_a_reader_of_another_table() => TwoEngineScript.AssertSameShared(_dir, $"""
        {Setup}
        a: PRAGMA cache_size = 10
        b> SELECT y FROM u ORDER BY y
        a: BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO t SELECT i FROM n; CREATE TABLE w(z)
        b>
        a: ROLLBACK
        b>
        a: BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO t SELECT zeroblob(300) || i FROM n; COMMIT
        b>
        b: SELECT count(*) FROM t; PRAGMA integrity_check
        """);

    [Fact]
    public void Seeded_random_scripts_over_three_connections_match_sqlite()
    {
        int seeds = int.TryParse(Environment.GetEnvironmentVariable("TERN_SHARED_CACHE_SEEDS"), out int n) ? n : 12;
        for (int seed = 0; seed < seeds; seed++)
        {
            string dir = Path.Combine(_dir, "seed" + seed.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(dir);
            string script = RandomScript(seed);
            try
            {
                TwoEngineScript.AssertSameShared(dir, script);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed}:\n{e.Message}");
            }
        }
    }

    /// <summary>
    /// A script of 80 steps over connections a, b and c on tables t and u: transactions of every
    /// kind, writes, reads, readers left open and stepped, read_uncommitted on and off, schema
    /// changes, savepoints and closes. A connection with a reader open only reads, steps it or
    /// finishes it (what one connection's writes do to its own open reader is not the subject).
    /// </summary>
    private static string RandomScript(int seed)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder();
        sb.AppendLine(seed % 2 == 0 ? "a: PRAGMA journal_mode = wal" : "a: PRAGMA journal_mode = delete");
        // A second column keeps an index on the first from covering the open readers' queries,
        // so both engines scan those in rowid order whatever their planners choose.
        sb.AppendLine("a: CREATE TABLE t(x, p DEFAULT 'p'); INSERT INTO t(x) VALUES (1),(2),(3),(4),(5); CREATE TABLE u(y, p DEFAULT 'p'); INSERT INTO u(y) VALUES (1),(2),(3)");
        string[] names = ["a", "b", "c"];
        var open = new HashSet<string>();
        for (int step = 0; step < 80; step++)
        {
            string c = names[rng.Next(names.Length)];
            string table = rng.Next(2) == 0 ? "t" : "u";
            string col = table == "t" ? "x" : "y";
            int k = rng.Next(1, 100);
            if (open.Contains(c))
            {
                switch (rng.Next(4))
                {
                    case 0:
                        sb.AppendLine(c + ">");
                        break;
                    case 1:
                        sb.AppendLine(c + ".");
                        open.Remove(c);
                        break;
                    default:
                        sb.AppendLine($"{c}: SELECT count(*), sum({col}) FROM {table}");
                        break;
                }
                continue;
            }
            string line = rng.Next(22) switch
            {
                0 => $"{c}: BEGIN",
                1 => $"{c}: BEGIN IMMEDIATE",
                2 => $"{c}: BEGIN EXCLUSIVE",
                3 or 4 => $"{c}: COMMIT",
                5 => $"{c}: ROLLBACK",
                6 or 7 => $"{c}: INSERT INTO {table}({col}) VALUES ({k})",
                8 => $"{c}: UPDATE {table} SET {col} = {col} + 1 WHERE {col} % 3 = {k % 3}",
                9 => $"{c}: DELETE FROM {table} WHERE {col} % 5 = {k % 5}",
                10 or 11 => $"{c}: SELECT count(*), sum({col}) FROM {table}",
                12 or 13 => $"{c}> SELECT rowid, {col}, p FROM {table}",
                14 => $"{c}: PRAGMA read_uncommitted = {k % 2}",
                15 => $"{c}: CREATE TABLE IF NOT EXISTS w(z); INSERT INTO w VALUES ({k})",
                16 => $"{c}: DROP TABLE IF EXISTS w",
                17 => $"{c}: SELECT count(*) FROM w",
                18 => $"{c}: CREATE INDEX IF NOT EXISTS i{table} ON {table}({col})",
                19 => $"{c}: SAVEPOINT s; INSERT INTO {table}({col}) VALUES ({k}); ROLLBACK TO s; RELEASE s",
                20 => $"{c}: INSERT INTO {table}({col}) SELECT {col} + {k} FROM {table} ORDER BY rowid LIMIT 3",
                _ => $"{c}!",
            };
            if (line.Contains('>', StringComparison.Ordinal)) open.Add(c);
            if (line.EndsWith('!')) open.Remove(c);
            sb.AppendLine(line);
        }
        foreach (string c in names)
        {
            if (open.Contains(c)) sb.AppendLine(c + ".");
            sb.AppendLine($"{c}: COMMIT");
        }
        sb.AppendLine("a: SELECT count(*), sum(x) FROM t; SELECT count(*), sum(y) FROM u; PRAGMA integrity_check");
        return sb.ToString();
    }

    [Fact]
    public void Connections_of_one_shared_cache_on_several_threads_insert_every_row()
    {
        string path = Path.Combine(_dir, "threads.db");
        using Database db = Database.Open(path);
        using (Connection setup = db.Connect(sharedCache: true)) setup.Execute("CREATE TABLE t(k, v)");
        const int threads = 4, rows = 150;
        var failures = new List<string>();
        Thread[] workers = [.. Enumerable.Range(0, threads).Select(w => new Thread(() =>
        {
            using Connection c = db.Connect(sharedCache: true);
            for (int i = 0; i < rows; i++)
            {
                // Table locks never wait in the engine: a refused statement is simply run again.
                for (int attempt = 0; ; attempt++)
                {
                    try
                    {
                        if (i % 10 == 0) c.Execute("BEGIN; SELECT count(*) FROM t; INSERT INTO t VALUES (" + w + ", " + i + "); COMMIT");
                        else c.Execute("INSERT INTO t VALUES (" + w + ", " + i + ")");
                        break;
                    }
                    catch (TernException e) when (e.Code == ResultCode.Locked && attempt < 100_000)
                    {
                        if (!c.AutoCommit) c.Execute("ROLLBACK");
                        Thread.Yield();
                    }
                    catch (Exception e)
                    {
                        lock (failures) failures.Add(e.ToString());
                        return;
                    }
                }
            }
        }))];
        foreach (Thread t in workers) t.Start();
        foreach (Thread t in workers) t.Join();
        Assert.Empty(failures);
        using Connection check = db.Connect(sharedCache: true);
        using Statement s = check.Prepare("SELECT count(*), count(DISTINCT k * 1000 + v) FROM t");
        Assert.True(s.Step());
        Assert.Equal(threads * rows, s.GetInt64(0));
        Assert.Equal(threads * rows, s.GetInt64(1));
        using Statement ok = check.Prepare("PRAGMA integrity_check");
        Assert.True(ok.Step());
        Assert.Equal("ok", ok.GetString(0));
    }
}
