-- HTML, TCL and ASCII modes.
CREATE TABLE t(a, b);
INSERT INTO t VALUES (1, '<b>&"x"</b>'), (NULL, 'tab	"q"'), (2.5, 'é');
.mode html
SELECT * FROM t;
.headers on
SELECT a AS "a<1>", b FROM t;
.mode tcl
SELECT * FROM t;
.headers off
.mode ascii
SELECT * FROM t;
