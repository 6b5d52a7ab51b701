// Differential tests for answers that once differed from SQLite 3.50.4: NULLS FIRST/LAST,
// aggregate FILTER and ORDER BY, string_agg, IS [NOT] TRUE/FALSE, the affinity and collation
// of IN, INTEGER PRIMARY KEY type checks, changes() after a failed statement, the %
// operator's conversions, sum() over integer text, lazy coalesce/ifnull, unused CTEs and
// ORDER BY / GROUP BY result aliases, EXISTS dropping ORDER BY and DISTINCT, CAST AS NUMERIC,
// INSERT column lists naming a column twice, OLD/NEW rowid affinity, DROP TRIGGER and hex
// literal defaults of added columns.
// Each script runs on Tern and on SQLite and the transcripts must match line for line.
namespace Tern.Tests.Engine;

public class WrongResultDifferentialTests
{
    private const string Rows =
        "CREATE TABLE t(a, b, c); INSERT INTO t VALUES (1, 'x', 3), (2, 'y', 1), (3, 'x', 2), (NULL, 'z', 5), (2, NULL, 4), (NULL, 'x', NULL), (0, 'Y', 6); ";

    public static TheoryData<string> NullsOrderScripts() => new(
        Rows + "SELECT a FROM t ORDER BY a NULLS LAST; SELECT a FROM t ORDER BY a DESC NULLS FIRST; SELECT a FROM t ORDER BY a ASC NULLS FIRST; SELECT a FROM t ORDER BY a DESC NULLS LAST",
        Rows + "SELECT a, c FROM t ORDER BY a NULLS LAST, c DESC NULLS FIRST; SELECT b, a FROM t ORDER BY b COLLATE nocase DESC NULLS FIRST, a NULLS LAST",
        Rows + "SELECT a, c FROM t ORDER BY 1 NULLS LAST LIMIT 3; SELECT a, c FROM t ORDER BY 2 DESC NULLS FIRST LIMIT 2 OFFSET 1; SELECT DISTINCT a FROM t ORDER BY a NULLS LAST",
        Rows + "SELECT b, count(*) FROM t GROUP BY b ORDER BY b NULLS LAST; SELECT b, max(a) AS m FROM t GROUP BY b ORDER BY m DESC NULLS FIRST, b",
        Rows + "SELECT a FROM t UNION SELECT c FROM t ORDER BY 1 NULLS LAST; SELECT a FROM t UNION ALL SELECT c FROM t ORDER BY 1 DESC NULLS FIRST; "
        + "SELECT a FROM t INTERSECT SELECT c FROM t ORDER BY 1 NULLS LAST; SELECT a FROM t EXCEPT SELECT c FROM t ORDER BY a DESC NULLS FIRST",
        Rows + "SELECT a, c, row_number() OVER (ORDER BY a NULLS LAST, c) FROM t ORDER BY 3; SELECT a, rank() OVER (ORDER BY a DESC NULLS FIRST) FROM t ORDER BY 2, c; "
        + "SELECT b, a, sum(c) OVER (PARTITION BY b ORDER BY a NULLS LAST ROWS UNBOUNDED PRECEDING) FROM t ORDER BY b, a NULLS LAST",
        Rows + "SELECT group_concat(a, ',' ORDER BY a NULLS LAST), group_concat(c, ',' ORDER BY a DESC NULLS FIRST, c) FROM t",
        Rows + "UPDATE t SET b = 'first' ORDER BY a NULLS LAST LIMIT 2; SELECT * FROM t ORDER BY rowid; DELETE FROM t ORDER BY c DESC NULLS FIRST LIMIT 2; SELECT * FROM t ORDER BY rowid",
        Rows + "CREATE INDEX i1 ON t(a NULLS FIRST); CREATE INDEX i2 ON t(a DESC NULLS LAST); CREATE INDEX i3 ON t(b, a ASC NULLS LAST); CREATE UNIQUE INDEX i4 ON t(c NULLS FIRST); "
        + "CREATE TABLE u(a PRIMARY KEY, UNIQUE(b NULLS FIRST)); CREATE TABLE u2(a, PRIMARY KEY(a DESC NULLS LAST)); CREATE TABLE u3(a INTEGER, PRIMARY KEY(a NULLS LAST)); "
        + "SELECT name FROM sqlite_schema ORDER BY name",
        Rows + "CREATE INDEX ia ON t(a); SELECT a FROM t WHERE a > 0 ORDER BY a NULLS LAST; SELECT a FROM t ORDER BY a DESC NULLS FIRST; SELECT a FROM t ORDER BY +a NULLS LAST");

