-- Custom separators and NULL text.
CREATE TABLE t(a, b, c);
INSERT INTO t VALUES (1, NULL, 'x'), (NULL, 2, NULL);
.separator ", " "\n--\n"
SELECT * FROM t;
.nullvalue NULL
SELECT * FROM t;
.separator |
.headers on
SELECT * FROM t;
.separator "\t"
SELECT a, c FROM t;
