// Commands on both providers: ExecuteNonQuery's counts, ExecuteScalar, several
// statements in one command (result sets and NextResult), Prepare and re-execution,
// changing text, CommandType, and the errors of misuse.
using System.Data;
using System.Data.Common;
using Tern.Data.Tests.Support;

namespace Tern.Data.Tests;

public class CommandTests : ScenarioBase
{
    public static TheoryData<string> P => Providers.Both;

    private static DbConnection Seed(Db db)
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL); INSERT INTO t VALUES (1, 'a', 1.5), (2, 'b', 2.5), (3, 'c', NULL)");
        return c;
    }

    [Theory, MemberData(nameof(P))]
    public void Non_query_counts_rows_changed(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        db.T.Add("create", Db.Exec(c, "CREATE TABLE t(x)"));
        db.T.Add("insert", Db.Exec(c, "INSERT INTO t VALUES (1), (2), (3)"));
        db.T.Add("update", Db.Exec(c, "UPDATE t SET x = x + 1 WHERE x > 1"));
        db.T.Add("delete", Db.Exec(c, "DELETE FROM t WHERE x = 1"));
        db.T.Add("select", Db.Exec(c, "SELECT * FROM t"));
        db.T.Add("create after dml", Db.Exec(c, "CREATE TABLE u(y)"));
        db.T.Add("two inserts", Db.Exec(c, "INSERT INTO u VALUES (1); INSERT INTO u VALUES (2), (3)"));
        db.T.Add("insert and select", Db.Exec(c, "INSERT INTO u VALUES (9); SELECT * FROM u"));
        db.T.Add("pragma", Db.Exec(c, "PRAGMA user_version = 3"));
        db.T.Add("empty", Db.Exec(c, ""));
        db.T.Add("comment", Db.Exec(c, "-- nothing"));
    });

    [Theory, MemberData(nameof(P))]
    public void Non_query_counts_update_with_no_match_and_delete_all(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        db.T.Add("no match", Db.Exec(c, "UPDATE t SET name = 'z' WHERE id = 99"));
        db.T.Add("delete all", Db.Exec(c, "DELETE FROM t"));
        db.T.Add("begin", Db.Exec(c, "BEGIN"));
        db.T.Add("commit", Db.Exec(c, "COMMIT"));
    });

    [Theory, MemberData(nameof(P))]
    public void Scalar_returns_first_column_of_first_row_or_null(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        db.T.Add("count", Db.Scalar(c, "SELECT count(*) FROM t"));
        db.T.Add("first", Db.Scalar(c, "SELECT name, id FROM t ORDER BY id DESC"));
        db.T.Add("null", Db.Scalar(c, "SELECT score FROM t WHERE id = 3"));
        db.T.Add("none", Db.Scalar(c, "SELECT name FROM t WHERE id = 99"));
        db.T.Add("insert", Db.Scalar(c, "INSERT INTO t(name) VALUES ('d')"));
        db.T.Add("insert then select", Db.Scalar(c, "INSERT INTO t(name) VALUES ('e'); SELECT last_insert_rowid()"));
    });

    [Theory, MemberData(nameof(P))]
    public void Several_statements_give_several_result_sets(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        db.Query(c, "SELECT id FROM t WHERE id < 3; UPDATE t SET score = 0 WHERE id = 3; SELECT name, score FROM t WHERE id = 3; SELECT 1 WHERE 0");
    });

    [Theory, MemberData(nameof(P))]
    public void Statements_run_in_order_and_later_ones_see_earlier_ones(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        db.Query(c, "CREATE TABLE n(x); INSERT INTO n VALUES (1); SELECT * FROM n; INSERT INTO n VALUES (2); SELECT count(*) FROM n");
    });

    [Theory, MemberData(nameof(P))]
    public void Reader_skips_statements_without_columns_until_a_result_set(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        using DbCommand cmd = Db.Command(c, "UPDATE t SET name = upper(name); SELECT name FROM t ORDER BY id");
        using DbDataReader r = cmd.ExecuteReader();
        db.T.Add("fields", r.FieldCount);
        db.T.Add("affected before read", r.RecordsAffected);
        while (r.Read()) db.T.Add("name", r.GetString(0));
        db.T.Add("next", r.NextResult());
        db.T.Add("affected", r.RecordsAffected);
    });

    [Theory, MemberData(nameof(P))]
    public void Error_in_a_later_statement_keeps_the_earlier_ones(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        db.T.Try("exec", () => Db.Exec(c, "INSERT INTO t(name) VALUES ('x'); INSERT INTO nope VALUES (1); INSERT INTO t(name) VALUES ('y')"));
        db.T.Add("count", Db.Scalar(c, "SELECT count(*) FROM t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Error_while_reading_later_result_set_closes_reader(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbCommand cmd = Db.Command(c, "SELECT 1; SELECT * FROM missing; SELECT 2");
        DbDataReader r = cmd.ExecuteReader();
        db.T.Add("read", r.Read());
        db.T.Try("next", () => r.NextResult());
        db.T.Add("closed", r.IsClosed);
        db.T.Try("again", () => cmd.ExecuteScalar());
        r.Dispose();
        db.T.Try("after dispose", () => cmd.ExecuteScalar());
    });

    [Theory, MemberData(nameof(P))]
    public void Prepare_compiles_every_statement_up_front(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbCommand cmd = Db.Command(c, "SELECT 1; SELECT * FROM missing");
        db.T.Try("prepare", () => cmd.Prepare());
        DbCommand ok = Db.Command(c, "SELECT name FROM t WHERE id = $id");
        DbParameter prm = ok.CreateParameter();
        prm.ParameterName = "$id";
        ok.Parameters.Add(prm);
        ok.Prepare();
        for (int i = 1; i <= 3; i++)
        {
            prm.Value = i;
            db.T.Add("id " + i, ok.ExecuteScalar());
        }
    });

    [Theory, MemberData(nameof(P))]
    public void Prepared_command_sees_schema_changes(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbCommand cmd = Db.Command(c, "SELECT * FROM t WHERE id = 1");
        cmd.Prepare();
        db.Query(c, "SELECT 0");
        db.T.Add("before", cmd.ExecuteScalar());
        Db.Exec(c, "ALTER TABLE t ADD COLUMN extra DEFAULT 'x'");
        using DbDataReader r = cmd.ExecuteReader();
        db.RecordReader(r);
    });

    [Theory, MemberData(nameof(P))]
    public void Changing_text_replaces_the_statements(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbCommand cmd = Db.Command(c, "SELECT count(*) FROM t");
        cmd.Prepare();
        db.T.Add("first", cmd.ExecuteScalar());
        cmd.CommandText = "SELECT max(id) FROM t";
        db.T.Add("second", cmd.ExecuteScalar());
        cmd.CommandText = null;
        db.T.Add("null text", cmd.CommandText);
        db.T.Add("null exec", cmd.ExecuteScalar());
    });

    [Theory, MemberData(nameof(P))]
    public void Text_cannot_change_while_a_reader_is_open(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbCommand cmd = Db.Command(c, "SELECT id FROM t");
        DbDataReader r = cmd.ExecuteReader();
        db.T.Try("text", () => cmd.CommandText = "SELECT 2");
        db.T.Try("connection", () => cmd.Connection = null);
        db.T.Try("second reader", () => cmd.ExecuteReader());
        r.Dispose();
        db.T.Try("after", () => cmd.CommandText = "SELECT 2");
    });

    [Theory, MemberData(nameof(P))]
    public void Command_type_must_be_text(string p) => Run(p, db =>
    {
        DbCommand cmd = db.Factory.CreateCommand()!;
        db.T.Add("type", cmd.CommandType);
        db.T.Try("stored procedure", () => cmd.CommandType = CommandType.StoredProcedure);
        db.T.Try("text", () => cmd.CommandType = CommandType.Text);
        db.T.Try("table direct", () => cmd.CommandType = CommandType.TableDirect);
    });

    [Theory, MemberData(nameof(P))]
    public void Command_defaults(string p) => Run(p, db =>
    {
        DbCommand cmd = db.Factory.CreateCommand()!;
        db.T.Add("text", cmd.CommandText);
        db.T.Add("timeout", cmd.CommandTimeout);
        db.T.Add("connection", cmd.Connection);
        db.T.Add("transaction", cmd.Transaction);
        db.T.Add("params", cmd.Parameters.Count);
        db.T.Add("visible", cmd.DesignTimeVisible);
        db.T.Add("updated", cmd.UpdatedRowSource);
        cmd.CommandTimeout = 5;
        db.T.Add("timeout set", cmd.CommandTimeout);
    });

    [Theory, MemberData(nameof(P))]
    public void Syntax_errors_and_unknown_names(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        db.T.Try("syntax", () => Db.Exec(c, "SELEC 1"));
        db.T.Try("near from", () => Db.Exec(c, "SELECT * FROM"));
        db.T.Try("no table", () => Db.Exec(c, "SELECT * FROM nope"));
        db.T.Try("no column", () => Db.Exec(c, "SELECT nope FROM t"));
        db.T.Try("no function", () => Db.Exec(c, "SELECT nofunc(1)"));
        db.T.Try("unterminated", () => Db.Exec(c, "SELECT 'abc"));
        db.T.Try("incomplete", () => Db.Exec(c, "SELECT (1"));
    });

    [Theory, MemberData(nameof(P))]
    public void Constraint_errors_carry_extended_codes(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, u UNIQUE, n NOT NULL, c CHECK (c > 0))");
        Db.Exec(c, "INSERT INTO t VALUES (1, 'a', 1, 1)");
        db.T.Try("pk", () => Db.Exec(c, "INSERT INTO t VALUES (1, 'b', 1, 1)"));
        db.T.Try("unique", () => Db.Exec(c, "INSERT INTO t VALUES (2, 'a', 1, 1)"));
        db.T.Try("not null", () => Db.Exec(c, "INSERT INTO t VALUES (3, 'c', NULL, 1)"));
        db.T.Try("check", () => Db.Exec(c, "INSERT INTO t VALUES (4, 'd', 1, -1)"));
        db.T.Add("count", Db.Scalar(c, "SELECT count(*) FROM t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Error_exception_is_a_db_exception(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        try
        {
            Db.Exec(c, "SELECT * FROM nope");
        }
        catch (DbException e)
        {
            db.T.Add("db exception", true);
            db.T.Add("message", e.Message);
            db.T.Add("sql state", e.SqlState);
            db.T.Add("transient", e.IsTransient);
        }
    });

    [Theory, MemberData(nameof(P))]
    public void Returning_rows_count_as_changes(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        db.Query(c, "INSERT INTO t(name) VALUES ('x'), ('y') RETURNING id, name");
        db.T.Add("nonquery returning", Db.Exec(c, "UPDATE t SET score = 9 WHERE id > 3 RETURNING id"));
        db.T.Add("scalar returning", Db.Scalar(c, "DELETE FROM t WHERE id = 5 RETURNING name"));
        db.T.Add("count", Db.Scalar(c, "SELECT count(*) FROM t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Close_connection_behavior_closes_with_the_reader(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbCommand cmd = Db.Command(c, "SELECT id FROM t");
        DbDataReader r = cmd.ExecuteReader(CommandBehavior.CloseConnection);
        r.Read();
        r.Close();
        db.T.Add("state", c.State);
    });

    [Theory, MemberData(nameof(P))]
    public void Commands_can_be_reused_many_times(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE t(x)");
        DbCommand ins = Db.Command(c, "INSERT INTO t VALUES (@x)", ("@x", 0));
        for (int i = 0; i < 50; i++)
        {
            ins.Parameters[0].Value = i;
            ins.ExecuteNonQuery();
        }
        db.T.Add("sum", Db.Scalar(c, "SELECT sum(x) FROM t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Explain_returns_rows(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        using DbDataReader r = Db.Command(c, "EXPLAIN SELECT 1").ExecuteReader();
        db.T.Add("fields", r.FieldCount);
        db.T.Add("names", Enumerable.Range(0, r.FieldCount).Select(r.GetName).ToArray());
        db.T.Add("has rows", r.Read());
    });

    [Theory, MemberData(nameof(P))]
    public void Pragma_queries_return_rows(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        db.Query(c, "PRAGMA table_info(t)");
        db.Query(c, "PRAGMA user_version");
    });

    [Theory, MemberData(nameof(P))]
    public void Command_created_by_connection_takes_its_transaction(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        DbTransaction tx = c.BeginTransaction();
        DbCommand cmd = c.CreateCommand();
        db.T.Add("has tx", cmd.Transaction == tx);
        tx.Rollback();
    });

    [Theory, MemberData(nameof(P))]
    public void Cancel_without_running_does_nothing(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        DbCommand cmd = Db.Command(c, "SELECT 1");
        cmd.Cancel();
        db.T.Add("after cancel", cmd.ExecuteScalar());
    });

    [Theory, MemberData(nameof(P))]
    public void Dispose_command_then_connection_still_works(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        DbCommand cmd = Db.Command(c, "SELECT 5");
        cmd.Prepare();
        cmd.Dispose();
        db.T.Add("other", Db.Scalar(c, "SELECT 6"));
    });
}
