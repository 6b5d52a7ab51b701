-- PRIMARY KEY constraints: the rowid alias and a text key.
CREATE TABLE a(id INTEGER PRIMARY KEY, v TEXT);
INSERT INTO a VALUES (1, 'one');
INSERT INTO a VALUES (1, 'again');
INSERT INTO a(v) VALUES ('auto');
SELECT id, v, rowid FROM a;
CREATE TABLE b(code TEXT PRIMARY KEY, v INTEGER);
INSERT INTO b VALUES ('x', 1), ('y', 2);
INSERT INTO b VALUES ('x', 3);
SELECT * FROM b ORDER BY code;
UPDATE a SET id = 1 WHERE v = 'auto';
SELECT * FROM a;
