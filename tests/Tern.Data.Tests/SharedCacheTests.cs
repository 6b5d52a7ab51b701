// Shared-cache connections (Cache=Shared) on both providers, on a named in-memory database,
// a file in rollback-journal mode and a file in WAL mode: connections of one shared cache
// lock tables, not the file, so a conflict is SQLITE_LOCKED (6/262, "database table is
// locked: t") after the command timeout, never SQLITE_BUSY; a writer locks only the tables it
// writes, an open reader only the tables it reads; one writer at a time; uncommitted schema
// changes lock the schema ("database schema is locked: main"); BEGIN EXCLUSIVE keeps every
// other shared connection out; a writer refused by a reader holds new transactions off
// until the reader is done; ReadUncommitted transactions read rows not yet committed; and a
// private connection beside them waits on the file's locks (SQLITE_BUSY) as usual.
// Nothing here measures time: a wait that must fail has nobody to end it (1 s timeouts).
using System.Data;
using System.Data.Common;
using System.Globalization;
using Tern.Data.Tests.Support;
using static Tern.Data.Tests.Support.LockingSteps;

namespace Tern.Data.Tests;

public class SharedCacheTests : ScenarioBase
{
    public static TheoryData<string, string> P
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string where in new[] { "memory", "file", "wal" })
            {
                data.Add("tern", where);
                data.Add("sqlite", where);
            }
            return data;
        }
    }

    /// <summary>The connection string of a shared cache: a named in-memory database or the test file, with 1 s timeouts.</summary>
    private static string SharedCs(Db db, string where, string name) => where == "memory"
        ? $"Data Source=sc-{name}-{db.Provider}-{Guid.NewGuid():N};Mode=Memory;Cache=Shared;Default Timeout=1"
        : db.FileConnectionString(extra: "Cache=Shared;Default Timeout=1");

    /// <summary>Opens the first connection and fills t(x) with 1, 2 and u(y) with 1 (in WAL mode first for "wal").</summary>
    private static DbConnection SeedTwo(Db db, string cs, string where)
    {
        DbConnection c = Seed(db, cs, rows: 2, wal: where == "wal");
        Db.Exec(c, "CREATE TABLE u(y); INSERT INTO u VALUES (1)");
        return c;
    }

    private static long CountOf(DbConnection c, string table, DbTransaction? tx = null) =>
        Convert.ToInt64(RunSql(c, tx, "SELECT count(*) FROM " + table, scalar: true), CultureInfo.InvariantCulture);

    [Theory, MemberData(nameof(P))]
    public void Writer_locks_the_tables_it_writes_and_is_the_only_writer(string p, string where) => Run(p, db =>
    {
        string cs = SharedCs(db, where, "writer");
        DbConnection a = SeedTwo(db, cs, where);
        DbConnection b = db.Open(cs);
        DbTransaction ta = a.BeginTransaction();
        RunSql(a, ta, "INSERT INTO t VALUES (3)");
        db.T.Try("b reads the written table", () => CountOf(b, "t"));
        db.T.Try("b reads another table", () => CountOf(b, "u"));
        db.T.Try("b writes another table", () => RunSql(b, null, "INSERT INTO u VALUES (2)"));
        db.T.Try("b begins", () => b.BeginTransaction().Dispose());
        db.T.Add("a reads its own", CountOf(a, "t", ta));
        ta.Commit();
        db.T.Try("b reads after the commit", () => CountOf(b, "t"));
        db.T.Try("b writes after the commit", () => RunSql(b, null, "INSERT INTO u VALUES (2)"));
        db.T.Add("a sees", CountOf(a, "u"));
    });

    [Theory, MemberData(nameof(P))]
    public void Open_reader_locks_only_its_table(string p, string where) => Run(p, db =>
    {
        string cs = SharedCs(db, where, "reader");
        DbConnection a = SeedTwo(db, cs, where);
        DbConnection b = db.Open(cs);
        using DbCommand q = Db.Command(a, "SELECT x FROM t ORDER BY x");
        DbDataReader reader = q.ExecuteReader();
        db.T.Add("first row", reader.Read() ? reader.GetValue(0) : null);
        db.T.Try("b writes the table being read", () => RunSql(b, null, "INSERT INTO t VALUES (3)"));
        db.T.Try("b writes another table", () => RunSql(b, null, "INSERT INTO u VALUES (2)"));
        db.T.Add("reader goes on", reader.Read() ? reader.GetValue(0) : null);
        db.T.Add("reader at end", reader.Read());
        reader.Dispose();
        db.T.Try("b writes after the reader", () => RunSql(b, null, "INSERT INTO t VALUES (3)"));
        db.T.Add("t", CountOf(a, "t"));
        db.T.Add("u", CountOf(a, "u"));
    });

    [Theory, MemberData(nameof(P))]
    public void Read_uncommitted_reads_rows_not_yet_committed(string p, string where) => Run(p, db =>
    {
        string cs = SharedCs(db, where, "dirty");
        DbConnection a = SeedTwo(db, cs, where);
        DbConnection b = db.Open(cs);
        DbTransaction ta = a.BeginTransaction();
        RunSql(a, ta, "INSERT INTO t VALUES (3)");
        RunSql(a, ta, "UPDATE t SET x = 10 WHERE x = 1");
        DbTransaction tb = b.BeginTransaction(IsolationLevel.ReadUncommitted);
        db.T.Add("dirty count", CountOf(b, "t", tb));
        db.T.Add("dirty sum", RunSql(b, tb, "SELECT sum(x) FROM t", scalar: true));
        db.T.Add("pragma", RunSql(b, tb, "PRAGMA read_uncommitted", scalar: true));
        db.T.Try("dirty reader writes", () => RunSql(b, tb, "INSERT INTO u VALUES (5)"));
        ta.Rollback();
        db.T.Add("after rollback", RunSql(b, tb, "SELECT sum(x) FROM t", scalar: true));
        tb.Commit();
        db.T.Add("pragma after", RunSql(b, null, "PRAGMA read_uncommitted", scalar: true));
        DbTransaction ta2 = a.BeginTransaction();
        RunSql(a, ta2, "DELETE FROM t WHERE x = 2");
        db.T.Try("committed reader", () => CountOf(b, "t"));
        ta2.Commit();
        db.T.Add("after commit", CountOf(b, "t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Uncommitted_schema_changes_lock_the_schema(string p, string where) => Run(p, db =>
    {
        string cs = SharedCs(db, where, "schema");
        DbConnection a = SeedTwo(db, cs, where);
        DbConnection b = db.Open(cs);
        // (A prepare that meets the schema lock fails in SQLite without setting its tail, which
        // Microsoft.Data.Sqlite then reads: the engine tests check that case; here the statement
        // is prepared first and fails when it runs.)
        using DbCommand bq = Db.Command(b, "SELECT count(*) FROM t");
        bq.Prepare();
        DbTransaction ta = a.BeginTransaction();
        RunSql(a, ta, "CREATE TABLE v(z)");
        db.T.Try("b reads", () => bq.ExecuteScalar());
        db.T.Add("a reads", CountOf(a, "v", ta));
        ta.Commit();
        db.T.Try("b reads the new table", () => CountOf(b, "v"));
        using (DbCommand q = Db.Command(b, "SELECT x FROM t"))
        using (DbDataReader reader = q.ExecuteReader())
        {
            reader.Read();
            db.T.Try("drop another table", () => RunSql(a, null, "DROP TABLE u"));
            db.T.Try("create index on the table being read", () => RunSql(a, null, "CREATE INDEX tx ON t(x)"));
        }
        db.T.Try("create index after", () => RunSql(a, null, "CREATE INDEX tx ON t(x)"));
        db.T.Add("schema", RunSql(b, null, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema ORDER BY name)", scalar: true));
    });

    [Theory, MemberData(nameof(P))]
    public void Begin_exclusive_keeps_other_shared_connections_out(string p, string where) => Run(p, db =>
    {
        string cs = SharedCs(db, where, "exclusive");
        DbConnection a = SeedTwo(db, cs, where);
        DbConnection b = db.Open(cs);
        using DbCommand bq = Db.Command(b, "SELECT count(*) FROM u");
        bq.Prepare();
        db.T.Try("a begins exclusive", () => RunSql(a, null, "BEGIN EXCLUSIVE"));
        db.T.Try("b reads", () => bq.ExecuteScalar());
        RunSql(a, null, "INSERT INTO t VALUES (3)");
        db.T.Try("a commits", () => RunSql(a, null, "COMMIT"));
        db.T.Try("b reads after", () => CountOf(b, "t"));
        using (DbCommand q = Db.Command(b, "SELECT y FROM u"))
        using (DbDataReader reader = q.ExecuteReader())
        {
            reader.Read();
            db.T.Try("a begins exclusive beside a reader", () => RunSql(a, null, "BEGIN EXCLUSIVE"));
        }
        db.T.Try("a rolls back", () => RunSql(a, null, "ROLLBACK"));
    });

    [Theory, MemberData(nameof(P))]
    public void Refused_writer_holds_new_transactions_off_until_the_reader_is_done(string p, string where) => Run(p, db =>
    {
        string cs = SharedCs(db, where, "pending");
        DbConnection a = SeedTwo(db, cs, where);
        DbConnection b = db.Open(cs);
        DbConnection c = db.Open(cs);
        using DbCommand q = Db.Command(a, "SELECT x FROM t ORDER BY x");
        DbDataReader reader = q.ExecuteReader();
        reader.Read();
        DbTransaction tb = b.BeginTransaction();
        db.T.Try("b writes the table being read", () => RunSql(b, tb, "INSERT INTO t VALUES (3)"));
        db.T.Try("c reads another table", () => CountOf(c, "u"));
        db.T.Try("a reads another table", () => CountOf(a, "u"));
        reader.Dispose();
        db.T.Try("c reads after the reader", () => CountOf(c, "u"));
        db.T.Try("b writes again", () => RunSql(b, tb, "INSERT INTO t VALUES (3)"));
        tb.Commit();
        db.T.Add("t", CountOf(c, "t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Private_connection_beside_a_shared_writer_waits_on_the_file(string p, string where) => Run(p, db =>
    {
        if (where == "memory") return;
        string cs = SharedCs(db, where, "private");
        DbConnection a = SeedTwo(db, cs, where);
        DbConnection b = db.Open(cs);
        DbConnection priv = db.Open(db.FileConnectionString(extra: "Cache=Private;Default Timeout=1"));
        DbTransaction ta = a.BeginTransaction();
        RunSql(a, ta, "INSERT INTO t VALUES (3)");
        db.T.Try("private writes", () => RunSql(priv, null, "INSERT INTO u VALUES (2)"));
        db.T.Try("private reads", () => CountOf(priv, "t"));
        ta.Commit();
        using (DbCommand q = Db.Command(b, "SELECT y FROM u"))
        using (DbDataReader reader = q.ExecuteReader())
        {
            reader.Read();
            db.T.Try("private writes beside a shared reader", () => RunSql(priv, null, "INSERT INTO u VALUES (2)"));
        }
        db.T.Add("u", CountOf(a, "u"));
    });

    [Theory, MemberData(nameof(P))]
    public void Two_threads_insert_every_row_through_one_shared_cache(string p, string where) => Run(p, db =>
    {
        string cs = SharedCs(db, where, "threads").Replace("Default Timeout=1", "Default Timeout=60", StringComparison.Ordinal);
        DbConnection keep = SeedTwo(db, cs, where);
        Task[] workers = [.. Enumerable.Range(0, 2).Select(worker => Task.Factory.StartNew(() =>
        {
            using DbConnection c = db.Factory.CreateConnection()!;
            c.ConnectionString = cs;
            c.Open();
            for (int i = 0; i < 40; i++)
            {
                if (i % 10 == 9) CountOf(c, "t");
                RunSql(c, null, $"INSERT INTO t VALUES ({100 + worker * 100 + i})");
            }
        }, TaskCreationOptions.LongRunning))];
        Task.WaitAll(workers);
        db.T.Add("rows", CountOf(keep, "t"));
        db.T.Add("sum", RunSql(keep, null, "SELECT sum(x) FROM t", scalar: true));
    });
}
