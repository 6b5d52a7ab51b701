-- .echo prints each command before it runs.
.echo on
CREATE TABLE t(a);
INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);
SELECT *
  FROM t;
.mode csv
SELECT a FROM t;
.echo off
SELECT count(*) FROM t;
