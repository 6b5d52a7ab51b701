-- GROUP BY and HAVING.
CREATE TABLE sales(region TEXT, product TEXT, amount INTEGER);
INSERT INTO sales VALUES ('north', 'a', 10), ('north', 'b', 20), ('south', 'a', 5), ('south', 'a', 7), ('east', 'c', 100), ('north', 'a', 1);
SELECT region, sum(amount) FROM sales GROUP BY region;
SELECT region, product, count(*), sum(amount) FROM sales GROUP BY region, product;
SELECT region, sum(amount) AS total FROM sales GROUP BY region HAVING sum(amount) > 20;
SELECT product, max(amount), min(amount) FROM sales GROUP BY product ORDER BY product DESC;
SELECT region, avg(amount) FROM sales GROUP BY 1 ORDER BY 2;
SELECT count(*) FROM sales GROUP BY region HAVING count(*) > 1;
