-- Statements that return no rows print nothing, in every mode.
CREATE TABLE t(a, b);
SELECT * FROM t;
.headers on
SELECT * FROM t;
.mode csv
SELECT * FROM t;
.mode column
SELECT * FROM t;
.mode box
SELECT * FROM t;
.mode json
SELECT * FROM t;
.mode line
SELECT * FROM t;
INSERT INTO t VALUES (1, 2);
SELECT * FROM t;
