-- DELETE of some rows, all rows, and rows chosen by a subquery.
CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
INSERT INTO t(v) VALUES ('a'), ('b'), ('c'), ('d'), ('e'), ('f');
DELETE FROM t WHERE id = 2;
SELECT * FROM t;
DELETE FROM t WHERE v IN ('d', 'e');
SELECT * FROM t;
DELETE FROM t WHERE id > (SELECT min(id) FROM t);
SELECT * FROM t;
DELETE FROM t;
SELECT count(*) FROM t;
INSERT INTO t(v) VALUES ('again');
SELECT * FROM t;
