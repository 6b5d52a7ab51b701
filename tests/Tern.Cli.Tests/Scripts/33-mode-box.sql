-- Box mode: box-drawing characters, centred headers, Unicode widths.
CREATE TABLE t(city TEXT, country TEXT, pop INTEGER);
INSERT INTO t VALUES ('Zürich', 'CH', 421878), ('東京', 'JP', 13960000), ('Oslo', 'NO', 709037);
.mode box
SELECT * FROM t;
SELECT city, pop / 1000 AS k FROM t ORDER BY k;
SELECT count(*) AS n FROM t;
.mode table
SELECT * FROM t;
.mode markdown
SELECT * FROM t;
