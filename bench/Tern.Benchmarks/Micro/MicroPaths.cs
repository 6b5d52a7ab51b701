// The three ways the micro-benchmarks reach an engine: any ADO.NET provider (the same
// code for Tern.Data and Microsoft.Data.Sqlite), Tern's engine API (Database, Connection,
// Statement), and SQLite's C API through SQLitePCL.raw. Every path opens its file with
// the same settings: page size 4096, journal_mode=DELETE, synchronous=FULL and the same
// cache size in pages.
using System.Data.Common;
using SQLitePCL;

namespace Tern.Benchmarks.Micro;

/// <summary>A workload through an ADO.NET provider.</summary>
internal sealed class AdoPath : IMicroPath
{
    private readonly DbConnection _connection;

    public AdoPath(DbProviderFactory factory, string path, int cacheSize)
    {
        _connection = factory.CreateConnection()!;
        _connection.ConnectionString = $"Data Source={path};Pooling=False";
        _connection.Open();
        Execute($"PRAGMA page_size=4096; PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; PRAGMA cache_size={cacheSize};");
    }

    public void Execute(string sql)
    {
        using DbCommand cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Insert(int rows)
    {
        using DbTransaction tx = _connection.BeginTransaction();
        using DbCommand cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO m VALUES(?1, ?2, ?3)";
        DbParameter id = Parameter(cmd, "?1"), k = Parameter(cmd, "?2"), v = Parameter(cmd, "?3");
        cmd.Prepare();
        for (int i = 1; i <= rows; i++)
        {
            id.Value = (long)i;
            k.Value = MicroBenchmarks.KeyOf(i);
            v.Value = MicroBenchmarks.Texts[i % 1000];
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
    }

    public long Lookups(string sql, long[] keys, bool prepareEach)
    {
        long sum = 0;
        if (prepareEach)
        {
            foreach (long key in keys)
            {
                using DbCommand cmd = _connection.CreateCommand();
                cmd.CommandText = sql;
                Parameter(cmd, "?1").Value = key;
                using DbDataReader r = cmd.ExecuteReader();
                if (r.Read()) sum += r.GetInt64(0);
            }
            return sum;
        }
        using DbCommand q = _connection.CreateCommand();
        q.CommandText = sql;
        DbParameter p = Parameter(q, "?1");
        q.Prepare();
        foreach (long key in keys)
        {
            p.Value = key;
            using DbDataReader r = q.ExecuteReader();
            if (r.Read()) sum += r.GetInt64(0);
        }
        return sum;
    }

    public (long Sum, long Count) Scan()
    {
        long sum = 0, count = 0;
        using DbCommand cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT id, k FROM m";
        using DbDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            sum += r.GetInt64(1);
            count++;
        }
        return (sum, count);
    }

    private static DbParameter Parameter(DbCommand cmd, string name)
    {
        DbParameter p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = 0L;
        cmd.Parameters.Add(p);
        return p;
    }

    public void Dispose() => _connection.Dispose();
}

/// <summary>A workload through Tern's engine API.</summary>
internal sealed class TernEnginePath : IMicroPath
{
    private readonly Database _database;
    private readonly Connection _connection;

    public TernEnginePath(string path, int cacheSize)
    {
        _database = Database.Open(path, new DatabaseOptions { PageSize = 4096, CacheSize = cacheSize, Synchronous = Tern.Storage.Pager.SynchronousMode.Full });
        _connection = _database.Connect();
    }

    public void Execute(string sql) => _connection.Execute(sql);

    public void Insert(int rows)
    {
        _connection.Execute("BEGIN");
        using (Statement s = _connection.Prepare("INSERT INTO m VALUES(?1, ?2, ?3)"))
        {
            for (int i = 1; i <= rows; i++)
            {
                s.Bind(1, (long)i);
                s.Bind(2, MicroBenchmarks.KeyOf(i));
                s.Bind(3, MicroBenchmarks.Texts[i % 1000]);
                s.Step();
                s.Reset();
            }
        }
        _connection.Execute("COMMIT");
    }

