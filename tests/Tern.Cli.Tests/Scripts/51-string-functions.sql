-- String functions.
SELECT length('abc'), length(''), length(NULL), length(123), length(1.5);
SELECT upper('mixed Case'), lower('MIXED Case');
SELECT substr('abcdef', 3), substr('abcdef', -2), substr('abcdef', 2, 2), substr('abcdef', 0, 2), substring('abcdef', 4, 10);
SELECT trim('  hi  '), ltrim('  a  '), rtrim('  a  ') || '|';
SELECT replace('banana', 'an', 'AN'), replace('abc', '', 'x'), replace('abc', 'z', 'y');
SELECT instr('banana', 'na'), instr('banana', 'x'), instr(NULL, 'a');
SELECT hex('abc'), hex(255), hex(NULL);
SELECT 'con' || 'cat' || NULL, 'a' || 1 || 2.0;
