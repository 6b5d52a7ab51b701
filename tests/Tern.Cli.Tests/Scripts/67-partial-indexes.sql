-- Partial indexes written by Tern: sqlite3 must find every entry the predicate calls for
-- and no other (its integrity_check counts them), and use the index for its own queries.
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer TEXT, status TEXT, total REAL);
INSERT INTO orders VALUES (1, 'ann', 'open', 10.5), (2, 'bob', 'closed', 3.0), (3, 'ann', 'open', 7.25), (4, 'cy', NULL, 1.0);
CREATE INDEX open_orders ON orders(customer) WHERE status = 'open';
CREATE UNIQUE INDEX one_open_total ON orders(total) WHERE status = 'open';
INSERT INTO orders VALUES (5, 'dan', 'open', 2.5), (6, 'eve', 'closed', 10.5);
INSERT INTO orders VALUES (7, 'fay', 'open', 10.5);
UPDATE orders SET status = 'closed' WHERE id = 1;
UPDATE orders SET status = 'open' WHERE id = 4;
DELETE FROM orders WHERE id = 3;
SELECT id, customer, status, total FROM orders WHERE status = 'open' ORDER BY customer;
PRAGMA integrity_check;
