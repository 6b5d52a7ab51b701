-- Quote and insert modes: values as SQL literals.
CREATE TABLE t(i INTEGER, s TEXT, b BLOB, r REAL);
INSERT INTO t VALUES (1, 'it''s', x'00ff', 0.5), (2, NULL, NULL, 2.0), (3, 'two
lines', x'', 100.25);
.mode quote
SELECT * FROM t;
SELECT 0.1, 2.0 / 3, 1e-7, 6.02214076e23;
.mode insert items
SELECT * FROM t;
.headers on
SELECT i, s FROM t;
