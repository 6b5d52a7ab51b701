// ALTER TABLE against SQLite 3.50.4: the CREATE texts that ADD COLUMN, RENAME COLUMN and
// RENAME TO leave in sqlite_schema must match SQLite's byte for byte (spacing, comments,
// quoting, table constraints and suffixes), files stay loadable by SQLite, and random
// ALTER sequences on random schemas agree with SQLite.
using System.Text;
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

[Collection("sqlite3 shell")]
public class AlterTableTests
{
    private const string Schema = "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid";

    [Theory]
    [InlineData("CREATE TABLE t(a TEXT, b INT, PRIMARY KEY(a)); ALTER TABLE t ADD COLUMN c TEXT")]
    [InlineData("CREATE TABLE t(a TEXT, b INT /* c */ , PRIMARY KEY(a)) STRICT; ALTER TABLE t ADD   COLUMN   c   TEXT   /*x*/ ")]
    [InlineData("CREATE TABLE t ( a  ,  b  )  ; ALTER TABLE t ADD COLUMN c INT DEFAULT 3")]
    [InlineData("CREATE TABLE t(a, b, CONSTRAINT x UNIQUE(a) CHECK(b>0)); ALTER TABLE t ADD \"c d\" TEXT DEFAULT 'x)'")]
    [InlineData("CREATE TABLE t(a, b CHECK(b > (1)), UNIQUE(a, b)); ALTER TABLE t ADD c -- trailing")]
    [InlineData("CREATE TABLE t(a INTEGER PRIMARY KEY, b) STRICT; ALTER TABLE t ADD c ANY; ALTER TABLE t ADD d INT NOT NULL DEFAULT 1;")]
    [InlineData("CREATE TABLE [t](a VARCHAR(10, 2), [b]TEXT); ALTER TABLE t ADD COLUMN [c]INT")]
    public void Add_column_stores_the_text_sqlite_stores_when_the_table_has_constraints_comments_or_suffixes(string script) =>
        Differential.AssertSame(script + "; " + Schema + "; INSERT INTO t(a) VALUES (1); SELECT * FROM t");

