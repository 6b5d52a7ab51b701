// Micro-benchmarks of the SQL paths, each run through two layers on both engines so the
// cost of each layer shows: ADO.NET (Tern.Data against Microsoft.Data.Sqlite, the same
// code through DbConnection) and the engine API (Tern's Prepare/Bind/Step/GetInt64/Reset
// against SQLite's C API through SQLitePCL.raw). The workloads: inserting N rows in one
// transaction; point queries by rowid and through an index, with the statement prepared
// once (bind, step, reset) and prepared anew for every lookup; and a scan of all N rows.
// Each reports time and managed bytes allocated per row (per lookup for the point
// queries) on this thread; native SQLite's own allocations are not managed and not
// counted. Both engines' answers are checked equal (a sum over the rows read).
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Tern.Data;

namespace Tern.Benchmarks.Micro;

/// <summary>Time and managed allocation of one measured run.</summary>
internal readonly record struct Measure(double Milliseconds, double BytesPerRow)
{
    /// <summary>Runs <paramref name="action"/> once after a full collection and measures it over <paramref name="rows"/> rows.</summary>
    public static Measure Of(long rows, Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        action();
        sw.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return new Measure(sw.Elapsed.TotalMilliseconds, (double)allocated / Math.Max(rows, 1));
    }
}

/// <summary>One line of a micro-benchmark table: a workload through one layer on both engines.</summary>
internal sealed record MicroResult(string Name, string Layer, Measure Tern, Measure Sqlite);

/// <summary>One way of reaching an engine: open a file, insert, index, look up, scan.</summary>
internal interface IMicroPath : IDisposable
{
    /// <summary>Inserts rows 1..<paramref name="rows"/> into m(id, k, v) in one transaction.</summary>
    void Insert(int rows);

    /// <summary>Runs a statement (no parameters, no rows).</summary>
    void Execute(string sql);

    /// <summary>Runs a one-parameter, one-integer-column query for every key; returns the sum of the answers.</summary>
    long Lookups(string sql, long[] keys, bool prepareEach);

    /// <summary>Scans <c>SELECT id, k FROM m</c>; returns the sum of k and the row count.</summary>
    (long Sum, long Count) Scan();
}

/// <summary>The micro-benchmarks.</summary>
internal static class MicroBenchmarks
{
    private const string CreateTable = "CREATE TABLE m(id INTEGER PRIMARY KEY, k INTEGER, v TEXT)";
    private const string InsertRow = "INSERT INTO m VALUES(?1, ?2, ?3)";
    private const string ByRowid = "SELECT k FROM m WHERE id=?1";
    private const string ByIndex = "SELECT id FROM m WHERE k=?1";

    /// <summary>Short texts for column v, shared so the harness allocates nothing per row.</summary>
    internal static readonly string[] Texts = Enumerable.Range(0, 1000).Select(i => "row " + Speedtest.SpeedtestData.NumberName((uint)i)).ToArray();

    /// <summary>The k column: a bijection of the id (multiplication by an odd constant modulo 2^32), so keys are unique and scattered.</summary>
    internal static long KeyOf(long id) => (uint)(id * 2654435761L);

    /// <summary>Runs the micro-benchmarks on <paramref name="rows"/> rows; returns one line per workload and layer.</summary>
    public static List<MicroResult> Run(string dir, int rows, int cacheSize)
    {
        int lookups = Math.Max(1, rows / 10);
        int preparedLookups = Math.Max(1, rows / 100);
        var ids = new long[lookups];
        for (int j = 0; j < lookups; j++) ids[j] = (long)((ulong)j * 2654435761UL % (ulong)rows) + 1;
        long[] keys = ids.Select(KeyOf).ToArray();
        long[] fewIds = ids[..preparedLookups];
        long[] fewKeys = keys[..preparedLookups];

        var results = new List<MicroResult>();
        (string Layer, Func<string, IMicroPath> Tern, Func<string, IMicroPath> Sqlite)[] layers =
        [
            ("ADO.NET", p => new AdoPath(TernFactory.Instance, p, cacheSize), p => new AdoPath(SqliteFactory.Instance, p, cacheSize)),
            ("engine API", p => new TernEnginePath(p, cacheSize), p => new SqliteRawPath(p, cacheSize)),
        ];
        foreach ((string layer, Func<string, IMicroPath> openTern, Func<string, IMicroPath> openSqlite) in layers)
        {
            string tag = layer == "ADO.NET" ? "ado" : "api";
            string ternPath = Path.Combine(dir, $"micro-tern-{tag}.db");
            string sqlitePath = Path.Combine(dir, $"micro-sqlite-{tag}.db");
            File.Delete(ternPath);
            File.Delete(sqlitePath);
            using IMicroPath tern = openTern(ternPath);
            using IMicroPath sqlite = openSqlite(sqlitePath);
            tern.Execute(CreateTable);
            sqlite.Execute(CreateTable);

            results.Add(new($"insert {rows:N0} rows, one transaction", layer,
                Measure.Of(rows, () => tern.Insert(rows)), Measure.Of(rows, () => sqlite.Insert(rows))));
            tern.Execute("CREATE INDEX m_k ON m(k)");
            sqlite.Execute("CREATE INDEX m_k ON m(k)");

            results.Add(Lookup($"{lookups:N0} point queries by rowid", layer, tern, sqlite, ByRowid, ids, false));
            results.Add(Lookup($"{lookups:N0} point queries by index", layer, tern, sqlite, ByIndex, keys, false));
            results.Add(Lookup($"{preparedLookups:N0} prepare+step by rowid", layer, tern, sqlite, ByRowid, fewIds, true));
            results.Add(Lookup($"{preparedLookups:N0} prepare+step by index", layer, tern, sqlite, ByIndex, fewKeys, true));
            results.Add(new($"scan {rows:N0} rows", layer, ScanMeasure(tern, rows), ScanMeasure(sqlite, rows)));
        }
        return results;
    }

    private static MicroResult Lookup(string name, string layer, IMicroPath tern, IMicroPath sqlite, string sql, long[] keys, bool prepareEach)
    {
        // A short warm-up on both, so the page caches and the JIT are in their steady state.
        long[] warm = keys[..Math.Min(keys.Length, 1000)];
        tern.Lookups(sql, warm, prepareEach);
        sqlite.Lookups(sql, warm, prepareEach);
        long ternSum = 0, sqliteSum = 0;
        Measure t = Measure.Of(keys.Length, () => ternSum = tern.Lookups(sql, keys, prepareEach));
        Measure s = Measure.Of(keys.Length, () => sqliteSum = sqlite.Lookups(sql, keys, prepareEach));
        if (ternSum != sqliteSum) throw new InvalidOperationException($"{name} ({layer}): Tern summed {ternSum}, SQLite {sqliteSum}");
        return new MicroResult(name, layer, t, s);
    }

    private static Measure ScanMeasure(IMicroPath path, int rows)
    {
        path.Scan();   // warm-up: fills the page cache
        (long sum, long count) = (0, 0);
        Measure m = Measure.Of(rows, () => (sum, count) = path.Scan());
        long expected = 0;
        for (long id = 1; id <= rows; id++) expected += KeyOf(id);
        if (count != rows || sum != expected) throw new InvalidOperationException($"scan read {count} rows, sum {sum}, expected {expected}");
        return m;
    }
}
