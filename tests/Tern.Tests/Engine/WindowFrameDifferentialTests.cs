// Differential tests of what window functions see of their partition as SQLite computes
// them: lag() with a negative offset (SQLite seeks among the rows read so far, one past the
// current row), lead() with a negative offset, and group_concat()/string_agg() over frames
// that slide, where SQLite's inverse step cuts values and separators off the front of the
// text and starts afresh once it is empty, and RANGE frames with offsets over keys of every
// type. Each script runs on Tern and on SQLite 3.50.4.
namespace Tern.Tests.Engine;

public class WindowFrameDifferentialTests
{
    [Theory]
    [InlineData("create table v(x); insert into v values (1),(2),(3),(4),(5); "
        + "select x, lag(x,-1) over (order by x), lag(x,-2) over (order by x), lead(x,-1) over (order by x), lag(x,-1,'d') over (order by x), lag(x,-2,'d') over (order by x), lead(x,-3,'d') over (order by x) from v;")]
    [InlineData("create table v(x); insert into v values (1),(2),(3),(4),(5); "
        + "select x, lag(x,-1) over (partition by x%2 order by x), lag(x,-2) over (partition by x % 2 order by x), lead(x, -1) over (partition by x % 2 order by x) from v;")]
    [InlineData("create table oc(x, o); insert into oc values (1,-1),(2,2),(3,-2),(4,1),(5,-3); SELECT x, o, lag(x,o) OVER (ORDER BY x), lead(x,o) OVER (ORDER BY x) FROM oc;")]
    public void Lag_and_lead_with_negative_offsets_match_sqlite(string script) => Differential.AssertSame(script);

    private const string Concat = "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, sep TEXT); INSERT INTO t VALUES (1,'','|'), (2,'','|'), (3,'x','|'), (4,'y','--'); ";

    [Theory]
    [InlineData(Concat + "SELECT id, quote(group_concat(v, sep) OVER w), quote(string_agg(v, sep) OVER w) FROM t WINDOW w AS (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) ORDER BY id;")]
    [InlineData(Concat + "SELECT id, quote(group_concat(v) OVER w), quote(group_concat(v, sep) OVER w) FROM t WINDOW w AS (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING) ORDER BY id;")]
    [InlineData(Concat + "INSERT INTO t VALUES (5, 'ab', ':::'), (6, NULL, '+'), (7, 'c', NULL), (8, '', ''), (9, 'dd', '|'); "
        + "SELECT id, quote(group_concat(v, sep) OVER w), quote(group_concat(v) OVER w) FROM t WINDOW w AS (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) ORDER BY id;")]
    [InlineData(Concat + "INSERT INTO t VALUES (5, 'ab', ':::'), (6, NULL, '+'), (7, 'c', NULL), (8, '', ''), (9, 'dd', '|'); "
        + "SELECT id, quote(group_concat(v, sep) OVER w), quote(group_concat(v) OVER w) FROM t WINDOW w AS (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) ORDER BY id;")]
    [InlineData(Concat + "INSERT INTO t VALUES (5, 'ab', ':::'), (6, NULL, '+'), (7, 'c', NULL), (8, '', ''), (9, 'dd', '|'); "
        + "SELECT id, quote(group_concat(v, sep) OVER w) FROM t WINDOW w AS (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) ORDER BY id; "
        + "SELECT id, quote(group_concat(v, sep) OVER w) FROM t WINDOW w AS (ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) ORDER BY id;")]
    [InlineData(Concat + "INSERT INTO t VALUES (5, 'ab', ':::'), (6, NULL, '+'), (7, 'c', NULL), (8, '', ''), (9, 'dd', '|'); "
        + "SELECT id, quote(group_concat(id, '-') FILTER (WHERE id % 2 = 1) OVER w) FROM t WINDOW w AS (ORDER BY id ROWS 2 PRECEDING) ORDER BY id; "
        + "SELECT id, sum(id) OVER w, avg(id) OVER w, total(id) OVER w FROM t WINDOW w AS (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING) ORDER BY id;")]
    public void Group_concat_over_sliding_frames_keeps_sqlites_separators(string script) => Differential.AssertSame(script);

    // NULL, text and blob keys frame their peers; number keys move by the offset along the
    // sort order (NULLS FIRST/LAST, DESC, collations), overflowing to a real as SQLite's
    // arithmetic does; offsets may be reals or numeric text.
    private const string Mixed = "CREATE TABLE m(id INTEGER PRIMARY KEY, k, v INTEGER); INSERT INTO m VALUES (1,NULL,10),(2,NULL,20),(3,0,30),(4,10,40),(5,'a',50),(6,'A',60),(7,'b',70); ";

