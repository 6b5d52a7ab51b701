// changes() and total_changes() compared with SQLite 3.50.4 after every statement. SQLite
// runs each trigger body and foreign-key action as a sub-program whose changes reach
// total_changes() when it ends, even when the statement that fired it fails later; the
// statement's own count reaches changes() and total_changes() only if the statement keeps
// its work (FAIL keeps it, ABORT and ROLLBACK drop it). The fixed scripts pin the cases;
// the seeded test mixes triggers (nested, WHEN, RAISE), conflict modes, upserts, REPLACE,
// RETURNING and foreign-key actions and checks the counters after each statement.
using System.Text;

namespace Tern.Tests.Engine;

public class ChangeCountDifferentialTests
{
    private const string Counters = "SELECT changes(), total_changes()";

    /// <summary>Puts the counter query after every statement of the script.</summary>
    private static string WithCounters(string script) =>
        string.Join("; ", Differential.Statements(script).SelectMany(s => new[] { s, Counters }));

    public static TheoryData<string> Scripts() => new(
        // a rowid that is not an integer fails before BEFORE triggers run (INSERT and UPDATE)
        "CREATE TABLE t0(c0 INTEGER PRIMARY KEY, c1); CREATE TABLE tlog(k); "
        + "CREATE TRIGGER ti BEFORE INSERT ON t0 BEGIN INSERT INTO tlog VALUES(new.c1); END; "
        + "CREATE TRIGGER tu BEFORE UPDATE ON t0 BEGIN INSERT INTO tlog VALUES(new.c1); END; "
        + "INSERT INTO t0 VALUES('', 1); INSERT INTO t0 VALUES(1.5, 1); INSERT INTO t0 VALUES('7', 2); INSERT INTO t0 SELECT 'x', 3; "
        + "UPDATE t0 SET c0 = NULL; UPDATE t0 SET c0 = 'x'; UPDATE t0 SET c0 = '8'; SELECT * FROM t0; SELECT count(*) FROM tlog; "
        + "INSERT INTO t0 VALUES(8, 4) ON CONFLICT DO UPDATE SET c0 = 'a'; INSERT INTO t0 VALUES(8, 5) ON CONFLICT DO UPDATE SET c0 = c0 || 'u'; "
        + "INSERT INTO t0 VALUES(8, 6) ON CONFLICT DO UPDATE SET c0 = '9'; SELECT * FROM t0; SELECT count(*) FROM tlog",
        // AFTER triggers of rows written before the failing row stay counted
        "CREATE TABLE t(a UNIQUE); CREATE TABLE tlog(k); CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO tlog VALUES(new.a); END; "
        + "INSERT INTO t VALUES(7),(8),(7)",
        // a BEFORE trigger runs before the row's own NOT NULL failure
        "CREATE TABLE t(a NOT NULL); CREATE TABLE tlog(k); CREATE TRIGGER tr BEFORE INSERT ON t BEGIN INSERT INTO tlog VALUES(new.a); END; "
        + "INSERT INTO t VALUES(NULL); INSERT INTO t VALUES(1),(2),(NULL)",
        // conflict modes: FAIL keeps the rows done, ROLLBACK and ABORT do not; inside BEGIN too
        "CREATE TABLE t(a UNIQUE); CREATE TABLE tlog(k); CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO tlog VALUES(new.a); INSERT INTO tlog VALUES(-new.a); END; "
        + "INSERT OR FAIL INTO t VALUES(1),(2),(1); INSERT OR ABORT INTO t VALUES(3),(1); INSERT OR IGNORE INTO t VALUES(1),(4); "
        + "BEGIN; INSERT OR FAIL INTO t VALUES(5),(1); INSERT OR ROLLBACK INTO t VALUES(6),(1); INSERT INTO t VALUES(7)",
        // nested triggers: an inner body that ended counts, the outer one cut short does not
        "CREATE TABLE t(a); CREATE TABLE u(b UNIQUE); CREATE TABLE v(c); "
        + "CREATE TRIGGER tt AFTER INSERT ON t BEGIN INSERT INTO u VALUES(new.a); INSERT INTO u VALUES(new.a + 100); END; "
        + "CREATE TRIGGER tu AFTER INSERT ON u BEGIN INSERT INTO v VALUES(new.b); END; "
        + "INSERT INTO t VALUES(1); INSERT INTO t VALUES(2),(101); INSERT INTO t VALUES(5),(6),(5)",
        // RAISE: IGNORE ends the body normally (its changes so far count), ABORT/FAIL/ROLLBACK do not
        "CREATE TABLE t(a); CREATE TABLE tlog(k); "
        + "CREATE TRIGGER tr BEFORE INSERT ON t BEGIN INSERT INTO tlog VALUES(new.a); SELECT RAISE(IGNORE) WHERE new.a < 0; "
        + "SELECT RAISE(ABORT, 'big') WHERE new.a > 100; SELECT RAISE(FAIL, 'mid') WHERE new.a = 50; INSERT INTO tlog VALUES(new.a * 10); END; "
        + "INSERT INTO t VALUES(1),(-1),(2); INSERT INTO t VALUES(3),(200); INSERT INTO t VALUES(4),(50),(5); BEGIN; INSERT INTO t VALUES(6); "
        + "CREATE TRIGGER tr2 AFTER INSERT ON t WHEN new.a = 7 BEGIN SELECT RAISE(ROLLBACK, 'seven'); END; INSERT INTO t VALUES(8),(7)",
        // RAISE(IGNORE) in a trigger fired from another trigger's body
        "CREATE TABLE t(a); CREATE TABLE u(b); CREATE TABLE tlog(k); "
        + "CREATE TRIGGER tt AFTER INSERT ON t BEGIN INSERT INTO tlog VALUES(1); INSERT INTO u VALUES(new.a); INSERT INTO tlog VALUES(2); END; "
        + "CREATE TRIGGER tu BEFORE INSERT ON u BEGIN INSERT INTO tlog VALUES(3); SELECT RAISE(IGNORE) WHERE new.b > 0; INSERT INTO tlog VALUES(4); END; "
        + "INSERT INTO t VALUES(1),(-1); INSERT INTO t SELECT 5 UNION ALL SELECT -5; SELECT count(*) FROM u",
        // each write step of a body hands its count over when it completes (changes() inside the body sees it)
        "CREATE TABLE t(a); CREATE TABLE u(b); CREATE TABLE tlog(k, c); "
        + "CREATE TRIGGER tt AFTER INSERT ON t BEGIN INSERT INTO tlog VALUES(1, changes()); INSERT INTO tlog SELECT 2, changes() FROM tlog; "
        + "INSERT INTO u VALUES(new.a); INSERT INTO tlog VALUES(3, changes()); END; "
        + "CREATE TRIGGER tu AFTER INSERT ON u BEGIN INSERT INTO tlog VALUES(4, changes()); INSERT INTO tlog VALUES(5, changes()); SELECT RAISE(ABORT, 'x') WHERE new.b > 10; END; "
        + "INSERT INTO t VALUES(1); INSERT INTO t VALUES(20); INSERT INTO t VALUES(2), (3); SELECT k, c FROM tlog ORDER BY rowid",
        // UPDATE and DELETE triggers, and a failure after them
        "CREATE TABLE t(a UNIQUE, b); CREATE TABLE tlog(k); INSERT INTO t VALUES(1,1),(2,2),(3,3); "
        + "CREATE TRIGGER tu AFTER UPDATE ON t BEGIN INSERT INTO tlog VALUES(new.a); END; "
        + "CREATE TRIGGER td BEFORE DELETE ON t BEGIN INSERT INTO tlog VALUES(old.a); SELECT RAISE(ABORT, 'no') WHERE old.b = 3; END; "
        + "UPDATE t SET b = b + 1; UPDATE t SET a = 3 WHERE a = 1; UPDATE OR FAIL t SET a = a + 1 WHERE a < 3; DELETE FROM t WHERE a < 3; DELETE FROM t",
        // upsert DO UPDATE and DO NOTHING, REPLACE removing rows, RETURNING
        "CREATE TABLE t(a PRIMARY KEY, b UNIQUE, n); CREATE TABLE tlog(k); "
        + "CREATE TRIGGER ti AFTER INSERT ON t BEGIN INSERT INTO tlog VALUES('i'); END; CREATE TRIGGER tu AFTER UPDATE ON t BEGIN INSERT INTO tlog VALUES('u'); END; "
        + "CREATE TRIGGER td AFTER DELETE ON t BEGIN INSERT INTO tlog VALUES('d'); END; "
        + "INSERT INTO t VALUES(1,1,0),(2,2,0); INSERT INTO t VALUES(1,9,0) ON CONFLICT(a) DO UPDATE SET n = n + 1; "
        + "INSERT INTO t VALUES(3,1,0),(4,4,0) ON CONFLICT DO NOTHING; REPLACE INTO t VALUES(5,1,0),(2,5,0); "
        + "INSERT INTO t VALUES(6,6,0),(7,7,0) RETURNING a; INSERT INTO t VALUES(8,8,0),(1,1,0) ON CONFLICT(a) DO UPDATE SET b = 2 RETURNING a; "
        + "REPLACE INTO t VALUES(9,6,0); SELECT k, count(*) FROM tlog GROUP BY k ORDER BY k",
        // the firing statement's OR algorithm replaces the OR clauses in the bodies (and the upsert's DO UPDATE fires with ABORT)
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE); CREATE TABLE u(y UNIQUE ON CONFLICT IGNORE, z); CREATE TABLE lg(k); INSERT INTO u VALUES(1, 0), (2, 0); "
        + "CREATE TRIGGER ti AFTER INSERT ON t BEGIN INSERT OR IGNORE INTO u VALUES(new.b, 1); UPDATE OR IGNORE u SET y = new.b + 1 WHERE y = new.b + 100; INSERT INTO lg VALUES(new.b); END; "
        + "CREATE TRIGGER tu AFTER UPDATE ON t BEGIN INSERT OR IGNORE INTO u VALUES(new.b, 2); END; "
        + "INSERT INTO t VALUES(NULL, 1); INSERT OR REPLACE INTO t VALUES(NULL, 1); INSERT OR REPLACE INTO t VALUES(NULL, 2); SELECT * FROM u ORDER BY y; "
        + "INSERT OR FAIL INTO t VALUES(NULL, 7), (NULL, 2); SELECT * FROM u ORDER BY y; UPDATE OR REPLACE t SET b = 1 WHERE b = 7; SELECT * FROM u ORDER BY y; "
        + "INSERT INTO t VALUES(1, 9) ON CONFLICT(a) DO UPDATE SET b = 2; SELECT * FROM u ORDER BY y; SELECT * FROM t ORDER BY a",
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE TABLE u(x, y UNIQUE); CREATE TABLE lg(k, v); INSERT INTO t VALUES(2, 8), (8, 0), (10, 14); "
        + "CREATE TRIGGER tr0 AFTER INSERT ON u BEGIN INSERT INTO lg VALUES('uI', new.y); SELECT RAISE(IGNORE) WHERE new.y % 3 = 0; END; "
        + "INSERT INTO u(x, y) SELECT a, b FROM t WHERE a > 1 RETURNING y; INSERT INTO u(x, y) SELECT a, b + 1 FROM t RETURNING y; INSERT INTO u(x, y) SELECT a, b + 2 FROM t WHERE b > 1 RETURNING y",
        // foreign-key actions are counted like trigger bodies
        "PRAGMA foreign_keys = ON; CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(pid REFERENCES p(id) ON DELETE CASCADE ON UPDATE SET NULL, w NOT NULL ON CONFLICT ABORT); "
        + "CREATE TABLE g(cid REFERENCES c(w) ON DELETE RESTRICT); CREATE UNIQUE INDEX cw ON c(w); "
        + "INSERT INTO p VALUES(1),(2),(3); INSERT INTO c VALUES(1,10),(1,11),(2,20),(3,30); INSERT INTO g VALUES(30); "
        + "DELETE FROM p WHERE id = 1; UPDATE p SET id = 12 WHERE id = 2; DELETE FROM p; UPDATE p SET id = id + 100");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Counters_match_sqlite_after_each_statement_when_triggers_and_actions_run(string script) =>
        Differential.AssertSame(WithCounters(script));

    /// <summary>Seeds to run: <c>TERN_CHANGECOUNT_SEEDS</c>, 60 by default.</summary>
    private static int SeedCount =>
        int.TryParse(Environment.GetEnvironmentVariable("TERN_CHANGECOUNT_SEEDS"), out int n) && n > 0 ? n : 60;

    [Fact]
    public void Counters_match_sqlite_for_random_trigger_and_conflict_scripts() =>
        Differential.AssertSameForSeeds(SeedCount, RandomScript);

    private static readonly string[] Modes = ["", "OR ABORT ", "OR FAIL ", "OR IGNORE ", "OR REPLACE ", "OR ROLLBACK "];

    /// <summary>
    /// Two tables with UNIQUE and NOT NULL constraints, a log, a foreign key with actions, and
    /// a few random triggers; then random writes, each followed by the counters.
    /// </summary>
    private static string RandomScript(Random rng)
    {
        var sb = new StringBuilder();
        bool fk = rng.Next(2) == 0;
        if (fk) sb.Append("PRAGMA foreign_keys = ON; ");
        sb.Append("CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c NOT NULL DEFAULT 0); ");
        string action = rng.Next(2) == 0 ? "CASCADE" : "SET NULL";
        sb.Append(fk ? $"CREATE TABLE u(x REFERENCES t(a) ON DELETE {action} ON UPDATE {action}, y UNIQUE); " : "CREATE TABLE u(x, y UNIQUE); ");
        sb.Append("CREATE TABLE lg(k, v); ");
        string[] tables = ["t", "u"];
        string[] events = ["INSERT", "UPDATE", "DELETE"];
        int triggers = rng.Next(1, 5);
        for (int i = 0; i < triggers; i++)
        {
            // (With foreign keys on, no triggers on the child table: Tern's actions do not fire them yet.)
            string on = fk ? "t" : tables[rng.Next(2)], ev = events[rng.Next(3)];
            string time = rng.Next(2) == 0 ? "BEFORE" : "AFTER";
            string row = ev == "DELETE" ? "old" : "new";
            string col = on == "t" ? "b" : "y";
            var body = new StringBuilder();
            body.Append($"INSERT INTO lg VALUES('{on}{ev[0]}', {row}.{col}); ");
            switch (rng.Next(6))
            {
                case 0: body.Append($"SELECT RAISE(IGNORE) WHERE {row}.{col} % 3 = 0; "); break;
                case 1: body.Append($"SELECT RAISE({(rng.Next(2) == 0 ? "ABORT" : "FAIL")}, 'r') WHERE {row}.{col} % 5 = 0; "); break;
                case 2: body.Append($"INSERT OR IGNORE INTO {(on == "t" ? "u" : "t")}({(on == "t" ? "x, y" : "b, c")}) VALUES({(fk && on == "t" ? "NULL" : $"{row}.{col}")}, {row}.{col}); "); break;
                case 3: body.Append("DELETE FROM lg WHERE rowid % 4 = 0; "); break;
                case 4: body.Append($"UPDATE lg SET v = v + 1 WHERE k = '{on}{ev[0]}'; "); break;
            }
            if (rng.Next(2) == 0) body.Append($"INSERT INTO lg VALUES('end', {row}.{col}); ");
            string when = rng.Next(3) == 0 ? $"WHEN {row}.{col} IS NOT NULL " : "";
            sb.Append($"CREATE TRIGGER tr{i} {time} {ev} ON {on} {when}BEGIN {body}END; ");
        }
        int statements = rng.Next(8, 16);
        for (int i = 0; i < statements; i++)
        {
            string mode = Modes[rng.Next(Modes.Length)];
            int v = rng.Next(12);
            string stmt = rng.Next(9) switch
            {
                0 or 1 => $"INSERT {mode}INTO t(a, b, c) VALUES({Val(rng)}, {Val(rng)}, {Val(rng)}), ({Val(rng)}, {Val(rng)}, {Val(rng)})",
                2 => $"INSERT {mode}INTO u(x, y) VALUES({Parent(rng, fk)}, {Val(rng)}), ({Parent(rng, fk)}, {Val(rng)})",
                3 => $"UPDATE {mode}t SET b = b + {rng.Next(1, 4)}, c = {Val(rng)} WHERE a > {v}",
                4 => $"DELETE FROM t WHERE b % {rng.Next(2, 5)} = 0",
                5 => $"INSERT INTO t(a, b) VALUES({v}, {Val(rng)}) ON CONFLICT{(rng.Next(2) == 0 ? "(a)" : "")} DO UPDATE SET c = c + 1, b = {Val(rng)}",
                6 => $"INSERT {mode}INTO u(x, y) SELECT a, b FROM t WHERE a > {v} RETURNING y",
                7 => $"UPDATE {mode}u SET y = y + 1, x = {Parent(rng, fk)}",
                _ => rng.Next(4) == 0 ? "BEGIN" : rng.Next(2) == 0 ? "COMMIT" : "DELETE FROM u WHERE y + 0 > " + v,
            };
            sb.Append(stmt).Append("; ").Append(Counters).Append("; ");
        }
        sb.Append("SELECT count(*), total(v) FROM lg; SELECT * FROM t ORDER BY a; SELECT * FROM u ORDER BY y, x");
        return sb.ToString();
    }

    /// <summary>A child key: with foreign keys on, mostly one that has a parent, else NULL or any value (maybe without a parent).</summary>
    private static string Parent(Random rng, bool fk) => !fk ? Val(rng) : rng.Next(4) switch { 0 => "NULL", 1 => Val(rng), _ => "(SELECT min(a) FROM t)" };

    private static string Val(Random rng) => rng.Next(10) == 0 ? "NULL" : rng.Next(12).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
