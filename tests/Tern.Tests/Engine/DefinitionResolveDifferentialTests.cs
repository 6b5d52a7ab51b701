// Name resolution of the expressions a table or index definition carries (CHECK
// constraints, generated columns, index key expressions, partial-index WHERE clauses),
// compared with SQLite 3.50.4: which definitions CREATE TABLE / CREATE INDEX refuse and with
// which message (the first error SQLite's walk is left holding), TRUE/FALSE as keywords in
// them, ALTER TABLE ADD COLUMN, and a schema read from a file whose CHECK names no column.
using Microsoft.Data.Sqlite;
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public class DefinitionResolveDifferentialTests
{
    /// <summary>Expressions tried in each of the four places a definition holds one.</summary>
    public static TheoryData<string> DefinitionExpressions() => new(
        "zz", "a", "\"a\"", "\"zz\"", "'zz'", "TRUE", "false", "\"TRUE\"", "a IS NOT TRUE", "NULL IS NOT FALSE",
        "t.a", "g.a", "i.a", "x.a", "main.t.a", "main.g.a", "main.i.a", "rowid", "_rowid_", "t.rowid",
        "zz IN (SELECT 1)", "(SELECT zz)", "EXISTS (SELECT * FROM nosuch)", "? + zz", "zz + ?", ":x",
        "abs(zz) FILTER (WHERE 1)", "abs(1) FILTER (WHERE zz)", "nosuch(zz)", "nosuch(1)", "abs(1,2) + zz", "abs(1,2) * (1 + zz)",
        "abs(1,2) * abs(zz)", "-abs(1,2) * zz", "abs(1,2) * CAST(zz AS INT)", "abs(1,2) BETWEEN zz AND 1", "CASE WHEN abs(1,2) THEN zz END",
        "count(zz)", "count(a) AND zz", "max(a)", "count(*)", "group_concat(a, zz)", "group_concat(1, zz)",
        "row_number() OVER ()", "abs(a) OVER ()", "sum(a) OVER ()", "random()", "random() + zz", "date('now')", "current_time",
        "likelihood(a, 2)", "coalesce(a)", "iif(a)", "iif(a, 1)", "a GLOB 'x' ESCAPE 'y'", "zz GLOB 'x' ESCAPE 'y'",
        "'x' GLOB zz ESCAPE 'y'", "('B' NOT GLOB 3 ESCAPE '\\')", "a LIKE 'x' ESCAPE 'y'", "a IN (abs(1,2), zz)");

    [Theory]
    [MemberData(nameof(DefinitionExpressions))]
    public void Definition_expression_resolves_as_in_sqlite_when_created(string e) =>
        Differential.AssertSame(
            $"CREATE TABLE t(a CHECK({e})); CREATE TABLE g(a, b AS ({e})); CREATE TABLE i(a); CREATE INDEX ie ON i(({e})); "
            + $"CREATE INDEX ie2 ON i({e}); CREATE INDEX ip ON i(a) WHERE {e}; SELECT type, name FROM sqlite_schema ORDER BY name");

    [Theory]
    [InlineData("CREATE TABLE t1(c2 CHECK (c1))")]
    [InlineData("CREATE TABLE t2(c2 CHARINT DEFAULT NULL CHECK (('B' NOT GLOB 3 ESCAPE '\\')))")]
    [InlineData("CREATE TABLE t(a, CHECK(b))")]
    [InlineData("CREATE TABLE t(a CHECK(b), CHECK(c))")]
    [InlineData("CREATE TABLE t(a CHECK(b), b AS (zz))")]
    [InlineData("CREATE TABLE t(a CHECK(zz), b AS (c))")]
    [InlineData("CREATE TABLE t(a AS (zz), b CHECK(yy))")]
    [InlineData("CREATE TABLE t(a AS (1) CHECK(zz))")]
    [InlineData("CREATE TABLE t(a CHECK(yy), b, c, UNIQUE(d))")]
    [InlineData("CREATE TABLE t(a CONSTRAINT c1 CHECK(a > 0), b CHECK(b < a) CHECK(a.b))")]
    public void Create_table_resolves_checks_before_generated_columns(string sql) =>
        Differential.AssertSame(sql + "; SELECT name FROM sqlite_schema");

    [Fact]
    public void True_and_false_are_keywords_in_generated_columns_checks_and_partial_indexes() =>
        Differential.AssertSame("""
            CREATE TABLE t0(c1 NUMERIC, c2 TEXT AS ((c1 IS NOT TRUE)) VIRTUAL);
            CREATE TABLE t1(c1 NUMERIC, c2 TEXT AS ((c1 IS FALSE)) STORED, c3 AS (NULL IS NOT FALSE), c4 AS (true + false));
            CREATE TABLE t2(c1 CHECK (c1 IS NOT TRUE));
            CREATE INDEX i2 ON t2(c1) WHERE c1 IS NOT FALSE;
            CREATE INDEX i3 ON t2(c1 IS TRUE);
            CREATE TABLE t3("true", b AS ("true" + true));
            INSERT INTO t0(c1) VALUES (1), (0), (NULL);
            INSERT INTO t1(c1) VALUES (1), (0), (NULL);
            INSERT INTO t2(c1) VALUES (0), (NULL);
            INSERT INTO t2(c1) VALUES (1);
            INSERT INTO t3 VALUES (5);
            SELECT * FROM t0; SELECT * FROM t1; SELECT * FROM t2 WHERE c1 IS NOT FALSE; SELECT * FROM t3
            """);

    [Fact]
    public void Add_column_resolves_the_new_check_and_generated_column() =>
        Differential.AssertSame("""
            CREATE TABLE t(a);
            ALTER TABLE t ADD COLUMN b CHECK(zz);
            ALTER TABLE t ADD COLUMN c CHECK(a > 0);
            ALTER TABLE t ADD COLUMN d AS (yy);
            ALTER TABLE t ADD COLUMN e CHECK(count(*));
            ALTER TABLE t ADD COLUMN f CHECK(TRUE);
            SELECT sql FROM sqlite_schema
            """);

    [Theory]
    [InlineData("CREATE TABLE t1(c2 CHECK(c2))", "CREATE TABLE t1(c2 CHECK (c1))", "t1")]
    [InlineData("CREATE TABLE t1(c2, c3 AS (c2))", "CREATE TABLE t1(c2, c3 AS (c1))", "t1")]
    [InlineData("CREATE TABLE t1(c2 CHECK(c2))", "CREATE TABLE t1(c2 CHECK (abs(1,2)))", "t1")]
    [InlineData("CREATE TABLE t1(c2 CHECK(c2))", "CREATE TABLE t1(c2 CHECK (nosuch(c2) AND c2 IS NOT TRUE))", "t1")]
    [InlineData("CREATE TABLE t1(c2 CHECK(c2))", "CREATE TABLE t1(c2 CHECK (nosuch(c2) AND zz IS NOT TRUE))", "t1")]
    [InlineData("CREATE TABLE t1(c2); CREATE INDEX ip ON t1(c2) WHERE c2", "CREATE INDEX ip ON t1(c2) WHERE c1", "ip")]
    public void Schema_with_rewritten_definition_loads_or_fails_as_in_sqlite(string create, string rewritten, string name)
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("s.db");
        using (SqliteConnection c = SqliteOracle.Open(path))
        {
            SqliteOracle.Execute(c, create + "; CREATE TABLE t0(x); PRAGMA writable_schema = ON");
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE sqlite_schema SET sql = $sql WHERE name = $name";
            cmd.Parameters.AddWithValue("$sql", rewritten);
            cmd.Parameters.AddWithValue("$name", name);
            cmd.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        string expected = "loaded";
        using (SqliteConnection c = SqliteOracle.Open(path))
        {
            try
            {
                SqliteOracle.Execute(c, "SELECT * FROM t0");
            }
            catch (SqliteException ex)
            {
                expected = $"{ex.SqliteErrorCode}: {ex.Message}";
            }
        }
        SqliteConnection.ClearAllPools();
        string actual = "loaded";
        using Database db = Database.Open(path);
        using Connection tc = db.Connect();
        try
        {
            tc.Execute("SELECT * FROM t0");
        }
        catch (TernException ex)
        {
            actual = $"{(int)ex.Code}: SQLite Error {(int)ex.Code}: '{ex.Message}'.";
        }
        Assert.Equal(expected, actual);
    }
}