    [Theory]
    [InlineData(Mixed + "SELECT id, sum(v) OVER (ORDER BY k ASC NULLS LAST RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING) FROM m; "
        + "SELECT id, sum(v) OVER (ORDER BY k COLLATE NOCASE DESC NULLS FIRST RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING) FROM m; "
        + "SELECT id, typeof(k), sum(v) OVER (ORDER BY k COLLATE NOCASE RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING) FROM m;")]
    [InlineData(Mixed + "SELECT id, sum(v) OVER (ORDER BY k RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING), sum(v) OVER (ORDER BY k DESC RANGE BETWEEN 10 PRECEDING AND CURRENT ROW), sum(v) OVER (ORDER BY k DESC NULLS LAST RANGE BETWEEN CURRENT ROW AND 10 FOLLOWING) FROM m;")]
    [InlineData("SELECT id, sum(v) OVER (ORDER BY k RANGE BETWEEN 1 FOLLOWING AND 20 FOLLOWING), sum(v) OVER (ORDER BY k RANGE BETWEEN 20 PRECEDING AND 1 PRECEDING), sum(v) OVER (ORDER BY k NULLS LAST RANGE BETWEEN 2 PRECEDING AND 2 PRECEDING) FROM m; "
        + "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, g INTEGER); INSERT INTO t VALUES (1,10,1),(2,20,1),(3,30,2),(4,40,2),(5,50,2);")]
    [InlineData("SELECT id, sum(v) OVER (ORDER BY k RANGE BETWEEN 1 FOLLOWING AND 20 FOLLOWING), sum(v) OVER (ORDER BY k RANGE BETWEEN 20 PRECEDING AND 1 PRECEDING), sum(v) OVER (ORDER BY k NULLS LAST RANGE BETWEEN 2 PRECEDING AND 2 PRECEDING) FROM m; "
        + "SELECT id, sum(v) OVER (ORDER BY v RANGE 10.5 PRECEDING), sum(v) OVER (ORDER BY v RANGE '10.5' PRECEDING), sum(v) OVER (ORDER BY v RANGE ' 10 ' PRECEDING), sum(v) OVER (ORDER BY v ROWS '1' PRECEDING), sum(v) OVER (ORDER BY v ROWS 1.0 PRECEDING) FROM t; "
        + "SELECT sum(v) OVER (ORDER BY v RANGE 'abc' PRECEDING) FROM t; "
        + "SELECT sum(v) OVER (ORDER BY v ROWS 1.5 PRECEDING) FROM t; "
        + "SELECT sum(v) OVER (ORDER BY v GROUPS -1 PRECEDING) FROM t; "
        + "SELECT sum(v) OVER (ORDER BY v RANGE BETWEEN 1 PRECEDING AND -1 FOLLOWING) FROM t;")]
    [InlineData("SELECT sum(v) OVER (ORDER BY v RANGE x'31' PRECEDING) FROM t; "
        + "CREATE TABLE e(k INT); INSERT INTO e VALUES (-9223372036854775808),(-5),(0),(5),(9223372036854775807); "
        + "SELECT k, count(*) OVER w, group_concat(k,',') OVER w, min(k) OVER w FROM e WINDOW w AS (ORDER BY k DESC RANGE BETWEEN 100 PRECEDING AND 2 PRECEDING);")]
    [InlineData("SELECT sum(v) OVER (ORDER BY v RANGE x'31' PRECEDING) FROM t; "
        + "SELECT k, count(*) OVER w, group_concat(k,',') OVER w FROM e WINDOW w AS (ORDER BY k RANGE BETWEEN 100 PRECEDING AND 2 PRECEDING); "
        + "SELECT k, count(*) OVER w, group_concat(k,',') OVER w FROM e WINDOW w AS (ORDER BY k RANGE BETWEEN 2 FOLLOWING AND 100 FOLLOWING); "
        + "SELECT k, count(*) OVER w, group_concat(k,',') OVER w FROM e WINDOW w AS (ORDER BY k DESC RANGE BETWEEN 2 FOLLOWING AND 100 FOLLOWING);")]
    [InlineData("SELECT k, count(*) OVER w FROM e WINDOW w AS (ORDER BY k RANGE BETWEEN 9223372036854775807 PRECEDING AND 9223372036854775807 FOLLOWING); "
        + "CREATE TABLE p(id INTEGER PRIMARY KEY, k REAL, v INTEGER); INSERT INTO p VALUES (1, 1.5, 1), (2, 1.5, 2), (3, 2.25, 3), (4, '3', 4), (5, 'x', 5), (6, x'00', 6), (7, NULL, 7); "
        + "SELECT id, sum(v) OVER (ORDER BY k RANGE BETWEEN 0.75 PRECEDING AND 0.75 FOLLOWING), sum(v) OVER (ORDER BY k DESC RANGE BETWEEN 1 PRECEDING AND 0 FOLLOWING) FROM p;")]
    public void Range_frames_with_offsets_match_sqlite(string script) => Differential.AssertSame(script);
}