    public static TheoryData<string> FilterScripts() => new(
        Rows + "SELECT count(*) FILTER (WHERE a > 1), sum(a) FILTER (WHERE b = 'x'), count(DISTINCT a) FILTER (WHERE c > 1), avg(c) FILTER (WHERE a IS NULL) FROM t",
        Rows + "SELECT b, count(*) FILTER (WHERE a > 1), total(c) FILTER (WHERE c > 2) FROM t GROUP BY b ORDER BY b",
        Rows + "SELECT b FROM t GROUP BY b HAVING count(*) FILTER (WHERE c > 1) > 0 ORDER BY b; SELECT b, max(a) FILTER (WHERE c < 5), c FROM t GROUP BY b ORDER BY b",
        Rows + "SELECT group_concat(DISTINCT b) FILTER (WHERE a > 0), count(*) FILTER (WHERE NULL), count(*) FILTER (WHERE 'abc'), min(c) FILTER (WHERE a) FROM t",
        Rows + "SELECT count(*) FILTER (WHERE a > 1) FROM t WHERE c < 5; SELECT (SELECT count(*) FILTER (WHERE t2.a > t.a) FROM t AS t2) AS n FROM t ORDER BY a, c",
        Rows + "SELECT abs(a) FILTER (WHERE a > 1) FROM t; SELECT count(*) FILTER (WHERE a > 1) OVER () FROM t LIMIT 1; SELECT sum(a) FILTER (WHERE count(*) > 1) FROM t",
        Rows + "SELECT json_group_array(a) FILTER (WHERE a NOT NULL), sum(c) FILTER (WHERE b = 'x') + count(*) FROM t",
        Rows + "SELECT b, max(a) FILTER (WHERE c > 2), c FROM t GROUP BY b ORDER BY b; SELECT b, min(a) FILTER (WHERE c <> 3), c FROM t GROUP BY b ORDER BY b; "
        + "SELECT max(a) FILTER (WHERE c > 100), c FROM t; SELECT max(a) FILTER (WHERE c > 3), c FROM t; SELECT min(a) FILTER (WHERE c > 1), max(c) FILTER (WHERE a < 2), b FROM t");

    public static TheoryData<string> AggregateOrderScripts() => new(
        Rows + "SELECT group_concat(a ORDER BY c), group_concat(a, '-' ORDER BY c DESC), group_concat(b ORDER BY a, c) FROM t",
        Rows + "SELECT group_concat(DISTINCT b ORDER BY c), group_concat(DISTINCT b ORDER BY b DESC), group_concat(b ORDER BY b COLLATE nocase, c) FROM t",
        Rows + "SELECT string_agg(a, '-' ORDER BY c DESC), string_agg(b, '' ORDER BY b), string_agg(c, ',') FROM t; SELECT string_agg(a) FROM t; SELECT string_agg(a, ',', 'x') FROM t",
        Rows + "SELECT json_group_array(a ORDER BY c DESC), json_group_object(b, a ORDER BY c) FROM t WHERE b NOT NULL",
        Rows + "SELECT b, group_concat(a ORDER BY c DESC), string_agg(c, ';' ORDER BY a) FROM t GROUP BY b ORDER BY b",
        Rows + "SELECT group_concat(a ORDER BY c) FILTER (WHERE a > 1), group_concat(DISTINCT b ORDER BY b DESC) FILTER (WHERE a > 1) FROM t",
        Rows + "SELECT sum(a ORDER BY c), max(a ORDER BY b), count(a ORDER BY c), min(c ORDER BY a DESC), avg(c ORDER BY a) FROM t; SELECT group_concat(a ORDER BY 1) FROM t",
        Rows + "SELECT abs(a ORDER BY c) FROM t; SELECT group_concat(a ORDER BY c) OVER () FROM t; SELECT row_number(ORDER BY c) OVER () FROM t ORDER BY 1 LIMIT 2",
        Rows + "SELECT string_agg(DISTINCT a, ',') FROM t; SELECT b, group_concat(a ORDER BY c) AS g FROM t GROUP BY b HAVING group_concat(a ORDER BY c DESC) LIKE '%1%'",
        Rows + "SELECT b, (SELECT group_concat(t2.a ORDER BY t2.c DESC) FROM t AS t2 WHERE t2.b = t.b) FROM t ORDER BY rowid",
        "SELECT group_concat(x ORDER BY y) FROM (SELECT 1 AS x, 2 AS y WHERE 0); SELECT string_agg(x, ',' ORDER BY x) FROM (SELECT 'b' AS x UNION ALL SELECT 'a' UNION ALL SELECT 'a')");

