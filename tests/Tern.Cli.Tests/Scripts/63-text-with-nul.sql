-- Text and BLOBs holding NUL bytes print up to the first NUL, as C strings do.
CREATE TABLE t(v);
INSERT INTO t VALUES (x'610062'), (CAST(x'610062' AS TEXT)), (x'00'), ('plain');
SELECT hex(v), typeof(v) FROM t;
SELECT v FROM t;
.mode csv
SELECT v FROM t;
.mode json
SELECT v FROM t;
.mode quote
SELECT v FROM t;
