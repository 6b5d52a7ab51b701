-- Operators: arithmetic, precedence, comparison results, bit operations, concatenation.
SELECT 1 + 2 * 3, (1 + 2) * 3, 2 * 3 % 4, -3 * -3;
SELECT 10 & 6, 10 | 6, ~5, 1 << 3, 256 >> 2;
SELECT 1 < 2, 2 <= 1, 'a' < 'b', 'B' < 'a', 1 = 1.0;
SELECT 'x' || 'y' || 'z', 'n' || 1 || 2.5;
SELECT 5 > 3 AND 2 > 1, 0 OR 0, NOT 0, NOT 5;
SELECT 9223372036854775807 + 1, -9223372036854775808 - 1;
SELECT 1 / 0, 1 % 0, 1.0 / 0;
SELECT '10' + 5, '3.5' * 2, 'abc' + 1;
SELECT 1 IS 1, NULL IS NOT NULL, 1 IS NOT 2;
