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

    /// <summary>
    /// UPDATE ... FROM with several FROM items: they form one subquery, so the target is not
    /// visible in their ON clauses and each column of the subquery must be unambiguous by its
    /// full name (or, joined by USING or NATURAL, by its bare name), its rowid included.
    /// </summary>
    public static TheoryData<string> FromNameScripts() => new(
        "CREATE TABLE t1(a INTEGER PRIMARY KEY, b TEXT, x); CREATE TABLE s1(x INT, y TEXT); CREATE TABLE s2(x INT, z TEXT); CREATE TABLE s3(x INT, w TEXT); CREATE TABLE s5(k); CREATE TABLE wr(x PRIMARY KEY, y) WITHOUT ROWID; CREATE TEMP TABLE tt(x); INSERT INTO t1 VALUES (1, 'o', 1); INSERT INTO s1 VALUES (1, 'h'); INSERT INTO s2 VALUES (1, 'w'); INSERT INTO s3 VALUES (1, 'e'); INSERT INTO s5 VALUES (1); "
        + "UPDATE t1 SET b = b || '+' FROM s1, s1 WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 CROSS JOIN s1 WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1, s2, s1 WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM tt, tt WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 AS Q, s1 AS q WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 AS a, s1 AS b WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM wr AS q, wr AS q WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM wr AS q, s5 AS q WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s5 AS q, s1 AS q WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 AS q, (SELECT 2 AS x) AS q WHERE t1.a = 1; SELECT * FROM t1;",
        "CREATE TABLE t1(a INTEGER PRIMARY KEY, b TEXT, x); CREATE TABLE s1(x INT, y TEXT); CREATE TABLE s2(x INT, z TEXT); CREATE TABLE s3(x INT, w TEXT); CREATE TABLE s5(k); CREATE TABLE wr(x PRIMARY KEY, y) WITHOUT ROWID; CREATE TEMP TABLE tt(x); INSERT INTO t1 VALUES (1, 'o', 1); INSERT INTO s1 VALUES (1, 'h'); INSERT INTO s2 VALUES (1, 'w'); INSERT INTO s3 VALUES (1, 'e'); INSERT INTO s5 VALUES (1); "
        + "UPDATE t1 SET b = b || '+' FROM s1 JOIN s2 USING(x) WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 JOIN s2 USING(x) JOIN s5 ON 1 WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 JOIN s2 USING(x) JOIN s3 ON 1 WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 LEFT JOIN s2 USING(x), s3 WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 NATURAL JOIN s5, s3 WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1, s2 NATURAL JOIN s5 WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 JOIN s2 ON 1 NATURAL JOIN s3 WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 NATURAL JOIN s2 NATURAL JOIN s3 WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s2 RIGHT JOIN s1 USING(x), s3 WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1, s2 JOIN s3 USING(x) WHERE t1.a = 1; SELECT * FROM t1;",
        "CREATE TABLE t1(a INTEGER PRIMARY KEY, b TEXT, x); CREATE TABLE s1(x INT, y TEXT); CREATE TABLE s2(x INT, z TEXT); CREATE TABLE s3(x INT, w TEXT); CREATE TABLE s5(k); CREATE TABLE wr(x PRIMARY KEY, y) WITHOUT ROWID; CREATE TEMP TABLE tt(x); INSERT INTO t1 VALUES (1, 'o', 1); INSERT INTO s1 VALUES (1, 'h'); INSERT INTO s2 VALUES (1, 'w'); INSERT INTO s3 VALUES (1, 'e'); INSERT INTO s5 VALUES (1); "
        + "UPDATE t1 SET b = b || '+' FROM s1 AS q JOIN s2 AS q USING(x), s5 AS q WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 AS q JOIN s1 AS q USING(x) WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 AS q JOIN s1 AS q USING(x, y) WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 AS q NATURAL JOIN s1 AS q WHERE t1.a = 1; SELECT * FROM t1;",
        "CREATE TABLE t1(a INTEGER PRIMARY KEY, b TEXT, x); CREATE TABLE s1(x INT, y TEXT); CREATE TABLE s2(x INT, z TEXT); CREATE TABLE s3(x INT, w TEXT); CREATE TABLE s5(k); CREATE TABLE wr(x PRIMARY KEY, y) WITHOUT ROWID; CREATE TEMP TABLE tt(x); INSERT INTO t1 VALUES (1, 'o', 1); INSERT INTO s1 VALUES (1, 'h'); INSERT INTO s2 VALUES (1, 'w'); INSERT INTO s3 VALUES (1, 'e'); INSERT INTO s5 VALUES (1); "
        + "UPDATE t1 SET b = b || '+' FROM s1 JOIN s2 ON s1.x = s2.x WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 JOIN s2 ON t1.a = s2.x WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 JOIN s2 ON s2.x IN (SELECT t1.a) WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 JOIN s2 ON EXISTS (SELECT 1 WHERE t1.a = s2.x) WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 JOIN s2 ON EXISTS (SELECT 1 FROM s3 AS t1 WHERE t1.x = 1) WHERE t1.a = 1; SELECT * FROM t1; UPDATE t1 SET b = b || '+' FROM s1 LEFT JOIN s2 ON s2.x = t1.a WHERE t1.a = 1; SELECT * FROM t1;",
        "CREATE TABLE t(id INT PRIMARY KEY, v INT); CREATE TABLE s(id INT, w INT); CREATE TABLE u(id INT); INSERT INTO t VALUES (1, 0), (2, 0); INSERT INTO s VALUES (1, 10), (2, 20); INSERT INTO u VALUES (1), (2); "
        + "UPDATE t AS x SET v = 1 FROM s JOIN u ON u.id = x.id WHERE x.id = s.id; SELECT * FROM t; UPDATE t AS x SET v = 1 FROM s JOIN u ON u.id = t.id WHERE x.id = s.id; SELECT * FROM t; UPDATE t AS x SET v = 2 FROM s, u WHERE u.id = x.id AND u.id = s.id; SELECT * FROM t;");

    [Theory]
    [MemberData(nameof(FromNameScripts))]
    public void Update_from_names_follow_sqlite(string script) => Differential.AssertSame(script);

    /// <summary>
    /// After the BEFORE UPDATE triggers, the columns the statement does not assign are read
    /// again from the row (a trigger may have changed them), with or without FROM, for
    /// rowid and WITHOUT ROWID tables, generated columns computed again.
    /// </summary>
    [Theory]
    [InlineData("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, extra INTEGER, g AS (v + extra), s TEXT); CREATE TABLE w(k PRIMARY KEY, a, b) WITHOUT ROWID; CREATE TRIGGER t_bu BEFORE UPDATE ON t BEGIN UPDATE t SET extra = extra + 1000, v = v + 1, s = 'trig' WHERE id = NEW.id; END; CREATE TRIGGER w_bu BEFORE UPDATE ON w BEGIN UPDATE w SET b = 'trig' WHERE k = OLD.k; END; CREATE TRIGGER t_del BEFORE UPDATE OF s ON t WHEN NEW.s = 'gone' BEGIN DELETE FROM t WHERE id = OLD.id; END; INSERT INTO t(id, v, extra, s) VALUES(1,10,0,'a'),(2,20,0,'b'),(3,30,0,'c'); INSERT INTO w VALUES(1,'x','y'),(2,'p','q'); UPDATE t SET v = 100 WHERE id=1; SELECT * FROM t; UPDATE t SET v = v * 2, s = s || '!' WHERE id >= 2 RETURNING *; UPDATE t SET s = 'gone' WHERE id = 3; SELECT * FROM t; UPDATE w SET a = 'z'; SELECT * FROM w; UPDATE w SET a = 'zz' FROM (SELECT 1) WHERE k = 2 RETURNING *;")]
    [InlineData("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, extra INTEGER); CREATE TRIGGER t_bu BEFORE UPDATE ON t BEGIN UPDATE t SET extra = extra + 1000 WHERE id = NEW.id; END; INSERT INTO t VALUES(1,10,0),(2,20,0); UPDATE t SET v = 100 WHERE id=1; SELECT * FROM t; UPDATE t SET v = 5 FROM (SELECT 1) WHERE id=2; SELECT * FROM t;")]
    public void Before_trigger_changes_to_unassigned_columns_are_kept(string script) => Differential.AssertSame(script);
}
