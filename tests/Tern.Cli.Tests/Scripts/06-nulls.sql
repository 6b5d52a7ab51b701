-- NULL in expressions, comparisons and aggregates.
CREATE TABLE t(a, b);
INSERT INTO t VALUES (1, NULL), (NULL, 2), (NULL, NULL), (3, 4);
SELECT a, b FROM t;
SELECT count(*), count(a), count(b) FROM t;
SELECT a IS NULL, b IS NOT NULL FROM t;
SELECT NULL = NULL, NULL IS NULL, NULL + 1, NULL || 'x';
SELECT coalesce(a, b, 'none') FROM t;
SELECT ifnull(a, -1), nullif(a, 3) FROM t;
SELECT sum(a), avg(b), min(a), max(b) FROM t;
SELECT * FROM t WHERE a = NULL;
SELECT * FROM t WHERE a IS NULL AND b IS NULL;
