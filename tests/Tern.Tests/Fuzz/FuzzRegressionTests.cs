// Regression tests for differences the query fuzzer found, each the reduced script it
// printed, checked against SQLite 3.50.4 with Differential.AssertSame.
using Tern.Tests.Engine;

namespace Tern.Tests.Fuzz;

public class FuzzRegressionTests
{
    [Fact]
    public void Generated_column_expressions_may_use_iif() =>
        Differential.AssertSame("CREATE TABLE t(a, b AS (iif(a, 'yes', 'no')) VIRTUAL, c AS (if(a > 1, a)) STORED); INSERT INTO t(a) VALUES (0), (2); SELECT * FROM t");

    [Fact]
    public void Exists_does_not_evaluate_its_result_columns() =>
        Differential.AssertSame("CREATE TABLE t0(c3); INSERT INTO t0 VALUES (-9223372036854775808); CREATE TABLE e(x); "
            + "SELECT 1 WHERE NOT EXISTS (SELECT abs(c3) FROM t0); SELECT EXISTS (SELECT abs(c3) FROM t0 LIMIT 1 OFFSET 0); "
            + "SELECT EXISTS (SELECT max(abs(c3)) FROM e), EXISTS (SELECT abs(c3) FROM e), EXISTS (SELECT abs(c3), (SELECT abs(c3)) FROM t0 WHERE c3 < 0); "
            + "SELECT x FROM (SELECT 1 AS x) WHERE EXISTS (SELECT c3 + 1 FROM t0 WHERE c3 = x - 9223372036854775807 - 2); "
            + "SELECT EXISTS (SELECT DISTINCT abs(c3) FROM t0); INSERT INTO e VALUES (1), (1); "
            + "SELECT EXISTS (SELECT DISTINCT x FROM e LIMIT 1 OFFSET 1), EXISTS (SELECT x FROM e LIMIT 1 OFFSET 2), EXISTS (SELECT DISTINCT x, count(*) FROM e GROUP BY x LIMIT 1 OFFSET 1); "
            + "SELECT EXISTS (SELECT nosuch FROM t0)");

    [Fact]
    public void Text_minus_zero_is_negative_zero_as_a_real() =>
        Differential.AssertSame("CREATE TABLE t(c TEXT, r REAL, n NUMERIC); INSERT INTO t VALUES ('-0', '-0', '-0'), ('-0.0', '-0.0', '-0.0'), (' -0', ' -0', ' -00'); "
            + "SELECT CAST(c AS REAL), c * 1.0, c + 0, c * 1, abs(c), r, typeof(r), n, typeof(n), -c, CAST('-0' AS REAL), '-0' * 1.0, '+0' * 1.0, '-00e0' * 1, round('-0') FROM t");

    [Fact]
    public void Order_by_number_names_the_result_column_when_it_carries_a_collation() =>
        Differential.AssertSame("CREATE TABLE t0(c0, c1); INSERT INTO t0 VALUES ('a', 'B'), (10, 'a'), (NULL, 'c'); "
            + "SELECT c0 FROM t0 ORDER BY 1 COLLATE BINARY; SELECT c0 FROM t0 ORDER BY 1 COLLATE BINARY DESC LIMIT 2; "
            + "SELECT c1 AS x FROM t0 ORDER BY x COLLATE NOCASE; SELECT c1 FROM t0 ORDER BY 1 COLLATE NOCASE DESC");

    [Fact]
    public void Left_join_on_term_of_the_left_table_does_not_bound_the_left_loop() =>
        Differential.AssertSame("CREATE TABLE t0(c0 FLOATING POINT, c1 DOUBLE COLLATE NOCASE); CREATE INDEX i1 ON t0(c1); "
            + "INSERT INTO t0(c0) VALUES (NULL); INSERT INTO t0 VALUES (1, 5), (2, 1); "
            + "SELECT a0.c1, a1.c0 FROM t0 AS a0 LEFT JOIN t0 AS a1 ON (2 > a0.c1) ORDER BY 1, 2; "
            + "SELECT a0.c0, a1.c0 FROM t0 AS a0 LEFT JOIN t0 AS a1 ON a0.c1 = 5 ORDER BY 1, 2; "
            + "CREATE TABLE t1(a INTEGER PRIMARY KEY, b); INSERT INTO t1 VALUES (1, 1), (2, 2); "
            + "SELECT x.a, y.a FROM t1 AS x LEFT JOIN t1 AS y ON x.a = 2 AND y.b = 1 ORDER BY 1");

