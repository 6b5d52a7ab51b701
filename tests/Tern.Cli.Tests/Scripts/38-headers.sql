-- Column names in headers: aliases, expressions, table columns.
CREATE TABLE t(a INTEGER, "b c" TEXT);
INSERT INTO t VALUES (1, 'x');
.headers on
SELECT * FROM t;
SELECT a AS alias, a + 1, upper("b c"), count(*) FROM t;
SELECT t.a, t."b c" FROM t;
SELECT 1, 'two', NULL, 3.0;
SELECT a FROM t WHERE a > 1;
