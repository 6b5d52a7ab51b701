-- UPDATE of keys and indexed columns.
CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, v INTEGER);
CREATE INDEX t_k ON t(k);
INSERT INTO t VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30);
UPDATE t SET k = 'z' WHERE id = 1;
SELECT k FROM t ORDER BY k;
UPDATE t SET id = id + 10;
SELECT * FROM t;
UPDATE t SET v = v * 2, k = k || k WHERE v >= 20;
SELECT * FROM t WHERE k = 'bb';
UPDATE t SET v = NULL WHERE id = 13;
SELECT id, v FROM t ORDER BY v;
