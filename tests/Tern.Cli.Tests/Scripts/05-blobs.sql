-- BLOB values: literals, hex, lengths, and raw output in list mode.
CREATE TABLE b(id INTEGER PRIMARY KEY, data BLOB);
INSERT INTO b(data) VALUES (x'48656c6c6f'), (x''), (x'00'), (x'414243'), (NULL);
SELECT id, hex(data), length(data), typeof(data) FROM b;
SELECT data FROM b WHERE id IN (1, 4);
SELECT x'4142' = x'4142', x'41' < x'42', x'41' > 'A';
SELECT hex(x'deadbeef'), length(x'deadbeef');
SELECT id FROM b WHERE data = x'414243';
