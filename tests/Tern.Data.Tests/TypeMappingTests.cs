// Type mapping in both directions on both providers: each CLR type bound as a parameter
// (what storage class and text SQLite stores), and each stored value read back through
// the typed getters and GetFieldValue<T>, including NULLs, overflow, Julian days, GUIDs
// as text and as blobs, enums and nullable types.
using System.Data.Common;
using Tern.Data.Tests.Support;

namespace Tern.Data.Tests;

public class TypeMappingTests : ScenarioBase
{
    public static TheoryData<string> P => Providers.Both;

    private static readonly Dictionary<string, object> BindValues = new()
    {
        ["long"] = long.MinValue,
        ["int"] = -42,
        ["short"] = (short)-7,
        ["byte"] = (byte)200,
        ["sbyte"] = (sbyte)-100,
        ["ushort"] = (ushort)65000,
        ["uint"] = uint.MaxValue,
        ["ulong"] = ulong.MaxValue,
        ["bool true"] = true,
        ["bool false"] = false,
        ["double"] = 0.1,
        ["double big"] = 1e300,
        ["double negative zero"] = -0.0,
        ["double infinity"] = double.PositiveInfinity,
        ["float"] = 1.1f,
        ["decimal"] = 12.345m,
        ["decimal integer"] = 100m,
        ["decimal tiny"] = 0.0000000000000000000000000001m,
        ["string"] = "text ☃",
        ["char"] = 'Z',
        ["bytes"] = new byte[] { 0, 1, 254, 255 },
        ["empty bytes"] = Array.Empty<byte>(),
        ["datetime"] = new DateTime(2024, 2, 29, 13, 14, 15, 678),
        ["datetime midnight"] = new DateTime(2000, 1, 1),
        ["datetime ticks"] = new DateTime(2024, 1, 2, 3, 4, 5).AddTicks(1234567),
        ["datetimeoffset"] = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(-5)),
        ["dateonly"] = new DateOnly(1999, 12, 31),
        ["timeonly"] = new TimeOnly(23, 59, 58),
        ["timeonly fraction"] = new TimeOnly(1, 2, 3, 456),
        ["timespan"] = new TimeSpan(1, 2, 3, 4, 5),
        ["timespan negative"] = TimeSpan.FromMinutes(-90),
        ["guid"] = new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"),
        ["enum"] = DayOfWeek.Friday,
        ["enum long"] = (LongEnum)5_000_000_000,
        ["nullable int"] = (int?)5,
        ["stream"] = "stream",
    };

    private enum LongEnum : long
    {
        Big = 5_000_000_000,
    }

    public static TheoryData<string, string> BindCases()
    {
        var d = new TheoryData<string, string>();
        foreach (string p in new[] { "tern", "sqlite" })
            foreach (string k in BindValues.Keys) d.Add(p, k);
        return d;
    }

    [Theory, MemberData(nameof(BindCases))]
    public void Bound_value_is_stored_as_the_reference_stores_it(string p, string kind) => Run(p, db =>
    {
        DbConnection c = db.Open();
        object v = BindValues[kind];
        if (kind == "stream") v = new MemoryStream([1, 2, 3]);
        db.T.Try("stored", () =>
        {
            using DbCommand cmd = Db.Command(c, "SELECT typeof(@v), quote(@v), @v", ("@v", v));
            using DbDataReader r = cmd.ExecuteReader();
            r.Read();
            return new[] { r.GetValue(0), r.GetValue(1), r.GetValue(2) };
        });
    });

    public static TheoryData<string, string> TypedBindCases()
    {
        var d = new TheoryData<string, string>();
        foreach (string p in new[] { "tern", "sqlite" })
            foreach (string k in new[] { "datetime Real", "datetimeoffset Real", "dateonly Real", "timeonly Real", "timespan Real", "guid Blob", "guid Text", "char Integer", "string Integer", "int Text" })
                d.Add(p, k);
        return d;
    }

    [Theory, MemberData(nameof(TypedBindCases))]
    public void Bound_value_with_explicit_type(string p, string kase) => Run(p, db =>
    {
        string[] w = kase.Split(' ');
        object v = BindValues[w[0]];
        DbConnection c = db.Open();
        using DbCommand cmd = Db.Command(c, "SELECT typeof(@v), quote(@v)", ("@v", v));
        dynamic prm = cmd.Parameters[0];
        if (db.IsTern) prm.TernType = Enum.Parse<TernType>(w[1]);
        else prm.SqliteType = Enum.Parse<Microsoft.Data.Sqlite.SqliteType>(w[1]);
        using DbDataReader r = cmd.ExecuteReader();
        r.Read();
        db.T.Add("stored", new[] { r.GetValue(0), r.GetValue(1) });
    });

    private static readonly string[] Sources =
    [
        "1", "-5", "300", "70000", "5000000000", "0", "2.5", "-0.5", "1e300", "'12'", "'abc'", "'3.5'", "'x'", "''", "x'00ff'", "x''", "NULL",
        "'2024-02-29 13:14:15.678'", "'2024-05-06 07:08:09-05:00'", "2460000.5", "'1.02:03:04.005'", "'0f8fad5b-d9cb-469f-a165-70867728950e'",
        "x'5bad8f0fcbd99f46a16570867728950e'", "'12:34:56'", "'1999-12-31'",
    ];

    private static readonly string[] Getters =
    [
        "GetValue", "GetInt64", "GetInt32", "GetInt16", "GetByte", "GetBoolean", "GetChar", "GetDouble", "GetFloat", "GetDecimal", "GetString",
        "GetDateTime", "GetGuid", "GetFieldType", "GetDataTypeName", "IsDBNull",
    ];

    public static TheoryData<string, string> ReadCases()
    {
        var d = new TheoryData<string, string>();
        foreach (string p in new[] { "tern", "sqlite" })
            foreach (string s in Sources) d.Add(p, s);
        return d;
    }

    [Theory, MemberData(nameof(ReadCases))]
    public void Stored_value_through_every_getter(string p, string source) => Run(p, db =>
    {
        DbConnection c = db.Open();
        using DbCommand cmd = Db.Command(c, "SELECT " + source);
        using DbDataReader r = cmd.ExecuteReader();
        r.Read();
        foreach (string g in Getters)
        {
            db.T.Try(g, () => g switch
            {
                "GetValue" => r.GetValue(0),
                "GetInt64" => r.GetInt64(0),
                "GetInt32" => r.GetInt32(0),
                "GetInt16" => r.GetInt16(0),
                "GetByte" => r.GetByte(0),
                "GetBoolean" => r.GetBoolean(0),
                "GetChar" => r.GetChar(0),
                "GetDouble" => r.GetDouble(0),
                "GetFloat" => r.GetFloat(0),
                "GetDecimal" => r.GetDecimal(0),
                "GetString" => r.GetString(0),
                "GetDateTime" => r.GetDateTime(0),
                "GetGuid" => r.GetGuid(0),
                "GetFieldType" => r.GetFieldType(0),
                "GetDataTypeName" => r.GetDataTypeName(0),
                _ => r.IsDBNull(0),
            });
        }
    });

    public static TheoryData<string, string> FieldValueCases()
    {
        var d = new TheoryData<string, string>();
        foreach (string p in new[] { "tern", "sqlite" })
            foreach (string s in new[] { "1", "0", "'2024-02-29 13:14:15.678'", "2460000.25", "'01:02:03'", "x'0102'", "'text'", "NULL", "3.75", "'0f8fad5b-d9cb-469f-a165-70867728950e'" })
                d.Add(p, s);
        return d;
    }

    [Theory, MemberData(nameof(FieldValueCases))]
    public void Get_field_value_of_every_type(string p, string source) => Run(p, db =>
    {
        DbConnection c = db.Open();
        using DbCommand cmd = Db.Command(c, "SELECT " + source);
        using DbDataReader r = cmd.ExecuteReader();
        r.Read();
        db.T.Try("long", () => r.GetFieldValue<long>(0));
        db.T.Try("int", () => r.GetFieldValue<int>(0));
        db.T.Try("uint", () => r.GetFieldValue<uint>(0));
        db.T.Try("ulong", () => r.GetFieldValue<ulong>(0));
        db.T.Try("sbyte", () => r.GetFieldValue<sbyte>(0));
        db.T.Try("ushort", () => r.GetFieldValue<ushort>(0));
        db.T.Try("bool", () => r.GetFieldValue<bool>(0));
        db.T.Try("double", () => r.GetFieldValue<double>(0));
        db.T.Try("decimal", () => r.GetFieldValue<decimal>(0));
        db.T.Try("string", () => r.GetFieldValue<string>(0));
        db.T.Try("bytes", () => r.GetFieldValue<byte[]>(0));
        db.T.Try("object", () => r.GetFieldValue<object>(0));
        db.T.Try("datetime", () => r.GetFieldValue<DateTime>(0));
        db.T.Try("datetimeoffset", () => r.GetFieldValue<DateTimeOffset>(0));
        db.T.Try("dateonly", () => r.GetFieldValue<DateOnly>(0));
        db.T.Try("timeonly", () => r.GetFieldValue<TimeOnly>(0));
        db.T.Try("timespan", () => r.GetFieldValue<TimeSpan>(0));
        db.T.Try("guid", () => r.GetFieldValue<Guid>(0));
        db.T.Try("enum", () => r.GetFieldValue<DayOfWeek>(0));
        db.T.Try("nullable int", () => r.GetFieldValue<int?>(0));
        db.T.Try("nullable enum", () => r.GetFieldValue<DayOfWeek?>(0));
        db.T.Try("dbnull", () => r.GetFieldValue<DBNull>(0));
        db.T.Try("stream", () => r.GetFieldValue<Stream>(0));
        db.T.Try("textreader", () => r.GetFieldValue<TextReader>(0));
        db.T.Try("char", () => r.GetFieldValue<char>(0));
        db.T.Try("float", () => r.GetFieldValue<float>(0));
    });

    [Theory, MemberData(nameof(P))]
    public void Round_trip_of_dates_and_times(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE t(d, o, n, t, s, j REAL)");
        var dt = new DateTime(2023, 7, 8, 9, 10, 11, 120);
        Db.Exec(c, "INSERT INTO t VALUES (@d, @o, @n, @t, @s, julianday(@d))",
            ("@d", dt), ("@o", new DateTimeOffset(dt, TimeSpan.FromHours(2))), ("@n", DateOnly.FromDateTime(dt)), ("@t", TimeOnly.FromDateTime(dt)), ("@s", dt.TimeOfDay));
        using DbDataReader r = Db.Command(c, "SELECT * FROM t").ExecuteReader();
        r.Read();
        db.T.Add("d", r.GetDateTime(0));
        db.T.Add("o", r.GetFieldValue<DateTimeOffset>(1));
        db.T.Add("n", r.GetFieldValue<DateOnly>(2));
        db.T.Add("t", r.GetFieldValue<TimeOnly>(3));
        db.T.Add("s", r.GetFieldValue<TimeSpan>(4));
        db.T.Add("j as date", r.GetDateTime(5));
        db.T.Add("j", r.GetDouble(5));
    });

    [Theory, MemberData(nameof(P))]
    public void Guid_round_trips_as_text_and_blob(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        var g = Guid.Parse("a1b2c3d4-0000-1111-2222-333344445555");
        Db.Exec(c, "CREATE TABLE t(g)");
        Db.Exec(c, "INSERT INTO t VALUES (@g)", ("@g", g));
        using DbCommand cmd = Db.Command(c, "INSERT INTO t VALUES (@g)", ("@g", g));
        dynamic prm = cmd.Parameters[0];
        if (db.IsTern) prm.TernType = TernType.Blob;
        else prm.SqliteType = Microsoft.Data.Sqlite.SqliteType.Blob;
        cmd.ExecuteNonQuery();
        using DbDataReader r = Db.Command(c, "SELECT g, typeof(g) FROM t").ExecuteReader();
        while (r.Read()) db.T.Add("guid", new object[] { r.GetGuid(0), r.GetValue(1), r.GetFieldValue<Guid>(0) == g });
    });

    [Theory, MemberData(nameof(P))]
    public void Field_type_of_null_uses_declared_affinity(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE t(i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC, v VARCHAR(10), f FLOAT, x, d DECIMAL(10,2))");
        Db.Exec(c, "INSERT INTO t VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), (1, 2.0, 't', x'01', 5, 'v', 1.5, 'x', 3.25)");
        using DbDataReader r = Db.Command(c, "SELECT * FROM t ORDER BY rowid").ExecuteReader();
        for (int i = 0; i < r.FieldCount; i++) db.T.Add("before read " + i, new object[] { r.GetFieldType(i), r.GetDataTypeName(i) });
        while (r.Read())
            for (int i = 0; i < r.FieldCount; i++) db.T.Add("col " + i, new object[] { r.GetFieldType(i), r.GetDataTypeName(i), r.GetValue(i) });
        db.T.Add("after", r.GetFieldType(0));
    });

    [Theory, MemberData(nameof(P))]
    public void Data_type_name_of_expressions_is_the_storage_class(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        using DbDataReader r = Db.Command(c, "SELECT 1, 1.5, 'a', x'01', NULL, CAST(1 AS TEXT)").ExecuteReader();
        r.Read();
        for (int i = 0; i < r.FieldCount; i++) db.T.Add("col " + i, new object[] { r.GetDataTypeName(i), r.GetFieldType(i) });
    });

    [Theory, MemberData(nameof(P))]
    public void Streams_text_readers_bytes_and_chars(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB, s TEXT)");
        Db.Exec(c, "INSERT INTO t VALUES (1, x'000102030405', 'héllo'), (2, NULL, NULL)");
        using DbDataReader r = Db.Command(c, "SELECT b, s, 42 FROM t ORDER BY id").ExecuteReader();
        while (r.Read())
        {
            db.T.Try("stream b", () => r.GetStream(0));
            db.T.Try("stream s", () => r.GetStream(1));
            db.T.Try("stream n", () => r.GetStream(2));
            db.T.Try("reader s", () => r.GetTextReader(1));
            db.T.Try("reader n", () => r.GetTextReader(2));
            db.T.Try("bytes len", () => r.GetBytes(0, 0, null, 0, 0));
            var buf = new byte[4];
            db.T.Try("bytes", () => r.GetBytes(0, 2, buf, 1, 3));
            db.T.Add("buf", buf);
            db.T.Try("chars len", () => r.GetChars(1, 0, null, 0, 0));
            var cb = new char[3];
            db.T.Try("chars", () => r.GetChars(1, 1, cb, 0, 3));
            db.T.Add("cb", new string(cb));
        }
    });

    [Theory, MemberData(nameof(P))]
    public void Integer_overflow_in_narrow_getters(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        using DbDataReader r = Db.Command(c, "SELECT 300, -1, 70000, 9223372036854775807, 65, 'AB'").ExecuteReader();
        r.Read();
        db.T.Try("byte 300", () => r.GetByte(0));
        db.T.Try("byte -1", () => r.GetByte(1));
        db.T.Try("short 70000", () => r.GetInt16(2));
        db.T.Try("int max", () => r.GetInt32(3));
        db.T.Try("char 65", () => r.GetChar(4));
        db.T.Try("char AB", () => r.GetChar(5));
        db.T.Try("ulong -1", () => r.GetFieldValue<ulong>(1));
    });

    [Theory, MemberData(nameof(P))]
    public void Get_values_and_indexers(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        using DbDataReader r = Db.Command(c, "SELECT 1 AS a, 'x' AS B, NULL AS c").ExecuteReader();
        r.Read();
        var vals = new object[5];
        db.T.Add("count", r.GetValues(vals));
        db.T.Add("vals", vals);
        db.T.Add("by name", r["B"]);
        db.T.Add("by name ci", r["b"]);
        db.T.Add("by ordinal", r[2]);
        db.T.Try("missing", () => r["zz"]);
    });

    [Theory, MemberData(nameof(P))]
    public void Blob_and_text_comparisons_with_parameters(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE t(k, v)");
        Db.Exec(c, "INSERT INTO t VALUES (@k, 1)", ("@k", new byte[] { 1, 2 }));
        Db.Exec(c, "INSERT INTO t VALUES (@k, 2)", ("@k", "12"));
        Db.Exec(c, "INSERT INTO t VALUES (@k, 3)", ("@k", 12));
        db.T.Add("blob", Db.Scalar(c, "SELECT v FROM t WHERE k = @k", ("@k", new byte[] { 1, 2 })));
        db.T.Add("text", Db.Scalar(c, "SELECT v FROM t WHERE k = @k", ("@k", "12")));
        db.T.Add("int", Db.Scalar(c, "SELECT v FROM t WHERE k = @k", ("@k", 12L)));
        db.T.Add("real", Db.Scalar(c, "SELECT v FROM t WHERE k = @k", ("@k", 12.0)));
    });

    [Theory, MemberData(nameof(P))]
    public void Column_affinity_applies_to_bound_values(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE t(i INTEGER, r REAL, t TEXT, n NUMERIC, b BLOB)");
        Db.Exec(c, "INSERT INTO t VALUES (@v, @v, @v, @v, @v)", ("@v", "42"));
        Db.Exec(c, "INSERT INTO t VALUES (@v, @v, @v, @v, @v)", ("@v", 3.0));
        Db.Exec(c, "INSERT INTO t VALUES (@v, @v, @v, @v, @v)", ("@v", 7m));
        db.Query(c, "SELECT i, r, t, n, b, typeof(i), typeof(r), typeof(t), typeof(n), typeof(b) FROM t");
    });
}