    public static TheoryData<string> InScripts() => new(
        "CREATE TABLE t(a INTEGER, b TEXT, c, d TEXT COLLATE nocase); INSERT INTO t VALUES (1, '1', 1, 'A'), (2, '2', '2', 'b'), (3, ' 3', 3.0, 'C'), (NULL, NULL, NULL, NULL); "
        + "SELECT a FROM t WHERE a IN ('1', '2'); SELECT b FROM t WHERE b IN (1, 2); SELECT c FROM t WHERE c IN ('1', 2); SELECT c FROM t WHERE c IN (a, b); "
        + "SELECT a FROM t WHERE a IN (b, 5); SELECT b FROM t WHERE b IN (a, c); SELECT CAST(1 AS TEXT) IN (1), 1 IN (CAST(1 AS TEXT)), '1' IN (1, 2), 1 IN ('1'), x'31' IN ('1')",
        "CREATE TABLE t(a INTEGER, b TEXT, c, d TEXT COLLATE nocase); INSERT INTO t VALUES (1, '1', 1, 'A'), (2, '2', '2', 'b'), (3, ' 3', 3.0, 'C'), (NULL, NULL, NULL, NULL); "
        + "SELECT b FROM t WHERE b IN (SELECT a FROM t); SELECT c FROM t WHERE c IN (SELECT b FROM t); SELECT c FROM t WHERE c IN (SELECT a FROM t); "
        + "SELECT 1 IN (SELECT b FROM t), '1' IN (SELECT a FROM t), '3' IN (SELECT c FROM t), 3 IN (SELECT c FROM t); "
        + "SELECT b IN (SELECT a FROM t), b IN (SELECT c FROM t), b NOT IN (SELECT a FROM t) FROM t",
        "CREATE TABLE t(a INTEGER, b TEXT, c, d TEXT COLLATE nocase); INSERT INTO t VALUES (1, '1', 1, 'A'), (2, '2', '2', 'b'), (3, ' 3', 3.0, 'C'), (NULL, NULL, NULL, NULL); "
        + "SELECT 'a' IN (SELECT d FROM t), 'A' IN (SELECT d FROM t), d IN (SELECT 'a'), d IN ('a', 'B'), d IN ('a') FROM t; "
        + "SELECT 'a' IN ('A' COLLATE nocase), 'a' IN ('A' COLLATE nocase, 'x'), 'a' COLLATE nocase IN ('A'), 'a' IN (SELECT 'A' COLLATE nocase), 'a' IN (SELECT d COLLATE binary FROM t); "
        + "SELECT d FROM t WHERE d IN (SELECT b FROM t UNION SELECT 'c'); SELECT 'B' IN (VALUES ('b')), d IN (VALUES ('B')) FROM t",
        "CREATE TABLE t(a INTEGER, b TEXT, c); INSERT INTO t VALUES (1, '1', 1), (2, '2', '2'), (3, ' 3', 3.0); CREATE TABLE u(x TEXT); INSERT INTO u VALUES ('1'), ('2'); "
        + "SELECT a FROM t WHERE a IN u; SELECT c FROM t WHERE c IN u; SELECT b FROM t WHERE b IN u; SELECT a FROM t WHERE a NOT IN u",
        "CREATE TABLE t(a INTEGER, b TEXT, c); INSERT INTO t VALUES (1, '1', 1), (2, '2', '2'), (3, ' 3', 3.0); "
        + "UPDATE t SET c = 'upd' WHERE a IN ('1', '3'); SELECT * FROM t; DELETE FROM t WHERE b IN (SELECT a FROM t WHERE a > 1); SELECT * FROM t; "
        + "UPDATE t SET c = 'x' WHERE c IN (SELECT b FROM t); SELECT * FROM t; DELETE FROM t WHERE b IN (1); SELECT * FROM t",
        "CREATE TABLE t(a TEXT COLLATE nocase, b INTEGER); CREATE INDEX ta ON t(a); CREATE INDEX tb ON t(b); INSERT INTO t VALUES ('x', 1), ('Y', 2), ('z', 3); "
        + "SELECT a FROM t WHERE a IN ('X', 'y'); SELECT b FROM t WHERE b IN ('1', '3'); SELECT a FROM t WHERE a IN (SELECT 'Z'); SELECT b FROM t WHERE b IN (SELECT '2'); "
        + "SELECT a FROM t WHERE a COLLATE binary IN ('X', 'Y')");

    public static TheoryData<string> TruthScripts() => new(
        "SELECT 18 IS TRUE, 18 IS NOT TRUE, 18 IS FALSE, 18 IS NOT FALSE, 0 IS TRUE, 0 IS FALSE, -1 IS TRUE",
        "SELECT 0.5 IS TRUE, 0.0 IS FALSE, -0.0 IS FALSE, 1e300 IS TRUE, 'abc' IS TRUE, 'abc' IS FALSE, '1abc' IS TRUE, ' 2 ' IS TRUE, '0.1' IS TRUE",
        "SELECT x'31' IS TRUE, x'30' IS FALSE, x'' IS FALSE, NULL IS TRUE, NULL IS NOT TRUE, NULL IS FALSE, NULL IS NOT FALSE",
        "SELECT (1 = 1) IS TRUE, (NULL = 1) IS NOT FALSE, 5 IS true COLLATE nocase, 2 IS NOT False, 3 IS 'TRUE', true IS true",
        "CREATE TABLE t(a, true); INSERT INTO t VALUES (2, 2), (0, 0), (NULL, 5), ('x', 1); SELECT a, a IS TRUE, a IS true, a IS t.true, a IS NOT FALSE FROM t",
        "CREATE TABLE t(a); INSERT INTO t VALUES (2), (0), (NULL), ('x'), (0.25); SELECT a FROM t WHERE a IS TRUE; SELECT a FROM t WHERE a IS NOT TRUE; "
        + "SELECT a FROM t WHERE a IS FALSE; SELECT a FROM t WHERE NOT (a IS NOT FALSE); SELECT sum(a IS TRUE), sum(a IS FALSE) FROM t");

