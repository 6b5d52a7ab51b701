-- Partial indexes and indexes on expressions written by Tern: sqlite3 must find every
-- entry the predicate and the expressions call for and no other (its integrity_check
-- recomputes them).
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
CREATE INDEX by_lower_customer ON orders(lower(customer), total * 2 DESC);
CREATE UNIQUE INDEX by_id_text ON orders(id || '-' || customer);
INSERT INTO orders VALUES (8, 'Gus', 'open', 4.0);
UPDATE orders SET customer = upper(customer) WHERE id IN (2, 5);
DELETE FROM orders WHERE id = 6;
SELECT id, customer FROM orders ORDER BY lower(customer), id;
PRAGMA integrity_check;
-- UPDATEs that assign no indexed column keep the index entries; those that do rewrite them.
CREATE TABLE items(id INTEGER PRIMARY KEY, code TEXT UNIQUE, qty INTEGER, note TEXT);
CREATE INDEX items_qty ON items(qty);
INSERT INTO items VALUES (1, 'a', 5, 'x'), (2, 'b', 7, 'y'), (3, 'c', 5, 'z');
UPDATE items SET note = note || '!';
UPDATE items SET qty = qty + 1 WHERE code > 'a';
UPDATE OR REPLACE items SET code = 'a' WHERE id = 3;
SELECT id, code, qty, note FROM items WHERE qty = 5 OR code = 'a' ORDER BY id;
PRAGMA integrity_check;
