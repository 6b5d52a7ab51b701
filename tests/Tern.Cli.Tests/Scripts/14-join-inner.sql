-- Inner joins, written with JOIN ... ON and with a comma and WHERE.
CREATE TABLE authors(id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE books(id INTEGER PRIMARY KEY, author_id INTEGER, title TEXT, year INTEGER);
INSERT INTO authors VALUES (1, 'Austen'), (2, 'Borges'), (3, 'Calvino');
INSERT INTO books VALUES (1, 1, 'Emma', 1815), (2, 2, 'Ficciones', 1944), (3, 1, 'Persuasion', 1817), (4, 3, 'Invisible Cities', 1972), (5, 9, 'Orphan', 2000);
SELECT a.name, b.title FROM authors a JOIN books b ON b.author_id = a.id ORDER BY b.year;
SELECT name, title FROM authors, books WHERE authors.id = books.author_id AND year < 1900 ORDER BY title;
SELECT a.name, count(*) FROM authors a INNER JOIN books b ON a.id = b.author_id GROUP BY a.name ORDER BY 2 DESC, 1;
SELECT b1.title, b2.title FROM books b1 JOIN books b2 ON b1.author_id = b2.author_id AND b1.id < b2.id;