    [Fact]
    public void Numeric_affinity_stores_integral_reals_as_integers_up_to_the_int64_limits() =>
        Differential.AssertSame("CREATE TABLE t(c NUMERIC, d INTEGER, e DATE); "
            + "INSERT INTO t VALUES (1e15, 1e15, 1e15), (2.5e15, 2.5e15, 2.5e15), (1e18, 1e18, 1e18), (9.2e18, -9.2e18, 9.2e18), "
            + "(9223372036854775807.0, 9223372036854775807.0, -9223372036854775808.0), (-0.0, -0.0, 1.5); "
            + "SELECT typeof(c), c, typeof(d), d, typeof(e), e FROM t");

    [Fact]
    public void Like_and_glob_match_no_blob() =>
        Differential.AssertSame("SELECT x'31' LIKE '_', x'31' GLOB '?', '1' LIKE x'31', NULL LIKE x'31', x'31' LIKE NULL, x'61' GLOB NULL, "
            + "'a' LIKE 'a' ESCAPE x'31', 'a' LIKE 'a', '1' GLOB '1'; "
            + "CREATE TABLE t(c); INSERT INTO t VALUES (x'31'), ('1'); UPDATE t SET c = 'x' WHERE c LIKE '_'; SELECT * FROM t");

    [Fact]
    public void Before_triggers_see_new_values_with_column_affinity() =>
        Differential.AssertSame("CREATE TABLE t0(c0 FLOATING POINT, c1 NUMERIC, c2 TEXT); CREATE TABLE tlog(k, v, w); "
            + "CREATE TRIGGER tr0 BEFORE INSERT ON t0 BEGIN INSERT INTO tlog VALUES ('i', new.c1, new.c2); END; "
            + "CREATE TRIGGER tr1 BEFORE UPDATE ON t0 BEGIN INSERT INTO tlog VALUES ('u', new.c1, new.c2); END; "
            + "INSERT INTO t0(c0, c1, c2) VALUES (NULL, '1e3', 5); UPDATE t0 SET c1 = '7', c2 = 1.5; SELECT * FROM tlog; SELECT * FROM t0");

    [Fact]
    public void Unnamed_check_fails_with_the_text_between_its_parentheses() =>
        Differential.AssertSame("CREATE TABLE t0(c0, c1 CHECK ((c0 < 5)), c2 CHECK (''), c3 CHECK (  c0 <> 7  ), CHECK(\"c0\" != 9)); "
            + "INSERT INTO t0(c0) VALUES (6); INSERT INTO t0(c0, c2) VALUES (1, 1); INSERT INTO t0(c0) VALUES (7); INSERT INTO t0(c0) VALUES (9)");

    [Fact]
    public void Unnamed_check_message_keeps_nested_parentheses_balanced() =>
        Differential.AssertSame("CREATE TABLE t0(c1 DOUBLE, c2 CHECK (((-1.5 < c1) >= ''))); INSERT INTO t0(c1, c2) VALUES (' ', 1); "
            + "CREATE TABLE t1(c0 INTEGER PRIMARY KEY, c1 CHECK (((CASE c0 WHEN c0 THEN 2.25 END) > '1 ')), CONSTRAINT named CHECK (c0 > 0)); "
            + "INSERT INTO t1(c0) VALUES (10); INSERT INTO t1(c0, c1) VALUES (-1, 5)");

    [Fact]
    public void Like_and_glob_read_text_up_to_the_first_nul() =>
        Differential.AssertSame("SELECT ('a' || char(0) || 'b') LIKE 'a', ('a' || char(0) || 'b') NOT LIKE '%B%', 'x' LIKE ('x' || char(0) || 'y'), "
            + "('a' || char(0) || 'b') GLOB 'a', ('a' || char(0) || 'b') GLOB '*b'");

