// UPDATE ... FROM, and UPDATE/DELETE with ORDER BY, LIMIT and OFFSET, compared with SQLite
// 3.50.4: which rows change, in which order (triggers and RETURNING see it), the first
// match of a join used once per target row, and the errors.
namespace Tern.Tests.Engine;

public class UpdateDeleteDifferentialTests
{
    public static TheoryData<string> Scripts() => new(
        "CREATE TABLE t(a, b); INSERT INTO t VALUES (3, 'c'), (1, 'a'), (2, 'b'), (5, 'e'), (4, 'd'); "
        + "DELETE FROM t ORDER BY a LIMIT 2; SELECT * FROM t ORDER BY a; DELETE FROM t WHERE a > 0 ORDER BY b DESC LIMIT 1 OFFSET 1; SELECT * FROM t ORDER BY a; "
        + "DELETE FROM t LIMIT 1; SELECT * FROM t ORDER BY a; DELETE FROM t LIMIT 0; DELETE FROM t LIMIT -1 OFFSET 0; SELECT count(*) FROM t",
        "CREATE TABLE t(a, b); INSERT INTO t VALUES (3, 'c'), (1, 'a'), (2, 'b'), (5, 'e'), (4, 'd'); "
        + "UPDATE t SET b = upper(b) ORDER BY a DESC LIMIT 2; SELECT * FROM t ORDER BY a; UPDATE t SET a = a * 10 WHERE a < 4 ORDER BY a LIMIT 5 OFFSET 1 RETURNING a, b; "
        + "UPDATE t SET b = 'z' LIMIT 1; SELECT * FROM t ORDER BY a; UPDATE t SET b = 'q' ORDER BY a; DELETE FROM t ORDER BY a",
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE); INSERT INTO t VALUES (1, 10), (2, 20), (3, 30); CREATE TABLE log(x); "
        + "CREATE TRIGGER tr AFTER UPDATE ON t BEGIN INSERT INTO log VALUES (new.a); END; "
        + "UPDATE t SET b = b + 1 ORDER BY a DESC LIMIT 3; SELECT * FROM log; UPDATE OR IGNORE t SET b = 21 ORDER BY a LIMIT 2; SELECT * FROM t ORDER BY a",
        "CREATE TABLE t(id INTEGER PRIMARY KEY, name, total); INSERT INTO t VALUES (1, 'a', 0), (2, 'b', 0), (3, 'c', 0); "
        + "CREATE TABLE s(tid, amount); INSERT INTO s VALUES (1, 5), (1, 7), (3, 2), (9, 1); "
        + "UPDATE t SET total = s.amount FROM s WHERE s.tid = t.id; SELECT * FROM t ORDER BY id; "
        + "UPDATE t SET total = agg.sum, name = name || '!' FROM (SELECT tid, sum(amount) AS sum FROM s GROUP BY tid) AS agg WHERE agg.tid = t.id RETURNING id, name, total; "
        + "UPDATE t AS x SET total = x.total + y.total FROM t AS y WHERE y.id = x.id + 1; SELECT * FROM t ORDER BY id; "
        + "UPDATE t SET total = 0 FROM s; SELECT * FROM t ORDER BY id; UPDATE t SET total = nope.x FROM s; UPDATE t SET total = 1 FROM s WHERE s.tid = t.id ORDER BY t.id DESC LIMIT 1; SELECT * FROM t ORDER BY id",
        "CREATE TABLE t(a); INSERT INTO t VALUES (1); DELETE FROM t ORDER BY a; UPDATE t SET a = 2 ORDER BY a; DELETE FROM t LIMIT 'x'; SELECT * FROM t");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_gives_the_same_transcript_as_sqlite(string script) => Differential.AssertSame(script);
}
