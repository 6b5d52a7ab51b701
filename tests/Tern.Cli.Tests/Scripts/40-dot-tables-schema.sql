-- .tables and .schema.
CREATE TABLE zebra(a);
CREATE TABLE apple(id INTEGER PRIMARY KEY, name TEXT UNIQUE);
CREATE INDEX apple_name ON apple(name);
CREATE TABLE "Mixed Case"(x, y);
CREATE TABLE t_2(v);
.tables
.tables a%
.tables nomatch
.schema
.schema apple
.schema ze%
.schema nomatch
