-- REAL values as the shell prints them (%!.15g).
CREATE TABLE r(v REAL);
INSERT INTO r VALUES (1.0), (0.1), (0.5), (2.25), (3.14159265358979), (1e20), (1.5e-7), (123456.789);
INSERT INTO r VALUES (100), (1e15), (1e16), (-2.5), (6.02214076e23), (1.0e-300), (0.3333333333333333);
SELECT v FROM r;
SELECT typeof(v), v FROM r WHERE v > 1 ORDER BY v;
SELECT 1.0 / 3, 2.0 / 3, 10.0 / 4, 1e308 * 10, -1e308 * 10;
SELECT 0.1 + 0.2, 1.1 * 1.1, 1e-5, 123456789012345678.0;
SELECT 5 / 2.0, 5.0 / 2, 7 * 1.5;
SELECT avg(v) FROM r WHERE v < 10;
