-- With .bail on, the first error ends the script.
CREATE TABLE t(a UNIQUE);
INSERT INTO t VALUES (1);
SELECT * FROM missing;
SELECT 'still running';
.bail on
INSERT INTO t VALUES (1);
SELECT 'never printed';
