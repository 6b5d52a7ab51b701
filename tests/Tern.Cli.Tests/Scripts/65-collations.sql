-- Indexes, UNIQUE keys and sorts under NOCASE and RTRIM: the file must pass sqlite3's
-- integrity_check, which re-checks every index's key order with the declared collations.
-- (Which spelling a NOCASE group shows differs between SQLite versions, so groups print lower-cased.)
CREATE TABLE people(name TEXT COLLATE NOCASE, city TEXT, code TEXT COLLATE RTRIM UNIQUE);
CREATE INDEX people_name ON people(name);
CREATE INDEX people_city ON people(city COLLATE NOCASE DESC, name);
INSERT INTO people VALUES ('alice', 'Paris', 'a1'), ('Bob', 'berlin', 'b1 '), ('ALICE', 'paris', 'a2'), ('bob', 'Berlin', 'b2'), ('Carol', 'ROME', 'c1  ');
INSERT INTO people VALUES ('dave', 'Oslo', 'a1  ');
SELECT name, city FROM people WHERE name = 'BOB' ORDER BY city;
SELECT DISTINCT name FROM people ORDER BY 1;
SELECT lower(city), count(*) FROM people GROUP BY city COLLATE NOCASE ORDER BY 1;
SELECT code FROM people ORDER BY code DESC;
UPDATE people SET name = upper(name) WHERE city = 'paris' COLLATE NOCASE;
DELETE FROM people WHERE name = 'bob' AND city = 'berlin';
SELECT name, city, code FROM people ORDER BY name, city;
PRAGMA integrity_check;