    public static TheoryData<string> ArithmeticScripts() => new(
        "SELECT 1.0 % '1e+100', 1.0 % 1e100, 1e100 % 3, -1e100 % 3, 5 % 1e100, 1.0 % '1e+18', 1.0 % '2e+100', 7.0 % '5e+0'",
        "SELECT 100.0 % '1.5e1', 100 % '3e1', '1e+100' % 7, 1.0 % '-1e100', 1.0 % ' 1e100 ', 1.0 % 'inf', 1.0 % '1e308', 7.5 % 2, -7.5 % '2.9', '7.9' % 2.5",
        "SELECT 9.3e18 % 10, 1e19 % 7, 5.5 % -1e100, 5 % 'abc', 5.0 % x'33', x'3135' % 4.0, 10 % 3.5, typeof(10 % 3), typeof(10 % 3.0)");

    public static TheoryData<string> SumScripts() => new(
        "CREATE TABLE s(v); INSERT INTO s VALUES ('9223372036854775807'), ('1'); SELECT sum(v) FROM s; SELECT total(v), avg(v) FROM s",
        "CREATE TABLE s(v); INSERT INTO s VALUES ('9223372036854775807'), (1), (1.5); SELECT sum(v) FROM s",
        "CREATE TABLE s(v); INSERT INTO s VALUES (9223372036854775807), (1), ('x'); SELECT sum(v) FROM s",
        "CREATE TABLE s(v); INSERT INTO s VALUES (9223372036854775807), (1.5), (1); SELECT sum(v) FROM s",
        "CREATE TABLE s(v); INSERT INTO s VALUES (' 12 '), ('3'), ('4abc'); SELECT sum(v), typeof(sum(v)) FROM s",
        "CREATE TABLE s(v); INSERT INTO s VALUES ('1'), ('2'), ('-3'); SELECT sum(v), typeof(sum(v)) FROM s",
        "CREATE TABLE s(v); INSERT INTO s VALUES ('1.0'), ('2'); SELECT sum(v), typeof(sum(v)) FROM s",
        "CREATE TABLE s(v); INSERT INTO s VALUES (x'31'), ('2'); SELECT sum(v), typeof(sum(v)) FROM s",
        "CREATE TABLE s(v); INSERT INTO s VALUES ('-9223372036854775808'), ('-1'); SELECT sum(v) FROM s",
        "CREATE TABLE s(v); INSERT INTO s VALUES ('99999999999999999999'), ('1'); SELECT sum(v), typeof(sum(v)) FROM s");

    public static TheoryData<string> RowidScripts() => new(
        "CREATE TABLE t(id INTEGER PRIMARY KEY, b); INSERT INTO t VALUES (1, 2), (5, 6); UPDATE t SET id = NULL; SELECT * FROM t; "
        + "UPDATE t SET id = NULL WHERE id = 5; UPDATE t SET id = 'abc'; UPDATE t SET id = 1.5; UPDATE t SET id = '7' WHERE id = 1; UPDATE t SET id = 8.0 WHERE id = 5; SELECT * FROM t",
        "CREATE TABLE t(id INTEGER PRIMARY KEY, b); INSERT INTO t VALUES ('abc', 1); INSERT INTO t VALUES (1.5, 1); INSERT INTO t VALUES ('7', 1); "
        + "INSERT INTO t VALUES (8.0, 1); INSERT INTO t VALUES ('9.0', 1); INSERT INTO t VALUES (x'31', 1); INSERT INTO t VALUES (NULL, 1); SELECT id, typeof(id), b FROM t",
        "CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, b); INSERT INTO t VALUES (3, 1); UPDATE t SET id = NULL; UPDATE OR IGNORE t SET id = NULL; "
        + "UPDATE OR REPLACE t SET id = 'z'; SELECT * FROM t; UPDATE t SET b = 5, id = id + 1 RETURNING id, b",
        "CREATE TABLE t(id INTEGER PRIMARY KEY, b); INSERT INTO t VALUES (1, 1); INSERT INTO t VALUES (1, 2) ON CONFLICT(id) DO UPDATE SET id = NULL; SELECT * FROM t");

