-- CSV mode: quoting, NULL, headers, CRLF row ends.
CREATE TABLE t(a, b, c);
INSERT INTO t VALUES (1, 'plain', 2.5), (NULL, 'with, comma', ''), (3, 'with "quotes"', 'two words'), (4, 'multi
line', 'tab	here');
.mode csv
SELECT * FROM t;
.headers on
SELECT a AS "first col", b FROM t;
.separator ;
SELECT * FROM t WHERE a = 1;
