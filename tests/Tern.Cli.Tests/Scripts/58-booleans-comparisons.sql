-- Comparisons between types follow SQLite's ordering.
CREATE TABLE t(v);
INSERT INTO t VALUES (1), ('1'), (1.0), (x'31'), (NULL), ('abc'), (-5), (2.5);
SELECT v, typeof(v) FROM t ORDER BY v;
SELECT v FROM t WHERE v = 1;
SELECT v FROM t WHERE v > 1 ORDER BY v;
SELECT 1 = '1', 1 < 'a', 'a' < x'00', NULL < 1;
SELECT count(*) FROM t WHERE v;
