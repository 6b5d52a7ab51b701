// WITHOUT ROWID tables against SQLite 3.50.4: definitions and their errors, every kind of
// write (conflicts, upsert, RETURNING, key changes that move a row), reads through the
// PRIMARY KEY and through secondary indexes, joins, triggers, foreign keys, generated
// columns, partial and expression indexes, ALTER TABLE, PRAGMAs and integrity_check; then
// random schemas (composite, DESC and collated keys) with random writes, whole tables compared.
using System.Text;
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public class WithoutRowidDifferentialTests
{
    private const string Table = """
        CREATE TABLE t(a TEXT COLLATE NOCASE, b INT, c, d REAL, PRIMARY KEY(b DESC, a)) WITHOUT ROWID;
        INSERT INTO t VALUES ('x', 1, 'one', 1), ('y', 2, 'two', 2.5), ('Z', 1, NULL, 3), ('w', 3, x'00ff', 4);
        """;

    [Theory]
    [InlineData("CREATE TABLE u(a, b) WITHOUT ROWID")]
    [InlineData("CREATE TABLE u(a INTEGER PRIMARY KEY AUTOINCREMENT, b) WITHOUT ROWID")]
    [InlineData("CREATE TABLE u(a PRIMARY KEY, b) WITHOUT ROWID; SELECT rowid FROM u")]
    [InlineData("CREATE TABLE u(a PRIMARY KEY, b) WITHOUT ROWID; INSERT INTO u(rowid, a) VALUES (1, 2)")]
    [InlineData("CREATE TABLE u(a PRIMARY KEY, b) WITHOUT ROWID; UPDATE u SET rowid = 1")]
    [InlineData("CREATE TABLE u(a PRIMARY KEY, b CHECK (rowid > 0)) WITHOUT ROWID")]
    [InlineData("CREATE TABLE u(a PRIMARY KEY, b) WITHOUT ROWID; INSERT INTO u VALUES (NULL, 1)")]
    [InlineData("CREATE TABLE u(a INTEGER PRIMARY KEY, b) WITHOUT ROWID; INSERT INTO u VALUES ('1', 1), (2.0, 2); INSERT INTO u(b) VALUES (3); SELECT a, typeof(a), b FROM u; SELECT last_insert_rowid()")]
    [InlineData("CREATE TABLE u(a INT PRIMARY KEY, b TEXT) WITHOUT ROWID, STRICT; INSERT INTO u VALUES (1, 'x'); INSERT INTO u VALUES ('x', 'y'); SELECT * FROM u")]
    [InlineData("CREATE TABLE u(a, b, PRIMARY KEY(a, a, b)) WITHOUT ROWID; INSERT INTO u VALUES (1, 2), (1, 3); INSERT INTO u VALUES (1, 2); SELECT * FROM u")]
    public void Definitions_and_their_errors_match(string script) => Differential.AssertSame(script);

    [Theory]
    [InlineData("SELECT * FROM t")]
    [InlineData("SELECT * FROM t WHERE b = 1")]
    [InlineData("SELECT * FROM t WHERE b = 1 AND a = 'X'")]
    [InlineData("SELECT a, b FROM t WHERE b > 1 ORDER BY a")]
    [InlineData("SELECT * FROM t WHERE b BETWEEN 1 AND 2 ORDER BY b, a")]
    [InlineData("SELECT * FROM t WHERE a = 'z'")]
    [InlineData("SELECT count(*), sum(b), group_concat(a) FROM t")]
    [InlineData("SELECT b, count(*) FROM t GROUP BY b ORDER BY 1")]
    [InlineData("SELECT x.a, y.a FROM t x JOIN t y ON x.b = y.b AND x.a < y.a ORDER BY 1, 2")]
    [InlineData("SELECT * FROM t ORDER BY d DESC LIMIT 2")]
    [InlineData("SELECT typeof(d), d FROM t ORDER BY b, a")]
    public void Reads_match(string query) => Differential.AssertSame(Table + query);

    [Theory]
    [InlineData("INSERT INTO t VALUES ('X', 1, 'dup', 0)")]
    [InlineData("INSERT OR IGNORE INTO t VALUES ('X', 1, 'dup', 0); SELECT * FROM t")]
    [InlineData("INSERT OR REPLACE INTO t VALUES ('X', 1, 'dup', 0); SELECT * FROM t")]
    [InlineData("INSERT INTO t VALUES ('X', 1, 'dup', 0) ON CONFLICT(a, b) DO UPDATE SET c = excluded.c || c; SELECT * FROM t")]
    [InlineData("INSERT INTO t VALUES ('X', 1, 'dup', 0) ON CONFLICT DO NOTHING; SELECT * FROM t")]
    [InlineData("INSERT INTO t VALUES ('v', 5, 'five', 5) RETURNING *; SELECT * FROM t")]
    [InlineData("INSERT INTO t SELECT a || a, b + 10, c, d FROM t; SELECT * FROM t")]
    [InlineData("INSERT INTO t SELECT a, b, c, d FROM t")]
    [InlineData("INSERT INTO t(a, c) VALUES ('q', 1)")]
    [InlineData("UPDATE t SET c = 'changed' WHERE b = 1; SELECT * FROM t")]
    [InlineData("UPDATE t SET b = b + 10 WHERE a <> 'y'; SELECT * FROM t")]
    [InlineData("UPDATE t SET a = upper(a); SELECT * FROM t")]
    [InlineData("UPDATE t SET b = 1 WHERE a = 'x'; SELECT * FROM t")]
    [InlineData("UPDATE t SET b = 2, a = 'Y' WHERE a = 'x'")]
    [InlineData("UPDATE OR REPLACE t SET b = 2, a = 'Y' WHERE a = 'x'; SELECT * FROM t")]
    [InlineData("UPDATE OR IGNORE t SET b = 1; SELECT * FROM t")]
    [InlineData("UPDATE t SET d = d * 2 WHERE b = 1 RETURNING a, d; SELECT changes()")]
    [InlineData("DELETE FROM t WHERE b = 1; SELECT * FROM t; SELECT changes()")]
    [InlineData("DELETE FROM t WHERE c IS NULL RETURNING a; SELECT * FROM t")]
    [InlineData("DELETE FROM t; SELECT count(*) FROM t")]
    [InlineData("UPDATE t SET c = b ORDER BY a LIMIT 2; SELECT * FROM t")]
    public void Writes_match(string script) => Differential.AssertSame(Table + script);

    [Theory]
    [InlineData("CREATE INDEX tc ON t(c); SELECT a FROM t WHERE c = 'two'; UPDATE t SET b = 9 WHERE a = 'y'; SELECT * FROM t WHERE c = 'two'; DELETE FROM t WHERE c = 'one'; SELECT * FROM t ORDER BY c; PRAGMA integrity_check")]
    [InlineData("CREATE UNIQUE INDEX tc ON t(c); INSERT INTO t VALUES ('n', 7, 'one', 0)")]
    [InlineData("CREATE UNIQUE INDEX tc ON t(c); INSERT OR REPLACE INTO t VALUES ('n', 7, 'one', 0); SELECT * FROM t; PRAGMA integrity_check")]
    [InlineData("CREATE UNIQUE INDEX tc ON t(c); INSERT INTO t VALUES ('n', 7, 'one', 0) ON CONFLICT(c) DO UPDATE SET d = 99; SELECT * FROM t; PRAGMA integrity_check")]
    [InlineData("CREATE INDEX ta ON t(a, c); UPDATE t SET a = a || '!' WHERE b = 1; SELECT a, c FROM t WHERE a > 'x' ORDER BY a; PRAGMA integrity_check")]
    [InlineData("CREATE INDEX td ON t(d) WHERE d > 2; INSERT INTO t VALUES ('p', 8, 'p', 9); UPDATE t SET d = 1 WHERE a = 'w'; SELECT a FROM t WHERE d > 2 ORDER BY a; PRAGMA integrity_check")]
    [InlineData("CREATE INDEX te ON t(lower(a) || c); INSERT INTO t VALUES ('p', 8, 'p', 9); SELECT a FROM t WHERE lower(a) || c = 'xone'; PRAGMA integrity_check")]
    public void Secondary_indexes_match(string script) => Differential.AssertSame(Table + script);

    [Theory]
    [InlineData("CREATE TABLE log(x); CREATE TRIGGER tr AFTER UPDATE ON t BEGIN INSERT INTO log VALUES (old.a || '>' || new.a || ':' || old.b || '>' || new.b); END; UPDATE t SET a = a || '2', b = b + 1 WHERE b = 1; SELECT * FROM log ORDER BY x")]
    [InlineData("CREATE TABLE log(x); CREATE TRIGGER tr BEFORE DELETE ON t BEGIN INSERT INTO log VALUES (old.a || old.c); END; DELETE FROM t WHERE b < 3; SELECT * FROM log ORDER BY x")]
    [InlineData("CREATE TABLE log(x); CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.a); UPDATE t SET c = 'trig' WHERE a = new.a; END; INSERT INTO t VALUES ('k', 4, 0, 0); SELECT * FROM log; SELECT * FROM t")]
    public void Triggers_match(string script) => Differential.AssertSame(Table + script);

    [Theory]
    [InlineData("PRAGMA foreign_keys = ON; CREATE TABLE p(k TEXT PRIMARY KEY, v) WITHOUT ROWID; CREATE TABLE c(id INTEGER PRIMARY KEY, k REFERENCES p ON DELETE CASCADE); INSERT INTO p VALUES ('a', 1), ('b', 2); INSERT INTO c(k) VALUES ('a'), ('b'); INSERT INTO c(k) VALUES ('z')")]
    [InlineData("PRAGMA foreign_keys = ON; CREATE TABLE p(k TEXT PRIMARY KEY, v) WITHOUT ROWID; CREATE TABLE c(id INTEGER PRIMARY KEY, k REFERENCES p ON DELETE CASCADE); INSERT INTO p VALUES ('a', 1), ('b', 2); INSERT INTO c(k) VALUES ('a'), ('b'); DELETE FROM p WHERE k = 'a'; SELECT * FROM c")]
    [InlineData("PRAGMA foreign_keys = ON; CREATE TABLE p(k INTEGER PRIMARY KEY, v); CREATE TABLE c(k REFERENCES p, n, PRIMARY KEY(n)) WITHOUT ROWID; INSERT INTO p VALUES (1, 1); INSERT INTO c VALUES (1, 'x'); INSERT INTO c VALUES (2, 'y')")]
    [InlineData("PRAGMA foreign_keys = ON; CREATE TABLE p(k INTEGER PRIMARY KEY, v); CREATE TABLE c(k REFERENCES p ON UPDATE CASCADE, n, PRIMARY KEY(n)) WITHOUT ROWID; INSERT INTO p VALUES (1, 1); INSERT INTO c VALUES (1, 'x'); UPDATE p SET k = 5; SELECT * FROM c; DELETE FROM p")]
    public void Foreign_keys_match(string script) => Differential.AssertSame(script);

    [Theory]
    [InlineData("CREATE TABLE g(a PRIMARY KEY, b, c AS (b * 2), d AS (a || b) STORED) WITHOUT ROWID; INSERT INTO g(a, b) VALUES (1, 2), (2, 3); UPDATE g SET b = 10 WHERE a = 1; SELECT * FROM g; CREATE INDEX gc ON g(c); SELECT a FROM g WHERE c = 6; PRAGMA integrity_check")]
    [InlineData("CREATE TABLE g(a, b CHECK (b > 0), c NOT NULL, PRIMARY KEY(a)) WITHOUT ROWID; INSERT INTO g VALUES (1, 1, 1); INSERT INTO g VALUES (2, 0, 1)")]
    [InlineData("CREATE TABLE g(a, b CHECK (b > 0), c NOT NULL, PRIMARY KEY(a)) WITHOUT ROWID; INSERT INTO g VALUES (1, 1, NULL)")]
    [InlineData("CREATE TABLE g(a, b UNIQUE, PRIMARY KEY(a)) WITHOUT ROWID; INSERT INTO g VALUES (1, 1), (2, 2); INSERT INTO g VALUES (3, 1)")]
    [InlineData("CREATE TABLE g(a, b UNIQUE, PRIMARY KEY(a)) WITHOUT ROWID; INSERT INTO g VALUES (1, 1), (2, 2); UPDATE g SET b = 1 WHERE a = 2")]
    [InlineData("CREATE TABLE g(a PRIMARY KEY, b UNIQUE) WITHOUT ROWID; INSERT INTO g VALUES (1, 1); INSERT INTO g VALUES (1, 1)")]
    [InlineData("CREATE TABLE g(a INTEGER PRIMARY KEY, b UNIQUE) WITHOUT ROWID; INSERT INTO g VALUES (1, 1); INSERT INTO g VALUES (1, 1)")]
    [InlineData("CREATE TABLE g(a PRIMARY KEY, b UNIQUE) WITHOUT ROWID; CREATE UNIQUE INDEX gx ON g(b); INSERT INTO g VALUES (1, 1); INSERT INTO g VALUES (1, 1)")]
    [InlineData("CREATE TABLE g(a PRIMARY KEY, b UNIQUE, c) WITHOUT ROWID; INSERT INTO g VALUES (1, 1, 1), (2, 2, 2); INSERT OR REPLACE INTO g VALUES (1, 2, 3); SELECT * FROM g")]
    [InlineData("CREATE TABLE g(a PRIMARY KEY ON CONFLICT REPLACE, b UNIQUE, c) WITHOUT ROWID; INSERT INTO g VALUES (1, 1, 1), (2, 2, 2); INSERT INTO g VALUES (1, 2, 3); SELECT * FROM g")]
    [InlineData("CREATE TABLE g(a PRIMARY KEY, b UNIQUE ON CONFLICT REPLACE, c UNIQUE) WITHOUT ROWID; INSERT INTO g VALUES (1, 1, 1), (2, 2, 2); INSERT INTO g VALUES (1, 2, 2); SELECT * FROM g")]
    [InlineData("CREATE TABLE g(a UNIQUE, b PRIMARY KEY, c UNIQUE) WITHOUT ROWID; PRAGMA index_list(g); INSERT INTO g VALUES (1, 1, 1); INSERT INTO g VALUES (1, 1, 1)")]
    public void Constraints_and_generated_columns_match(string script) => Differential.AssertSame(script);

    [Theory]
    [InlineData("ALTER TABLE t ADD COLUMN e DEFAULT 5; SELECT * FROM t; INSERT INTO t VALUES ('n', 0, 0, 0, 6); SELECT * FROM t WHERE e = 6")]
    [InlineData("ALTER TABLE t RENAME COLUMN c TO cc; SELECT cc FROM t ORDER BY cc")]
    [InlineData("ALTER TABLE t RENAME TO t2; SELECT * FROM t2; SELECT name FROM sqlite_schema")]
    [InlineData("ALTER TABLE t DROP COLUMN c; SELECT * FROM t; PRAGMA integrity_check")]
    [InlineData("ALTER TABLE t DROP COLUMN a")]
    [InlineData("DROP TABLE t; SELECT count(*) FROM sqlite_schema")]
    [InlineData("CREATE INDEX tc ON t(c); DROP TABLE t; SELECT count(*) FROM sqlite_schema")]
    public void Alter_and_drop_match(string script) => Differential.AssertSame(Table + script);

    [Theory]
    [InlineData("PRAGMA table_info(t)")]
    [InlineData("PRAGMA table_xinfo(t)")]
    [InlineData("PRAGMA index_list(t)")]
    [InlineData("PRAGMA index_info(sqlite_autoindex_t_1)")]
    [InlineData("PRAGMA index_xinfo(sqlite_autoindex_t_1)")]
    [InlineData("CREATE INDEX tc ON t(c, a); PRAGMA index_xinfo(tc); PRAGMA index_info(tc); PRAGMA index_list(t)")]
    [InlineData("CREATE TABLE u(a INTEGER PRIMARY KEY, b UNIQUE) WITHOUT ROWID; PRAGMA index_list(u)")]
    [InlineData("PRAGMA table_list(t)")]
    [InlineData("PRAGMA integrity_check")]
    [InlineData("SELECT type, name, tbl_name, rootpage FROM sqlite_schema")]
    [InlineData("SELECT * FROM t INDEXED BY sqlite_autoindex_t_1 WHERE b = 1")]
    [InlineData("DROP INDEX sqlite_autoindex_t_1")]
    public void Pragmas_match(string script) => Differential.AssertSame(Table + script);

    private const string Keyed = """
        CREATE TABLE k(a INT, b TEXT COLLATE NOCASE, c, PRIMARY KEY(a, b)) WITHOUT ROWID;
        INSERT INTO k VALUES (1, 'a', 1), (1, 'B', 2), (2, 'c', 3), (3, 'd', 4), (-1, 'e', 5);
        CREATE INDEX kc ON k(c);
        """;

    [Theory]
    [InlineData("SELECT * FROM k WHERE a = 1")]
    [InlineData("SELECT * FROM k WHERE a = '1'")]
    [InlineData("SELECT * FROM k WHERE a > 1")]
    [InlineData("SELECT a, b FROM k")]
    [InlineData("SELECT * FROM k")]
    public void Seeks_and_query_plans_match(string query)
    {
        Differential.AssertSame(Keyed + query);
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute(Keyed);
        using var sqlite = SqliteOracle.Open(":memory:");
        SqliteOracle.Execute(sqlite, Keyed);
        using var cmd = sqlite.CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN " + query;
        var expected = new List<string>();
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) expected.Add(r.GetString(3));
        }
        Assert.Equal(expected, Differential.Plan(c, query));
    }

    [Theory]
    [InlineData("SELECT * FROM k WHERE a >= 1 AND a < 3")]
    [InlineData("SELECT * FROM k WHERE a = 1 AND b = 'b'")]
    [InlineData("SELECT * FROM k WHERE b = 'B'")]
    [InlineData("SELECT * FROM k WHERE c = 3")]
    [InlineData("SELECT * FROM k WHERE c > 2 ORDER BY c")]
    [InlineData("SELECT * FROM k x JOIN k y ON y.a = x.c ORDER BY 1, 2, 4, 5")]
    [InlineData("SELECT * FROM k WHERE a IN (1, 3) ORDER BY 1, 2")]
    [InlineData("SELECT (SELECT count(*) FROM k y WHERE y.a = x.a) FROM k x ORDER BY 1")]
    public void Seeks_match(string query) => Differential.AssertSame(Keyed + query);

    /// <summary>Random WITHOUT ROWID tables (composite, DESC and collated keys, an index) under random writes: the whole table compared after each.</summary>
    [Fact]
    public void Random_schemas_and_writes_match() => Differential.AssertSameForSeeds(60, RandomScript);

    private static string RandomScript(Random rng)
    {
        string[] types = ["INT", "TEXT", "REAL", "", "BLOB"];
        string[] colls = ["", " COLLATE NOCASE", " COLLATE RTRIM"];
        int ncol = rng.Next(2, 5);
        var sb = new StringBuilder("CREATE TABLE r(");
        for (int i = 0; i < ncol; i++) sb.Append($"c{i} {types[rng.Next(types.Length)]}{colls[rng.Next(colls.Length)]}, ");
        int npk = rng.Next(1, Math.Min(3, ncol) + 1);
        var pk = Enumerable.Range(0, ncol).OrderBy(_ => rng.Next()).Take(npk).ToList();
        sb.Append("PRIMARY KEY(").Append(string.Join(", ", pk.Select(c => $"c{c}{(rng.Next(3) == 0 ? " DESC" : "")}{(rng.Next(4) == 0 ? " COLLATE NOCASE" : "")}"))).Append(")) WITHOUT ROWID;\n");
        if (rng.Next(2) == 0) sb.Append($"CREATE {(rng.Next(3) == 0 ? "UNIQUE " : "")}INDEX ri ON r(c{rng.Next(ncol)}{(rng.Next(2) == 0 ? " DESC" : "")});\n");
        string Val() => rng.Next(7) switch
        {
            0 => "NULL",
            1 => rng.Next(-3, 6).ToString(System.Globalization.CultureInfo.InvariantCulture),
            2 => (rng.Next(-30, 60) / 4.0).ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture),
            3 => $"'{"aAbB"[rng.Next(4)]}{(rng.Next(2) == 0 ? " " : "")}'",
            4 => $"x'{rng.Next(3):x2}'",
            5 => $"'{rng.Next(5)}'",
            _ => $"{rng.Next(4)}",
        };
        string Col() => $"c{rng.Next(ncol)}";
        string[] verbs = ["INSERT", "INSERT OR IGNORE", "INSERT OR REPLACE", "REPLACE"];
        for (int s = 0; s < 25; s++)
        {
            switch (rng.Next(6))
            {
                case 0:
                case 1:
                case 2:
                    sb.Append($"{verbs[rng.Next(verbs.Length)]} INTO r VALUES ({string.Join(", ", Enumerable.Range(0, ncol).Select(_ => Val()))});\n");
                    break;
                case 3:
                    sb.Append($"UPDATE {(rng.Next(3) == 0 ? "OR REPLACE " : "")}r SET {Col()} = {Val()} WHERE {Col()} {(rng.Next(2) == 0 ? "=" : "<")} {Val()};\n");
                    break;
                case 4:
                    sb.Append($"DELETE FROM r WHERE {Col()} {(rng.Next(2) == 0 ? "=" : ">")} {Val()};\n");
                    break;
                default:
                    sb.Append($"SELECT * FROM r WHERE {Col()} = {Val()};\n");
                    break;
            }
            if (s % 5 == 4) sb.Append("SELECT * FROM r;\n");
        }
        sb.Append("SELECT * FROM r; PRAGMA integrity_check;\n");
        return sb.ToString();
    }
}
