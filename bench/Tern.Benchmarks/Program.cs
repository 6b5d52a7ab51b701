// Tern's benchmarks, run side by side with native SQLite (Microsoft.Data.Sqlite over
// SQLite 3.50.4) in one process, on file databases with the same settings. Two parts:
//   - micro-benchmarks (Micro/): inserts, point queries, prepare+step and scans through
//     ADO.NET and through each engine's own API, plus the storage layer's benchmarks,
//     with time and bytes allocated per row;
//   - a port of SQLite's speedtest1 "main" test set (Speedtest/), every test checked for
//     equal results on both engines.
// Prints a table per part with the ratio Tern/SQLite (lower is better). The last line is
// `geomean ratio X`: the geometric mean over the speedtest1 tests that ran on both
// engines and matched (over the micro-benchmarks when only those ran).
//
//   dotnet run -c Release --project bench/Tern.Benchmarks -- [--size N] [--rows N] [--cache PAGES]
//       [--speedtest-only | --micro-only | --concurrency-only] [--wal] [--seconds S] [--verbose] [--plans N]
// --plans N prints both engines' EXPLAIN QUERY PLAN for the N tests where Tern is furthest behind.
// --wal runs speedtest1 with journal_mode=WAL and synchronous=NORMAL on both engines.
// --concurrency-only runs the WAL readers-beside-a-writer benchmark (Micro/ConcurrencyBenchmarks.cs)
// for S seconds per configuration (default 2).
using System.Diagnostics;
using System.Globalization;
using Tern.Benchmarks.Micro;
using Tern.Benchmarks.Speedtest;

int size = 100;
int rows = 1_000_000;
int cacheSize = 2000;
bool speedtest = true, micro = true, verbose = false, wal = false, concurrency = false;
int plans = 0;
double seconds = 2;
for (int i = 0; i < args.Length; i++)
{
    string a = args[i];
    bool hasValue = i + 1 < args.Length;
    if (a == "--size" && hasValue) size = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (a == "--rows" && hasValue) rows = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (a == "--cache" && hasValue) cacheSize = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (a == "--speedtest-only") micro = false;
    else if (a == "--micro-only") speedtest = false;
    else if (a == "--concurrency-only")
    {
        speedtest = micro = false;
        concurrency = true;
    }
    else if (a == "--wal") wal = true;
    else if (a == "--seconds" && hasValue) seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (a == "--verbose") verbose = true;
    else if (a == "--plans" && hasValue) plans = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else
    {
        Console.Error.WriteLine($"unknown argument {a}");
        Console.Error.WriteLine("usage: Tern.Benchmarks [--size N] [--rows N] [--cache PAGES] [--speedtest-only | --micro-only | --concurrency-only] [--wal] [--seconds S] [--verbose] [--plans N]");
        return 2;
    }
}
if (size < 1 || rows < 1 || cacheSize < 1)
{
    Console.Error.WriteLine("--size, --rows and --cache must be positive");
    return 2;
}

SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_e_sqlite3());
string dir = Path.Combine(Path.GetTempPath(), "tern-bench-" + Environment.ProcessId);
Directory.CreateDirectory(dir);
var total = Stopwatch.StartNew();
double geomean = double.NaN;
try
{
    if (micro)
    {
        var results = new List<MicroResult>();
        results.AddRange(MicroBenchmarks.Run(dir, rows, cacheSize));
        results.AddRange(StorageBenchmarks.Run(dir, rows, cacheSize));
        geomean = PrintMicro(results, rows, cacheSize);
        Console.WriteLine();
    }
    if (speedtest) geomean = SpeedtestRunner.Run(dir, size, cacheSize, verbose, plans, wal);
    if (concurrency) geomean = ConcurrencyBenchmarks.Run(dir, seconds);
}
finally
{
    Directory.Delete(dir, recursive: true);
}
Console.WriteLine($"total run time {total.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
Console.WriteLine($"geomean ratio {geomean.ToString("F3", CultureInfo.InvariantCulture)}");
return 0;

static double PrintMicro(List<MicroResult> results, int rows, int cacheSize)
{
    Console.WriteLine($"micro-benchmarks, {rows:N0} rows, {cacheSize} cached pages; SQLite 3.50.4 vs Tern");
    Console.WriteLine("  ADO.NET: Microsoft.Data.Sqlite vs Tern.Data; engine API: SQLite's C API (SQLitePCL.raw) vs Tern's Statement;");
    Console.WriteLine("  storage: Tern's b-tree layer vs SQLite SQL. B/row: managed bytes allocated per row (per lookup for queries).");
    Console.WriteLine($"{"test",-40} {"layer",-11} {"tern ms",9} {"sqlite ms",10} {"ratio",7} {"tern B/row",11} {"sqlite B/row",13}");
    double logSum = 0;
    foreach (MicroResult r in results)
    {
        double ratio = r.Tern.Milliseconds / r.Sqlite.Milliseconds;
        logSum += Math.Log(ratio);
        Console.WriteLine($"{r.Name,-40} {r.Layer,-11} {r.Tern.Milliseconds,9:F1} {r.Sqlite.Milliseconds,10:F1} {ratio,7:F2} {r.Tern.BytesPerRow,11:F1} {r.Sqlite.BytesPerRow,13:F1}");
    }
    double geomean = Math.Exp(logSum / results.Count);
    Console.WriteLine($"micro geomean ratio {geomean.ToString("F3", CultureInfo.InvariantCulture)}");
    return geomean;
}
