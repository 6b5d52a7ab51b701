-- Subqueries nested inside subqueries.
CREATE TABLE emp(name TEXT, dept TEXT, salary INTEGER);
INSERT INTO emp VALUES ('a', 'x', 100), ('b', 'x', 200), ('c', 'y', 150), ('d', 'y', 50), ('e', 'z', 300);
SELECT name FROM emp WHERE salary > (SELECT avg(salary) FROM emp) ORDER BY name;
SELECT dept, (SELECT name FROM emp e2 WHERE e2.dept = e1.dept ORDER BY salary DESC LIMIT 1) FROM (SELECT DISTINCT dept FROM emp) e1 ORDER BY dept;
SELECT name FROM emp WHERE dept IN (SELECT dept FROM emp WHERE salary > (SELECT min(salary) FROM emp WHERE dept = 'y') GROUP BY dept HAVING count(*) > 1) ORDER BY name;
SELECT count(*) FROM (SELECT * FROM (SELECT * FROM emp WHERE salary > 60) WHERE salary < 250);
