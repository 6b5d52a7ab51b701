-- Explicit transactions that commit.
CREATE TABLE log(msg TEXT);
BEGIN;
INSERT INTO log VALUES ('first');
INSERT INTO log VALUES ('second');
SELECT count(*) FROM log;
COMMIT;
SELECT * FROM log;
BEGIN TRANSACTION;
UPDATE log SET msg = upper(msg);
END;
SELECT * FROM log;