    public static TheoryData<string> ChangesScripts() => new(
        "CREATE TABLE t(a UNIQUE); INSERT INTO t VALUES (1), (2), (3); SELECT changes(), total_changes(); INSERT INTO t VALUES (4), (1); SELECT changes(), total_changes(); "
        + "INSERT INTO t VALUES (5), (6); INSERT OR FAIL INTO t VALUES (7), (8), (1); SELECT changes(), total_changes(); INSERT INTO t VALUES (9); "
        + "BEGIN; INSERT OR ROLLBACK INTO t VALUES (10), (1); SELECT changes(), total_changes(); SELECT 1 FROM nosuch; SELECT changes(), total_changes()",
        "CREATE TABLE t(a UNIQUE); INSERT INTO t VALUES (1), (2), (3); UPDATE t SET a = a + 10; UPDATE t SET a = 11 WHERE a = 12; SELECT changes(), total_changes(); "
        + "DELETE FROM t WHERE a = 13; SELECT changes(); UPDATE OR FAIL t SET a = 1 WHERE a >= 11; SELECT changes(), total_changes(); SELECT * FROM t",
        "CREATE TABLE t(a CHECK (a < 5)); INSERT INTO t VALUES (1), (2); BEGIN; INSERT INTO t VALUES (3), (9); SELECT changes(), total_changes(); COMMIT; "
        + "CREATE TABLE u(x); INSERT INTO u VALUES (1), (2); INSERT INTO u SELECT sum(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1); SELECT changes(), total_changes()");

    public static TheoryData<string> LazyScripts() => new(
        "SELECT coalesce(1, abs(-9223372036854775807 - 1)), ifnull(2, abs(-9223372036854775807 - 1)), coalesce(NULL, 3, abs(-9223372036854775807 - 1))",
        "SELECT coalesce(NULL, NULL, abs(-9223372036854775807 - 1))",
        "SELECT ifnull(NULL, abs(-9223372036854775807 - 1))",
        "CREATE TABLE t(a); INSERT INTO t VALUES (1), (NULL), (3); SELECT a, coalesce(a, 10 / 0, 'x'), ifnull(a, 'n') FROM t; "
        + "SELECT coalesce(a, abs(-9223372036854775807 - 1)) FROM t WHERE a IS NOT NULL; SELECT coalesce(a) FROM t; SELECT ifnull(a) FROM t; SELECT ifnull(a, 1, 2) FROM t",
        "CREATE TABLE t(a); INSERT INTO t VALUES (1); SELECT coalesce(a, (SELECT abs(-9223372036854775807 - 1))) FROM t; "
        + "SELECT typeof(coalesce(NULL, 1.5)), coalesce(NULL, NULL), typeof(ifnull(NULL, NULL)), coalesce('a' COLLATE nocase, 'b') = 'A'",
        "WITH c AS (SELECT * FROM nosuch) SELECT 1",
        "WITH c AS (SELECT abs(-9223372036854775807 - 1)) SELECT 2",
        "WITH c(a, b) AS (SELECT 1) SELECT 3",
        "WITH c AS (SELECT nosuchfn(1)) SELECT 4",
        "WITH c AS (SELECT x FROM (SELECT 1 AS y)) SELECT 5",
        "WITH c AS (SELECT 1), c AS (SELECT 2) SELECT 6",
        "WITH a AS (SELECT 1), b AS (SELECT * FROM a, nosuch) SELECT * FROM a",
        "CREATE TABLE t(x); INSERT INTO t VALUES (1); WITH c AS (SELECT * FROM nosuch) UPDATE t SET x = 2; WITH c AS (SELECT 1/0 x) DELETE FROM t; SELECT count(*) FROM t",
        "WITH c AS (SELECT abs(-9223372036854775807 - 1) AS v) SELECT v FROM c");

    [Theory]
    [MemberData(nameof(NullsOrderScripts))]
    public void Nulls_first_and_last_place_nulls_when_sorting(string script) => Differential.AssertSame(script);

    [Theory]
    [MemberData(nameof(FilterScripts))]
    public void Aggregate_filter_skips_rows_when_the_condition_is_not_true(string script) => Differential.AssertSame(script);

    [Theory]
    [MemberData(nameof(AggregateOrderScripts))]
    public void Aggregate_order_by_orders_the_inputs_when_given(string script) => Differential.AssertSame(script);

    [Theory]
    [MemberData(nameof(InScripts))]
    public void In_compares_with_sqlite_affinity_and_collation_when_testing_membership(string script) => Differential.AssertSame(script);

    [Theory]
    [MemberData(nameof(TruthScripts))]
    public void Is_true_tests_the_truth_of_a_value_when_compared_with_the_keyword(string script) => Differential.AssertSame(script);

    [Theory]
    [MemberData(nameof(ArithmeticScripts))]
    public void Remainder_converts_operands_as_sqlite_does_when_text_or_real(string script) => Differential.AssertSame(script);

    [Theory]
    [MemberData(nameof(SumScripts))]
    public void Sum_treats_integer_text_as_integers_when_adding(string script) => Differential.AssertSame(script);

    [Theory]
    [MemberData(nameof(RowidScripts))]
    public void Integer_primary_key_rejects_non_integers_when_written(string script) => Differential.AssertSame(script);

    [Theory]
    [MemberData(nameof(ChangesScripts))]
    public void Changes_reports_what_a_statement_kept_when_it_failed(string script) => Differential.AssertSame(script);

    [Theory]
    [MemberData(nameof(LazyScripts))]
    public void Coalesce_and_unused_ctes_evaluate_only_what_sqlite_does_when_run(string script) => Differential.AssertSame(script);

