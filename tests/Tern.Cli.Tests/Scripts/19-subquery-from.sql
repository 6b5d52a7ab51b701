-- Subqueries in FROM.
CREATE TABLE t(k TEXT, v INTEGER);
INSERT INTO t VALUES ('x', 1), ('x', 2), ('y', 10), ('z', 7), ('z', 8);
SELECT k, s FROM (SELECT k, sum(v) AS s FROM t GROUP BY k) WHERE s > 5 ORDER BY s;
SELECT max(s) FROM (SELECT sum(v) AS s FROM t GROUP BY k);
SELECT a.k, a.v, b.total FROM t a JOIN (SELECT k, sum(v) AS total FROM t GROUP BY k) b ON a.k = b.k ORDER BY a.k, a.v;
SELECT * FROM (SELECT v * 2 AS d FROM t ORDER BY v DESC LIMIT 3) ORDER BY d;
