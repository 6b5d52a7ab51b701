-- Column affinity decides how values are stored.
CREATE TABLE t(i INTEGER, r REAL, n NUMERIC, tx TEXT, b BLOB, none);
INSERT INTO t VALUES ('12', '12', '12', 12, '12', '12');
INSERT INTO t VALUES ('1.5', '1.5', '1.5', 1.5, 1.5, 1.5);
INSERT INTO t VALUES ('abc', 'abc', 'abc', 'abc', 'abc', 'abc');
INSERT INTO t VALUES (3.0, 3, '3.0', 3.0, x'01', NULL);
SELECT typeof(i), typeof(r), typeof(n), typeof(tx), typeof(b), typeof(none) FROM t;
SELECT i, r, n, tx, none FROM t;
SELECT i + 1, r + 1, n + 1 FROM t WHERE rowid < 3;
