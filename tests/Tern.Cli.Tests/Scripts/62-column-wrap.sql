-- Long values in the columnar modes wrap at 60 characters (or --wrap N), by words with --wordwrap.
CREATE TABLE t(id INTEGER, body TEXT);
INSERT INTO t VALUES (1, 'The quick brown fox jumps over the lazy dog, then runs far away into the forest and hides.');
INSERT INTO t VALUES (2, 'short');
INSERT INTO t VALUES (3, 'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz');
.mode column
SELECT * FROM t;
.mode box --wrap 20
SELECT * FROM t;
.mode table --wrap 25 --wordwrap on
SELECT * FROM t;
.mode markdown --wrap 0
SELECT * FROM t;
.mode
