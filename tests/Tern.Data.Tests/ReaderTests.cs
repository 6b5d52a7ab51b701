// Data readers on both providers: Read/NextResult/HasRows/FieldCount through a result
// set's life, names and ordinals, reading before Read and after the end, closed-reader
// errors, RecordsAffected, enumeration, DataTable loading and the schema table.
using System.Data;
using System.Data.Common;
using Tern.Data.Tests.Support;

namespace Tern.Data.Tests;

public class ReaderTests : ScenarioBase
{
    public static TheoryData<string> P => Providers.Both;

    private static DbConnection Seed(Db db)
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, data BLOB); INSERT INTO t VALUES (1, 'a', 1.5, x'01'), (2, 'b', NULL, NULL), (3, 'c', 3.5, x'0303')");
        return c;
    }

    [Theory, MemberData(nameof(P))]
    public void Reader_life_cycle(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbDataReader r = Db.Command(c, "SELECT id, name FROM t ORDER BY id").ExecuteReader();
        db.T.Add("has rows", r.HasRows);
        db.T.Add("fields", r.FieldCount);
        db.T.Add("depth", r.Depth);
        db.T.Add("closed", r.IsClosed);
        db.T.Add("affected", r.RecordsAffected);
        db.T.Try("value before read", () => r.GetValue(0));
        db.T.Try("isnull before read", () => r.IsDBNull(0));
        db.T.Try("int before read", () => r.GetInt64(0));
        db.T.Try("name before read", () => r.GetString(1));
        while (r.Read()) db.T.Add("row", r.GetInt64(0));
        db.T.Add("read after end", r.Read());
        db.T.Try("value after end", () => r.GetValue(0));
        db.T.Try("int after end", () => r.GetInt64(0));
        db.T.Add("fields after end", r.FieldCount);
        db.T.Add("has rows after end", r.HasRows);
        db.T.Add("next", r.NextResult());
        db.T.Add("fields after next", r.FieldCount);
        db.T.Try("name after next", () => r.GetName(0));
        r.Close();
        db.T.Add("closed", r.IsClosed);
        db.T.Try("read closed", () => r.Read());
        db.T.Try("fields closed", () => r.FieldCount);
        db.T.Try("next closed", () => r.NextResult());
        db.T.Try("name closed", () => r.GetName(0));
        db.T.Try("value closed", () => r.GetValue(0));
        db.T.Add("affected closed", r.RecordsAffected);
    });

    [Theory, MemberData(nameof(P))]
    public void Empty_result_set(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        using DbDataReader r = Db.Command(c, "SELECT id, name FROM t WHERE id > 10").ExecuteReader();
        db.T.Add("has rows", r.HasRows);
        db.T.Add("fields", r.FieldCount);
        db.T.Add("name", r.GetName(1));
        db.T.Add("type", r.GetDataTypeName(1));
        db.T.Add("field type", r.GetFieldType(0));
        db.T.Add("read", r.Read());
        db.T.Try("value", () => r.GetValue(0));
    });

    [Theory, MemberData(nameof(P))]
    public void Non_query_reader_has_no_result_set(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        using DbDataReader r = Db.Command(c, "UPDATE t SET score = 0").ExecuteReader();
        db.T.Add("fields", r.FieldCount);
        db.T.Add("has rows", r.HasRows);
        db.T.Add("read", r.Read());
        db.T.Add("affected", r.RecordsAffected);
        db.T.Try("name", () => r.GetName(0));
        db.T.Try("schema", () => r.GetSchemaTable());
        db.T.Add("next", r.NextResult());
    });

    [Theory, MemberData(nameof(P))]
    public void Names_and_ordinals(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        using DbDataReader r = Db.Command(c, "SELECT id, name AS Label, id + 1, t.score, 'x' AS label2, id AS ID FROM t AS t").ExecuteReader();
        for (int i = 0; i < r.FieldCount; i++) db.T.Add("name " + i, r.GetName(i));
        db.T.Add("ordinal exact", r.GetOrdinal("Label"));
        db.T.Add("ordinal ci", r.GetOrdinal("LABEL"));
        db.T.Try("ordinal ambiguous", () => r.GetOrdinal("Id"));
        db.T.Add("ordinal exact upper", r.GetOrdinal("ID"));
        db.T.Try("ordinal missing", () => r.GetOrdinal("nope"));
        db.T.Try("name out of range", () => r.GetName(10));
        db.T.Try("name negative", () => r.GetName(-1));
        r.Read();
        db.T.Try("value out of range", () => r.GetValue(10));
        db.T.Try("int out of range", () => r.GetInt64(10));
        db.T.Try("type out of range", () => r.GetFieldType(10));
        db.T.Try("typename out of range", () => r.GetDataTypeName(10));
    });

    [Theory, MemberData(nameof(P))]
    public void Column_names_follow_sqlite(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        db.Query(c, "SELECT *, rowid, t.id, count(*) OVER () FROM t WHERE id = 1");
        db.Query(c, "SELECT 1 + 2, 'a' || 'b', (SELECT max(id) FROM t), NULL, abs(-1)");
        db.Query(c, "SELECT a.id, b.id FROM t a JOIN t b ON a.id = b.id WHERE a.id = 2");
    });

    [Theory, MemberData(nameof(P))]
    public void Values_have_the_storage_class_types(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        db.Query(c, "SELECT * FROM t ORDER BY id");
        db.Query(c, "SELECT 9223372036854775807, -9223372036854775808, 1e308, -0.0, 'é', x'', ''");
    });

    [Theory, MemberData(nameof(P))]
    public void Enumerating_the_reader_gives_records(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        using DbDataReader r = Db.Command(c, "SELECT id, name FROM t ORDER BY id").ExecuteReader();
        foreach (IDataRecord rec in r) db.T.Add("record", new[] { rec.GetValue(0), rec["name"] });
    });

    [Theory, MemberData(nameof(P))]
    public void Data_table_load(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        using DbDataReader r = Db.Command(c, "SELECT id, name, score FROM t ORDER BY id").ExecuteReader();
        var table = new DataTable();
        table.Load(r);
        db.T.Add("rows", table.Rows.Count);
        db.T.Add("columns", table.Columns.Cast<DataColumn>().Select(x => x.ColumnName + ":" + x.DataType.Name).ToArray());
        foreach (DataRow row in table.Rows) db.T.Add("row", row.ItemArray);
    });

    [Theory, MemberData(nameof(P))]
    public void Schema_table_describes_columns(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        using DbDataReader r = Db.Command(c, "SELECT 1 + 1 AS two, 'x', NULL").ExecuteReader();
        DataTable s = r.GetSchemaTable()!;
        db.T.Add("columns", s.Columns.Cast<DataColumn>().Select(x => x.ColumnName + ":" + x.DataType.Name).ToArray());
        foreach (DataRow row in s.Rows)
        {
            db.T.Add("row", new[]
            {
                row[SchemaTableColumn.ColumnName], row[SchemaTableColumn.ColumnOrdinal], row[SchemaTableColumn.ColumnSize],
                row[SchemaTableColumn.NumericPrecision], row[SchemaTableColumn.DataType], row["DataTypeName"],
                row[SchemaTableColumn.BaseSchemaName], row[SchemaTableColumn.IsLong],
            });
        }
    });

    private static void RecordSchema(Db db, DbConnection c, string sql)
    {
        using DbDataReader r = Db.Command(c, sql).ExecuteReader();
        DataTable s = r.GetSchemaTable()!;
        foreach (DataRow row in s.Rows)
        {
            db.T.Add("row", s.Columns.Cast<DataColumn>()
                .Where(col => col.ColumnName != SchemaTableOptionalColumn.BaseServerName)
                .Select(col => col.ColumnName + "=" + Transcript.Format(row[col])));
        }
    }

    [Theory, MemberData(nameof(P))]
    public void Schema_table_of_table_columns(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        RecordSchema(db, c, "SELECT id, name, score, data, rowid, name AS alias, id + 1 FROM t");
    });

    [Theory, MemberData(nameof(P))]
    public void Schema_table_of_compound_and_aggregate_queries(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        db.T.Try("compound", () => RecordSchema(db, c, "SELECT id, name FROM t UNION ALL SELECT 1, 'x'"));
        db.T.Try("group by", () => RecordSchema(db, c, "SELECT name, count(*) FROM t GROUP BY name"));
        Db.Exec(c, "CREATE VIEW v AS SELECT id AS vid, name, score * 2 AS dbl FROM t");
        db.T.Try("view", () => RecordSchema(db, c, "SELECT * FROM v"));
        db.T.Try("subquery", () => RecordSchema(db, c, "SELECT s.name, s.k FROM (SELECT name, id AS k FROM t) AS s"));
        db.T.Try("cte", () => RecordSchema(db, c, "WITH w AS (SELECT data, score FROM t) SELECT * FROM w"));
    });

    [Theory, MemberData(nameof(P))]
    public void Schema_table_keys_uniqueness_and_autoincrement(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE a(id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT UNIQUE NOT NULL, x INT, y, UNIQUE (x, y))");
        Db.Exec(c, "CREATE TABLE b(k1, k2, v REAL, PRIMARY KEY (k1, k2)); CREATE UNIQUE INDEX bv ON b(v)");
        Db.Exec(c, "CREATE TABLE n(v); INSERT INTO n VALUES (1), ('two'), ('three')");
        RecordSchema(db, c, "SELECT * FROM a");
        RecordSchema(db, c, "SELECT k1, k2, v FROM b");
        RecordSchema(db, c, "SELECT v FROM n");
        RecordSchema(db, c, "SELECT a.code, b.v FROM a JOIN b ON 1");
    });

    [Theory, MemberData(nameof(P))]
    public void Next_result_runs_statements_between_result_sets(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        using DbDataReader r = Db.Command(c, "SELECT count(*) FROM t; DELETE FROM t WHERE id = 1; INSERT INTO t VALUES (9, 'z', 0, NULL); SELECT count(*) FROM t").ExecuteReader();
        r.Read();
        db.T.Add("first", r.GetValue(0));
        db.T.Add("affected", r.RecordsAffected);
        db.T.Add("next", r.NextResult());
        db.T.Add("affected after", r.RecordsAffected);
        r.Read();
        db.T.Add("second", r.GetValue(0));
    });

    [Theory, MemberData(nameof(P))]
    public void Disposing_a_reader_mid_way_runs_the_rest(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbCommand cmd = Db.Command(c, "SELECT id FROM t; INSERT INTO t VALUES (10, 'q', 1, NULL); SELECT 1");
        DbDataReader r = cmd.ExecuteReader();
        r.Read();
        r.Dispose();
        db.T.Add("affected", r.RecordsAffected);
        db.T.Add("count", Db.Scalar(c, "SELECT count(*) FROM t"));
    });

    [Theory, MemberData(nameof(P))]
    public void Error_during_rows(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE big(x); INSERT INTO big VALUES (9223372036854775807), (1)");
        db.T.Try("sum", () => Db.Command(c, "SELECT sum(x) FROM big").ExecuteReader());
        db.T.Try("abs", () =>
        {
            using DbDataReader r2 = Db.Command(c, "SELECT x, abs(-9223372036854775807 - x) FROM big ORDER BY x DESC").ExecuteReader();
            db.T.Try("read 1", () => r2.Read());
            db.T.Try("value", () => r2.GetValue(1));
            db.T.Try("read 2", () => r2.Read());
            db.T.Try("read 3", () => r2.Read());
        });
    });

    [Theory, MemberData(nameof(P))]
    public void Large_result_set(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        long sum = 0;
        int n = 0;
        using DbDataReader r = Db.Command(c, "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 20000) SELECT i, 'v' || i FROM s").ExecuteReader();
        while (r.Read())
        {
            sum += r.GetInt64(0);
            n += r.GetString(1).Length;
        }
        db.T.Add("sum", sum);
        db.T.Add("chars", n);
    });

    [Theory, MemberData(nameof(P))]
    public void Two_readers_on_one_connection(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        using DbDataReader a = Db.Command(c, "SELECT id FROM t ORDER BY id").ExecuteReader();
        using DbDataReader b = Db.Command(c, "SELECT name FROM t ORDER BY id DESC").ExecuteReader();
        while (a.Read() && b.Read()) db.T.Add("pair", new[] { a.GetValue(0), b.GetValue(0) });
    });
}
