-- Bytes that are not UTF-8 reach the database as they are.
select hex('aÿþb');
create table t(x);
insert into t values ('Ã('), ('okâ‚'), ('í €'), ('ðŸ˜€'), ('cafÃ©');
select hex(x), length(x), x from t;
select x from t where x = 'Ã(';
select 'tail €';
select quote('þ'), 'ÿ' = cast(x'ff' as text), typeof('ÿ');
