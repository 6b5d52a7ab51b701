-- Indexes: creation, lookups through them, and a unique index.
CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, v INTEGER);
CREATE INDEX t_k ON t(k);
CREATE UNIQUE INDEX t_v ON t(v);
INSERT INTO t(k, v) VALUES ('b', 2), ('a', 1), ('c', 3), ('a', 4);
SELECT id, k, v FROM t WHERE k = 'a' ORDER BY id;
SELECT k FROM t WHERE k > 'a' ORDER BY k;
INSERT INTO t(k, v) VALUES ('d', 3);
SELECT count(*) FROM t;
CREATE INDEX t_kv ON t(k, v DESC);
SELECT k, v FROM t WHERE k = 'a' AND v > 1;
SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index' ORDER BY name;
