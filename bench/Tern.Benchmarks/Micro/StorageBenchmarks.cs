// Storage benchmarks, side by side with SQLite in the same process: 1M inserts with
// sequential rowids, 1M inserts with random rowids, and a full scan, each in one
// transaction on a file database with the same settings on both sides (page size 4096,
// journal_mode=DELETE, synchronous=FULL, the same cache size in pages). Tern runs at its
// storage layer (b-tree cursor + record encoder); SQLite runs prepared SQL through
// Microsoft.Data.Sqlite, so SQLite's numbers include its SQL layer. Scans are measured
// after one warm-up scan on both sides. The last row runs the same query, SELECT a FROM t,
// through Tern's engine API (Prepare/Step/GetInt64) on the file SQLite wrote, against
// SQLite's reader: the per-row allocation of an integer scan in SQL.
using Microsoft.Data.Sqlite;
using Tern.Storage.BTree;
using Tern.Storage.Io;
using Tern.Storage.Pager;
using Tern.Storage.Record;

namespace Tern.Benchmarks.Micro;

/// <summary>The storage-layer benchmarks.</summary>
internal static class StorageBenchmarks
{
    private static int s_cacheSize = 2000;

    /// <summary>Runs the storage benchmarks on <paramref name="rows"/> rows in <paramref name="dir"/>.</summary>
    public static List<MicroResult> Run(string dir, int rows, int cacheSize)
    {
        s_cacheSize = cacheSize;
        long[] sequential = new long[rows];
        for (int i = 0; i < rows; i++) sequential[i] = i + 1;
        long[] random = (long[])sequential.Clone();
        new Random(42).Shuffle(random);
        const string Layer = "storage";
        return
        [
            new("insert sequential rowids", Layer, TernInsert(dir, "seq", sequential), SqliteInsert(dir, "seq", sequential)),
            new("insert random rowids", Layer, TernInsert(dir, "rnd", random), SqliteInsert(dir, "rnd", random)),
            new("full scan", Layer, TernScan(dir, "seq", rows), SqliteScan(dir, "seq", rows)),
            new("SELECT a FROM t (SQL)", "engine API", TernSqlScan(dir, "seq", rows), SqliteScan(dir, "seq", rows)),
        ];
    }

    private static Measure Time(int rows, Action action) => Measure.Of(rows, action);

    private static Measure TernInsert(string dir, string name, long[] keys)
    {
        string path = Path.Combine(dir, "tern-" + name + ".db");
        using var bt = BTree.Open(OsFileSystem.Instance, path, new PagerOptions { PageSize = 4096, CacheSize = s_cacheSize });
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

    private static Measure TernScan(string dir, string name, int rows)
    {
        string path = Path.Combine(dir, "tern-" + name + ".db");
        using var bt = BTree.Open(OsFileSystem.Instance, path, new PagerOptions { CacheSize = s_cacheSize });
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

    private static Measure SqliteInsert(string dir, string name, long[] keys)
    {
        string path = Path.Combine(dir, "sqlite-" + name + ".db");
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        Exec(c, "PRAGMA page_size=4096; PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; PRAGMA cache_size=" + s_cacheSize + "; CREATE TABLE t(a INTEGER, b INTEGER, c REAL);");
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

    private static Measure SqliteScan(string dir, string name, int rows)
    {
        string path = Path.Combine(dir, "sqlite-" + name + ".db");
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        Exec(c, "PRAGMA cache_size=" + s_cacheSize + ";");
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

    private static Measure TernSqlScan(string dir, string name, int rows)
    {
        string path = Path.Combine(dir, "sqlite-" + name + ".db");
        using Database db = Database.Open(path, new DatabaseOptions { CacheSize = s_cacheSize });
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

    private static void Exec(SqliteConnection c, string sql)
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
