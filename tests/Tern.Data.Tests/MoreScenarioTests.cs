// Further scenarios on both providers: change counts with triggers and conflict
// clauses, large values, command timeouts of zero, views and CTEs through the reader,
// last_insert_rowid and changes() after provider calls, and a pooled file database
// opened by many connections in turn.
using System.Data.Common;
using Tern.Data.Tests.Support;

namespace Tern.Data.Tests;

public class MoreScenarioTests : ScenarioBase
{
    public static TheoryData<string> P => Providers.Both;

    [Theory, MemberData(nameof(P))]
    public void Changes_exclude_trigger_rows(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE t(x); CREATE TABLE log(y); CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.x); INSERT INTO log VALUES (new.x); END");
        db.T.Add("insert", Db.Exec(c, "INSERT INTO t VALUES (1), (2)"));
        db.T.Add("log", Db.Scalar(c, "SELECT count(*) FROM log"));
        db.T.Add("changes()", Db.Scalar(c, "SELECT changes()"));
    });

    [Theory, MemberData(nameof(P))]
    public void Conflict_clauses_and_counts(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE t(k PRIMARY KEY, v)");
        db.T.Add("insert", Db.Exec(c, "INSERT INTO t VALUES (1, 'a'), (2, 'b')"));
        db.T.Add("ignore", Db.Exec(c, "INSERT OR IGNORE INTO t VALUES (1, 'x'), (3, 'c')"));
        db.T.Add("replace", Db.Exec(c, "INSERT OR REPLACE INTO t VALUES (2, 'z')"));
        db.T.Add("upsert", Db.Exec(c, "INSERT INTO t VALUES (3, 'q') ON CONFLICT(k) DO UPDATE SET v = excluded.v || '!'"));
        db.Query(c, "SELECT * FROM t ORDER BY k");
    });

    [Theory, MemberData(nameof(P))]
    public void Large_text_and_blob_values(string p) => Run(p, db =>
    {
        DbConnection c = db.Open(db.FileConnectionString());
        Db.Exec(c, "CREATE TABLE t(b BLOB, s TEXT)");
        var blob = new byte[300_000];
        new Random(7).NextBytes(blob);
        string text = string.Concat(Enumerable.Repeat("abc\u00e9\u2603", 40_000));
        Db.Exec(c, "INSERT INTO t VALUES (@b, @s)", ("@b", blob), ("@s", text));
        using DbDataReader r = Db.Command(c, "SELECT b, s, length(b), length(s) FROM t").ExecuteReader();
        r.Read();
        db.T.Add("blob same", ((byte[])r.GetValue(0)).AsSpan().SequenceEqual(blob));
        db.T.Add("text same", r.GetString(1) == text);
        db.T.Add("lengths", new[] { r.GetValue(2), r.GetValue(3) });
        db.T.Add("bytes len", r.GetBytes(0, 0, null, 0, 0));
    });

    [Theory, MemberData(nameof(P))]
    public void Zero_timeout_still_runs(string p) => Run(p, db =>
    {
        DbConnection c = db.Open("Data Source=:memory:;Default Timeout=0");
        DbCommand cmd = Db.Command(c, "SELECT 1");
        db.T.Add("timeout", cmd.CommandTimeout);
        db.T.Add("value", cmd.ExecuteScalar());
    });

    [Theory, MemberData(nameof(P))]
    public void Views_and_ctes_through_the_reader(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE t(a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'x')");
        Db.Exec(c, "CREATE VIEW v AS SELECT b, count(*) AS n FROM t GROUP BY b");
        db.Query(c, "SELECT * FROM v ORDER BY b");
        db.Query(c, "WITH w(k) AS (SELECT a * 10 FROM t) SELECT k, typeof(k) FROM w ORDER BY k DESC");
        db.Query(c, "SELECT b, group_concat(a, ';') FROM t GROUP BY b ORDER BY b");
    });

    [Theory, MemberData(nameof(P))]
    public void Last_insert_rowid_across_commands(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)");
        Db.Exec(c, "INSERT INTO t(v) VALUES ('a')");
        Db.Exec(c, "INSERT INTO t VALUES (100, 'b')");
        db.T.Add("rowid", Db.Scalar(c, "SELECT last_insert_rowid()"));
        db.T.Add("changes", Db.Scalar(c, "SELECT changes()"));
        db.T.Add("insert returning id", Db.Scalar(c, "INSERT INTO t(v) VALUES ('c') RETURNING id"));
    });

    [Theory, MemberData(nameof(P))]
    public void Many_connections_in_turn_on_a_pooled_file(string p) => Run(p, db =>
    {
        string cs = $"Data Source={db.File("many.db")}";
        using (DbConnection c = db.Open(cs)) Db.Exec(c, "CREATE TABLE t(x)");
        for (int i = 0; i < 20; i++)
        {
            using DbConnection c = db.Open(cs);
            Db.Exec(c, "INSERT INTO t VALUES (@i)", ("@i", i));
        }
        using DbConnection last = db.Open(cs);
        db.T.Add("sum", Db.Scalar(last, "SELECT sum(x) FROM t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Interleaved_connections_see_each_other(string p) => Run(p, db =>
    {
        using DbConnection a = db.Open(db.FileConnectionString());
        using DbConnection b = db.Open(db.FileConnectionString());
        Db.Exec(a, "CREATE TABLE t(x)");
        for (int i = 0; i < 5; i++)
        {
            Db.Exec(i % 2 == 0 ? a : b, "INSERT INTO t VALUES (@i)", ("@i", i));
            db.T.Add("count via other", Db.Scalar(i % 2 == 0 ? b : a, "SELECT count(*) FROM t"));
        }
        Db.Exec(b, "CREATE INDEX ix ON t(x)");
        db.T.Add("a sees index", Db.Scalar(a, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"));
        db.T.Add("a uses table", Db.Scalar(a, "SELECT max(x) FROM t WHERE x < 3"));
    });

    [Theory, MemberData(nameof(P))]
    public void Long_script_in_one_command(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        var sb = new System.Text.StringBuilder("CREATE TABLE t(x, y);\n");
        for (int i = 0; i < 3000; i++) sb.Append("INSERT INTO t VALUES (").Append(i).Append(", 'row ").Append(i).Append(" \u00e9');\n");
        sb.Append("SELECT count(*), sum(x), max(y) FROM t;");
        db.Query(c, sb.ToString());
    });

    [Theory, MemberData(nameof(P))]
    public void Writers_on_several_threads_take_turns(string p) => Run(p, db =>
    {
        using (DbConnection c = db.Open(db.FileConnectionString())) Db.Exec(c, "CREATE TABLE t(worker, i)");
        Task[] workers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            using DbConnection c = db.Factory.CreateConnection()!;
            c.ConnectionString = db.FileConnectionString();
            c.Open();
            for (int batch = 0; batch < 5; batch++)
            {
                using DbTransaction tx = c.BeginTransaction();
                for (int i = 0; i < 20; i++)
                {
                    using DbCommand cmd = Db.Command(c, "INSERT INTO t VALUES (@w, @i)", ("@w", w), ("@i", i));
                    cmd.Transaction = tx;
                    cmd.ExecuteNonQuery();
                }
                tx.Commit();
                using DbCommand read = Db.Command(c, "SELECT count(*) FROM t WHERE worker = @w", ("@w", w));
                read.ExecuteScalar();
            }
        })).ToArray();
        Task.WaitAll(workers);
        using DbConnection check = db.Open(db.FileConnectionString());
        db.Query(check, "SELECT worker, count(*), sum(i) FROM t GROUP BY worker ORDER BY worker");
    });

    [Theory, MemberData(nameof(P))]
    public void Numeric_edge_values_round_trip(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        foreach (object v in new object[] { long.MaxValue, long.MinValue, double.MaxValue, double.Epsilon, -1e-300, 0.1 + 0.2, 1e15 + 0.3, float.MaxValue, decimal.MaxValue, decimal.MinusOne })
            db.T.Add("v", Db.Scalar(c, "SELECT @v", ("@v", v)));
    });
}
