// Error offsets against SQLite 3.50.4: for a statement that fails to prepare, the message
// and sqlite3_error_offset (the byte offset, in the text given to prepare, of the token the
// error is about; -1 when SQLite records none) must equal TernException.Offset.
using System.Text;
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public class ErrorOffsetDifferentialTests
{
    private const string Schema = "CREATE TABLE t(a, b); CREATE TABLE u(a, c); CREATE TABLE \"Ünï\"(x); CREATE VIEW v AS SELECT a, b FROM t;";

    public static TheoryData<string> Statements() =>
    [
        // The parser: a token it cannot use, a token it cannot read, text that stops early.
        "SELECT 1 +;",
        "SELECT * FRM t",
        "selec 1",
        "SELECT 1 FROM t WHERE a = 1 ORDER",
        "SELECT 'ünï', 1 1",
        "SELECT 1 FROM t WHERE a = @",
        "SELECT \"unterminated",
        "SELECT 'abc",
        "   \n  SELECT a,\n  FROM t",
        "CREATE TABLE (a)",
        "SELECT 1;;; SELECT 2",
        // Names that do not resolve.
        "SELECT nosuch FROM t",
        "SELECT a,\n   nosuch FROM t",
        "SELECT t.nosuch FROM t",
        "SELECT main.t.nosuch FROM t",
        "SELECT x.a FROM t",
        "SELECT a FROM t, u",
        "SELECT t.a FROM t, t",
        "SELECT * FROM t WHERE nosuch = 1",
        "SELECT * FROM t ORDER BY nosuch",
        "SELECT a FROM t GROUP BY nosuch",
        "SELECT 'ünï', nosuch FROM t",
        "SELECT x FROM \"Ünï\" WHERE y = 1",
        "UPDATE t SET a = nosuch",
        "UPDATE t SET nosuch = 1",
        "DELETE FROM t WHERE nosuch",
        "INSERT INTO t(nosuch) VALUES (1)",
        "INSERT INTO t VALUES (nosuch)",
        "SELECT (SELECT nosuch FROM u) FROM t",
        "SELECT * FROM t WHERE a IN (SELECT nosuch FROM u)",
        "SELECT * FROM v WHERE nosuch = 1",
        "SELECT nofunc(1)",
        "SELECT a, nofunc(a, b) FROM t",
        "SELECT abs(1, 2)",
        "SELECT count(*) FROM t WHERE count(*) > 1",
        "SELECT * FROM nosuch",
        "SELECT * FROM t, nosuch",
        "SELECT * FROM main.nosuch",
        "INSERT INTO nosuch VALUES (1)",
        "DROP TABLE nosuch",
        "CREATE TABLE t(x)",
        "CREATE TABLE IF NOT EXISTS main.v(x)",
        "CREATE VIEW t AS SELECT 1",
        "CREATE TEMP VIEW \"v\" AS SELECT 1",
        "CREATE INDEX i1 ON t(a); CREATE INDEX i1 ON t(b)",
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END; CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END",
        "CREATE INDEX i ON t(nosuch)",
        "SELECT * FROM t WHERE a = ?0",
        "SELECT a FROM t UNION SELECT a, c FROM u",
        "SELECT a FROM t ORDER BY 3",
        "SELECT \"nosuch\" FROM t",
        "SELECT t.* FROM u",
        "SELECT max() FROM t",
        "SELECT a FROM t JOIN u USING (nosuch)",
        "SELECT * FROM t WHERE rowid = nosuch.rowid",
    ];

    [Theory]
    [MemberData(nameof(Statements))]
    public void Offset_and_message_match_sqlite(string sql)
    {
        (string? message, int offset) expected = SqliteError(sql);
        (string? message, int offset) actual = TernError(sql);
        Assert.Equal(expected, actual);
    }

    /// <summary>The offset counts from the text given to Prepare, not from the start of a script.</summary>
    [Fact]
    public void Offset_counts_from_the_statement_being_prepared()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute(Schema);
        byte[] utf8 = Encoding.UTF8.GetBytes("SELECT 1; SELECT nosuch FROM t;");
        using (Statement? first = c.Prepare(utf8, 0, out int tail))
        {
            var e = Assert.Throws<TernException>(() => c.Prepare(utf8, tail, out _));
            Assert.Equal(" SELECT ".Length, e.Offset);
        }
        var none = Assert.Throws<TernException>(() => c.Execute("INSERT INTO t VALUES (1, 2); SELECT a / 0, abs(-9223372036854775808) FROM t"));
        Assert.Equal(-1, none.Offset);
    }

    private static (string? Message, int Offset) SqliteError(string sql)
    {
        using var conn = SqliteOracle.Open(":memory:");
        SqliteOracle.Execute(conn, Schema);
        SQLitePCL.sqlite3 db = conn.Handle!;
        byte[] bytes = Encoding.UTF8.GetBytes(sql);
        int offset = 0;
        while (offset < bytes.Length)
        {
            ReadOnlySpan<byte> rest = bytes.AsSpan(offset);
            int rc = SQLitePCL.raw.sqlite3_prepare_v2(db, rest, out SQLitePCL.sqlite3_stmt stmt, out ReadOnlySpan<byte> tail);
            using (stmt)
            {
                if (rc != SQLitePCL.raw.SQLITE_OK) return (SQLitePCL.raw.sqlite3_errmsg(db).utf8_to_string(), ErrorOffset(db));
            }
            int consumed = rest.Length - tail.Length;
            if (consumed == 0) break;
            offset += consumed;
        }
        return (null, -1);
    }

    // sqlite3_error_offset, which SQLitePCLRaw 2.1 does not wrap, straight from the e_sqlite3 library it loaded.
    [System.Runtime.InteropServices.DllImport("e_sqlite3", EntryPoint = "sqlite3_error_offset")]
    private static extern int NativeErrorOffset(IntPtr db);

    internal static int ErrorOffset(SQLitePCL.sqlite3 db) => NativeErrorOffset(db.DangerousGetHandle());

    private static (string? Message, int Offset) TernError(string sql)
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute(Schema);
        byte[] bytes = Encoding.UTF8.GetBytes(sql);
        int offset = 0;
        while (offset < bytes.Length)
        {
            try
            {
                using Statement? s = c.Prepare(bytes, offset, out int tail);
                if (s == null) break;
                offset = tail;
            }
            catch (TernException e)
            {
                return (e.Message, e.Offset);
            }
        }
        return (null, -1);
    }
}
