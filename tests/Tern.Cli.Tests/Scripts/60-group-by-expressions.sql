-- Grouping by expressions, and aggregates in ORDER BY.
CREATE TABLE t(n INTEGER);
INSERT INTO t VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10);
SELECT n % 3, count(*), sum(n) FROM t GROUP BY n % 3;
SELECT n > 5 AS big, min(n), max(n) FROM t GROUP BY n > 5;
SELECT n % 4 AS k, group_concat(n) FROM t GROUP BY n % 4 ORDER BY k DESC;
SELECT n % 2, avg(n) FROM t GROUP BY 1 ORDER BY avg(n);
SELECT count(*) FROM t GROUP BY n % 2 HAVING sum(n) > 25;
