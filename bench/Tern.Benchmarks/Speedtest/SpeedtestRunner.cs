// Runs speedtest1's main set on SQLite (Microsoft.Data.Sqlite) and on Tern (Tern.Data)
// side by side: two file databases in one directory, opened with the same settings, and
// each test run first on SQLite and then on Tern, so both see the same machine load.
// Prints one line per test: SQLite ms, Tern ms, the ratio Tern/SQLite (lower is better)
// and whether both returned the same rows (see ResultChecksum). A test Tern cannot run
// is shown as n/a with the error; a test whose results differ is shown as MISMATCH; both
// are left out of the geometric mean. After the last test, the tables' final contents are
// compared too.
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Tern.Data;

namespace Tern.Benchmarks.Speedtest;

/// <summary>The outcome of one test on both engines.</summary>
internal sealed record SpeedtestResult(SpeedtestCase Test, double SqliteMs, double? TernMs, string Check, string? Detail, IReadOnlyList<string> Statements)
{
    /// <summary>Whether the test ran on both engines and the results matched.</summary>
    public bool Counts => TernMs != null && Check == "ok";
}

/// <summary>Runs the speedtest1 port on both engines and prints the table.</summary>
internal static class SpeedtestRunner
{
    /// <summary>
    /// Runs the main set at <paramref name="size"/> in <paramref name="dir"/>, both databases in
    /// rollback-journal mode (DELETE, synchronous FULL) or with <paramref name="wal"/> in WAL mode
    /// (synchronous NORMAL); returns the geometric mean ratio (NaN when no test counts).
    /// </summary>
    public static double Run(string dir, int size, int cacheSize, bool verbose, int plans, bool wal = false)
    {
        string sqlitePath = Path.Combine(dir, "speedtest1-sqlite.db");
        string ternPath = Path.Combine(dir, "speedtest1-tern.db");
        File.Delete(sqlitePath);
        File.Delete(ternPath);

        using var sqlite = new SpeedtestSession("SQLite", Open(SqliteFactory.Instance, sqlitePath, cacheSize, wal));
        using var tern = new SpeedtestSession("Tern", Open(TernFactory.Instance, ternPath, cacheSize, wal));

        Console.WriteLine($"speedtest1 main set, --size {size} ({size * 500:N0} rows; {size * 700:N0} in tests 400-520)");
        Console.WriteLine($"  SQLite {Settings(sqlite)} (Microsoft.Data.Sqlite)");
        Console.WriteLine($"  Tern   {Settings(tern)} (Tern.Data)");
        Console.WriteLine($"{"test",4}  {"name",-46} {"sqlite ms",10} {"tern ms",10} {"ratio",7}  check");

        var results = new List<SpeedtestResult>();
        foreach (SpeedtestCase test in Speedtest1.MainSet(size))
        {
            SpeedtestResult r = RunOne(test, sqlite, tern, verbose);
            results.Add(r);
            Print(r);
        }

        string contents = CompareContents(sqlite, tern);

        double sqliteTotal = results.Sum(r => r.SqliteMs);
        double ternTotal = results.Where(r => r.TernMs != null).Sum(r => r.TernMs!.Value);
        double sqliteBoth = results.Where(r => r.TernMs != null).Sum(r => r.SqliteMs);
        List<SpeedtestResult> counted = results.Where(r => r.Counts).ToList();
        double geomean = counted.Count == 0 ? double.NaN : Math.Exp(counted.Average(r => Math.Log(Ratio(r.SqliteMs, r.TernMs!.Value))));
        Console.WriteLine($"      {"TOTAL (tests Tern ran)",-46} {sqliteBoth,10:F1} {ternTotal,10:F1} {ternTotal / sqliteBoth,7:F2}");
        Console.WriteLine($"      {"TOTAL (all tests, SQLite)",-46} {sqliteTotal,10:F1}");
        Console.WriteLine($"final table contents: {contents}");
        int na = results.Count(r => r.TernMs == null);
        int mismatches = results.Count(r => r.Check.StartsWith("MISMATCH", StringComparison.Ordinal));
        Console.WriteLine($"{counted.Count} of {results.Count} tests counted in the geomean; {na} n/a; {mismatches} mismatched");
        if (plans > 0) PrintPlans(counted.OrderByDescending(r => Ratio(r.SqliteMs, r.TernMs!.Value)).Take(plans), sqlite, tern);
        return geomean;
    }

    /// <summary>A test's time ratio; sub-0.05 ms times are clamped so tiny tests do not swing the mean.</summary>
    private static double Ratio(double sqliteMs, double ternMs) => Math.Max(ternMs, 0.05) / Math.Max(sqliteMs, 0.05);

    private static DbConnection Open(DbProviderFactory factory, string path, int cacheSize, bool wal)
    {
        DbConnection c = factory.CreateConnection()!;
        c.ConnectionString = $"Data Source={path};Pooling=False";
        c.Open();
        // The same settings on both sides (Tern's file opens with page size 4096 and a
        // 2000-page cache, DatabaseOptions' defaults; it accepts these PRAGMAs and reports them).
        string[] journal = wal ? ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"] : ["PRAGMA journal_mode=DELETE", "PRAGMA synchronous=FULL"];
        foreach (string pragma in new[] { "PRAGMA page_size=4096", journal[0], journal[1], $"PRAGMA cache_size={cacheSize}" })
        {
            using DbCommand cmd = c.CreateCommand();
            cmd.CommandText = pragma;
            cmd.ExecuteNonQuery();
        }
        return c;
    }

