-- Column mode: widths from the widest value, the header line, multi-line values.
CREATE TABLE t(id INTEGER, name TEXT, price REAL);
INSERT INTO t VALUES (1, 'short', 1.5), (22, 'a much longer name', 10.25), (333, NULL, NULL);
.mode column
SELECT * FROM t;
SELECT id FROM t WHERE id > 100;
SELECT name AS n FROM t WHERE name IS NULL;
.headers off
SELECT * FROM t;
.headers on
INSERT INTO t VALUES (4, 'two
lines', 0.5);
SELECT * FROM t;
.width 3 -8
SELECT id, name FROM t;
