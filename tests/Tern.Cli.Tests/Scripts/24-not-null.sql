-- NOT NULL constraints: the failing statement changes nothing and the script goes on.
CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT);
INSERT INTO t(name) VALUES ('ok');
INSERT INTO t(name) VALUES (NULL);
INSERT INTO t(note) VALUES ('no name');
SELECT * FROM t;
UPDATE t SET name = NULL;
SELECT * FROM t;
INSERT INTO t(name, note) VALUES ('second', 'fine');
SELECT count(*) FROM t;
