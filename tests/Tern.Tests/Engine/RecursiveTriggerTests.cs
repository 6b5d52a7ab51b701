// PRAGMA recursive_triggers, compared with SQLite 3.50.4 where Tern does what SQLite does:
// with it on, a row that INSERT OR REPLACE / UPDATE OR REPLACE removes fires the table's
// DELETE triggers (with REPLACE as their OR algorithm), RAISE(IGNORE) in them keeps the row,
// and uniqueness is checked again afterwards. Trigger bodies are compiled inline, so a
// trigger firing itself cannot run: with the pragma on, such a statement fails when it is
// prepared instead of running with the recursion left out.
namespace Tern.Tests.Engine;

public class RecursiveTriggerTests
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

    [Theory]
    [InlineData("CREATE TRIGGER tr AFTER INSERT ON t WHEN new.n < 3 BEGIN INSERT INTO t VALUES (new.n + 1); END", "INSERT INTO t VALUES (0)")]
    [InlineData("CREATE TRIGGER tr BEFORE DELETE ON t BEGIN DELETE FROM t WHERE n = old.n + 1; END", "DELETE FROM t WHERE n = 0")]
    [InlineData("CREATE TRIGGER tr AFTER UPDATE OF n ON t BEGIN UPDATE t SET n = n + 1 WHERE n = new.n + 10; END", "UPDATE t SET n = 5")]
    public void A_trigger_that_may_fire_itself_fails_when_prepared_with_recursive_triggers_on(string trigger, string statement)
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("CREATE TABLE t(n INTEGER); INSERT INTO t VALUES (0), (1); " + trigger);
        // Off: the trigger does not fire from its own statements, as in SQLite.
        c.Execute("SAVEPOINT s; " + statement + "; ROLLBACK TO s; RELEASE s");
        c.Execute("PRAGMA recursive_triggers = 1");
        var e = Assert.Throws<TernException>(() => c.Prepare(statement));
        Assert.Equal(ResultCode.Error, e.Code);
        Assert.Contains("trigger tr may fire itself", e.Message);
        using Statement count = c.Prepare("SELECT count(*) FROM t");
        Assert.True(count.Step());
        Assert.Equal(2L, count.GetInt64(0));
    }
}
