-- A wide table.
CREATE TABLE w(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16);
INSERT INTO w VALUES (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
INSERT INTO w VALUES ('a', NULL, 2.5, x'41', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p');
SELECT * FROM w;
SELECT c16, c1, c8 FROM w;
.headers on
SELECT c1 + c16, c3 * 2 FROM w WHERE typeof(c1) = 'integer';
.mode line
SELECT * FROM w WHERE c1 = 1;
