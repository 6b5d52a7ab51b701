-- Scalar subqueries, correlated and not.
CREATE TABLE t(g TEXT, v INTEGER);
INSERT INTO t VALUES ('a', 1), ('a', 5), ('b', 2), ('b', 9), ('c', 4);
SELECT (SELECT max(v) FROM t);
SELECT g, v, (SELECT max(v) FROM t t2 WHERE t2.g = t.g) AS top FROM t ORDER BY g, v;
SELECT g, v FROM t WHERE v = (SELECT max(v) FROM t t2 WHERE t2.g = t.g) ORDER BY g;
SELECT (SELECT v FROM t WHERE g = 'zzz');
SELECT (SELECT count(*) FROM t) * 10;
