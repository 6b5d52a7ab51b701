-- JSON mode: types, escapes, NULL.
CREATE TABLE t(i INTEGER, s TEXT, r REAL, n);
INSERT INTO t VALUES (1, 'plain', 1.5, NULL), (2, 'quote " and \ backslash', 0.25, NULL), (3, 'line
break	tab', -2.0, 'x');
.mode json
SELECT * FROM t;
SELECT i FROM t WHERE i > 5;
SELECT s AS "odd ""name""" FROM t WHERE i = 1;
SELECT 0.1, 1.0 / 3, 3.14159, 1e100, 1e-10, 123456789.123456789, 9007199254740993.0;
