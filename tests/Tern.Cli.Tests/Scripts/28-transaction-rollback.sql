-- Transactions rolled back leave the data as it was.
CREATE TABLE t(v INTEGER);
INSERT INTO t VALUES (1), (2);
BEGIN;
INSERT INTO t VALUES (3);
DELETE FROM t WHERE v = 1;
SELECT * FROM t;
ROLLBACK;
SELECT * FROM t;
BEGIN;
CREATE TABLE gone(x);
INSERT INTO gone VALUES (1);
ROLLBACK;
SELECT name FROM sqlite_schema;
COMMIT;
SELECT sum(v) FROM t;
