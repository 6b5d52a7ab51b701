-- LIKE and GLOB patterns.
CREATE TABLE f(name TEXT);
INSERT INTO f VALUES ('report.txt'), ('Report.TXT'), ('data_2024.csv'), ('data-2024.csv'), ('notes'), ('a%b');
SELECT name FROM f WHERE name LIKE 'report%';
SELECT name FROM f WHERE name GLOB 'report*';
SELECT name FROM f WHERE name GLOB '*.[ct][xs][tv]';
SELECT name FROM f WHERE name LIKE 'data_2024%';
SELECT name FROM f WHERE name GLOB 'data?2024*';
SELECT name FROM f WHERE name NOT LIKE '%.%';
SELECT name FROM f WHERE name GLOB '*[0-9]*' ORDER BY name;
SELECT 'abc' LIKE 'ABC', 'abc' GLOB 'ABC', 'a' LIKE '_', '' LIKE '%';
