// Recursion through triggers and foreign-key actions. PRAGMA recursive_triggers, compared
// with SQLite 3.50.4 where Tern does what SQLite does:
// with it on, a row that INSERT OR REPLACE / UPDATE OR REPLACE removes fires the table's
// DELETE triggers (with REPLACE as their OR algorithm), RAISE(IGNORE) in them keeps the row,
// and uniqueness is checked again afterwards; triggers fire themselves. Trigger bodies and
// foreign-key actions are compiled inline to a fixed depth: recursion within it matches
// SQLite, deeper recursion fails the statement (which then changes nothing) — SQLite goes
// to 1,000 levels.
namespace Tern.Tests.Engine;

public class RecursionTests
{
    private const string Log = "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c); CREATE TABLE lg(k, v); "
        + "CREATE TRIGGER bd BEFORE DELETE ON t BEGIN INSERT INTO lg VALUES ('bd', old.a || ':' || old.b || ':' || old.c); END; "
        + "CREATE TRIGGER ad AFTER DELETE ON t BEGIN INSERT INTO lg VALUES ('ad', old.a); END; "
        + "CREATE TRIGGER ai AFTER INSERT ON t BEGIN INSERT INTO lg VALUES ('ai', new.a); END; "
        + "INSERT INTO t VALUES (1, 1, 'x'), (2, 2, 'y'); ";

    public static TheoryData<string> Scripts() => new(
        // off (the default): REPLACE removes rows without their DELETE triggers
        Log + "INSERT OR REPLACE INTO t VALUES (1, 2, 'z'); SELECT changes(); SELECT * FROM t; SELECT * FROM lg",
        // on: both rows in the way fire BEFORE and AFTER DELETE, in the order they are found
        "PRAGMA recursive_triggers = 1; " + Log + "INSERT OR REPLACE INTO t VALUES (1, 2, 'z'); SELECT changes(), total_changes(); SELECT * FROM t; SELECT * FROM lg",
        "PRAGMA recursive_triggers = 1; " + Log + "REPLACE INTO t VALUES (3, 1, 'w'); UPDATE OR REPLACE t SET b = 2 WHERE a = 3; SELECT * FROM t; SELECT * FROM lg",
        // a constraint's own ON CONFLICT REPLACE too
        "PRAGMA recursive_triggers = 1; CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE ON CONFLICT REPLACE); CREATE TABLE lg(v); "
        + "CREATE TRIGGER ad AFTER DELETE ON t BEGIN INSERT INTO lg VALUES (old.a); END; INSERT INTO t VALUES (1, 1), (2, 2); INSERT INTO t VALUES (3, 1); SELECT * FROM t; SELECT * FROM lg",
        // RAISE(IGNORE) keeps the row, and the uniqueness recheck then fails the statement
        "PRAGMA recursive_triggers = 1; CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c); "
        + "CREATE TRIGGER bd BEFORE DELETE ON t WHEN old.c = 'x' BEGIN SELECT RAISE(IGNORE); END; "
        + "INSERT INTO t VALUES (1, 1, 'x'), (2, 2, 'y'); INSERT OR REPLACE INTO t VALUES (1, 5, 'z'); SELECT * FROM t; "
        + "INSERT OR REPLACE INTO t VALUES (3, 1, 'w'); SELECT * FROM t; INSERT OR REPLACE INTO t VALUES (3, 2, 'w'); SELECT * FROM t",
        // triggers that do not fire themselves run as usual with the pragma on
        "PRAGMA recursive_triggers = 1; CREATE TABLE t(a); CREATE TABLE u(b); CREATE TRIGGER ti AFTER INSERT ON t BEGIN INSERT INTO u VALUES (new.a * 2); END; "
        + "INSERT INTO t VALUES (1), (2); SELECT * FROM u",
        // foreign keys: the removed parent's children see it go
        "PRAGMA recursive_triggers = 1; PRAGMA foreign_keys = 1; CREATE TABLE p(id INTEGER PRIMARY KEY, k UNIQUE); CREATE TABLE c(pid REFERENCES p ON DELETE CASCADE); CREATE TABLE lg(v); "
        + "CREATE TRIGGER pd AFTER DELETE ON p BEGIN INSERT INTO lg VALUES (old.id); END; INSERT INTO p VALUES (1, 'a'), (2, 'b'); INSERT INTO c VALUES (1), (2); "
        + "INSERT OR REPLACE INTO p VALUES (3, 'a'); SELECT * FROM p; SELECT * FROM c; SELECT * FROM lg");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Replace_fires_delete_triggers_only_with_recursive_triggers_on(string script) =>
        Differential.AssertSame(script);

