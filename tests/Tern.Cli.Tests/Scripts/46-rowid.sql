-- Rowids: the INTEGER PRIMARY KEY alias, automatic rowids, explicit rowids.
CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
INSERT INTO t(v) VALUES ('a'), ('b');
INSERT INTO t VALUES (100, 'c');
INSERT INTO t(v) VALUES ('d');
SELECT rowid, id, v FROM t;
CREATE TABLE u(v TEXT);
INSERT INTO u VALUES ('x'), ('y');
INSERT INTO u(rowid, v) VALUES (50, 'z');
SELECT rowid, _rowid_, oid, v FROM u;
DELETE FROM u WHERE rowid = 50;
INSERT INTO u VALUES ('w');
SELECT rowid, v FROM u;
SELECT * FROM t WHERE id = 100;
SELECT * FROM t WHERE rowid > 1 AND rowid < 101;
