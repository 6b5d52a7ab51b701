-- CROSS JOIN and joins of three tables.
CREATE TABLE colors(c TEXT);
CREATE TABLE sizes(s TEXT);
CREATE TABLE prices(c TEXT, s TEXT, p INTEGER);
INSERT INTO colors VALUES ('red'), ('blue');
INSERT INTO sizes VALUES ('S'), ('M'), ('L');
INSERT INTO prices VALUES ('red', 'S', 10), ('red', 'L', 14), ('blue', 'M', 12);
SELECT c, s FROM colors CROSS JOIN sizes ORDER BY c, s;
SELECT count(*) FROM colors, sizes;
SELECT colors.c, sizes.s, prices.p FROM colors JOIN sizes JOIN prices ON prices.c = colors.c AND prices.s = sizes.s ORDER BY p;
SELECT colors.c, sizes.s, prices.p FROM colors CROSS JOIN sizes LEFT JOIN prices ON prices.c = colors.c AND prices.s = sizes.s ORDER BY 1, 2;
