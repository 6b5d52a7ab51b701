-- UNIQUE constraints on one and several columns.
CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT UNIQUE, first TEXT, last TEXT, UNIQUE(first, last));
INSERT INTO users(email, first, last) VALUES ('a@x', 'Ann', 'Lee');
INSERT INTO users(email, first, last) VALUES ('a@x', 'Bob', 'Ray');
INSERT INTO users(email, first, last) VALUES ('b@x', 'Ann', 'Lee');
INSERT INTO users(email, first, last) VALUES ('c@x', 'Ann', 'Ray');
INSERT INTO users(email, first, last) VALUES (NULL, 'Cy', 'Ng'), (NULL, 'Di', 'Ng');
SELECT * FROM users;
UPDATE users SET email = 'a@x' WHERE id = 3;
SELECT email FROM users ORDER BY id;
