-- Tables, rows, and a plain SELECT in list mode.
CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT, age INTEGER);
INSERT INTO people(name, age) VALUES ('Ada', 36);
INSERT INTO people(name, age) VALUES ('Brian', 41), ('Carla', 29);
INSERT INTO people VALUES (10, 'Dmitri', NULL);
SELECT * FROM people;
SELECT name FROM people WHERE age > 30;
SELECT id, name FROM people ORDER BY id DESC;
SELECT count(*) FROM people;
