// Connection lifecycle on both providers: connection strings and the builder, open and
// close with their state events, modes (read-only, read-write, memory, shared cache),
// pooling, ChangeDatabase, DataSource/Database/ServerVersion, and file databases shared
// by two connections.
using System.Data;
using System.Data.Common;
using Tern.Data.Tests.Support;

namespace Tern.Data.Tests;

public class LifecycleTests : ScenarioBase
{
    public static TheoryData<string> P => Providers.Both;

    [Theory, MemberData(nameof(P))]
    public void Open_and_close_change_state_and_raise_events(string p) => Run(p, db =>
    {
        DbConnection c = db.Connection();
        var events = new List<string>();
        c.StateChange += (_, e) => events.Add(e.OriginalState + "->" + e.CurrentState);
        db.T.Add("before", c.State);
        c.Open();
        db.T.Add("open", c.State);
        c.Open();
        c.Close();
        db.T.Add("closed", c.State);
        c.Close();
        db.T.Add("events", events);
        Assert.Equal(["Closed->Open", "Open->Closed"], events);
    });

    [Theory, MemberData(nameof(P))]
    public void Database_is_main_and_change_database_is_not_supported(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        db.T.Add("database", c.Database);
        db.T.Try("change", () => c.ChangeDatabase("other"));
        db.T.Try("change closed", () => db.Connection().ChangeDatabase("main"));
    });

    [Theory, MemberData(nameof(P))]
    public void Data_source_reports_the_connection_string_then_the_full_path(string p) => Run(p, db =>
    {
        string rel = Path.GetRelativePath(Environment.CurrentDirectory, db.File("ds.db"));
        DbConnection c = db.Connection($"Data Source={rel};Pooling=False");
        db.T.Add("closed", c.DataSource == rel);
        c.Open();
        db.T.Add("open", c.DataSource == db.File("ds.db"));
        c.Close();
        db.T.Add("memory closed", db.Connection().DataSource);
        db.T.Add("memory open", db.Open().DataSource);
    });

    [Theory, MemberData(nameof(P))]
    public void Server_version_is_sqlite_3_50_4(string p) => Run(p, db =>
    {
        db.T.Add("version", db.Open().ServerVersion);
    });

    [Theory, MemberData(nameof(P))]
    public void Connection_string_cannot_change_while_open(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        db.T.Try("set", () => c.ConnectionString = "Data Source=:memory:");
        c.Close();
        db.T.Try("set closed", () => c.ConnectionString = "Data Source=x.db");
        db.T.Add("value", c.ConnectionString);
    });

    [Theory, MemberData(nameof(P))]
    public void Unknown_keyword_is_refused(string p) => Run(p, db =>
    {
        db.T.Try("bad", () => db.Connection("Data Source=:memory:;Colour=blue"));
        db.T.Try("bad mode", () => db.Connection("Data Source=:memory:;Mode=Sideways"));
        db.T.Try("bad timeout", () => db.Connection("Data Source=:memory:;Default Timeout=soon"));
    });

    [Theory, MemberData(nameof(P))]
    public void Builder_parses_and_prints_keywords_and_aliases(string p) => Run(p, db =>
    {
        DbConnectionStringBuilder b = db.Factory.CreateConnectionStringBuilder()!;
        b.ConnectionString = "filename=a.db;mode=readonly;cache=shared;foreign keys=false;recursive triggers=true;command timeout=7;pooling=false";
        db.T.Add("string", b.ConnectionString);
        foreach (string k in new[] { "Data Source", "Mode", "Cache", "Password", "Foreign Keys", "Recursive Triggers", "Default Timeout", "Pooling" })
            db.T.Add(k, b[k]);
        db.T.Add("keys", b.Keys);
        db.T.Add("contains DataSource", b.ContainsKey("DataSource"));
        db.T.Add("remove", b.Remove("Mode"));
        db.T.Add("mode", b["mode"]);
        db.T.Add("after remove", b.ConnectionString);
        db.T.Try("bad key", () => b["nope"]);
        db.T.Add("tryget", b.TryGetValue("nope", out _));
        b.Clear();
        db.T.Add("cleared", b.ConnectionString);
        db.T.Add("timeout default", b["Default Timeout"]);
    });

    [Theory, MemberData(nameof(P))]
    public void Builder_properties_round_trip(string p) => Run(p, db =>
    {
        dynamic b = db.Factory.CreateConnectionStringBuilder()!;
        b.DataSource = "x.db";
        b.DefaultTimeout = 3;
        b.ForeignKeys = true;
        b.Pooling = false;
        db.T.Add("string", (string)b.ConnectionString);
        b.ForeignKeys = null;
        db.T.Add("fk null", (string)b.ConnectionString);
        db.T.Add("mode", b.Mode.ToString());
        db.T.Add("cache", b.Cache.ToString());
        db.T.Add("values", ((System.Collections.ICollection)b.Values).Count);
    });

    [Theory, MemberData(nameof(P))]
    public void Two_connections_to_one_file_see_committed_writes(string p) => Run(p, db =>
    {
        using DbConnection a = db.Open(db.FileConnectionString());
        using DbConnection b = db.Open(db.FileConnectionString());
        Db.Exec(a, "CREATE TABLE t(x)");
        Db.Exec(a, "INSERT INTO t VALUES (1), (2)");
        db.T.Add("b sees", Db.Scalar(b, "SELECT sum(x) FROM t"));
        Db.Exec(b, "INSERT INTO t VALUES (3)");
        db.T.Add("a sees", Db.Scalar(a, "SELECT sum(x) FROM t"));
        using (DbTransaction tx = a.BeginTransaction())
        {
            using DbCommand cmd = Db.Command(a, "INSERT INTO t VALUES (10)");
            cmd.Transaction = tx;
            cmd.ExecuteNonQuery();
            tx.Commit();
        }
        db.T.Add("b sees commit", Db.Scalar(b, "SELECT sum(x) FROM t"));
    });

    [Theory, MemberData(nameof(P))]
    public void File_database_persists_after_close(string p) => Run(p, db =>
    {
        using (DbConnection a = db.Open(db.FileConnectionString()))
        {
            Db.Exec(a, "CREATE TABLE t(x TEXT); INSERT INTO t VALUES ('kept')");
        }
        using DbConnection b = db.Open(db.FileConnectionString());
        db.T.Add("value", Db.Scalar(b, "SELECT x FROM t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Memory_databases_are_private_per_connection(string p) => Run(p, db =>
    {
        DbConnection a = db.Open();
        DbConnection b = db.Open();
        Db.Exec(a, "CREATE TABLE t(x)");
        db.T.Try("b", () => Db.Scalar(b, "SELECT count(*) FROM t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Memory_database_is_gone_after_close(string p) => Run(p, db =>
    {
        DbConnection a = db.Open("Data Source=:memory:;Pooling=False");
        Db.Exec(a, "CREATE TABLE t(x)");
        a.Close();
        a.Open();
        db.T.Try("after reopen", () => Db.Scalar(a, "SELECT count(*) FROM t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Pooled_memory_database_is_new_after_close(string p) => Run(p, db =>
    {
        DbConnection a = db.Open("Data Source=:memory:");
        Db.Exec(a, "CREATE TABLE t(x)");
        a.Close();
        a.Open();
        db.T.Try("after reopen", () => Db.Scalar(a, "SELECT count(*) FROM t"));
        DbConnection b = db.Open("Data Source=:memory:");
        db.T.Try("other", () => Db.Scalar(b, "SELECT count(*) FROM t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Shared_cache_memory_database_is_shared_by_name(string p) => Run(p, db =>
    {
        string cs = "Data Source=shared-" + Guid.NewGuid().ToString("N") + ";Mode=Memory;Cache=Shared";
        DbConnection a = db.Open(cs);
        DbConnection b = db.Open(cs);
        Db.Exec(a, "CREATE TABLE t(x); INSERT INTO t VALUES (42)");
        db.T.Add("b", Db.Scalar(b, "SELECT x FROM t"));
        DbConnection other = db.Open("Data Source=other-" + Guid.NewGuid().ToString("N") + ";Mode=Memory;Cache=Shared");
        db.T.Try("other", () => Db.Scalar(other, "SELECT x FROM t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Uri_shared_memory_database(string p) => Run(p, db =>
    {
        string cs = "Data Source=file:urimem-" + Guid.NewGuid().ToString("N") + "?mode=memory&cache=shared";
        DbConnection a = db.Open(cs);
        DbConnection b = db.Open(cs);
        Db.Exec(a, "CREATE TABLE t(x); INSERT INTO t VALUES ('shared')");
        db.T.Add("b", Db.Scalar(b, "SELECT x FROM t"));
        db.T.Try("private", () => Db.Scalar(db.Open("Data Source=file:other?mode=memory"), "SELECT x FROM t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Uri_file_database_and_read_only_mode(string p) => Run(p, db =>
    {
        string uri = "file:" + db.File("uri db.db").Replace(" ", "%20", StringComparison.Ordinal);
        using (DbConnection w = db.Open($"Data Source={uri};Pooling=False"))
            Db.Exec(w, "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        db.T.Add("file made", File.Exists(db.File("uri db.db")));
        using DbConnection r = db.Open($"Data Source={uri}?mode=ro;Pooling=False");
        db.T.Add("read", Db.Scalar(r, "SELECT x FROM t"));
        db.T.Try("write", () => Db.Exec(r, "INSERT INTO t VALUES (2)"));
        db.T.Try("missing rw", () => db.Open($"Data Source=file:{db.File("nope.db")}?mode=rw;Pooling=False"));
        db.T.Try("bad mode", () => db.Open($"Data Source=file:{db.File("nope.db")}?mode=zz;Pooling=False"));
    });

    [Theory, MemberData(nameof(P))]
    public void Memory_mode_without_shared_cache_is_private(string p) => Run(p, db =>
    {
        string cs = "Data Source=priv;Mode=Memory";
        DbConnection a = db.Open(cs);
        DbConnection b = db.Open(cs + ";Pooling=False");
        Db.Exec(a, "CREATE TABLE t(x)");
        db.T.Try("b", () => Db.Scalar(b, "SELECT count(*) FROM t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Read_write_mode_needs_an_existing_file(string p) => Run(p, db =>
    {
        db.T.Try("open", () => db.Open(db.FileConnectionString("missing.db", "Mode=ReadWrite")));
        db.T.Add("created", File.Exists(db.File("missing.db")));
    });

    [Theory, MemberData(nameof(P))]
    public void Read_only_mode_needs_an_existing_file(string p) => Run(p, db =>
    {
        db.T.Try("open", () => db.Open(db.FileConnectionString("missing.db", "Mode=ReadOnly")));
    });

    [Theory, MemberData(nameof(P))]
    public void Read_only_mode_refuses_writes(string p) => Run(p, db =>
    {
        using (DbConnection w = db.Open(db.FileConnectionString()))
            Db.Exec(w, "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        using DbConnection r = db.Open(db.FileConnectionString(extra: "Mode=ReadOnly"));
        db.T.Add("read", Db.Scalar(r, "SELECT x FROM t"));
        db.T.Try("write", () => Db.Exec(r, "INSERT INTO t VALUES (2)"));
        db.T.Add("still", Db.Scalar(r, "SELECT count(*) FROM t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Read_only_connection_beside_a_writer(string p) => Run(p, db =>
    {
        using DbConnection w = db.Open(db.FileConnectionString());
        Db.Exec(w, "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        using DbConnection r = db.Open(db.FileConnectionString(extra: "Mode=ReadOnly"));
        db.T.Try("write", () => Db.Exec(r, "INSERT INTO t VALUES (2)"));
        db.T.Try("pragma write", () => Db.Exec(r, "PRAGMA user_version = 3"));
        db.T.Try("begin", () => Db.Exec(r, "BEGIN; SELECT 1; COMMIT"));
        Db.Exec(w, "INSERT INTO t VALUES (3)");
        db.T.Add("reader sees", Db.Scalar(r, "SELECT sum(x) FROM t"));
        using DbConnection w2 = db.Open(db.FileConnectionString());
        db.T.Add("writer writes", Db.Exec(w2, "INSERT INTO t VALUES (4)"));
    });

    [Theory, MemberData(nameof(P))]
    public void Read_only_connection_begins_an_immediate_transaction(string p) => Run(p, db =>
    {
        using (DbConnection w = db.Open(db.FileConnectionString()))
            Db.Exec(w, "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        using DbConnection r = db.Open(db.FileConnectionString(extra: "Mode=ReadOnly"));
        db.T.Try("begin", () =>
        {
            using DbTransaction tx = r.BeginTransaction();
            tx.Commit();
        });
        db.T.Try("begin deferred", () =>
        {
            using DbTransaction tx = r.BeginTransaction(IsolationLevel.ReadUncommitted);
            tx.Rollback();
        });
    });

    [Theory, MemberData(nameof(P))]
    public void Read_write_create_makes_the_file(string p) => Run(p, db =>
    {
        db.T.Add("before", File.Exists(db.File("new.db")));
        using DbConnection c = db.Open(db.FileConnectionString("new.db"));
        Db.Exec(c, "CREATE TABLE t(x)");
        c.Close();
        db.T.Add("after", File.Exists(db.File("new.db")));
    });

    [Theory, MemberData(nameof(P))]
    public void Foreign_keys_are_on_by_default_and_can_be_turned_off(string p) => Run(p, db =>
    {
        db.T.Add("default", Db.Scalar(db.Open(), "PRAGMA foreign_keys"));
        db.T.Add("false", Db.Scalar(db.Open("Data Source=:memory:;Foreign Keys=False"), "PRAGMA foreign_keys"));
        db.T.Add("true", Db.Scalar(db.Open("Data Source=:memory:;Foreign Keys=True"), "PRAGMA foreign_keys"));
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE k(pid REFERENCES p(id))");
        db.T.Try("violation", () => Db.Exec(c, "INSERT INTO k VALUES (5)"));
    });

    [Theory, MemberData(nameof(P))]
    public void Recursive_triggers_keyword_sets_the_pragma(string p) => Run(p, db =>
    {
        db.T.Add("default", Db.Scalar(db.Open(), "PRAGMA recursive_triggers"));
        db.T.Add("on", Db.Scalar(db.Open("Data Source=:memory:;Recursive Triggers=True"), "PRAGMA recursive_triggers"));
    });

    [Theory, MemberData(nameof(P))]
    public void Default_timeout_flows_to_commands(string p) => Run(p, db =>
    {
        DbConnection c = db.Connection("Data Source=:memory:;Default Timeout=7");
        db.T.Add("command", c.CreateCommand().CommandTimeout);
        ((dynamic)c).DefaultTimeout = 9;
        db.T.Add("changed", c.CreateCommand().CommandTimeout);
        db.T.Add("fresh", db.Factory.CreateCommand()!.CommandTimeout);
    });

    [Theory, MemberData(nameof(P))]
    public void Pooled_connection_reopens_on_the_same_file(string p) => Run(p, db =>
    {
        string cs = $"Data Source={db.File("pool.db")}";
        DbConnection a = db.Open(cs);
        Db.Exec(a, "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        a.Close();
        a.Open();
        db.T.Add("again", Db.Scalar(a, "SELECT x FROM t"));
        a.Close();
        DbConnection b = db.Open(cs);
        db.T.Add("other", Db.Scalar(b, "SELECT x FROM t"));
        b.Close();
    });

    [Theory, MemberData(nameof(P))]
    public void Clearing_pools_keeps_open_connections_working(string p) => Run(p, db =>
    {
        string cs = $"Data Source={db.File("pool2.db")}";
        DbConnection a = db.Open(cs);
        Db.Exec(a, "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        dynamic d = a;
        if (db.IsTern) TernConnection.ClearPool((TernConnection)a);
        else Microsoft.Data.Sqlite.SqliteConnection.ClearPool((Microsoft.Data.Sqlite.SqliteConnection)a);
        db.T.Add("still", Db.Scalar(a, "SELECT x FROM t"));
        a.Close();
        a.Open();
        db.T.Add("reopened", Db.Scalar(a, "SELECT x FROM t"));
        a.Close();
    });

    [Theory, MemberData(nameof(P))]
    public void Closing_disposes_open_readers(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        DbCommand cmd = Db.Command(c, "SELECT 1 UNION ALL SELECT 2");
        DbDataReader r = cmd.ExecuteReader();
        r.Read();
        c.Close();
        db.T.Add("closed", r.IsClosed);
        db.T.Try("read", () => r.Read());
    });

    [Theory, MemberData(nameof(P))]
    public void Commands_work_again_after_reopen(string p) => Run(p, db =>
    {
        DbConnection c = db.Open(db.FileConnectionString());
        DbCommand cmd = Db.Command(c, "SELECT 7");
        cmd.Prepare();
        db.T.Add("first", cmd.ExecuteScalar());
        c.Close();
        c.Open();
        db.T.Add("second", cmd.ExecuteScalar());
    });

    [Theory, MemberData(nameof(P))]
    public void Operations_on_a_closed_connection_fail(string p) => Run(p, db =>
    {
        DbConnection c = db.Connection();
        DbCommand cmd = Db.Command(c, "SELECT 1");
        db.T.Try("reader", () => cmd.ExecuteReader());
        db.T.Try("nonquery", () => cmd.ExecuteNonQuery());
        db.T.Try("scalar", () => cmd.ExecuteScalar());
        db.T.Try("prepare", () => cmd.Prepare());
        db.T.Try("begin", () => c.BeginTransaction());
        DbCommand none = db.Factory.CreateCommand()!;
        none.CommandText = "SELECT 1";
        db.T.Try("no connection", () => none.ExecuteScalar());
    });

    [Theory, MemberData(nameof(P))]
    public void Factory_makes_the_provider_objects(string p) => Run(p, db =>
    {
        db.T.Add("connection", db.Factory.CreateConnection()!.GetType().Name.Replace("Sqlite", "Tern", StringComparison.Ordinal));
        db.T.Add("command", db.Factory.CreateCommand()!.GetType().Name.Replace("Sqlite", "Tern", StringComparison.Ordinal));
        db.T.Add("parameter", db.Factory.CreateParameter()!.GetType().Name.Replace("Sqlite", "Tern", StringComparison.Ordinal));
        db.T.Add("builder", db.Factory.CreateConnectionStringBuilder()!.GetType().Name.Replace("Sqlite", "Tern", StringComparison.Ordinal));
        DbConnection c = db.Open();
        db.T.Add("same factory", DbProviderFactories.GetFactory(c) == db.Factory);
    });

    [Theory, MemberData(nameof(P))]
    public void Data_source_makes_connections_and_commands(string p) => Run(p, db =>
    {
        using DbDataSource ds = db.Factory.CreateDataSource("Data Source=:memory:");
        db.T.Add("cs", ds.ConnectionString);
        using DbConnection c = ds.OpenConnection();
        db.T.Add("state", c.State);
        using DbConnection c2 = ds.CreateConnection();
        db.T.Add("state2", c2.State);
        using DbCommand cmd = ds.CreateCommand("SELECT 1 + 1");
        db.T.Add("scalar", cmd.ExecuteScalar());
    });

    [Theory, MemberData(nameof(P))]
    public void Opening_a_directory_fails(string p) => Run(p, db =>
    {
        db.T.Try("open", () => db.Open($"Data Source={db.Directory};Pooling=False"));
    });

    [Theory, MemberData(nameof(P))]
    public void Empty_data_source_opens_a_temporary_database(string p) => Run(p, db =>
    {
        DbConnection c = db.Open("");
        Db.Exec(c, "CREATE TABLE t(x); INSERT INTO t VALUES (3)");
        db.T.Add("value", Db.Scalar(c, "SELECT x FROM t"));
        db.T.Add("data source", c.DataSource);
    });
}
