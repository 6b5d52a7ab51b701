-- Integer values at the edges of 64 bits, and integer arithmetic.
CREATE TABLE n(v INTEGER);
INSERT INTO n VALUES (0), (1), (-1), (127), (128), (-128), (32767), (32768), (8388607), (2147483647), (2147483648), (-2147483649);
INSERT INTO n VALUES (140737488355327), (140737488355328), (9223372036854775807), (-9223372036854775808);
SELECT v, typeof(v) FROM n ORDER BY v;
SELECT 7 / 2, -7 / 2, 7 % 3, -7 % 3, 7 % -3;
SELECT 2 * 3 + 4, 2 * (3 + 4), 10 - 2 - 3, 100 / 10 / 5;
SELECT 0x10, 0xff, 0x7fffffffffffffff;
SELECT sum(v) FROM n WHERE v BETWEEN -1000 AND 1000;
SELECT max(v), min(v) FROM n;
