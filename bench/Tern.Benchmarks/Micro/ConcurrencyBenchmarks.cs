// Readers beside a writer in WAL mode, on both engines through ADO.NET (Microsoft.Data.Sqlite
// against Tern.Data), one connection per thread: a table of 100,000 rows; one writer
// thread commits small transactions (one UPDATE of a random row each) without pause, and
// N reader threads (1, 2, 4, 8) each look up random rows by primary key with a prepared
// statement, for a fixed time per configuration. Reports the reads and commits per second
// of each engine and the ratio SQLite/Tern of reads per second (lower is better, as in the
// other tables: time per read). Both databases use journal_mode=WAL, synchronous=NORMAL.
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Tern.Data;

namespace Tern.Benchmarks.Micro;

/// <summary>The readers-beside-a-writer throughput benchmark.</summary>
internal static class ConcurrencyBenchmarks
{
    private const int Rows = 100_000;

    /// <summary>Runs every configuration for <paramref name="seconds"/> each; returns the geometric mean of the read-time ratios.</summary>
    public static double Run(string dir, double seconds)
    {
        Console.WriteLine($"WAL readers beside one writer, {Rows:N0} rows, {seconds.ToString("F1", CultureInfo.InvariantCulture)} s per configuration, {Environment.ProcessorCount} cores");
        Console.WriteLine("  one connection per thread; readers: point SELECT by key; writer: one UPDATE per transaction");
        Console.WriteLine($"{"readers",7} {"sqlite reads/s",15} {"tern reads/s",13} {"ratio",7} {"sqlite commits/s",17} {"tern commits/s",15}");
        double logSum = 0;
        int count = 0;
        foreach (int readers in new[] { 1, 2, 4, 8 })
        {
            (double sr, double sw) = Measure(SqliteFactory.Instance, Path.Combine(dir, $"conc-sqlite-{readers}.db"), readers, seconds);
            (double tr, double tw) = Measure(TernFactory.Instance, Path.Combine(dir, $"conc-tern-{readers}.db"), readers, seconds);
            double ratio = sr / Math.Max(tr, 1);
            logSum += Math.Log(ratio);
            count++;
            Console.WriteLine($"{readers,7} {sr,15:N0} {tr,13:N0} {ratio,7:F2} {sw,17:N0} {tw,15:N0}");
        }
        return Math.Exp(logSum / count);
    }

    private static DbConnection Open(DbProviderFactory factory, string path)
    {
        DbConnection c = factory.CreateConnection()!;
        c.ConnectionString = $"Data Source={path};Pooling=False;Default Timeout=60";
        c.Open();
        Exec(c, "PRAGMA busy_timeout=60000");
        return c;
    }

    private static void Exec(DbConnection c, string sql)
    {
        using DbCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Reads per second (all readers) and commits per second of one configuration.</summary>
    private static (double Reads, double Commits) Measure(DbProviderFactory factory, string path, int readers, double seconds)
    {
        using (DbConnection setup = Open(factory, path))
        {
            Exec(setup, "PRAGMA journal_mode=WAL");
            Exec(setup, "PRAGMA synchronous=NORMAL");
            Exec(setup, "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, pad TEXT)");
            using DbTransaction tx = setup.BeginTransaction();
            using DbCommand ins = setup.CreateCommand();
            ins.Transaction = tx;
            ins.CommandText = "INSERT INTO t VALUES ($id, $v, 'padding padding padding padding')";
            DbParameter id = ins.CreateParameter();
            id.ParameterName = "$id";
            DbParameter v = ins.CreateParameter();
            v.ParameterName = "$v";
            ins.Parameters.Add(id);
            ins.Parameters.Add(v);
            for (int i = 1; i <= Rows; i++)
            {
                id.Value = i;
                v.Value = i;
                ins.ExecuteNonQuery();
            }
            tx.Commit();
        }

        long reads = 0, commits = 0;
        using var stop = new CancellationTokenSource();
        using var start = new Barrier(readers + 2);
        var threads = new List<Thread>();
        Exception? failure = null;
        for (int r = 0; r < readers; r++)
        {
            int seed = r + 1;
            threads.Add(new Thread(() => Guard(ref failure, () =>
            {
                using DbConnection c = Open(factory, path);
                (DbCommand q, DbParameter p) = ByKey(c, "SELECT v FROM t WHERE id = $id");
                using DbCommand query = q;
                q.Prepare();
                var rng = new Random(seed);
                long n = 0;
                start.SignalAndWait();
                while (!stop.IsCancellationRequested)
                {
                    p.Value = rng.Next(1, Rows + 1);
                    if (q.ExecuteScalar() is null) throw new InvalidOperationException("row missing");
                    n++;
                }
                Interlocked.Add(ref reads, n);
            })));
        }
        threads.Add(new Thread(() => Guard(ref failure, () =>
        {
            using DbConnection c = Open(factory, path);
            (DbCommand u, DbParameter p) = ByKey(c, "UPDATE t SET v = v + 1 WHERE id = $id");
            using DbCommand update = u;
            var rng = new Random(0);
            long n = 0;
            start.SignalAndWait();
            while (!stop.IsCancellationRequested)
            {
                p.Value = rng.Next(1, Rows + 1);
                u.ExecuteNonQuery();
                n++;
            }
            Interlocked.Add(ref commits, n);
        })));
        foreach (Thread t in threads) t.Start();
        start.SignalAndWait();
        var sw = Stopwatch.StartNew();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        stop.Cancel();
        foreach (Thread t in threads) t.Join();
        sw.Stop();
        if (failure != null) throw new InvalidOperationException("a benchmark thread failed", failure);
        double s = sw.Elapsed.TotalSeconds;
        return (reads / s, commits / s);
    }

    /// <summary>A command on <paramref name="sql"/> with its one parameter, $id.</summary>
    private static (DbCommand Command, DbParameter Id) ByKey(DbConnection c, string sql)
    {
        DbCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        DbParameter p = cmd.CreateParameter();
        p.ParameterName = "$id";
        cmd.Parameters.Add(p);
        return (cmd, p);
    }

    private static void Guard(ref Exception? failure, Action body)
    {
        try
        {
            body();
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref failure, e, null);
        }
    }
}
