-- Collations on columns and in expressions.
CREATE TABLE t(a TEXT COLLATE NOCASE, b TEXT);
INSERT INTO t VALUES ('abc', 'abc'), ('ABC', 'ABC'), ('Abd', 'Abd'), ('abc ', 'abc ');
SELECT a FROM t WHERE a = 'ABC';
SELECT b FROM t WHERE b = 'ABC';
SELECT b FROM t WHERE b = 'abc' COLLATE NOCASE;
SELECT b FROM t WHERE b = 'abc' COLLATE RTRIM;
SELECT b FROM t ORDER BY b;
SELECT a, b FROM t WHERE a > 'abc' ORDER BY b;