    // ORDER BY / GROUP BY naming a result column: an AS alias (also of a plain column) wins;
    // a bare column's own name resolves against the FROM clause.
    [Theory]
    [InlineData("CREATE TABLE t(x, y); INSERT INTO t VALUES (2, 'b'), (1, 'a'), (2, 'c'); SELECT t.x AS qq FROM t ORDER BY qq; SELECT x AS qq, y FROM t ORDER BY qq DESC, y; "
        + "SELECT t.x AS qq, count(*) FROM t GROUP BY qq ORDER BY qq; SELECT y AS x FROM t ORDER BY x; SELECT x AS y FROM t ORDER BY y")]
    [InlineData("CREATE TABLE a(x); CREATE TABLE b(x); INSERT INTO a VALUES (1); INSERT INTO b VALUES (2); SELECT a.x FROM a, b ORDER BY x; "
        + "SELECT a.x AS x FROM a, b ORDER BY x; SELECT a.x AS z FROM a, b ORDER BY z; SELECT a.x AS z FROM a, b GROUP BY z")]
    public void Order_and_group_by_name_result_aliases_as_in_sqlite(string script) => Differential.AssertSame(script);

    // A recursive CTE's step reads one queue row at a time: aggregates, window functions and a
    // second reference to the CTE are errors, and the step reads the row without the affinity
    // that the CTE's readers outside apply.
    [Theory]
    [InlineData("WITH seq(x) AS (VALUES (1) UNION ALL SELECT max(x) FROM seq) SELECT x FROM seq; "
        + "WITH seq(x) AS (VALUES (1) UNION ALL SELECT x + 1 FROM seq GROUP BY x LIMIT 3) SELECT x FROM seq; "
        + "WITH seq(x) AS (VALUES (1) UNION ALL SELECT row_number() OVER () FROM seq) SELECT x FROM seq; "
        + "WITH seq(x) AS (VALUES (1) UNION ALL SELECT max(x) OVER () FROM seq GROUP BY x) SELECT x FROM seq; "
        + "WITH seq(x) AS (VALUES (1) UNION ALL SELECT a.x + b.x FROM seq AS a, seq AS b) SELECT x FROM seq; "
        + "WITH seq(x) AS (VALUES (1) UNION ALL SELECT max(a.x) OVER () FROM seq AS a JOIN seq AS b) SELECT x FROM seq; "
        + "WITH seq(x) AS (VALUES (1) UNION ALL SELECT x + 1 FROM seq WHERE x < 3 AND (SELECT count(*) FROM t) >= 0) SELECT x FROM seq; "
        + "WITH seq(x) AS (VALUES (1) UNION ALL SELECT x FROM seq WHERE x IN (SELECT x FROM seq)) SELECT x FROM seq; "
        + "WITH seq(x) AS (VALUES (1) UNION ALL SELECT x + 1 FROM seq WHERE x < 3 AND EXISTS (SELECT 1 FROM seq)) SELECT x FROM seq; "
        + "WITH seq(x) AS (VALUES (1) UNION ALL SELECT x + 1 FROM seq WHERE x < 3) SELECT x, (SELECT count(*) FROM seq) FROM seq; "
        + "WITH seq(x) AS (VALUES (1) UNION ALL SELECT x + 1 FROM (SELECT x FROM seq) WHERE x < 3) SELECT x FROM seq")]
    [InlineData("CREATE TABLE a(v INT); INSERT INTO a VALUES (1); CREATE VIEW w AS SELECT v AS x FROM a UNION ALL SELECT '11'; SELECT x, typeof(x), x < 200, x = 11 FROM w; "
        + "SELECT x, x < 200 FROM (SELECT v AS x FROM a UNION ALL SELECT '11') ORDER BY 1; SELECT x, x < 200 FROM (SELECT v AS x FROM a UNION ALL SELECT v || '1' FROM a) ORDER BY 1; "
        + "SELECT x, x < 200 FROM (SELECT v AS x FROM a UNION ALL SELECT v + 10 FROM a) ORDER BY 1; SELECT x, x < 200 FROM (SELECT v AS x FROM a UNION ALL SELECT x'3131') ORDER BY 1; "
        + "SELECT x, x = '1' FROM (SELECT v AS x FROM a UNION ALL SELECT NULL) ORDER BY 1; SELECT x, x = '1' FROM (SELECT '1' AS x UNION ALL SELECT v FROM a) ORDER BY 1")]
    [InlineData("CREATE TABLE a(v INT); INSERT INTO a VALUES (1); "
        + "WITH RECURSIVE c(x) AS (SELECT v FROM a UNION ALL SELECT '2' FROM c WHERE x < 3) SELECT count(*), typeof(max(x)) FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT v FROM a UNION ALL SELECT x || '1' FROM c WHERE x < 200) SELECT x, typeof(x), x < 200 FROM c")]
    public void Recursive_cte_steps_are_checked_and_typed_as_in_sqlite(string script) => Differential.AssertSame("CREATE TABLE t(z); " + script);

