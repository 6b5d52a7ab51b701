// .dump and .import against the sqlite3 shell. .dump: the text tern writes for a database
// is the text sqlite3 writes for the same database (built by the same script in each), with
// and without options and patterns; and the round trip: a database sqlite3 built, dumped by
// tern and loaded by sqlite3, and dumped by sqlite3 and loaded by tern, has the same schema
// and rows as the original. .import: CSV and ASCII files into new and existing tables, with
// sqlite3's messages for short and long records, bad quotes and bad arguments.
using System.Text;

namespace Tern.Cli.Tests;

public class DumpAndImportTests
{
    /// <summary>Databases covering the column types, quoting, indexes, views, triggers, AUTOINCREMENT and foreign keys.</summary>
    public static TheoryData<string> Databases() => new()
    {
        // Every kind of value: integers at the limits, reals (negative zero, tiny, huge,
        // infinities), text with quotes, tabs, CR and LF, empty text, blobs (empty too), NULL.
        "CREATE TABLE t1(a INTEGER PRIMARY KEY, b TEXT, c REAL, d BLOB, e);\n" +
        "INSERT INTO t1 VALUES(1,'it''s',1.5,x'00ff',NULL),(2,'line\nbreak',1e300,x'',3),(3,'',-0.0,NULL,'x');\n" +
        "INSERT INTO t1 VALUES(4,'tab\there',0.1,NULL,9223372036854775807),(5,'cr'||char(13)||'x'||char(13,10),1e999,NULL,-1.5e-30);\n" +
        "INSERT INTO t1 VALUES(6,'ünïcödé ✓',-1e999,x'0102030405060708090a',-9223372036854775808),(7,NULL,100.0,NULL,2.5);\n" +
        "CREATE TABLE empty(x);\n",
        // Quoted and keyword names, a table with no rowid alias, an index, a view and a trigger.
        "CREATE TABLE \"we\"\"ird\"(\"a b\" TEXT, \"select\" INT, [c]);\n" +
        "INSERT INTO \"we\"\"ird\" VALUES('k', 1, 2), ('l', NULL, 'q');\n" +
        "CREATE TABLE 'single'(x);\nINSERT INTO single VALUES(1);\n" +
        "CREATE TABLE \"order\"(\"group\" PRIMARY KEY, v);\nINSERT INTO \"order\" VALUES('g', 1);\n" +
        "CREATE INDEX \"idx of\"\"weird\" ON \"we\"\"ird\"(\"select\");\n" +
        "CREATE VIEW v1 AS SELECT \"a b\" FROM \"we\"\"ird\";\n" +
        "CREATE TRIGGER tr AFTER INSERT ON \"order\" BEGIN UPDATE \"order\" SET v = v + 1 WHERE \"group\" = new.\"group\"; END;\n",
        // AUTOINCREMENT (sqlite_sequence), foreign keys (children before parents), comments in the schema.
        "CREATE TABLE child(id INTEGER PRIMARY KEY AUTOINCREMENT, p REFERENCES parent(id) ON DELETE CASCADE, note TEXT);\n" +
        "CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE) -- the parents\n;\n" +
        "INSERT INTO parent VALUES(1, 'p1'), (2, 'p2');\n" +
        "INSERT INTO child(p, note) VALUES(1, 'a'), (2, 'b'), (1, NULL);\n" +
        "DELETE FROM child WHERE id = 3;\n" +
        "CREATE INDEX child_p ON child(p) /* by parent */;\n" +
        "CREATE VIEW kids AS SELECT parent.name, child.note FROM parent JOIN child ON child.p = parent.id -- joined\n;\n" +
        "CREATE TRIGGER parent_gone BEFORE DELETE ON parent BEGIN SELECT 1; END;\n" +
        "CREATE TABLE other(id INTEGER PRIMARY KEY AUTOINCREMENT, v);\nINSERT INTO other(v) VALUES(1);\n",
        // Many rows and a table whose rowids are not a column.
        "CREATE TABLE big(a, b);\n" +
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500) INSERT INTO big SELECT x, printf('row %d', x) FROM c;\n" +
        "DELETE FROM big WHERE a % 7 = 0;\n",
    };

    [Theory]
    [MemberData(nameof(Databases))]
    public void Dump_writes_what_sqlite3_writes(string schema)
    {
        SessionCommandTests.AssertSameAsSqlite3(schema + ".dump\n");
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public void Dump_round_trips_through_both_shells(string schema)
    {
        using var dir = new ProcessRunner.TempDir();
        string original = dir.File("original.db");
        RunResult built = ProcessRunner.Sqlite3([original], Encoding.UTF8.GetBytes(schema));
        Assert.Equal("", built.StderrText);
        byte[] sqliteDump = ProcessRunner.Sqlite3([original, ".dump"], []).Stdout;
        RunResult ternDump = ProcessRunner.Tern([original, ".dump"], []);
        Assert.Equal("", ternDump.StderrText);
        Assert.Equal(Encoding.UTF8.GetString(sqliteDump), ternDump.StdoutText);

        // tern's dump loaded by sqlite3, sqlite3's dump loaded by tern.
        string intoSqlite = dir.File("into-sqlite.db");
        string intoTern = dir.File("into-tern.db");
        RunResult loadSqlite = ProcessRunner.Sqlite3([intoSqlite], ternDump.Stdout);
        Assert.Equal("", loadSqlite.StderrText);
        RunResult loadTern = ProcessRunner.Tern([intoTern], sqliteDump);
        Assert.Equal("", loadTern.StderrText);
        Assert.Equal(0, loadTern.ExitCode);

        // Both hold the original's schema and rows: sqlite3 dumps each as it dumps the original.
        string expected = Encoding.UTF8.GetString(sqliteDump);
        Assert.Equal(expected, ProcessRunner.Sqlite3([intoSqlite, ".dump"], []).StdoutText);
        Assert.Equal(expected, ProcessRunner.Sqlite3([intoTern, ".dump"], []).StdoutText);
        Assert.Equal("ok\n", ProcessRunner.Sqlite3([intoTern, "PRAGMA integrity_check"], []).StdoutText);
    }

    [Fact]
    public void Dump_takes_patterns_and_options()
    {
        const string Schema =
            "CREATE TABLE t1(a INTEGER PRIMARY KEY, b);\nINSERT INTO t1 VALUES(1, 'x\ny'), (2, NULL);\n" +
            "CREATE TABLE t2(c, d);\nINSERT INTO t2 VALUES(3, 4);\nCREATE TABLE u_3(e);\nINSERT INTO u_3 VALUES(5);\nCREATE TABLE ux3(f);\n" +
            "CREATE TABLE s(id INTEGER PRIMARY KEY AUTOINCREMENT);\nINSERT INTO s DEFAULT VALUES;\n" +
            "CREATE INDEX t1b ON t1(b);\nCREATE INDEX t2c ON t2(c);\nCREATE VIEW t1v AS SELECT * FROM t1;\n";
        SessionCommandTests.AssertSameAsSqlite3(Schema +
            ".dump t1\n.dump t%\n.dump t1 t2\n.dump u\\_3\n.dump nosuch\n.dump --data-only\n.dump --nosys\n.dump --newlines t1\n" +
            ".dump --preserve-rowids t2\n.dump --preserve-rowids t1\n.dump -data-only t2\n.dump --bogus\n.dump s\n");
    }

    [Fact]
    public void Stored_schema_text_keeps_what_sqlite_keeps_before_the_semicolon()
    {
        // An index keeps the comments and spaces before its ';' (or the end of the text), a
        // view the comments but not the spaces after them; a table and a trigger end at
        // their last token.
        SessionCommandTests.AssertSameAsSqlite3(
            "create table t(b)  /* c1 */ ;\nCREATE INDEX i1 ON t(b)  ;\nCREATE INDEX i3 ON t(b) /* y */  ;\n" +
            "create view v1 as select 1 as one  /* z */  ;\ncreate view v2 as select 2 as two -- w\n;\n" +
            "create trigger tr after insert on t begin select 1; end /* q */ ;\ncreate unique index i4 on t(b) where b > 0 ;\n" +
            "select '[' || sql || ']' from sqlite_schema;\n.schema\n.dump\n");
    }

    [Fact]
    public void Dump_of_an_empty_database_is_the_framing()
    {
        SessionCommandTests.AssertSameAsSqlite3(".dump\n");
    }

    private static Dictionary<string, byte[]> Files(params (string Name, string Text)[] files) =>
        files.ToDictionary(f => f.Name, f => Encoding.UTF8.GetBytes(f.Text));

    private static readonly Dictionary<string, byte[]> CsvFiles = Files(
        ("i1.csv", "a,b,c\n1,\"x, y\",3\n2,\"he said \"\"hi\"\"\",\n3,\"multi\nline\",z\n4,5\n6,7,8,9\n"),
        ("i2.txt", "h1\x1fh2\x1e1\x1f2\x1e3\x1f4\x1e"),
        ("i3.csv", "a,A,,b c\n1,2,3,4\n"),
        ("i5.csv", ""),
        ("i6.csv", "x,y\r\n1,2\r\n\"q\"\"\",\r\n"),
        ("i7.csv", "a,b,c,d,e,f,g,h,i,j,a\n1,2,3,4,5,6,7,8,9,10,11\n"),
        ("i8.csv", "\uFEFFbom,z\n1,2\n"),
        ("i9.csv", "p|q\n1|2\n\"3|x\"|4\n"),
        ("bad.csv", "k,v\n\"open,1\n"),
        ("bad2.csv", "k,v\n\"a\"b,1\n"));

    [Fact]
    public void Import_csv_into_new_and_existing_tables()
    {
        SessionCommandTests.AssertSameAsSqlite3(
            ".import --csv DIR/i1.csv t\n.mode quote\nselect * from t;\n.schema t\n.import --csv --skip 1 DIR/i1.csv t\nselect count(*) from t;\n" +
            ".import --csv DIR/i1.csv t\nselect count(*) from t;\n.import --csv DIR/i3.csv dup\n.schema dup\n.import --csv DIR/i7.csv wide\n.schema wide\n" +
            ".import --csv DIR/i6.csv crlf\nselect * from crlf;\n.import --csv DIR/i8.csv bom\n.schema bom\n.import --csv DIR/i5.csv none\n" +
            ".import --csv DIR/i1.csv \"sp ace\"\nselect count(*) from \"sp ace\";\n.import -v --csv DIR/i6.csv crlf\n",
            CsvFiles);
    }

    [Fact]
    public void Import_ascii_and_mode_separators()
    {
        SessionCommandTests.AssertSameAsSqlite3(
            ".import --ascii DIR/i2.txt u\n.mode quote\nselect * from u;\n.mode list\n.import DIR/i9.csv p\n.mode quote\nselect * from p;\n" +
            ".mode csv\n.import DIR/i6.csv c\nselect * from c;\n.mode ascii\n.import DIR/i2.txt a\n.mode quote\nselect * from a;\n" +
            ".separator ab\n.import DIR/i9.csv x\n.separator , ab\n.import DIR/i9.csv x\n.separator \"\"\n.import DIR/i9.csv x\n",
            CsvFiles);
    }

    [Fact]
    public void Import_reports_bad_input_and_arguments()
    {
        SessionCommandTests.AssertSameAsSqlite3(
            "create table t(a primary key, b);\n.import --csv DIR/i6.csv t\n.import --csv DIR/i6.csv t\nselect * from t;\n" +
            ".import --csv DIR/bad.csv b1\nselect * from b1;\n.import --csv DIR/bad2.csv b2\nselect * from b2;\n" +
            ".import DIR/nofile.csv v\n.import\n.import DIR/i1.csv\n.import a b c\n.import --bogus DIR/i1.csv t\n" +
            "create view vw as select 1;\n.import --csv DIR/i6.csv vw\n",
            CsvFiles);
    }

    [Fact]
    public void Import_inside_a_transaction_leaves_it_open()
    {
        SessionCommandTests.AssertSameAsSqlite3(
            "begin;\n.import --csv DIR/i6.csv t\nrollback;\nselect count(*) from sqlite_schema;\n", CsvFiles);
    }
}
