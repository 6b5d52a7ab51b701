-- Errors while statements run, and errors naming missing objects.
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL);
INSERT INTO t VALUES (1, 'x');
INSERT INTO t VALUES (1, 'dup');
SELECT * FROM nosuch;
INSERT INTO nosuch VALUES (1);
DROP TABLE nosuch;
INSERT INTO t VALUES (2, NULL);
SELECT abs(-9223372036854775808);
SELECT * FROM t;