    public static TheoryData<string> ExistsDropsOrderScripts() => new(
        "CREATE TABLE t(x); INSERT INTO t VALUES (1), (1), (2); "
        + "SELECT EXISTS (SELECT x FROM t ORDER BY ABS(-9223372036854775807 - 1)); SELECT EXISTS (SELECT x FROM t ORDER BY ABS(-9223372036854775807 - 1) LIMIT 2); "
        + "SELECT EXISTS (SELECT DISTINCT x FROM t ORDER BY x LIMIT 5 OFFSET 2); SELECT EXISTS (SELECT DISTINCT x FROM t LIMIT 5 OFFSET 2); "
        + "SELECT EXISTS (SELECT x FROM t ORDER BY x LIMIT 1 OFFSET 2), EXISTS (SELECT x FROM t ORDER BY x LIMIT 1 OFFSET 3), NOT EXISTS (SELECT x FROM t WHERE x > 1 ORDER BY x DESC)",
        "CREATE TABLE t(x); INSERT INTO t VALUES (1), (1), (2); "
        + "SELECT x, EXISTS (SELECT 1 FROM t AS u WHERE u.x > t.x ORDER BY abs(-9223372036854775807 - 1)) FROM t; "
        + "SELECT EXISTS (SELECT count(*) FROM t ORDER BY 1), EXISTS (SELECT x FROM t GROUP BY x ORDER BY x LIMIT 1 OFFSET 1); "
        + "SELECT EXISTS (SELECT x, row_number() OVER () FROM t ORDER BY 2 LIMIT 1 OFFSET 1); "
        + "SELECT 1 IN (SELECT x FROM t ORDER BY ABS(-9223372036854775807 - 1)); SELECT EXISTS (SELECT x FROM t ORDER BY nosuchcol); SELECT EXISTS (SELECT x FROM t ORDER BY 5)");

    [Theory]
    [MemberData(nameof(ExistsDropsOrderScripts))]
    public void Exists_drops_order_by_and_distinct_as_sqlite_does(string script) => Differential.AssertSame(script);

    [Theory]
    [InlineData("SELECT CAST('3.0' AS NUMERIC), typeof(CAST('3.0' AS NUMERIC)), CAST('1e10' AS NUMERIC), typeof(CAST('1e10' AS NUMERIC)), CAST('-0.0' AS NUMERIC), typeof(CAST('-0.0' AS NUMERIC)), "
        + "CAST('2251799813685248.0' AS NUMERIC), typeof(CAST('2251799813685248.0' AS NUMERIC)), CAST('2251799813685247.0' AS NUMERIC), CAST(' 3.0 ' AS NUMERIC), CAST('3.0x' AS NUMERIC), "
        + "CAST('1e18' AS NUMERIC), CAST('1e19' AS NUMERIC), CAST('9223372036854775807.0' AS NUMERIC), CAST('-1e15' AS NUMERIC), CAST('3.0' AS DECIMAL), typeof(CAST('4.0' AS xyz))")]
    [InlineData("SELECT CAST('-2251799813685248.0' AS NUMERIC), CAST('-2251799813685249.0' AS NUMERIC), CAST(x'332E30' AS NUMERIC), CAST('9223372036854775808' AS NUMERIC), "
        + "CAST('-9223372036854775808' AS NUMERIC), CAST('1.5e3' AS NUMERIC), CAST('0x10' AS NUMERIC), CAST('' AS NUMERIC), CAST('.' AS NUMERIC), CAST('1e-400' AS NUMERIC), typeof(CAST('-1e-400' AS NUMERIC)), "
        + "CAST(3.0 AS NUMERIC), CAST('1e15' AS NUMERIC) = 1e15, typeof(CAST('4503599627370496.0' AS NUMERIC))")]
    public void Cast_to_numeric_makes_integers_only_of_small_whole_reals(string script) => Differential.AssertSame(script);

    [Theory]
    // A column named twice takes its first value; the rowid (by any name or its alias) its last.
    [InlineData("create table t2 (x, y INTEGER PRIMARY KEY, z); insert into t2(z, x, y, rowid) values (1, 2, 3, 4), (5, 6, 7, 8); "
        + "insert into t2(z, x, rowid, y) values (-1, -2, -3, -4), (-5, -6, -7, -8); insert into t2(z, x, oid, _rowid_) values (-11, -12, -13, -14); "
        + "insert into t2(y, x) select 20, 21; insert into t2(rowid, y, x) select 30, 31, 32; select rowid, x, y, z from t2")]
    [InlineData("create table t3(a, b); insert into t3(a, a, b) values (2, 3, 4); insert into t3(b, a, b) values (5, 6, 7); insert into t3(rowid, a, rowid) values (10, 1, 11); "
        + "insert into t3(a, b, a) select 8, 9, 10; select rowid, * from t3")]
    public void Insert_column_lists_naming_a_column_twice_as_in_sqlite(string script) => Differential.AssertSame(script);

