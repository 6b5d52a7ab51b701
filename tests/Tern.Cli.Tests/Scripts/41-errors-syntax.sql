-- Syntax errors: the message, the line, and the pointer under the error.
CREATE TABLE t(a);
SELEC 1;
SELECT 1 +;
SELECT * FROM t WHERE;
INSERT INTO t VALUES (1) garbage;
SELECT a FROM t ORDER;
SELECT 42;
CREATE TABLE (x);
   SELECT 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 FROM FROM t;
SELECT 1; SELECT 2 2; SELECT 3;
SELECT
  1,
  2 3;
SELECT 'done';
SELECT 'unterminated;
SELECT 'never runs';
