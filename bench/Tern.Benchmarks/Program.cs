// Storage benchmarks, side by side with SQLite in the same process: 1M inserts with
// sequential rowids, 1M inserts with random rowids, and a full scan, each in one
// transaction on a file database with the same settings on both sides (page size 4096,
// journal_mode=DELETE, synchronous=FULL, a 2000-page cache). Tern runs at its storage
// layer (b-tree cursor + record encoder); SQLite runs prepared SQL through
// Microsoft.Data.Sqlite, so SQLite's numbers include its SQL layer. Prints time, the
// ratio Tern/SQLite (lower is better) and bytes allocated per row on this thread. Scans
// are measured after one warm-up scan on both sides. The last row runs the same query,
// SELECT a FROM t, through Tern's engine API (Prepare/Step/GetInt64) on the file SQLite
// wrote, against SQLite's reader: the per-row allocation of an integer scan in SQL.
//
//   dotnet run -c Release --project bench/Tern.Benchmarks -- [--rows N] [--cache PAGES]
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Tern;
using Tern.Storage.BTree;
using Tern.Storage.Io;
using Tern.Storage.Pager;
using Tern.Storage.Record;

int rows = 1_000_000;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--rows" && i + 1 < args.Length) rows = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--cache" && i + 1 < args.Length) Settings.CacheSize = int.Parse(args[++i], CultureInfo.InvariantCulture);
}
int CacheSize = Settings.CacheSize;

SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_e_sqlite3());
string dir = Path.Combine(Path.GetTempPath(), "tern-bench-" + Environment.ProcessId);
Directory.CreateDirectory(dir);
try
{
    long[] sequential = new long[rows];
    for (int i = 0; i < rows; i++) sequential[i] = i + 1;
    long[] random = (long[])sequential.Clone();
    new Random(42).Shuffle(random);

    var results = new List<(string Name, Measure Tern, Measure Sqlite)>();
    results.Add(("insert sequential rowids", TernInsert(dir, "seq", sequential), SqliteInsert(dir, "seq", sequential)));
    results.Add(("insert random rowids", TernInsert(dir, "rnd", random), SqliteInsert(dir, "rnd", random)));
    results.Add(("full scan", TernScan(dir, "seq", rows), SqliteScan(dir, "seq", rows)));
    results.Add(("SELECT a FROM t (SQL)", TernSqlScan(dir, "seq", rows), SqliteScan(dir, "seq", rows)));

    Console.WriteLine($"{rows:N0} rows, {CacheSize} cached pages; Tern storage layer vs SQLite 3.50.4 through Microsoft.Data.Sqlite");
    Console.WriteLine($"{"test",-26} {"tern ms",9} {"sqlite ms",10} {"ratio",7} {"tern B/row",11} {"sqlite B/row",13}");
    double logSum = 0;
    foreach ((string name, Measure t, Measure s) in results)
    {
        double ratio = t.Milliseconds / s.Milliseconds;
        logSum += Math.Log(ratio);
        Console.WriteLine($"{name,-26} {t.Milliseconds,9:F0} {s.Milliseconds,10:F0} {ratio,7:F2} {t.BytesPerRow,11:F1} {s.BytesPerRow,13:F1}");
    }
    Console.WriteLine($"geomean ratio {Math.Exp(logSum / results.Count):F2}");
}
finally
{
    Directory.Delete(dir, recursive: true);
}

static Measure Time(int rows, Action action)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    long before = GC.GetAllocatedBytesForCurrentThread();
    var sw = Stopwatch.StartNew();
    action();
    sw.Stop();
    long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
    return new Measure(sw.Elapsed.TotalMilliseconds, (double)allocated / rows);
}

static Measure TernInsert(string dir, string name, long[] keys)
{
    string path = Path.Combine(dir, "tern-" + name + ".db");
    using var bt = BTree.Open(OsFileSystem.Instance, path, new PagerOptions { PageSize = 4096, CacheSize = Settings.CacheSize });
    bt.BeginWrite();
    uint root = bt.CreateTable();
    SchemaTable.Insert(bt, "table", "t", "t", root, "CREATE TABLE t(a INTEGER, b INTEGER, c REAL)");
    bt.Commit();
    var record = new byte[64];
    var values = new Value[3];
    using var cursor = new BTreeCursor(bt, root, table: true);
    return Time(keys.Length, () =>
    {
        bt.BeginWrite();
        foreach (long k in keys)
        {
            values[0] = Value.FromInteger(k);
            values[1] = Value.FromInteger(k * 7);
            values[2] = Value.FromReal(k * 0.5);
            int len = RecordEncoder.Encode(values, record);
            cursor.Insert(k, record.AsSpan(0, len));
        }
        bt.Commit();
    });
}

