-- Line mode: one value per line, names right-aligned, a blank line between rows.
CREATE TABLE t(id INTEGER, longer_name TEXT, v);
INSERT INTO t VALUES (1, 'a', NULL), (2, 'b', 3.5);
.mode line
SELECT * FROM t;
SELECT id AS x FROM t WHERE id = 1;
.nullvalue (null)
SELECT v FROM t;
