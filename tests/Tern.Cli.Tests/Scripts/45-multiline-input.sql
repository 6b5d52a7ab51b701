-- Statements across lines, several on a line, comments, and semicolons in strings.
CREATE TABLE t(a, b);
INSERT INTO t
  VALUES (1,
          'semi;colon');
INSERT INTO t VALUES (2, 'x'); INSERT INTO t VALUES (3, 'y'); SELECT count(*) FROM t;
-- a comment line
/* a block
   comment */
SELECT a, b FROM t -- trailing comment
  WHERE a > 1;
SELECT 'a;b', "b" FROM t WHERE a = 1;

   

SELECT /* inline */ a FROM t ORDER BY a DESC
;
SELECT 'no semicolon at the end'
