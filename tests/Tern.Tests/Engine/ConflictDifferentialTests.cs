// Conflict resolution compared with SQLite 3.50.4: the OR clause of INSERT and UPDATE
// (ROLLBACK, ABORT, FAIL, IGNORE, REPLACE), the ON CONFLICT clauses of NOT NULL, PRIMARY
// KEY and UNIQUE constraints (the statement's clause wins over the constraint's), RAISE's
// actions in triggers, inside and outside BEGIN ... COMMIT.
namespace Tern.Tests.Engine;

public class ConflictDifferentialTests
{
    public static TheoryData<string> Scripts() => new(
        // FAIL keeps the rows written before the failing one; ABORT undoes the statement
        "CREATE TABLE t(a UNIQUE); INSERT INTO t VALUES (3); INSERT OR FAIL INTO t VALUES (1), (2), (3), (4); SELECT * FROM t ORDER BY a; "
        + "INSERT OR ABORT INTO t VALUES (5), (3); SELECT * FROM t ORDER BY a; INSERT INTO t VALUES (6), (3); SELECT count(*) FROM t",
        "CREATE TABLE t(a UNIQUE, b); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z'); UPDATE OR FAIL t SET a = a + 1; SELECT * FROM t ORDER BY b; "
        + "UPDATE OR ABORT t SET a = 10 WHERE b > 'x'; SELECT * FROM t ORDER BY b",
        // inside a transaction: FAIL and ABORT keep the transaction; ROLLBACK ends it
        "CREATE TABLE t(a PRIMARY KEY); BEGIN; INSERT INTO t VALUES (1); INSERT OR FAIL INTO t VALUES (2), (1), (3); INSERT OR ABORT INTO t VALUES (4), (1); COMMIT; SELECT * FROM t ORDER BY a",
        "CREATE TABLE t(a PRIMARY KEY); INSERT INTO t VALUES (0); BEGIN; INSERT INTO t VALUES (1); INSERT OR ROLLBACK INTO t VALUES (2), (1); SELECT * FROM t ORDER BY a; COMMIT; INSERT INTO t VALUES (9); SELECT * FROM t ORDER BY a",
        "CREATE TABLE t(a PRIMARY KEY); BEGIN; SAVEPOINT s; INSERT INTO t VALUES (1); INSERT OR ROLLBACK INTO t VALUES (1); RELEASE s; ROLLBACK; SELECT count(*) FROM t",
        // constraint ON CONFLICT clauses, and the statement's clause overriding them
        "CREATE TABLE t(a INTEGER PRIMARY KEY ON CONFLICT REPLACE, b UNIQUE ON CONFLICT IGNORE, c NOT NULL ON CONFLICT IGNORE); "
        + "INSERT INTO t VALUES (1, 'p', 1), (1, 'q', 2), (2, 'q', 3), (3, 'r', NULL), (4, 's', 4); SELECT * FROM t ORDER BY a; "
        + "INSERT OR ABORT INTO t VALUES (4, 'x', 5); INSERT OR FAIL INTO t VALUES (9, 'q', 1); UPDATE t SET b = 'p' WHERE a = 4; SELECT * FROM t ORDER BY a",
        "CREATE TABLE t(a NOT NULL ON CONFLICT REPLACE DEFAULT 'dflt', b NOT NULL ON CONFLICT REPLACE, c UNIQUE ON CONFLICT FAIL); "
        + "INSERT INTO t VALUES (NULL, 1, 1); SELECT * FROM t; INSERT INTO t VALUES ('x', NULL, 2); INSERT INTO t VALUES ('y', 2, 3), ('z', 3, 1), ('w', 4, 4); SELECT * FROM t ORDER BY c; "
        + "INSERT OR REPLACE INTO t VALUES ('v', 5, 1); SELECT * FROM t ORDER BY c",
        "CREATE TABLE t(a, b, PRIMARY KEY(a) ON CONFLICT ROLLBACK, UNIQUE(b) ON CONFLICT ABORT); INSERT INTO t VALUES (1, 1); BEGIN; INSERT INTO t VALUES (2, 2); INSERT INTO t VALUES (3, 1); INSERT INTO t VALUES (1, 9); SELECT * FROM t ORDER BY a; COMMIT",
        "CREATE TABLE t(a CHECK (a > 0), b NOT NULL); INSERT OR FAIL INTO t VALUES (1, 1), (2, 2), (-1, 3), (4, 4); INSERT OR REPLACE INTO t VALUES (-5, 5); INSERT OR IGNORE INTO t VALUES (-6, 6), (7, NULL), (8, 8); SELECT * FROM t ORDER BY a",
        // a row REPLACE removes is a parent deleted for its children
        "PRAGMA foreign_keys = ON; CREATE TABLE p(id PRIMARY KEY ON CONFLICT REPLACE, v); CREATE TABLE c(x, pid REFERENCES p(id) ON DELETE RESTRICT); CREATE TABLE d(y, pid REFERENCES p(id) ON DELETE CASCADE); "
        + "INSERT INTO p VALUES (1, 'a'), (2, 'b'); INSERT INTO c VALUES (10, 1); INSERT INTO d VALUES (20, 2); INSERT INTO p VALUES (1, 'new'); INSERT INTO p VALUES (2, 'new'); SELECT * FROM p ORDER BY id; SELECT count(*) FROM d",
        // changes() leaves out trigger bodies and foreign-key actions; total_changes() counts them, not REPLACE's removals
        "PRAGMA foreign_keys = ON; CREATE TABLE p(id INTEGER PRIMARY KEY, v UNIQUE); CREATE TABLE c(pid REFERENCES p(id) ON DELETE CASCADE); CREATE TABLE log(x); "
        + "CREATE TRIGGER tr AFTER INSERT ON p BEGIN INSERT INTO log VALUES (new.id); INSERT INTO log VALUES (-new.id); END; "
        + "INSERT INTO p VALUES (1, 'a'), (2, 'b'); SELECT changes(), total_changes(); INSERT INTO c VALUES (1), (1), (2); SELECT changes(), total_changes(); "
        + "DELETE FROM p WHERE id = 1; SELECT changes(), total_changes(); INSERT OR REPLACE INTO p VALUES (3, 'b'); SELECT changes(), total_changes(); UPDATE log SET x = x * 2; SELECT changes(), total_changes()",
        // RAISE in triggers
        "CREATE TABLE t(a); CREATE TABLE log(x); CREATE TRIGGER tr BEFORE INSERT ON t WHEN new.a < 0 BEGIN SELECT RAISE(FAIL, 'negative'); END; "
        + "INSERT INTO t VALUES (1), (2), (-3), (4); SELECT * FROM t; "
        + "CREATE TRIGGER tr2 BEFORE INSERT ON t WHEN new.a = 100 BEGIN SELECT RAISE(ROLLBACK, 'hundred'); END; "
        + "BEGIN; INSERT INTO t VALUES (5); INSERT INTO t VALUES (100); SELECT count(*) FROM t; COMMIT; "
        + "CREATE TRIGGER tr3 BEFORE INSERT ON t WHEN new.a = 50 BEGIN SELECT RAISE(ABORT, 'fifty'); END; BEGIN; INSERT INTO t VALUES (6), (50); INSERT INTO t VALUES (7); COMMIT; SELECT * FROM t");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_gives_the_same_transcript_as_sqlite(string script) => Differential.AssertSame(script);
}