    private static string Settings(SpeedtestSession s)
    {
        string Get(string pragma)
        {
            using DbCommand cmd = s.Connection.CreateCommand();
            cmd.CommandText = "PRAGMA " + pragma;
            return Convert.ToString(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "?";
        }
        return $"page_size {Get("page_size")}, journal_mode {Get("journal_mode")}, synchronous {Get("synchronous")}, cache_size {Get("cache_size")}";
    }

    private static SpeedtestResult RunOne(SpeedtestCase test, SpeedtestSession sqlite, SpeedtestSession tern, bool verbose)
    {
        // SQLite first: it must run every test (a failure there is a bug in this port).
        sqlite.BeginTest();
        var sw = Stopwatch.StartNew();
        test.Body(sqlite);
        sw.Stop();
        sqlite.EndTest();
        double sqliteMs = sw.Elapsed.TotalMilliseconds;

        tern.BeginTest();
        sw.Restart();
        try
        {
            test.Body(tern);
            sw.Stop();
            tern.EndTest();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            sw.Stop();
            tern.RollbackQuietly();
            return new SpeedtestResult(test, sqliteMs, null, "n/a", FirstLine(e.Message), sqlite.Statements);
        }
        double ternMs = sw.Elapsed.TotalMilliseconds;

        ResultChecksum a = sqlite.Checksum, b = tern.Checksum;
        if (!a.SameAs(b))
        {
            string detail = $"sqlite {a}; tern {b}";
            if (verbose) detail += Environment.NewLine + Samples(a, b);
            return new SpeedtestResult(test, sqliteMs, ternMs, "MISMATCH", detail, sqlite.Statements);
        }
        return new SpeedtestResult(test, sqliteMs, ternMs, "ok", a.SameOrderAs(b) ? null : "same rows, different order", sqlite.Statements);
    }

    private static string Samples(ResultChecksum a, ResultChecksum b)
    {
        var lines = new List<string>();
        for (int i = 0; i < Math.Max(a.Sample.Count, b.Sample.Count); i++)
        {
            lines.Add($"        sqlite: {(i < a.Sample.Count ? a.Sample[i] : "")}");
            lines.Add($"        tern:   {(i < b.Sample.Count ? b.Sample[i] : "")}");
        }
        return string.Join(Environment.NewLine, lines);
    }

    private static void Print(SpeedtestResult r)
    {
        string name = r.Test.Name.Length > 46 ? r.Test.Name[..46] : r.Test.Name;
        string tern = r.TernMs is double t ? t.ToString("F1", CultureInfo.InvariantCulture) : "n/a";
        string ratio = r.TernMs is double t2 && r.Check == "ok" ? Ratio(r.SqliteMs, t2).ToString("F2", CultureInfo.InvariantCulture) : "";
        string check = r.TernMs == null ? "n/a: " + r.Detail : r.Detail == null ? r.Check : r.Check + " (" + r.Detail + ")";
        Console.WriteLine($"{r.Test.Number,4}  {name,-46} {r.SqliteMs,10:F1} {tern,10} {ratio,7}  {check}");
    }

    /// <summary>Compares every table the tests leave behind, row by row (in any order).</summary>
    private static string CompareContents(SpeedtestSession sqlite, SpeedtestSession tern)
    {
        var parts = new List<string>();
        foreach (string table in Speedtest1.Tables)
        {
            sqlite.BeginTest();
            tern.BeginTest();
            sqlite.Exec($"SELECT * FROM {table}");
            try
            {
                tern.Exec($"SELECT * FROM {table}");
            }
            catch (Exception e) when (e is DbException or Tern.TernException)
            {
                parts.Add($"{table} n/a");
                continue;
            }
            parts.Add(sqlite.Checksum.SameAs(tern.Checksum)
                ? $"{table} ok ({sqlite.Checksum.Rows} rows)"
                : $"{table} MISMATCH (sqlite {sqlite.Checksum}; tern {tern.Checksum})");
        }
        return string.Join(", ", parts);
    }

    /// <summary>Prints both engines' query plans for the queries and writes of the given tests.</summary>
    private static void PrintPlans(IEnumerable<SpeedtestResult> worst, SpeedtestSession sqlite, SpeedtestSession tern)
    {
        foreach (SpeedtestResult r in worst)
        {
            Console.WriteLine($"query plans (on the final schema) of test {r.Test.Number} ({r.Test.Name}), ratio {Ratio(r.SqliteMs, r.TernMs!.Value):F2}:");
            foreach (string sql in r.Statements.Distinct())
            {
                string verb = sql.TrimStart().Split(' ', '(')[0].ToUpperInvariant();
                if (verb is not ("SELECT" or "INSERT" or "UPDATE" or "DELETE" or "REPLACE")) continue;
                Console.WriteLine("  " + sql.Replace('\n', ' '));
                foreach ((string engine, SpeedtestSession s) in new[] { ("sqlite", sqlite), ("tern", tern) })
                {
                    try
                    {
                        foreach (string line in s.QueryPlan(sql)) Console.WriteLine($"    {engine,-6} {line}");
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        Console.WriteLine($"    {engine,-6} (no plan: {FirstLine(e.Message)})");
                    }
                }
            }
        }
    }

    private static string FirstLine(string message)
    {
        int nl = message.IndexOfAny(['\r', '\n']);
        string line = nl < 0 ? message : message[..nl];
        return line.Length > 90 ? line[..90] + "..." : line;
    }
}
