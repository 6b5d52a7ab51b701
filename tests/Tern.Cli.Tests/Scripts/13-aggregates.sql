-- Aggregate functions over integers, reals, text and empty sets.
CREATE TABLE t(i INTEGER, r REAL, s TEXT);
INSERT INTO t VALUES (1, 1.5, 'x'), (2, 2.5, 'y'), (3, NULL, 'z'), (4, 4.0, NULL);
SELECT count(*), count(i), count(r), count(s) FROM t;
SELECT sum(i), sum(r), total(i), total(r) FROM t;
SELECT avg(i), avg(r) FROM t;
SELECT min(s), max(s), min(r), max(r) FROM t;
SELECT sum(i) FROM t WHERE i > 100;
SELECT total(i), count(*), avg(i), min(i) FROM t WHERE i > 100;
SELECT sum(i * r) FROM t;
