-- ORDER BY: directions, several keys, NULLs, expressions, collation.
CREATE TABLE t(name TEXT, score INTEGER);
INSERT INTO t VALUES ('bob', 3), ('Alice', 5), ('carol', NULL), ('dave', 3), ('Eve', 1);
SELECT * FROM t ORDER BY score;
SELECT * FROM t ORDER BY score DESC, name;
SELECT * FROM t ORDER BY name;
SELECT * FROM t ORDER BY lower(name);
SELECT name, score * 2 AS s FROM t ORDER BY s DESC, name DESC;
SELECT name FROM t ORDER BY length(name), name;
SELECT * FROM t ORDER BY 2, 1;
