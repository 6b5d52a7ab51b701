-- Numeric functions.
SELECT abs(-5), abs(5), abs(-2.5), abs(NULL);
SELECT round(2.5), round(-2.5), round(3.14159, 2), round(1234.5678, -2), round(0.5), round(2.675, 1);
SELECT max(1, 2, 3), min(1, 2, 3), max('a', 'B'), min(1, NULL);
SELECT max(1.5, 2), min(-1, -1.5);
SELECT typeof(round(2)), typeof(abs(-2)), typeof(abs(-2.0));
SELECT 17 % 5, -17 % 5, 17.5 % 5;