    [Theory]
    // OLD.x and NEW.x have no affinity, but the rowid under any name (and its INTEGER PRIMARY KEY alias) is an integer.
    [InlineData("CREATE TABLE t12(id INTEGER PRIMARY KEY, v); CREATE TABLE log12(msg); CREATE TRIGGER tr12 AFTER INSERT ON t12 WHEN NEW.id = '1' BEGIN INSERT INTO log12 VALUES('fired'); END; "
        + "INSERT INTO t12 VALUES(1, 'x'); SELECT * FROM log12")]
    [InlineData("CREATE TABLE t13(id); CREATE TABLE log13(a, b); CREATE TRIGGER tr13 AFTER INSERT ON t13 WHEN NEW.rowid = '1' AND NEW.oid = '1' BEGIN INSERT INTO log13 VALUES('fired', NEW.id = '1'); END; "
        + "INSERT INTO t13 VALUES(1); SELECT * FROM log13")]
    [InlineData("CREATE TABLE t14(id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE log14(a, b, c, d, e); "
        + "CREATE TRIGGER tr14 BEFORE UPDATE ON t14 BEGIN INSERT INTO log14 VALUES(OLD.id = '1', NEW._rowid_ = '1', OLD.v = 5, NEW.v IN ('5', 6), OLD.rowid IN ('1')); END; "
        + "INSERT INTO t14 VALUES(1, '5'); UPDATE t14 SET v = 5; SELECT * FROM log14; CREATE TRIGGER bad AFTER DELETE ON t14 BEGIN SELECT NEW.oid; END; DELETE FROM t14")]
    public void Trigger_rowid_references_have_integer_affinity(string script) => Differential.AssertSame(script);

    [Theory]
    // DROP TRIGGER removes only the trigger, whatever else shares its name.
    [InlineData("CREATE TABLE t(x); CREATE TABLE log(msg); CREATE TRIGGER t AFTER INSERT ON t BEGIN INSERT INTO log VALUES('fired'); END; INSERT INTO t VALUES(1); "
        + "DROP TRIGGER t; DELETE FROM log; INSERT INTO t VALUES(2); SELECT count(*) FROM log; SELECT type, name FROM sqlite_schema ORDER BY 1, 2")]
    [InlineData("CREATE TABLE i(x); CREATE INDEX i2 ON i(x); CREATE TRIGGER i2 AFTER INSERT ON i BEGIN SELECT 1; END; DROP TRIGGER i2; SELECT type, name FROM sqlite_schema ORDER BY 1, 2; "
        + "DROP INDEX i2; SELECT type, name FROM sqlite_schema ORDER BY 1, 2; "
        + "CREATE VIEW vv AS SELECT 1; CREATE TRIGGER vv AFTER INSERT ON i BEGIN SELECT 1; END; DROP VIEW vv; SELECT type, name FROM sqlite_schema WHERE name = 'vv'; INSERT INTO i VALUES (1); DROP TRIGGER vv; "
        + "SELECT count(*) FROM sqlite_schema WHERE name = 'vv'; PRAGMA integrity_check")]
    public void Drop_trigger_leaves_a_table_index_or_view_of_the_same_name(string script) => Differential.AssertSame(script);

    [Theory]
    // The default a column added by ALTER TABLE gives the rows already stored, from a hex literal
    // (negating the smallest integer gives the real 2^63); coding it for a new row is an error.
    [InlineData("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1); ALTER TABLE t ADD COLUMN b DEFAULT -0x8000000000000000; SELECT a, b, typeof(b) FROM t;")]
    [InlineData("CREATE TABLE t1 (a INTEGER); INSERT INTO t1 VALUES (1); ALTER TABLE t1 ADD COLUMN b DEFAULT (-0x8000000000000000); SELECT a, b, typeof(b) FROM t1;")]
    [InlineData("CREATE TABLE t2 (a INTEGER); INSERT INTO t2 VALUES (1); ALTER TABLE t2 ADD COLUMN b DEFAULT -0x1; ALTER TABLE t2 ADD COLUMN c DEFAULT 0x10; ALTER TABLE t2 ADD COLUMN d DEFAULT -0x7fffffffffffffff; ALTER TABLE t2 ADD COLUMN e INT DEFAULT 0xffffffffffffffff; SELECT a, b, c, d, e, typeof(e) FROM t2;")]
    [InlineData("CREATE TABLE t3 (a INTEGER); INSERT INTO t3 VALUES (1); ALTER TABLE t3 ADD COLUMN b TEXT DEFAULT -0x8000000000000000; SELECT b, typeof(b) FROM t3; SELECT count(*) FROM t3 WHERE b > 0;")]
    [InlineData("CREATE TABLE t4 (a INTEGER); ALTER TABLE t4 ADD COLUMN b DEFAULT -0x8000000000000000; INSERT INTO t4 (a) VALUES (1);")]
    public void Added_column_hex_defaults_read_back_as_in_sqlite(string script) => Differential.AssertSame(script);
}