    public static TheoryData<string> RecursiveScripts() => new(
        "CREATE TABLE t(n INTEGER); CREATE TRIGGER tr AFTER INSERT ON t WHEN new.n < 5 BEGIN INSERT INTO t VALUES (new.n + 1); END; INSERT INTO t VALUES (0); SELECT * FROM t",
        "CREATE TABLE t(n INTEGER); INSERT INTO t VALUES (0), (1), (2), (3); CREATE TRIGGER tr BEFORE DELETE ON t BEGIN DELETE FROM t WHERE n = old.n + 1; END; DELETE FROM t WHERE n = 0; SELECT * FROM t",
        "CREATE TABLE t(n INTEGER, m); INSERT INTO t VALUES (5, 0), (15, 0); CREATE TRIGGER tr AFTER UPDATE OF n ON t BEGIN UPDATE t SET n = n + 1, m = m + 1 WHERE n = new.n + 10; END; UPDATE t SET n = 4 WHERE n = 5; SELECT * FROM t",
        // a tree deleted through a recursive AFTER DELETE trigger
        "CREATE TABLE node(id INTEGER PRIMARY KEY, parent); INSERT INTO node VALUES (1, NULL), (2, 1), (3, 1), (4, 2), (5, 4), (6, 5), (7, 3); "
        + "CREATE TRIGGER d AFTER DELETE ON node BEGIN DELETE FROM node WHERE parent = old.id; END; DELETE FROM node WHERE id = 2; SELECT * FROM node; SELECT changes(), total_changes()",
        // two triggers firing each other
        "CREATE TABLE a(x); CREATE TABLE b(y); CREATE TRIGGER ta AFTER INSERT ON a WHEN new.x < 6 BEGIN INSERT INTO b VALUES (new.x + 1); END; "
        + "CREATE TRIGGER tb AFTER INSERT ON b BEGIN INSERT INTO a VALUES (new.y + 1); END; INSERT INTO a VALUES (0); SELECT * FROM a; SELECT * FROM b",
        // REPLACE inside a DELETE trigger that REPLACE fired, and the recheck afterwards
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c); CREATE TABLE u(x); "
        + "CREATE TRIGGER ad AFTER DELETE ON t BEGIN INSERT INTO u VALUES (old.b); END; "
        + "CREATE TRIGGER au AFTER INSERT ON u WHEN new.x = 1 BEGIN INSERT INTO t VALUES (9, 7, 'back'); END; "
        + "INSERT INTO t VALUES (1, 1, 'x'); INSERT OR REPLACE INTO t VALUES (2, 1, 'y'); SELECT * FROM t; SELECT * FROM u; "
        + "INSERT OR REPLACE INTO t VALUES (3, 7, 'z'); SELECT * FROM t",
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c); CREATE TABLE u(x); "
        + "CREATE TRIGGER ad AFTER DELETE ON t BEGIN INSERT INTO u VALUES (old.b); END; "
        + "CREATE TRIGGER au AFTER INSERT ON u BEGIN INSERT INTO t VALUES (NULL, 50, 'back'); END; "
        + "INSERT INTO t VALUES (1, 1, 'x'); INSERT OR REPLACE INTO t VALUES (2, 1, 'y'); SELECT * FROM t; INSERT OR REPLACE INTO t VALUES (4, 50, 'z'); SELECT * FROM t; SELECT * FROM u");

    [Theory]
    [MemberData(nameof(RecursiveScripts))]
    public void Triggers_fire_themselves_as_in_sqlite_with_recursive_triggers_on(string script)
    {
        Differential.AssertSame("PRAGMA recursive_triggers = 1; " + script);
        Differential.AssertSame(script);
    }

    [Fact]
    public void Recursion_deeper_than_the_inline_depth_fails_and_changes_nothing()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("PRAGMA recursive_triggers = 1; CREATE TABLE t(n INTEGER); CREATE TRIGGER tr AFTER INSERT ON t WHEN new.n < 100 BEGIN INSERT INTO t VALUES (new.n + 1); END");
        var e = Assert.Throws<TernException>(() => c.Execute("INSERT INTO t VALUES (0)"));
        Assert.Equal(ResultCode.Error, e.Code);
        Assert.Contains("trigger tr fires itself more than 16 levels deep, which is not supported yet", e.Message);
        c.Execute("INSERT INTO t VALUES (90)");
        using Statement count = c.Prepare("SELECT count(*), max(n) FROM t");
        Assert.True(count.Step());
        Assert.Equal(11L, count.GetInt64(0));
        Assert.Equal(100L, count.GetInt64(1));
    }

    public static TheoryData<string> ActionTriggerScripts() => new(
        "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(pid REFERENCES p ON DELETE CASCADE, v); CREATE TABLE lg(k, v); "
        + "CREATE TRIGGER bd BEFORE DELETE ON c BEGIN INSERT INTO lg VALUES ('bd', old.v); END; CREATE TRIGGER ad AFTER DELETE ON c BEGIN INSERT INTO lg VALUES ('ad', old.v); END; "
        + "INSERT INTO p VALUES (1), (2); INSERT INTO c VALUES (1, 'a'), (2, 'b'), (1, 'c'); DELETE FROM p WHERE id = 1; SELECT * FROM c; SELECT * FROM lg; SELECT changes(), total_changes()",
        "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(pid REFERENCES p ON DELETE SET NULL ON UPDATE CASCADE, v, w); CREATE TABLE lg(k, v); "
        + "CREATE TRIGGER bu BEFORE UPDATE ON c BEGIN INSERT INTO lg VALUES ('bu', old.pid || '>' || quote(new.pid)); END; "
        + "CREATE TRIGGER au AFTER UPDATE OF pid ON c BEGIN INSERT INTO lg VALUES ('au', new.v); END; CREATE TRIGGER aw AFTER UPDATE OF w ON c BEGIN INSERT INTO lg VALUES ('aw', new.v); END; "
        + "INSERT INTO p VALUES (1), (2); INSERT INTO c VALUES (1, 'a', 0), (2, 'b', 0); UPDATE p SET id = 5 WHERE id = 2; DELETE FROM p WHERE id = 1; SELECT * FROM c; SELECT * FROM lg",
        // cascades through three tables, on update and on delete
        "CREATE TABLE a(id INTEGER PRIMARY KEY); CREATE TABLE b(id INTEGER PRIMARY KEY, aid UNIQUE REFERENCES a ON UPDATE CASCADE ON DELETE CASCADE); "
        + "CREATE TABLE c(bid REFERENCES b(aid) ON UPDATE CASCADE ON DELETE CASCADE, v); INSERT INTO a VALUES (1), (2); INSERT INTO b VALUES (10, 1), (20, 2); "
        + "INSERT INTO c VALUES (1, 'x'), (2, 'y'); UPDATE a SET id = 7 WHERE id = 1; SELECT * FROM b; SELECT * FROM c; DELETE FROM a WHERE id = 2; SELECT * FROM b; SELECT * FROM c; PRAGMA foreign_key_check",
        // RAISE(IGNORE) in the child's trigger keeps the child, which then fails the check
        "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(pid REFERENCES p ON DELETE CASCADE, v); "
        + "CREATE TRIGGER bd BEFORE DELETE ON c WHEN old.v = 'keep' BEGIN SELECT RAISE(IGNORE); END; "
        + "INSERT INTO p VALUES (1), (2); INSERT INTO c VALUES (1, 'keep'), (2, 'go'); DELETE FROM p WHERE id = 1; DELETE FROM p WHERE id = 2; SELECT * FROM p; SELECT * FROM c");

    [Theory]
    [MemberData(nameof(ActionTriggerScripts))]
    public void Foreign_key_actions_fire_the_child_tables_triggers(string script) =>
        Differential.AssertSame("PRAGMA foreign_keys = 1; " + script);

    private static string Chain(int rows, string action) => $"""
        PRAGMA foreign_keys = 1;
        CREATE TABLE n(id INTEGER PRIMARY KEY, p REFERENCES n(id) ON DELETE {action}, q);
        WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {rows}) INSERT INTO n SELECT i, nullif(i - 1, 0), i FROM c;
        """;

    [Theory]
    [InlineData(15, "CASCADE")]
    [InlineData(21, "CASCADE")]
    [InlineData(60, "SET NULL")]
    [InlineData(60, "RESTRICT")]
    public void Foreign_key_action_chains_within_the_inline_depth_match_sqlite(int rows, string action) =>
        Differential.AssertSame(Chain(rows, action) + "DELETE FROM n WHERE id = 1; SELECT count(*), sum(p IS NULL) FROM n; PRAGMA foreign_key_check");

    [Fact]
    public void A_cascade_deeper_than_the_inline_depth_fails_and_changes_nothing()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute(Chain(40, "CASCADE"));
        var e = Assert.Throws<TernException>(() => c.Execute("DELETE FROM n WHERE id = 1"));
        Assert.Equal(ResultCode.Error, e.Code);
        Assert.Contains("foreign key actions nested more than 20 levels deep are not supported yet", e.Message);
        using Statement count = c.Prepare("SELECT count(*) FROM n");
        Assert.True(count.Step());
        Assert.Equal(40L, count.GetInt64(0));
        // A delete near the end of the chain is shallow enough.
        c.Execute("DELETE FROM n WHERE id = 30");
        count.Reset();
        Assert.True(count.Step());
        Assert.Equal(29L, count.GetInt64(0));
    }

    private const string TwoParentsSchema = "PRAGMA foreign_keys = 1; "
        + "CREATE TABLE t(id INTEGER PRIMARY KEY, p1 REFERENCES t(id) ON DELETE CASCADE, p2 REFERENCES t(id) ON DELETE CASCADE); ";

    /// <summary>Rows 1..n, each the child of the one and of the two before it.</summary>
    private static string TwoParents(int rows) => TwoParentsSchema
        + $"WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {rows}) "
        + "INSERT INTO t SELECT i, nullif(i - 1, 0), CASE WHEN i > 2 THEN i - 2 END FROM c; ";

    /// <summary>
    /// Two self-referencing cascades double the inlined actions at every level: the statement
    /// is compiled with fewer levels instead of growing without bound, and still matches
    /// SQLite where the rows need no more than those levels.
    /// </summary>
    [Theory]
    [InlineData("INSERT INTO t VALUES (1, NULL, NULL), (2, 1, NULL), (3, NULL, 1), (4, 2, 3); DELETE FROM t WHERE id = 1; SELECT count(*) FROM t")]
    [InlineData("DELETE FROM t WHERE id = 1; SELECT count(*) FROM t")]
    public void Two_self_referencing_cascades_compile_to_a_bounded_program(string body) =>
        Differential.AssertSame((body.StartsWith("INSERT", StringComparison.Ordinal) ? TwoParentsSchema : TwoParents(6)) + body);

    [Fact]
    public void Two_self_referencing_cascades_deeper_than_the_cut_fail_and_change_nothing()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute(TwoParents(30));
        var e = Assert.Throws<TernException>(() => c.Execute("DELETE FROM t WHERE id = 1"));
        Assert.Equal(ResultCode.Error, e.Code);
        Assert.Matches("foreign key actions nested more than [0-9]+ levels deep are not supported yet", e.Message);
        using Statement count = c.Prepare("SELECT count(*) FROM t");
        Assert.True(count.Step());
        Assert.Equal(30L, count.GetInt64(0));
    }
}
