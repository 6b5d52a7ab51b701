-- UPDATE with and without WHERE, with expressions and subqueries.
CREATE TABLE stock(item TEXT PRIMARY KEY, qty INTEGER, price REAL);
INSERT INTO stock VALUES ('apple', 10, 0.5), ('pear', 5, 0.75), ('plum', 0, 1.25);
UPDATE stock SET qty = qty + 1;
SELECT * FROM stock;
UPDATE stock SET price = price * 2 WHERE qty > 5;
SELECT * FROM stock;
UPDATE stock SET qty = 100, price = 9.5 WHERE item = 'plum';
SELECT item, qty, price FROM stock ORDER BY item;
UPDATE stock SET qty = (SELECT max(qty) FROM stock) WHERE item = 'pear';
SELECT * FROM stock ORDER BY qty;
UPDATE stock SET item = upper(item) WHERE item LIKE 'a%';
SELECT item FROM stock ORDER BY item;
