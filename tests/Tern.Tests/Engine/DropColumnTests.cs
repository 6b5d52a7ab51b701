// ALTER TABLE DROP COLUMN against SQLite 3.50.4: the columns it refuses and its messages,
// the CREATE text it leaves (edited in place, spacing and comments kept), the rows written
// again without the column, and a file sqlite3 finds sound afterwards.
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

[Collection("sqlite3 shell")]
public class DropColumnTests
{
    private const string Schema = "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid";

    [Theory]
    [InlineData("CREATE TABLE t(a, b, c); INSERT INTO t VALUES (1, 2, 3); ALTER TABLE t DROP COLUMN b")]
    [InlineData("CREATE TABLE t(a INT,   b TEXT  /*c*/ , c); INSERT INTO t VALUES (1, 2, 3); ALTER TABLE t DROP COLUMN c; ALTER TABLE t DROP a")]
    [InlineData("CREATE TABLE t(a INTEGER PRIMARY KEY, b, c CHECK (c > 0), CHECK (a > 0)); INSERT INTO t VALUES (5, 6, 7); ALTER TABLE t ADD COLUMN d DEFAULT 3; ALTER TABLE t DROP COLUMN b; ALTER TABLE t DROP COLUMN c")]
    [InlineData("CREATE TABLE t(a, b, v AS (a + 1), s AS (a * 2) STORED); INSERT INTO t VALUES (1, 2); ALTER TABLE t DROP COLUMN v; ALTER TABLE t DROP COLUMN b")]
    [InlineData("CREATE TABLE p(x PRIMARY KEY); INSERT INTO p VALUES (2); CREATE TABLE t(a, b REFERENCES p, c, UNIQUE(a)); CREATE INDEX i ON t(c); INSERT INTO t VALUES (1, 2, 3); ALTER TABLE t DROP COLUMN b")]
    [InlineData("CREATE TABLE t(a, b, c); CREATE VIEW v AS SELECT a FROM t; CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT new.a; END; ALTER TABLE t DROP COLUMN c; INSERT INTO t VALUES (1, 2); SELECT * FROM v")]
    [InlineData("CREATE TABLE \"t x\"([a b], \"c\"\"d\" TEXT, e) STRICT; INSERT INTO \"t x\" VALUES (1, 'x', 2); ALTER TABLE \"t x\" DROP COLUMN \"c\"\"d\"; SELECT * FROM \"t x\"")]
    public void Drop_column_edits_the_table_text_and_rewrites_rows_as_sqlite_does(string script) =>
        Differential.AssertSame(script + "; " + Schema + "; SELECT * FROM t; PRAGMA integrity_check");

    [Theory]
    [InlineData("CREATE TABLE t(a); ALTER TABLE t DROP COLUMN a")]
    [InlineData("CREATE TABLE t(a PRIMARY KEY, b); ALTER TABLE t DROP COLUMN a")]
    [InlineData("CREATE TABLE t(a, b, c, PRIMARY KEY(a, b)); ALTER TABLE t DROP COLUMN b")]
    [InlineData("CREATE TABLE t(a UNIQUE, b); ALTER TABLE t DROP COLUMN a")]
    [InlineData("CREATE TABLE t(a, b, c, UNIQUE(a, b)); ALTER TABLE t DROP COLUMN b")]
    [InlineData("CREATE TABLE t(a, b); CREATE INDEX i ON t(b); ALTER TABLE t DROP COLUMN b")]
    [InlineData("CREATE TABLE t(a, b, c); CREATE INDEX i ON t(a) WHERE c > 0; ALTER TABLE t DROP COLUMN c")]
    [InlineData("CREATE TABLE t(a, b, CHECK (a > b)); ALTER TABLE t DROP COLUMN b")]
    [InlineData("CREATE TABLE t(a, b, c AS (b + 1)); ALTER TABLE t DROP COLUMN b")]
    [InlineData("CREATE TABLE t(a, b, c, FOREIGN KEY(c) REFERENCES t(a)); ALTER TABLE t DROP COLUMN c")]
    [InlineData("CREATE TABLE t(a, b); CREATE VIEW v AS SELECT b FROM t; ALTER TABLE t DROP COLUMN b")]
    [InlineData("CREATE TABLE t(a, b, c); CREATE VIEW v AS SELECT t.c FROM t; ALTER TABLE t DROP COLUMN c")]
    [InlineData("CREATE TABLE t(a, b); CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT new.b; END; ALTER TABLE t DROP COLUMN b")]
    [InlineData("CREATE TABLE t(a, b); ALTER TABLE t DROP COLUMN c")]
    [InlineData("CREATE VIEW v AS SELECT 1 AS a, 2 AS b; ALTER TABLE v DROP COLUMN a")]
    [InlineData("ALTER TABLE nosuch DROP COLUMN a")]
    public void Drop_column_refuses_what_sqlite_refuses(string script) =>
        Differential.AssertSame(script + "; " + Schema);

    [Fact]
    public void Drop_column_leaves_a_file_sqlite_finds_sound()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("d.db");
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            c.Execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c BLOB, d); CREATE INDEX i ON t(d);");
            using (Statement ins = c.Prepare("INSERT INTO t(b, c, d) VALUES (?1, randomblob(300), ?2)"))
            {
                for (int i = 0; i < 500; i++)
                {
                    ins.Bind(1, new string('x', i % 50));
                    ins.Bind(2, (long)i);
                    while (ins.Step()) { }
                    ins.Reset();
                }
            }
            c.Execute("ALTER TABLE t DROP COLUMN c; ALTER TABLE t DROP COLUMN b;");
        }
        Assert.Equal("ok", SqliteShell.Run(path, "PRAGMA integrity_check;").Trim());
        Assert.Equal("CREATE TABLE t(a INTEGER PRIMARY KEY, d)|500|124750", SqliteShell.Run(path, "SELECT (SELECT sql FROM sqlite_schema WHERE name = 't'), count(*), sum(d) FROM t;").Trim());
    }
}
