-- Tabs mode, and back to list mode with and without headers.
CREATE TABLE t(a, b);
INSERT INTO t VALUES (1, 'x'), (2, NULL);
.mode tabs
SELECT * FROM t;
.headers on
SELECT * FROM t;
.mode list
SELECT * FROM t;
.headers off
SELECT * FROM t;