    public long Lookups(string sql, long[] keys, bool prepareEach)
    {
        long sum = 0;
        if (prepareEach)
        {
            foreach (long key in keys)
            {
                using Statement s = _connection.Prepare(sql);
                s.Bind(1, key);
                if (s.Step()) sum += s.GetInt64(0);
            }
            return sum;
        }
        using Statement q = _connection.Prepare(sql);
        foreach (long key in keys)
        {
            q.Bind(1, key);
            if (q.Step()) sum += q.GetInt64(0);
            q.Reset();
        }
        return sum;
    }

    public (long Sum, long Count) Scan()
    {
        long sum = 0, count = 0;
        using Statement s = _connection.Prepare("SELECT id, k FROM m");
        while (s.Step())
        {
            sum += s.GetInt64(1);
            count++;
        }
        return (sum, count);
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }
}

/// <summary>A workload through SQLite's C API (SQLitePCL.raw), the layer under Microsoft.Data.Sqlite.</summary>
internal sealed class SqliteRawPath : IMicroPath
{
    private readonly sqlite3 _db;

    public SqliteRawPath(string path, int cacheSize)
    {
        Check(raw.sqlite3_open(path, out _db));
        Execute($"PRAGMA page_size=4096; PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; PRAGMA cache_size={cacheSize};");
    }

    public void Execute(string sql) => Check(raw.sqlite3_exec(_db, sql));

    public void Insert(int rows)
    {
        Execute("BEGIN");
        Check(raw.sqlite3_prepare_v2(_db, "INSERT INTO m VALUES(?1, ?2, ?3)", out sqlite3_stmt s));
        using (s)
        {
            for (int i = 1; i <= rows; i++)
            {
                raw.sqlite3_bind_int64(s, 1, i);
                raw.sqlite3_bind_int64(s, 2, MicroBenchmarks.KeyOf(i));
                raw.sqlite3_bind_text(s, 3, MicroBenchmarks.Texts[i % 1000]);
                if (raw.sqlite3_step(s) != raw.SQLITE_DONE) throw new InvalidOperationException(raw.sqlite3_errmsg(_db).utf8_to_string());
                raw.sqlite3_reset(s);
            }
        }
        Execute("COMMIT");
    }

    public long Lookups(string sql, long[] keys, bool prepareEach)
    {
        long sum = 0;
        if (prepareEach)
        {
            foreach (long key in keys)
            {
                Check(raw.sqlite3_prepare_v2(_db, sql, out sqlite3_stmt s));
                using (s)
                {
                    raw.sqlite3_bind_int64(s, 1, key);
                    if (raw.sqlite3_step(s) == raw.SQLITE_ROW) sum += raw.sqlite3_column_int64(s, 0);
                }
            }
            return sum;
        }
        Check(raw.sqlite3_prepare_v2(_db, sql, out sqlite3_stmt q));
        using (q)
        {
            foreach (long key in keys)
            {
                raw.sqlite3_bind_int64(q, 1, key);
                if (raw.sqlite3_step(q) == raw.SQLITE_ROW) sum += raw.sqlite3_column_int64(q, 0);
                raw.sqlite3_reset(q);
            }
        }
        return sum;
    }

    public (long Sum, long Count) Scan()
    {
        long sum = 0, count = 0;
        Check(raw.sqlite3_prepare_v2(_db, "SELECT id, k FROM m", out sqlite3_stmt s));
        using (s)
        {
            while (raw.sqlite3_step(s) == raw.SQLITE_ROW)
            {
                sum += raw.sqlite3_column_int64(s, 1);
                count++;
            }
        }
        return (sum, count);
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) throw new InvalidOperationException($"SQLite error {rc}: {raw.sqlite3_errmsg(_db).utf8_to_string()}");
    }

    public void Dispose() => _db.Dispose();
}