static Measure TernScan(string dir, string name, int rows)
{
    string path = Path.Combine(dir, "tern-" + name + ".db");
    using var bt = BTree.Open(OsFileSystem.Instance, path, new PagerOptions { CacheSize = Settings.CacheSize });
    uint root = SchemaTable.Read(bt).Single(e => e.Name == "t").RootPage;
    using var cursor = new BTreeCursor(bt, root, table: true);
    long sum = 0, count = 0;
    Action scan = () =>
    {
        bt.BeginRead();
        Span<ulong> columns = stackalloc ulong[RecordReader.DefaultBufferLength];
        for (bool ok = cursor.First(); ok; ok = cursor.Next())
        {
            var reader = new RecordReader(cursor.Payload, columns);
            sum += reader.GetInt64(0);
            count++;
        }
        bt.EndRead();
    };
    scan();   // warm-up: fills the page cache, so the measured run shows the steady state
    sum = count = 0;
    Measure m = Time(rows, scan);
    if (count != rows || sum != (long)rows * (rows + 1) / 2) throw new InvalidOperationException($"scan read {count} rows, sum {sum}");
    return m;
}

static Measure SqliteInsert(string dir, string name, long[] keys)
{
    string path = Path.Combine(dir, "sqlite-" + name + ".db");
    using var c = new SqliteConnection($"Data Source={path};Pooling=False");
    c.Open();
    Exec(c, "PRAGMA page_size=4096; PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; PRAGMA cache_size=" + Settings.CacheSize + "; CREATE TABLE t(a INTEGER, b INTEGER, c REAL);");
    return Time(keys.Length, () =>
    {
        using SqliteTransaction tx = c.BeginTransaction();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO t(rowid, a, b, c) VALUES ($r, $a, $b, $c)";
        SqliteParameter r = cmd.Parameters.Add("$r", SqliteType.Integer);
        SqliteParameter a = cmd.Parameters.Add("$a", SqliteType.Integer);
        SqliteParameter b = cmd.Parameters.Add("$b", SqliteType.Integer);
        SqliteParameter cc = cmd.Parameters.Add("$c", SqliteType.Real);
        cmd.Prepare();
        foreach (long k in keys)
        {
            r.Value = k;
            a.Value = k;
            b.Value = k * 7;
            cc.Value = k * 0.5;
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
    });
}

static Measure SqliteScan(string dir, string name, int rows)
{
    string path = Path.Combine(dir, "sqlite-" + name + ".db");
    using var c = new SqliteConnection($"Data Source={path};Pooling=False");
    c.Open();
    Exec(c, "PRAGMA cache_size=" + Settings.CacheSize + ";");
    long sum = 0, count = 0;
    Action scan = () =>
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT a FROM t";
        using SqliteDataReader reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            sum += reader.GetInt64(0);
            count++;
        }
    };
    scan();
    sum = count = 0;
    Measure m = Time(rows, scan);
    if (count != rows || sum != (long)rows * (rows + 1) / 2) throw new InvalidOperationException($"scan read {count} rows, sum {sum}");
    return m;
}

static Measure TernSqlScan(string dir, string name, int rows)
{
    string path = Path.Combine(dir, "sqlite-" + name + ".db");
    using Database db = Database.Open(path, new DatabaseOptions { CacheSize = Settings.CacheSize });
    using Connection c = db.Connect();
    long sum = 0, count = 0;
    Action scan = () =>
    {
        using Statement s = c.Prepare("SELECT a FROM t");
        while (s.Step())
        {
            sum += s.GetInt64(0);
            count++;
        }
    };
    scan();
    sum = count = 0;
    Measure m = Time(rows, scan);
    if (count != rows || sum != (long)rows * (rows + 1) / 2) throw new InvalidOperationException($"SQL scan read {count} rows, sum {sum}");
    return m;
}

static void Exec(SqliteConnection c, string sql)
{
    using SqliteCommand cmd = c.CreateCommand();
    cmd.CommandText = sql;
    cmd.ExecuteNonQuery();
}

internal readonly record struct Measure(double Milliseconds, double BytesPerRow);

/// <summary>Settings shared by both engines' runs.</summary>
internal static class Settings
{
    /// <summary>Page-cache size in pages on both sides (SQLite's cache_size).</summary>
    public static int CacheSize = 2000;
}
