-- Text, including non-ASCII characters, and the string functions on it.
CREATE TABLE words(w TEXT);
INSERT INTO words VALUES ('hello'), ('héllo'), ('日本語'), ('Ελληνικά'), ('emoji 🎉'), (''), ('with ''quote'''), ('tab	inside');
SELECT w, length(w) FROM words;
SELECT upper(w), lower(w) FROM words WHERE w LIKE 'h%';
SELECT substr(w, 2, 3) FROM words;
SELECT w || '!' FROM words WHERE length(w) > 4;
SELECT replace('aXbXc', 'X', '--'), trim('  padded  '), ltrim('  left'), rtrim('right  ');
SELECT instr('hello world', 'o'), instr('日本語', '語'), substr('日本語', 2);
SELECT hex('é'), length(hex('日本'));