    [Fact]
    public void Real_column_stores_negative_zero_as_zero() =>
        Differential.AssertSame("CREATE TABLE t(a, b REAL, c DOUBLE, d INTEGER); INSERT INTO t VALUES (-0.0, -0.0, -0.0, -0.0); "
            + "SELECT a, b, c, d, typeof(b), 1 / b FROM t; UPDATE t SET b = -0.0, c = 0.0 * -1; SELECT b, c FROM t");

    [Fact]
    public void Update_setting_the_rowid_alias_to_null_is_a_datatype_mismatch() =>
        Differential.AssertSame("CREATE TABLE t1(c0 INTEGER PRIMARY KEY, c1); INSERT INTO t1 VALUES (1, 'a'), (2, 'b'); "
            + "UPDATE OR REPLACE t1 SET c0 = NULL WHERE c0 = 1; UPDATE t1 SET c0 = NULL; UPDATE t1 SET c0 = '7' WHERE c0 = 2; SELECT * FROM t1; "
            + "INSERT INTO t1 VALUES (7, 'x') ON CONFLICT DO UPDATE SET c0 = NULL; SELECT * FROM t1");

    [Fact]
    public void Column_name_of_an_expression_keeps_its_leading_parentheses() =>
        Differential.AssertSame("CREATE TABLE t(a); INSERT INTO t VALUES (1); SELECT (a), (1), (a)+1, ((1)), (a) AS z, -(1), ( 1 ), ('x' || a) LIKE 'x_' FROM t");

    [Fact]
    public void Upsert_with_several_values_rows_updates_and_inserts_each_row() =>
        Differential.AssertSame("CREATE TABLE t2(c0 INTEGER UNIQUE, c1); INSERT INTO t2 VALUES (5, 'x'); "
            + "INSERT INTO t2(c0, c1) VALUES (5, 'b'), (6, 'c'), (5, 'd') ON CONFLICT DO UPDATE SET c1 = c1 || excluded.c1; SELECT * FROM t2; "
            + "INSERT INTO t2(c0, c1) VALUES (5, 'a'), (7, 'b'), (NULL, 'c') ON CONFLICT DO UPDATE SET c0 = excluded.c0; SELECT * FROM t2; "
            + "INSERT INTO t2(c0, c1) VALUES (6, 'n'), (8, 'm') ON CONFLICT DO NOTHING; SELECT * FROM t2");

    [Fact]
    public void Cast_of_a_real_to_numeric_keeps_it_real() =>
        Differential.AssertSame("SELECT typeof(CAST(1.0 AS NUMERIC)), CAST(0.0 AS NUMERIC), CAST(-2.0 AS NUMERIC), typeof(CAST('1.0' AS NUMERIC)), json_quote(CAST(1.0 AS NUMERIC)); "
            + "CREATE TABLE t0(c0 DOUBLE); INSERT INTO t0 VALUES ('1 '); SELECT json_quote(CAST(c0 AS NUMERIC)), sum(CAST(log10(1) AS NUMERIC)) FROM t0");

    [Fact]
    public void Arithmetic_on_text_reads_only_its_numeric_prefix() =>
        Differential.AssertSame("SELECT typeof(1) - 0, 'integer' - 0, json_object('k', 0.0) - 0, '{\"k\":0.0}' - 0, 'abc' - 0, '12abc.5' + 0, '1e3x' + 0, '.5e' + 0, 'e5' + 0");

    [Fact]
    public void Substr_of_an_empty_blob_is_null() =>
        Differential.AssertSame("SELECT substr(x'', 1) IS NULL, substr(x'', 1, 2) IS NULL, typeof(substr(x'00', 1)), typeof(substr('', 1)), substr(x'0102', 2)");

    [Fact]
    public void Like_and_glob_count_a_character_outside_the_bmp_as_one() =>
        Differential.AssertSame("SELECT '😀' GLOB '?', '😀' LIKE '_', 'a😀b' GLOB 'a?b', 'a😀b' LIKE 'a_b', '😀' GLOB '[😀]', 'x😀' LIKE 'x😀' ESCAPE '😀', '😀😀' LIKE '_'; "
            + "CREATE TABLE t2(c0 INTEGER PRIMARY KEY, c2 INT); INSERT INTO t2 VALUES (2, '😀'); DELETE FROM t2 WHERE (c2 NOT GLOB '?'); SELECT * FROM t2");
}