    [Fact]
    public void Add_column_after_a_table_constraint_leaves_a_file_sqlite_opens()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("a.db");
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            c.Execute("CREATE TABLE t(a TEXT, b INT, PRIMARY KEY(a)); INSERT INTO t VALUES ('x', 1); ALTER TABLE t ADD COLUMN c TEXT;");
        }
        Assert.Equal("ok", SqliteShell.Run(path, "PRAGMA integrity_check;").Trim());
        Assert.Equal("CREATE TABLE t(a TEXT, b INT, c TEXT, PRIMARY KEY(a))|x|1|", SqliteShell.Run(path, "SELECT sql, a, b, c FROM sqlite_schema, t WHERE type = 'table';").Trim());
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        using (Statement s = c.Prepare("SELECT count(*) FROM t"))
        {
            Assert.True(s.Step());
            Assert.Equal(1, s.GetInt64(0));
        }
    }

    [Fact]
    public void Rename_column_rewrites_table_indexes_views_triggers_and_foreign_keys_as_sqlite_does() =>
        Differential.AssertSame("""
            CREATE TABLE t(a INTEGER PRIMARY KEY, [Phone]TEXT, "x""y" , t INT, CHECK(Phone<>'Phone'), UNIQUE(Phone), FOREIGN KEY(t) REFERENCES t(Phone));
            CREATE TABLE u(p REFERENCES t(Phone), q, FOREIGN KEY(q) REFERENCES "t"(a));
            CREATE INDEX i ON t(Phone COLLATE nocase, upper(Phone)) WHERE Phone > 'a';
            CREATE VIEW v AS SELECT t.Phone, u.p, t FROM t, u WHERE Phone=p;
            CREATE VIEW v2(c) AS SELECT Phone FROM t AS z;
            CREATE TRIGGER tr AFTER UPDATE OF Phone ON t WHEN new.Phone<>old.Phone BEGIN INSERT INTO u(p) VALUES(new.Phone); UPDATE t SET Phone=Phone||'' WHERE a=new.a; DELETE FROM u WHERE p IN (SELECT Phone FROM t); END;
            CREATE TRIGGER tr2 AFTER INSERT ON u BEGIN UPDATE t SET "Phone"=new.p; SELECT Phone FROM t; END;
            ALTER TABLE t RENAME COLUMN Phone TO "Tel";
            SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid;
            ALTER TABLE t RENAME COLUMN Tel TO Tel2;
            SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid;
            ALTER TABLE t RENAME TO "new t";
            SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid;
            INSERT INTO "new t"(Tel2, t) VALUES ('b', NULL);
            SELECT * FROM v2;
            """);

    [Theory]
    [InlineData("CREATE TABLE t(id INTEGER PRIMARY KEY, [Phone]TEXT); ALTER TABLE t RENAME COLUMN Phone TO Tel")]
    [InlineData("CREATE TABLE t(id, Phone TEXT, `Fax`INT); ALTER TABLE t RENAME COLUMN phone TO Tel; ALTER TABLE t RENAME fax TO \"F\"\"x\"")]
    [InlineData("CREATE TABLE t(id, \"a\"\"b\"); ALTER TABLE t RENAME COLUMN \"a\"\"b\" TO c")]
    [InlineData("CREATE TABLE t(id, a, b AS (a * 2), CHECK (a <> b)); CREATE INDEX ia ON t(a) WHERE a IS NOT NULL; ALTER TABLE t RENAME COLUMN a TO [select]")]
    [InlineData("CREATE TABLE t(text TEXT, b DEFAULT text COLLATE text); ALTER TABLE t RENAME COLUMN text TO x")]
    [InlineData("CREATE TABLE t(a, b); CREATE TABLE u(a, c); CREATE VIEW v AS SELECT t.a, u.a AS ua FROM t JOIN u ON t.b = u.c; ALTER TABLE t RENAME COLUMN a TO z")]
    [InlineData("CREATE TABLE t(a, b); CREATE TABLE u(x); CREATE TRIGGER tr BEFORE DELETE ON u BEGIN DELETE FROM t WHERE a = old.x; END; ALTER TABLE t RENAME COLUMN a TO z")]
    public void Rename_column_keeps_quoting_and_spacing_as_sqlite_does(string script) =>
        Differential.AssertSame(script + "; " + Schema);

    [Theory]
    [InlineData("CREATE TABLE t(a); CREATE INDEX i ON t(a); ALTER TABLE t RENAME TO u")]
    [InlineData("CREATE TABLE \"t\"(a); CREATE TABLE c(x REFERENCES t, y REFERENCES \"t\"(a)); ALTER TABLE t RENAME TO [u v]")]
    [InlineData("CREATE TABLE t(t); CREATE VIEW v AS SELECT x.t, t.t FROM t, t AS x; CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO t SELECT t FROM t; END; ALTER TABLE t RENAME TO u")]
    [InlineData("CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO t DEFAULT VALUES; ALTER TABLE t RENAME TO u; SELECT * FROM sqlite_sequence")]
    public void Rename_table_rewrites_every_reference_as_sqlite_does(string script) =>
        Differential.AssertSame(script + "; " + Schema);

    // Before (and after) a rename SQLite re-resolves every view and trigger of the schema and
    // refuses the change, naming the broken one, when any of them no longer resolves.
    [Theory]
    [InlineData("CREATE TABLE t(a); CREATE TABLE u(b); CREATE VIEW v AS SELECT * FROM t; DROP TABLE t; ALTER TABLE u RENAME TO w")]
    [InlineData("CREATE TABLE t(a); CREATE TABLE u(b); CREATE VIEW v AS SELECT * FROM t; DROP TABLE t; ALTER TABLE u RENAME COLUMN b TO c")]
    [InlineData("CREATE TABLE t(a); CREATE TABLE u(b); CREATE TRIGGER tr AFTER INSERT ON u BEGIN INSERT INTO t VALUES (new.b); END; DROP TABLE t; ALTER TABLE u RENAME TO w")]
    [InlineData("CREATE TABLE t(a); CREATE TABLE u(b); CREATE VIEW v AS SELECT nosuch FROM t; ALTER TABLE u RENAME TO w")]
    [InlineData("CREATE TABLE t(a); CREATE TABLE u(b); CREATE VIEW v AS SELECT * FROM t; DROP TABLE t; PRAGMA legacy_alter_table = 1; ALTER TABLE u RENAME TO w")]
    [InlineData("CREATE TABLE t(a); CREATE VIEW v AS SELECT a FROM t; CREATE VIEW v2 AS SELECT * FROM v; ALTER TABLE t RENAME COLUMN a TO b; SELECT * FROM v2")]
    [InlineData("CREATE TABLE t(a); CREATE TABLE u(b); CREATE VIEW v AS SELECT * FROM t; DROP TABLE t; ALTER TABLE u ADD COLUMN z; SELECT * FROM u")]
    [InlineData("CREATE TABLE t(a, b); CREATE VIEW v AS SELECT * FROM nosuch; ALTER TABLE t RENAME COLUMN a TO b")]
    [InlineData("CREATE TABLE t(a, b); ALTER TABLE t RENAME COLUMN a TO b")]
    [InlineData("CREATE TABLE t(a); CREATE TABLE u(b); CREATE TRIGGER tr AFTER INSERT ON u BEGIN INSERT INTO t VALUES (new.b); END; DROP TABLE t; INSERT INTO u VALUES (1)")]
    [InlineData("CREATE TABLE t(a); CREATE TABLE u(b); CREATE TRIGGER tr AFTER INSERT ON u BEGIN UPDATE u SET b = (SELECT a FROM t); DELETE FROM t; END; DROP TABLE t; INSERT INTO u VALUES (1)")]
    [InlineData("CREATE TABLE t(a, b); CREATE VIEW v AS SELECT * FROM nosuch; CREATE VIEW w AS SELECT zz FROM t; ALTER TABLE t RENAME TO u")]
    [InlineData("CREATE TABLE t(a, b); CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT new.zz; END; ALTER TABLE t RENAME TO u")]
    [InlineData("CREATE TABLE t(a, b); CREATE TRIGGER tr AFTER INSERT ON t WHEN nosuchfn(1) BEGIN SELECT 1; END; CREATE VIEW v AS SELECT nosuchfn(a), max(1, 2, 3) FROM t; ALTER TABLE t RENAME TO u")]
    [InlineData("CREATE TABLE t(a, b); CREATE TABLE x(y); CREATE TRIGGER tr AFTER INSERT ON x BEGIN UPDATE t SET b = new.y WHERE a = old.y; END; ALTER TABLE t RENAME TO u")]
    [InlineData("CREATE TABLE t(a, b); CREATE TABLE x(y); CREATE TRIGGER tr BEFORE DELETE ON x BEGIN DELETE FROM t WHERE a = old.y; INSERT INTO gone VALUES (1); END; CREATE VIEW v AS SELECT 1 FROM gone2; ALTER TABLE t RENAME TO u")]
    [InlineData("CREATE TABLE t(a, b); CREATE TABLE x(y); CREATE VIEW v AS SELECT 1 FROM gone2; CREATE TRIGGER tr BEFORE DELETE ON x BEGIN INSERT INTO gone VALUES (1); END; ALTER TABLE x RENAME COLUMN y TO z")]
    public void Rename_refuses_a_schema_whose_views_or_triggers_no_longer_resolve(string script) =>
        Differential.AssertSame(script + "; " + Schema);

    [Fact]
    public void Random_alter_sequences_store_the_same_schema_text_as_sqlite()
    {
        int rounds = int.TryParse(Environment.GetEnvironmentVariable("TERN_ALTER_ROUNDS"), out int n) ? n : 150;
        var rng = new Random(20261207);
        for (int round = 0; round < rounds; round++)
        {
            string script = RandomAlterScript(rng);
            try
            {
                Differential.AssertSame(script);
            }
            catch (Xunit.Sdk.XunitException e)
            {
                throw new Xunit.Sdk.XunitException($"round {round}:\n{script}\n{e.Message}");
            }
        }
    }

    /// <summary>A random table (with an index, a view and a trigger) and a few ALTERs, dumping the schema after each.</summary>
    private static string RandomAlterScript(Random rng)
    {
        string[] spaces = [" ", "  ", "", "\n", " /* c */ ", "\t"];
        string Sp() => spaces[rng.Next(spaces.Length)];
        var names = new List<string>();
        int counter = 0;
        string NewName() => "c" + counter++;
        string Quote(string name) => rng.Next(5) switch
        {
            0 => "[" + name + "]",
            1 => "\"" + name + "\"",
            2 => "`" + name + "`",
            _ => name,
        };
        string[] types = ["", " TEXT", "INT", " INTEGER", " REAL", " BLOB", " ANY", " VARCHAR(10)"];
        var sb = new StringBuilder();
        int ncols = rng.Next(1, 5);
        bool strict = rng.Next(4) == 0;
        var cols = new List<string>();
        for (int i = 0; i < ncols; i++)
        {
            string name = NewName();
            names.Add(name);
            string type = strict ? (rng.Next(2) == 0 ? " TEXT" : " ANY") : types[rng.Next(types.Length)];
            string quoted = Quote(name);
            if (type.Length > 0 && !type.StartsWith(' ') && (char.IsAsciiLetterOrDigit(quoted[^1]) || rng.Next(2) == 0)) type = " " + type;
            cols.Add(quoted + type + (rng.Next(4) == 0 ? " NOT NULL DEFAULT 0" : ""));
        }
        var cons = new List<string>();
        if (rng.Next(2) == 0) cons.Add("PRIMARY KEY(" + Quote(names[0]) + ")");
        if (rng.Next(3) == 0) cons.Add("CHECK(" + Quote(names[^1]) + " IS NOT 5)");
        if (rng.Next(3) == 0) cons.Add("UNIQUE (" + string.Join(",", names.Select(Quote)) + ")");
        string body = string.Join("," + Sp(), cols) + string.Concat(cons.Select(c => Sp() + "," + Sp() + c));
        string suffix = strict ? Sp() + "STRICT" : "";
        string table = "t" + rng.Next(3);
        sb.Append("CREATE TABLE ").Append(Quote(table)).Append(Sp()).Append('(').Append(Sp()).Append(body).Append(Sp()).Append(')').Append(suffix).Append(";\n");
        sb.Append("CREATE TABLE other(x, y REFERENCES ").Append(Quote(table)).Append('(').Append(Quote(names[0])).Append("));\n");
        if (rng.Next(2) == 0) sb.Append("CREATE INDEX ix ON ").Append(Quote(table)).Append('(').Append(Quote(names[rng.Next(names.Count)])).Append(" DESC);\n");
        if (rng.Next(2) == 0) sb.Append("CREATE VIEW v AS SELECT ").Append(Quote(names[0])).Append(", x FROM ").Append(Quote(table)).Append(", other WHERE ").Append(Quote(names[^1])).Append(" = y;\n");
        if (rng.Next(2) == 0)
            sb.Append("CREATE TRIGGER tr AFTER UPDATE OF ").Append(Quote(names[0])).Append(" ON ").Append(Quote(table))
                .Append(" BEGIN INSERT INTO other(x) VALUES (new.").Append(Quote(names[0])).Append("); END;\n");
        for (int step = rng.Next(1, 5); step > 0; step--)
        {
            switch (rng.Next(3))
            {
                case 0:
                    {
                        string name = NewName();
                        names.Add(name);
                        sb.Append("ALTER TABLE ").Append(Quote(table)).Append(" ADD").Append(rng.Next(2) == 0 ? " COLUMN " : " ").Append(Quote(name)).Append(" ").Append(Sp())
                            .Append(strict ? "TEXT" : types[rng.Next(types.Length)].Trim()).Append(rng.Next(3) == 0 ? " DEFAULT 'x'" : "").Append(Sp()).Append(";\n");
                        break;
                    }
                case 1:
                    {
                        int k = rng.Next(names.Count);
                        string name = NewName();
                        sb.Append("ALTER TABLE ").Append(Quote(table)).Append(" RENAME ").Append(rng.Next(2) == 0 ? "COLUMN " : "").Append(Quote(names[k])).Append(" TO ").Append(Quote(name)).Append(";\n");
                        names[k] = name;
                        break;
                    }
                default:
                    {
                        string name = "t" + (3 + counter++);
                        sb.Append("ALTER TABLE ").Append(Quote(table)).Append(" RENAME TO ").Append(Quote(name)).Append(";\n");
                        table = name;
                        break;
                    }
            }
            sb.Append(Schema).Append(";\n");
        }
        return sb.ToString();
    }
}
