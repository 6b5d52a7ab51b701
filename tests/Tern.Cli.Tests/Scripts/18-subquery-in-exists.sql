-- IN and EXISTS with subqueries.
CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer_id INTEGER, total REAL);
INSERT INTO customers VALUES (1, 'ann'), (2, 'bob'), (3, 'cy');
INSERT INTO orders VALUES (1, 1, 9.5), (2, 1, 20.0), (3, 3, 4.25);
SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders) ORDER BY name;
SELECT name FROM customers WHERE id NOT IN (SELECT customer_id FROM orders);
SELECT name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.total > 10);
SELECT name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id);
SELECT 2 IN (SELECT customer_id FROM orders), 3 IN (1, 2, 3), NULL IN (1, 2);
