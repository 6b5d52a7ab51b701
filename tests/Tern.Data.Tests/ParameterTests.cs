// Parameters on both providers: the $, @ and : prefixes, names given without their
// prefix, ?NNN, missing and ambiguous parameters, null and DBNull, Size truncation,
// the parameter collection's API, and the inferred parameter type.
using System.Data;
using System.Data.Common;
using Tern.Data.Tests.Support;

namespace Tern.Data.Tests;

public class ParameterTests : ScenarioBase
{
    public static TheoryData<string> P => Providers.Both;

    [Theory, MemberData(nameof(P))]
    public void Prefixed_names_bind(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        db.T.Add("dollar", Db.Scalar(c, "SELECT $a", ("$a", 1)));
        db.T.Add("at", Db.Scalar(c, "SELECT @a", ("@a", 2)));
        db.T.Add("colon", Db.Scalar(c, "SELECT :a", (":a", 3)));
        db.T.Add("numbered", Db.Scalar(c, "SELECT ?1 + ?2", ("?1", 4), ("?2", 5)));
    });

    [Theory, MemberData(nameof(P))]
    public void Names_without_prefix_find_the_prefixed_parameter(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        db.T.Add("dollar", Db.Scalar(c, "SELECT $a", ("a", 1)));
        db.T.Add("at", Db.Scalar(c, "SELECT @a", ("a", 2)));
        db.T.Add("colon", Db.Scalar(c, "SELECT :a", ("a", 3)));
        db.T.Try("ambiguous", () => Db.Scalar(c, "SELECT @a, $a", ("a", 3)));
        db.T.Try("wrong prefix", () => Db.Scalar(c, "SELECT @a", ("$a", 3)));
    });

    [Theory, MemberData(nameof(P))]
    public void Same_name_used_twice_binds_once(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        db.T.Add("twice", Db.Scalar(c, "SELECT @a * 10 + @a", ("@a", 4)));
    });

    [Theory, MemberData(nameof(P))]
    public void Missing_parameters_are_named(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        db.T.Try("none", () => Db.Scalar(c, "SELECT @a, $b"));
        db.T.Try("one", () => Db.Scalar(c, "SELECT @a, $b", ("@a", 1)));
        db.T.Try("unnamed", () => Db.Scalar(c, "SELECT ?"));
    });

    [Theory, MemberData(nameof(P))]
    public void Extra_parameters_are_ignored(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        db.T.Add("extra", Db.Scalar(c, "SELECT @a", ("@a", 1), ("@unused", 2)));
        db.T.Add("no params in sql", Db.Scalar(c, "SELECT 3", ("@x", 2)));
    });

    [Theory, MemberData(nameof(P))]
    public void Null_value_is_refused_and_dbnull_binds_null(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        db.T.Try("null", () => Db.Scalar(c, "SELECT @a", ("@a", null)));
        db.T.Add("dbnull", Db.Scalar(c, "SELECT @a IS NULL", ("@a", DBNull.Value)));
        db.T.Add("typeof", Db.Scalar(c, "SELECT typeof(@a)", ("@a", DBNull.Value)));
    });

    [Theory, MemberData(nameof(P))]
    public void Empty_parameter_name_is_refused(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        db.T.Try("empty", () => Db.Scalar(c, "SELECT @a", ("", 1)));
    });

    [Theory, MemberData(nameof(P))]
    public void Parameters_bind_in_every_statement_of_the_command(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        db.Query(c, "CREATE TABLE t(x); INSERT INTO t VALUES (@v); INSERT INTO t VALUES (@v + 1); SELECT x, @v FROM t", ("@v", 10));
    });

    [Theory, MemberData(nameof(P))]
    public void Size_truncates_text_and_blobs(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        DbCommand cmd = Db.Command(c, "SELECT @t, @b, @n");
        DbParameter t = cmd.CreateParameter();
        t.ParameterName = "@t";
        t.Value = "abcdef";
        t.Size = 3;
        DbParameter b = cmd.CreateParameter();
        b.ParameterName = "@b";
        b.Value = new byte[] { 1, 2, 3, 4 };
        b.Size = 2;
        DbParameter n = cmd.CreateParameter();
        n.ParameterName = "@n";
        n.Value = "xyz";
        n.Size = -1;
        cmd.Parameters.Add(t);
        cmd.Parameters.Add(b);
        cmd.Parameters.Add(n);
        using DbDataReader r = cmd.ExecuteReader();
        r.Read();
        db.T.Add("values", new[] { r.GetValue(0), r.GetValue(1), r.GetValue(2) });
        db.T.Try("size -2", () => t.Size = -2);
    });

    [Theory, MemberData(nameof(P))]
    public void Parameter_defaults_and_properties(string p) => Run(p, db =>
    {
        DbParameter prm = db.Factory.CreateParameter()!;
        db.T.Add("name", prm.ParameterName);
        db.T.Add("value", prm.Value);
        db.T.Add("dbtype", prm.DbType);
        db.T.Add("direction", prm.Direction);
        db.T.Add("size", prm.Size);
        db.T.Add("source", prm.SourceColumn);
        db.T.Add("nullable", prm.IsNullable);
        db.T.Try("output", () => prm.Direction = ParameterDirection.Output);
        prm.Value = "abcd";
        db.T.Add("size of text", prm.Size);
        prm.Value = new byte[7];
        db.T.Add("size of blob", prm.Size);
        prm.ParameterName = null;
        db.T.Add("null name", prm.ParameterName);
        prm.DbType = DbType.Int32;
        prm.ResetDbType();
        db.T.Add("reset", prm.DbType);
    });

    [Theory, MemberData(nameof(P))]
    public void Inferred_type_follows_the_value(string p) => Run(p, db =>
    {
        DbParameter prm = db.Factory.CreateParameter()!;
        dynamic d = prm;
        foreach (object? v in new object?[] { null, 1, 1L, true, (byte)1, 1.5, 1.5f, "s", 'c', new byte[1], 1.5m, Guid.Empty, DateTime.MinValue, TimeSpan.Zero, DateOnly.MinValue, DayOfWeek.Monday, DBNull.Value })
        {
            prm.Value = v;
            db.T.Add("type of " + Transcript.Format(v), (db.IsTern ? d.TernType : d.SqliteType).ToString());
        }
        prm.Value = new object();
        db.T.Try("object", () => (db.IsTern ? d.TernType : d.SqliteType).ToString());
    });

    [Theory, MemberData(nameof(P))]
    public void Collection_lookups_and_edits(string p) => Run(p, db =>
    {
        DbCommand cmd = db.Factory.CreateCommand()!;
        DbParameterCollection ps = cmd.Parameters;
        DbParameter a = cmd.CreateParameter();
        a.ParameterName = "@a";
        DbParameter b = cmd.CreateParameter();
        b.ParameterName = "@b";
        db.T.Add("add", ps.Add(a));
        ps.AddRange(new[] { b });
        db.T.Add("count", ps.Count);
        db.T.Add("index of name", ps.IndexOf("@b"));
        db.T.Add("index of missing", ps.IndexOf("@zz"));
        db.T.Add("contains", ps.Contains("@a"));
        db.T.Add("contains obj", ps.Contains(b));
        db.T.Add("by name", ps["@b"] == b);
        db.T.Try("by missing name", () => ps["@zz"]);
        ps.RemoveAt("@a");
        db.T.Add("after remove", ps.Count);
        ps.Insert(0, a);
        db.T.Add("first", ps[0].ParameterName);
        ps.Remove(a);
        db.T.Add("after remove obj", ps.Count);
        ps.Clear();
        db.T.Add("cleared", ps.Count);
        db.T.Try("remove missing", () => ps.RemoveAt("@zz"));
    });

    [Theory, MemberData(nameof(P))]
    public void Add_with_value_binds(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        DbCommand cmd = Db.Command(c, "SELECT @x || $y");
        dynamic ps = cmd.Parameters;
        ps.AddWithValue("@x", "left");
        ps.AddWithValue("y", "right");
        db.T.Add("value", cmd.ExecuteScalar());
    });

    [Theory, MemberData(nameof(P))]
    public void Changing_values_between_executions(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        DbCommand cmd = Db.Command(c, "SELECT typeof(@v), @v", ("@v", 1));
        foreach (object v in new object[] { 1, "text", 2.5, new byte[] { 9 }, DBNull.Value })
        {
            cmd.Parameters[0].Value = v;
            using DbDataReader r = cmd.ExecuteReader();
            r.Read();
            db.T.Add("typeof", r.GetValue(0));
            db.T.Add("value", r.GetValue(1));
        }
    });

    [Theory, MemberData(nameof(P))]
    public void Parameters_in_limit_and_in_lists(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3), (4)");
        db.Query(c, "SELECT x FROM t WHERE x IN (@a, @b) ORDER BY x LIMIT @n", ("@a", 2), ("@b", 4), ("@n", 1));
        db.Query(c, "SELECT x FROM t WHERE x > @a ORDER BY x DESC", ("@a", 1L));
    });

    [Theory, MemberData(nameof(P))]
    public void Parameters_keep_text_exact(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        foreach (string s in new[] { "", "héllo wörld", "emoji 😀", "quote ' and \"", new string('x', 5000) })
        {
            db.T.Add("len", Db.Scalar(c, "SELECT length(@s)", ("@s", s)));
            db.T.Add("same", (string)Db.Scalar(c, "SELECT @s", ("@s", s))! == s);
        }
    });

    [Theory, MemberData(nameof(P))]
    public void Unsupported_value_type_is_refused(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        db.T.Try("object", () => Db.Scalar(c, "SELECT @a", ("@a", new object())));
        db.T.Try("uri", () => Db.Scalar(c, "SELECT @a", ("@a", new Uri("http://x"))));
        db.T.Try("nan", () => Db.Scalar(c, "SELECT @a", ("@a", double.NaN)));
    });
}
