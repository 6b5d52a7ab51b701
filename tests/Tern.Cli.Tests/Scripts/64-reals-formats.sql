-- The same REAL values in list, csv, json and quote modes.
CREATE TABLE r(v REAL);
INSERT INTO r VALUES (0.1), (2.0 / 3), (1e-7), (6.02214076e23), (123456789.123456789), (100.0), (1e300), (-2.75), (0.0);
SELECT v FROM r;
.mode csv
SELECT v FROM r;
.mode json
SELECT v FROM r;
.mode quote
SELECT v FROM r;
.mode line
SELECT v FROM r WHERE v < 0;
