// Differential tests of the JSON functions: json(), json_valid(), json_error_position(),
// json_quote(), json_array(), json_object(), json_array_length(), json_type(),
// json_extract() and the -> / ->> operators, the editing functions, json_patch(),
// json_pretty(), the group aggregates, the jsonb_* variants, JSON5 input and the JSON
// subtype that lets one JSON function's result be read as JSON by another (and subtype()),
// the strict JSONB check of json_valid(x, 8) and json_error_position() on blobs. Each script
// runs on Tern and on SQLite 3.50.4 and the transcripts must match.
namespace Tern.Tests.Engine;

public class JsonDifferentialTests
{
    public static TheoryData<string> Scripts() => new(
        // json(): minifying, numbers kept as written, escapes
        """
        select json(' { "a" : 1 , "b" : [ 1 , 2.50 , -3e5, 1E+2, 0.0 ] , "c" : { } , "d" : [ ] } ');
        select json('"a\/b\u0041\n"'), json('true'), json(' false '), json('null'), json('123'), json('-0'), json('1.5e-3');
        select json(NULL), json(5), json(2.5), typeof(json('1')), json('"é😀"'), json('{"a":{"b":{"c":[[[]]]}}}')
        """,
        """
        select json('[1'); select json('{"a"}'); select json('{"a":}'); select json('x'); select json(''); select json('[1] x');
        select json('01'); select json('1.'); select json('"abc'); select json('{1:2}'); select json('[1,,2]'); select json('"a' || char(0) || 'b"'); select json('tru'); select json('truex')
        """,
        // JSON5 input
        """
        select json('[.5, 5., 0x1F, -0xff, +1, +1.5e3, -.5e1, 5.e2]'), json('{a:1, $b_2:2, ''c'':3,}'), json('[1,2,]');
        select json('[Infinity, -Infinity, NaN, inf, -inf, +Infinity]'), json('/* c */ [1, // line
        2]'), json('''it''''s'''), json('"\x41\v\0\''"'), json('"a\
        b"'), json('''a"b''')
        """,
        // json_valid() and json_error_position()
        """
        select json_valid('{"a":5,"b":6}'), json_valid('{a:5,b:6}'), json_valid('{"a":5, "b":6, }'), json_valid('[5, 6,]'), json_valid('{"a": ''abcd''}'), json_valid('{"x":+5}'), json_valid('{"x":0x35}'), json_valid('{"x":4.}'), json_valid('{"x":Infinity}'), json_valid('{"x":NaN}');
        select json_valid('{"a":1} /*c*/'), json_valid('/*c*/ 1'), json_valid('"aA\n\/b"'), json_valid(char(9,10,13,32)||'1'), json_valid('"abc' || char(1) || 'xyz"'), json_valid(NULL), json_valid(''), json_valid('[1'), json_valid(12), json_valid(1.5);
        select json_valid('{a:1}', 2), json_valid('{a:1}', 1), json_valid('{a:1}', 3), json_valid(x'00', 4), json_valid(x'00', 8), json_valid(x'00'), json_valid('[1]', 4), json_valid(jsonb('[1,2]'), 8), json_valid(x'0102', 8), json_valid('1', NULL);
        select json_valid('1', 0); select json_valid('1', 16);
        select json_error_position('[1,2,x]'), json_error_position('{"a":1,}'), json_error_position('"abc'), json_error_position(''), json_error_position('[1]'), json_error_position(NULL), json_error_position('{"a" 1}'), json_error_position('[1,2'), json_error_position('é[x]'), json_error_position(x'00'), json_error_position('  ]')
        """,
        // json_quote()
        """
        select json_quote(1), json_quote(1.0), json_quote(-2.5), json_quote('a"b\c'), json_quote(char(1,8,9,10,12,13,31,127)), json_quote(NULL), json_quote(json('[1, 2]')), json_quote('[1,2]'), json_quote(0.1 + 0.2), json_quote(1e300 * 1e10);
        select json_quote(x'01'); select json_quote(x'00'), json_quote('é'), typeof(json_quote(3))
        """,
        // json_array() and json_object()
        """
        select json_array(), json_array(1, 2.5, 'x', NULL, 'a"b'), json_array(1.5e300, 1e-7, 100.0, 0.1, 1e15, 1e16, 2.0/3, 123456789012345678.0), json_array(json('[1]'), '[1]', json_array(2), json_object('k', 3));
        select json_array(x'0102'); select json_array(x'00'), json_array(1e308 * 10, -1e308 * 10), json_array(9223372036854775807, -9223372036854775808);
        select json_object(), json_object('a', 1, 'b', 'x', 'c', NULL, 'd', json('{"e":[1]}'), 'e', json_array()), json_object('a', 1, 'a', 2), json_object('k"q', 'v\n');
        select json_object('a'); select json_object(1, 2); select json_object(NULL, 1); select json_object('a', x'01')
        """,
        // json_array_length() and json_type()
        """
        select json_array_length('[1,2,3]'), json_array_length('[]'), json_array_length('{}'), json_array_length('5'), json_array_length('[1,[2,3]]', '$[1]'), json_array_length('[1]', '$.x'), json_array_length(NULL), json_array_length('[1]', NULL);
        select json_array_length('[1'); select json_array_length('[1]', 'x'); select json_array_length('[1]', '$[');
        select json_type('[1,2.5,"a",null,true,false,{},[]]'), json_type('1'), json_type('{}', '$.x'), json_type(' 0x10 '), json_type('1.5'), json_type('"s"'), json_type('null'), json_type('true'), json_type(NULL), json_type('{"a":[1,2.5,"x",null,true,false,{}]}', '$.a[6]');
        select json_type('{"a":[1,2.5,"x",null,true,false,{}]}', '$.a[0]'), json_type('{"a":[1,2.5,"x",null,true,false,{}]}', '$.a[1]'), json_type('{"a":[1,2.5,"x",null,true,false,{}]}', '$.a[2]'), json_type('{"a":[1,2.5,"x",null,true,false,{}]}', '$.a[3]'), json_type('{"a":[1,2.5,"x",null,true,false,{}]}', '$.a[4]'), json_type('{"a":[1,2.5,"x",null,true,false,{}]}', '$.a[5]'), json_type('{"a":[1]}', '$.a')
        """,
        // json_extract() and paths
        """
        select json_extract('{"a":[1,{"b":"x"}]}', '$.a', '$.a[1].b', '$.c'), json_extract('{"a":"x"}', '$.a'), json_extract('[1,2,3]', '$[#-1]'), json_extract('[1,2,3]', '$[#-3]'), json_extract('[1,2,3]', '$[#-4]'), json_extract('[1,2,3]', '$[#]'), json_extract('[1,2,3]', '$[3]'), json_extract('[1,2,3]', '$');
        select json_extract('{"a":"x\ny","b":"\u00e9\ud83d\ude00","c":1e2,"d":12345678901234567890,"e":-0x10,"f":true,"g":false,"h":null}', '$.a', '$.b'), json_extract('{"c":1e2}', '$.c'), json_extract('{"d":12345678901234567890}', '$.d'), json_extract('{"e":-0x10}', '$.e'), json_extract('[.5]', '$[0]'), json_extract('[true,false,null]', '$[0]'), json_extract('[true,false,null]', '$[1]'), json_extract('[true,false,null]', '$[2]');
        select json_extract('{"a b":1,"c.d":2,"e":{"f":3}}', '$."a b"', '$."c.d"', '$.e.f'), json_extract('{"a":{"b":[10,20]}}', '$.a.b[1]'), typeof(json_extract('{"a":[1]}', '$.a')), json_extract('{"a":"\"q\""}', '$.a'), json_extract('{"x":1}', '$.x.y'), json_extract('[[1,2],[3,4]]', '$[1][0]');
        select json_extract('{"a":1}', 'a'); select json_extract('{"a":1}', '$.'); select json_extract('[1]', '$['); select json_extract('[1]', '$[a]'); select json_extract('[1]', '$[#-]'); select json_extract('x', '$'); select json_extract('{"a":1}', '$a');
        select json_extract(NULL, '$'), json_extract('[1]', NULL), json_extract('[1]'), json_extract(), json_extract('{"a":1}', '$.a', NULL), json_extract('{"":5}', '$.""')
        """,
        // -> and ->>
        """
        select '{"a":[1,"x"]}' -> '$.a', '{"a":[1,"x"]}' ->> '$.a', '{"a":[1,"x"]}' -> 'a', '[5,6]' -> 1, '[5,6]' ->> 1, '{"a":"s"}' -> 'a', '{"a":"s"}' ->> 'a', '[1,2]' -> -1, '[1,2]' -> '[0]', '{"a":{"b":1},"a.b":2}' -> 'a.b';
        select '{"a":1}' -> '$.a', '[1]' -> 1.5, '{"1":5}' -> '1', '{"a":null}' -> 'a', '{"a":null}' ->> 'a', '{"a":true}' ->> 'a', '{"a":2.5}' ->> 'a', typeof('{"a":2.5}' ->> 'a'), typeof('{"a":2.5}' -> 'a'), NULL -> 'a', '[1]' -> NULL;
        select '{"a":{"b":{"c":7}}}' -> 'a' -> 'b' ->> 'c', '{"a":[1,2,3]}' -> '$.a' ->> 2, ('[1]' -> 0) + 1 as p, '{"a":1}' -> 'b';
        select '[1' -> 0; select '[1]' -> '$['; select '[1]' -> '$x';
        create table t(j); insert into t values ('{"n":1,"tags":["a","b"]}'), ('{"n":2,"tags":[]}'), ('not json');
        select j -> '$.n' from t where rowid < 3; select j ->> 'n', json_array_length(j, '$.tags') from t where json_valid(j); select j -> 'n' from t
        """,
        // json_set / json_insert / json_replace
        """
        select json_set('{}', '$.a.b.c', 1), json_set('{}', '$.a[0]', 1), json_set('{}', '$.a[#]', 1), json_set('[1]', '$[#]', 2), json_set('[1]', '$[5]', 2), json_insert('{"a":1}', '$.a', 2, '$.b', 3), json_replace('{"a":1}', '$.a', 2, '$.b', 3), json_set('{"a":1}', '$', 2);
        select json_insert('[1,2]', '$[#]', 3), json_insert('[1,2]', '$[0]', 9), json_replace('[1,2]', '$[0]', 9), json_set('[1,2]', '$[1]', json_array(7)), json_set('{"a":1}', '$.b', '[1]'), json_set('{"a":1}', '$.b', json('[1]')), json_set('{"a":1}', '$.a', NULL), json_insert('{}', '$', 1), json_replace('{}', '$', 1);
        select json_set('[1]'), json_insert('5'), json_set(NULL, '$.a', 1), json_set('{}', NULL, 1), json_set('{"a":{"b":1}}', '$.a.b', 2, '$.a.c', 3), json_set('{"x":5}', '$.x.y', 1), json_set('{}', '$."k.q"', 1), json_set('[[1]]', '$[0][#]', 2), json_replace('{"a":[1,2]}', '$.a[#-1]', 'z');
        select json_set('[1]', '$'); select json_insert('{}', '$.a'); select json_replace('{}', '$.a'); select json_set('{}', 'a', 1); select json_set('x', '$', 1); select json_set('{}', '$.a', x'01');
        select json_set('{}', '$.a', 1, '$.b')
        """,
        // json_remove and json_patch
        """
        select json_remove('[1,2,3]', '$[0]', '$[#-1]'), json_remove('{"a":1}', '$'), json_remove('{"a":1}', '$.b'), json_remove('{"a":1,"b":2,"c":3}', '$.b'), json_remove('[1,[2,3]]', '$[1][0]'), json_remove('{"a":1}'), json_remove('[1,2]', '$[5]'), json_remove(NULL, '$'), json_remove('[1]', NULL);
        select json_remove('[1]', 'x'); select json_remove('x', '$');
        select json_patch('{"a":1,"b":{"c":2}}', '{"b":{"c":null,"d":3},"e":[1]}'), json_patch('[1]', '{"a":1}'), json_patch('{"a":1}', '5'), json_patch('{"a":[1,2]}', '{"a":[3]}'), json_patch('{"a":1}', '{"a":null,"b":null}'), json_patch('{"a":{"x":1}}', '{"a":{"y":{"z":null,"w":2}}}'), json_patch(NULL, '{}'), json_patch('{}', NULL);
        select json_patch('{"a":"b"}', '{"a":"c"}'), json_patch('{"a":["b"]}', '{"a":"c"}'), json_patch('{"a":"c"}', '{"a":["b"]}'), json_patch('{"a":{"b":"c"}}', '{"a":{"b":"d","c":null}}'), json_patch('{"e":null}', '{"a":1}'), json_patch('[1,2]', '{"a":"b","c":null}'), json_patch('{}', '{"a":{"bb":{"ccc":null}}}');
        select json_patch('[', '{}'); select json_patch('{}', '[')
        """,
        // json_pretty
        """
        select json_pretty('{"a":[1,2,{}],"b":{},"c":[]}'), json_pretty('[1]', '--'), json_pretty('5'), json_pretty('{"x":1}', NULL), json_pretty('[[1,[2]],{"k":{"j":"v"}}]', ''), json_pretty(NULL), json_pretty('{a:.5}');
        select json_pretty('[')
        """,
        // escapes, keys, unicode and odd inputs
        """
        select json_extract('{"a\u0062":1}', '$.ab'), json_extract('{"ab":1}', '$."ab"'), json_extract('{"a\"b":2}', '$."a\"b"'), json_extract('["\u0000x"]', '$[0]') = char(0) || 'x', hex(json_extract('["\u0000x"]', '$[0]')), json_extract('["\ud83d\ude00"]', '$[0]'), json_extract('["\ud83d"]', '$[0]') is not null;
        select json_extract('[9223372036854775807, -9223372036854775808, 9223372036854775808, 1e400, -1e400, 0.1e1]', '$[0]', '$[1]', '$[2]', '$[3]', '$[4]', '$[5]'), json_extract('[9223372036854775808]', '$[0]'), json_extract('[1e400]', '$[0]'), json_extract('[0x7fffffffffffffff]', '$[0]'), json('[0xffffffffffffffffff]');
        select json_extract('{"a\\b":2}', '$."a\\b"'), json_extract('{"a b":2}', '$."a b".c'), json_extract('{"ab":2}', '$."a\u0062"'), json_extract('[1,2]', '$[#-0]'), json_extract('[1,2]', '$[00]'), json_extract('{"a":{"":3}}', '$.a.""');
        select json_extract('{"a":1}', '$."a'); select json_extract('[1]', '$[ 0]');
        select json('{"a":1,"a":2}'), json_extract('{"a":1,"a":2}', '$.a'), json_set('{"a":1,"a":2}', '$.a', 3), json_remove('{"a":1,"a":2}', '$.a'), json('"' || char(127) || '"'), json_quote('</script>'), json('"\u00E9"'), json_extract('"\u00E9"', '$');
        select json('''a' || char(1) || 'b'''), json('"a' || char(9) || 'b"'), json_valid('"a' || char(9) || 'b"'), json_extract('"a' || char(9) || 'b"', '$') = 'a' || char(9) || 'b', json('[' || char(12) || '1]'), json_valid('[' || char(12) || '1]', 2), json('{"a":1}' || char(10));
        select json(printf('%.1001c', '[') || printf('%.1001c', ']')); select json(printf('%.999c', '[') || printf('%.999c', ']')) is not null; select json_valid(printf('%.1001c', '[') || printf('%.1001c', ']'));
        select json(x'1b'); select json_extract(x'ff', '$'); select json_array_length(x'0b'), json(x'0b'), json(x'0c'), json_type(x'13'); select json(x'3331');
        select json(x'3331'), json(x'5b315d'), json_extract(x'5b315d', '$[0]'), json_valid(x'5b315d'), json_valid(x'5b315d', 2), json_valid(x'5b315d', 4), json_valid(x'5b315d', 6), json_error_position(x'5b315d'), json_type(x'7b7d'), json_error_position(x'5b31'), json_error_position(x'3331');
        select json(x'5b31'); select json_array(x'5b315d');
        select json_pretty(jsonb('{"a":[1,{"b":2}]}')), json_pretty('[]'), json_pretty('{}'), json_pretty('[{}]', 'ab'), json_pretty('"x"', 5)
        """,
        // aggregates as window functions
        """
        create table w(i, v); insert into w values (1, '"a"'), (2, 2), (3, NULL), (4, json('{"x":1}'));
        select i, json_group_array(v) over (order by i), json_group_object('k' || i, v) over (order by i rows between 1 preceding and current row) from w;
        select i, json_group_array(jsonb(v)) filter (where i <> 2) over (order by i rows between 1 preceding and current row), json(jsonb_group_array(jsonb(v)) over (order by i)) from w where i <> 3;
        select i, json_group_array(v) over (order by i rows between current row and unbounded following) from w
        """,
        // aggregates
        """
        create table t(g, k, v); insert into t values ('a', 'x', 1), ('b', 'z', NULL), ('b', NULL, 2.5), ('a', 'w', json('[1]')), ('a', 'y', 'two');
        select json_group_array(v) from t; select g, json_group_array(v), json_group_object(k, v) from t where g = 'b' group by g; select json_group_array(v) from t where 0; select json_group_object(k, v) from t where 0;
        select json_group_array(json_object('k', k)) from t; select json_group_object(k, json_array(v)) from t where k is not null;
        select json_group_object(g, vals) from (select g, json_group_array(v) as vals from t group by g);
        select json_group_array(x'01') from t
        """,
        // the JSON subtype across function calls and subqueries
        """
        create table t(grp TEXT, val INT); insert into t values ('alice', 95), ('bob', 87);
        select json_group_object(grp, json_object('score', val)) from t;
        select json_group_object(k, v) from (select grp as k, json_object('score', val) as v from t);
        select json_group_array(v) from (select json_object('score', val) as v from t);
        select json(v) from (select json_object('a', 1) as v); select json_extract(v, '$.a') from (select json_object('a', 42) as v);
        select json_array(json_object('a', 1), 2); select json_array(v) from (select json_object('a', 1) as v);
        select json_insert('{}', '$.k', json_object('a', 1)); select json_insert('{}', '$.k', v) from (select json_object('a', 1) as v);
        select json_array(v) from (select v from (select json_object('a', 1) as v)); select json_valid(v) from (select json_object('a', 1) as v);
        create table s(j); insert into s values (json_array(1, 2)); select json_array(j), json_array(json(j)) from s;
        select json_array('{"a":1}' -> '$'), json_array('{"a":1}' ->> '$'), json_array(json_extract('{"a":[1]}', '$.a')), json_array(json_quote('x')), json_array(coalesce(json('[1]'), 1))
        """,
        // the subtype is kept by direct calls and scalar subqueries, lost through subquery, CTE and view boundaries
        """
        select json_patch('{"a":1}', v) from (select json_object('b', 2) as v); select json_patch(d, '{"b":2}') from (select json_object('a', 1) as d);
        select json_array(json('[1,2,3]')); select json_array(x) from (select json('[1,2,3]') as x); with t as (select json('[1,2,3]') as x) select json_array(x) from t;
        select json_array(j) from (select json('[1,2,3]') as j union all select json('{"a":1}'));
        select json_array((select json('[1,2,3]'))); select json_quote(json(1)); select json_quote('1');
        create table t1(c0); create view v0(c0) as select json('true'); insert into t1 values ('x'); select NOT json_quote(v0.c0) from v0, t1; select * from v0, t1 where NOT json_quote(v0.c0);
        select *, json_quote(y) from (select +json('1') as y); with t(a) as materialized (select json(1)) select json_quote(a) from t; with t(a) as not materialized (select json(1)) select json_quote(a) from t;
        create table t3(b); insert into t3 values (json('true')); select * from t3, t1 where NOT json_quote(b);
        create view t2(b) as select json('true'); select * from t2, t1 where NOT json_quote(b);
        create table t0(c0); insert into t0 values ('1'); create view v1(c0) as select case when 1 then json_patch('1', '1') end from t0 group by t0.c0; select * from v1 where json_quote(v1.c0) != '1';
        select *, json_quote(y) from (select +json('1') as y) where json_quote(y) = '"1"';
        select json_array(iif(json_valid('{"a":1}'), json('{"a":1}'), NULL)); select json_array(case when 1 then json('[2]') end), json_array(json_group_array(1)), json_object('a', max(json('[3]')))
        """,
        // jsonb
        """
        select hex(jsonb('[1,2.5,"a","a\n",0x10,.5,Infinity,NaN,true,false,null]')), hex(jsonb_array('a"b', 'ab', 1.5, 2, NULL)), hex(jsonb('{a:1}')), hex(jsonb('''x''')), hex(jsonb('+5'));
        select json(jsonb('{"a":[1,{"b":"x\ty"}],"c":-0x1f,"d":5.}')), json(jsonb_object('k', 'v', 'n', 1)), jsonb_extract(jsonb('{"a":[1,2]}'), '$.a[1]'), hex(jsonb_extract(jsonb('{"a":[1,2]}'), '$.a')), typeof(jsonb('1'));
        select hex(jsonb_set('{"a":1}', '$.b', 2)), hex(jsonb_insert('[1]', '$[#]', 'x')), hex(jsonb_replace('[1]', '$[0]', 2.5)), hex(jsonb_remove('[1,2]', '$[0]')), hex(jsonb_patch('{"a":1}', '{"b":2}')), json_type(jsonb('[1]')), json_array_length(jsonb('[1,2,3]')), jsonb('[1,2]') -> 1, jsonb('{"a":"s"}') ->> 'a';
        select hex(jsonb('"' || printf('%.300c', 'a') || '"')), length(jsonb(json_array(printf('%.70000c', 'b')))), json(x'0102'); select json(x'0102');
        create table t(v); insert into t values (1), ('x'), (NULL); select hex(jsonb_group_array(v)), hex(jsonb_group_object('k' || rowid, v)) from t; select json_array(jsonb('[1]')), json_object('a', jsonb('{"b":2}'))
        """,
        // larger documents through the functions
        """
        with recursive c(i) as (select 1 union all select i + 1 from c where i < 50) select json_group_array(i * 1.5), json_group_object('k' || i, i) from c;
        with recursive c(i) as (select 1 union all select i + 1 from c where i < 20) select json_array_length(json_group_array(json_array(i, i * i))), json_extract(json_group_array(json_array(i, i * i)), '$[19][1]') from c;
        select json_pretty(json_object('a', json_array(1, json_object('b', NULL, 'c', json_array())), 'd', 'e'))
        """);

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Json_functions_match_sqlite(string script) => Differential.AssertSame(script);

    public static TheoryData<string> JsonbValidityScripts() => new(
        // null/true/false: no payload and a one-byte header; numbers spelled as their type says
        """
        select json_valid(x'00', 8), json_valid(x'C000', 8), json_valid(x'C100', 8), json_valid(x'D20000', 8), json_valid(x'CB09F00000000000000000', 8), json_valid(x'CB09F00000000000000000', 4), json_valid(x'CB0AF0000000000000000000', 4);
        select json_valid(x'1301', 8), json_valid(x'13FF', 8), json_valid(x'1331', 8), json_valid(x'232D31', 8), json_valid(x'132D', 8), json_valid(x'03', 8), json_valid(x'2330', 8), json_valid(x'33303130', 8);
        select json_valid(x'4430783146', 8), json_valid(x'442D3078', 8), json_valid(x'54307846', 8), json_valid(x'5430584631', 8), json_valid(x'44317846', 8), json_valid(x'643078314731', 8), json_valid(x'542D307831', 8);
        select json_valid(x'35312E35', 8), json_valid(x'352E35', 8), json_valid(x'362E35', 8), json_valid(x'2530', 8), json_valid(x'25312E', 8), json_valid(x'36352E', 8), json_valid(x'45302E35', 8), json_valid(x'453030', 8), json_valid(x'35306535', 8);
        select json_valid(x'4531653531', 8), json_valid(x'5531652B35', 8), json_valid(x'4531652B', 8), json_valid(x'5531652B2B', 8), json_valid(x'5531653565', 8), json_valid(x'55312E352E', 8), json_valid(x'45312E3565', 8), json_valid(x'452D2E3531', 8), json_valid(x'562D2E3565', 8)
        """,
        // strings: what TEXT, TEXTJ, TEXT5 and TEXTRAW may hold
        """
        select json_valid(x'38615C71', 8), json_valid(x'38615C71', 4), json_valid(x'38615C6E', 8), json_valid(x'78615C7530303431', 8), json_valid(x'78615C755A5A5A5A', 8), json_valid(x'39615C71', 8), json_valid(x'49615C3035', 8), json_valid(x'59615C785A5A', 8), json_valid(x'2A615C', 8);
        select json_valid(x'C8025C00', 8), json_valid(x'C9025C00', 8), json_valid(x'C7025C00', 8), json_valid(x'17FF', 8), json_valid(x'18FF', 8), json_valid(x'19FF', 8), json_valid(x'1AFF', 8), json_valid(x'C9055C0AC35C71', 8);
        select json_valid(x'C9065C755A5A5A5A', 8), json_valid(x'C9085C0A5C755A5A5A5A', 8), json_valid(x'1722', 8), json_valid(x'1822', 8), json_valid(x'1922', 8), json_valid(x'1801', 8), json_valid(x'1901', 8), json_valid(x'175C', 8), json_valid(x'185C', 8), json_valid(x'07', 8);
        select json_valid(x'295C27', 8), json_valid(x'295C76', 8), json_valid(x'395C3041', 8), json_valid(x'295C30', 8), json_valid(x'495C784141', 8), json_valid(x'395C7841', 8), json_valid(x'295C0D', 8), json_valid(x'395C0D0A', 8), json_valid(x'495CE280A8', 8), json_valid(x'495CE280A0', 8), json_valid(x'495C0A4141', 8), json_valid(x'395C0AC3', 8), json_valid(x'C90C5CD83D5CDE00', 8);
        select json_valid(jsonb('"a\tb"'), 8), json_valid(jsonb('''a\x41\v\0'''), 8), json_valid(jsonb('{"a\u0041":[1,2.5,"x",null,true,false,{}]}'), 8), json_valid(jsonb('[0x1F, .5, 5., +1, -.5e1, Infinity]'), 8)
        """,
        // containers: children must fit, labels must be strings, objects come in pairs, depth stops at 1000
        """
        select json_valid(x'3B133132', 8), json_valid(x'2B31FF', 8), json_valid(x'2C1700', 8), json_valid(x'1C17', 8), json_valid(x'3C170000', 8), json_valid(x'2C0000', 8), json_valid(x'2C1A00', 8), json_valid(x'0B', 8), json_valid(x'0C', 8), json_valid(x'0D', 8), json_valid(x'0F', 8);
        select json_valid(unhex(replace(printf('%.999c', '*'), '*', 'CB') || 'CB00'), 8), json_valid(jsonb(printf('%.999c', '[') || printf('%.999c', ']')), 8), json_valid(jsonb(printf('%.998c', '[') || printf('%.998c', ']')), 8)
        """,
        // json_error_position() on a blob taken as JSONB: the offset of the bad element's byte
        """
        select json_error_position(x'3B133132'), json_error_position(x'1301'), json_error_position(x'2B31FF'), json_error_position(x'5B6E756C6C5D'), json_error_position(x'22FF22'), json_error_position(x'CB01');
        select json_error_position(x'3C170000'), json_error_position(x'4C17001301'), json_error_position(x'C9065C755A5A5A5A'), json_error_position(x'45302E35'), json_error_position(x'00'), json_error_position(jsonb('[1,{"a":[2]}]')), json_error_position(x'7B10000000000000'), json_error_position(x'33313241')
        """,
        // which blobs are JSONB: a blob whose first byte could begin JSON text is JSONB only when strictly valid
        """
        select json_valid(x'5B6E756C6C5D', 1), json_valid(x'5B6E756C6C5D', 2), json_valid(x'5B6E756C6C5D', 4), json_valid(x'5B6E756C6C5D', 8), json_valid(x'5B0000000000', 4), json_valid(x'5B0000000000', 1), json_valid(x'5B00000000FF', 4), json_valid(x'5B1000000000', 4);
        select json_valid(x'7B10000000000000', 4), json_valid(x'6B100000000000', 4), json_valid(x'4B10000000', 4), json_valid(x'33313233', 4), json_valid(x'33313241', 4), json_valid(x'33313241', 2), json_valid(x'3B313233', 4), json_valid(x'3B313233', 1), json_valid(x'3B313233', 2), json_valid(x'3B313233', 8);
        select json(x'5B6E756C6C5D'), json(x'5B0000000000'), json_extract(x'5B6E756C6C5D', '$[0]'), json_array_length(x'5B6E756C6C5D'), json_type(x'7B7D'), json(x'33313233'), json(x'31')
        """,
        // JSON5 numbers need a digit beside the '.'; where SQLite reports bad numbers and trailing text
        """
        select json_valid('.', 2), json_valid('+e1', 2), json_valid('-e1', 2), json_valid('.5', 2), json_valid('5.', 2), json_valid('+.5', 2), json_valid('-.5', 2), json_valid('+.', 2), json_valid('[-.]', 2);
        select json_error_position('.'), json_error_position('.e1'), json_error_position('+.'), json_error_position('-.'), json_error_position('+'), json_error_position('[.5, .]'), json_error_position('+.e1'), json_error_position('[+..]'), json_error_position('-');
        select json_error_position('1 x'), json_error_position('[1]x'), json_error_position('312A'), json_error_position('"a" b'), json_error_position('{"a":1} }'), json_error_position('null x'), json_error_position('truex'), json_error_position('1x'), json_error_position('0x1g'), json_error_position('1.5.3');
        select json_error_position('[1x]'), json_error_position('[0x1g]'), json_error_position('{"a":1x}'), json_error_position('[1.5.3]'), json_error_position('1e5.'), json_error_position('1e5e3'), json_error_position('1e'), json_error_position('1e+'), json_error_position('[1e+]'), json_error_position('[0x1.5]');
        select json_error_position('01'), json_error_position('-01'), json_error_position('[00]'), json_error_position('[-00]'), json_error_position('[-]'), json_error_position('[+x]'), json_error_position('[+.]'), json_error_position('[1 2]');
        select json('1x'); select json('[1x]'); select json('0x1g')
        """,
        // a JSON5 unquoted key may spell its characters as \uXXXX escapes
        """
        select json('{' || char(0x5c) || 'u0061:1}'), ('{' || char(0x5c) || 'u0061:1}') ->> 'a', ('{a' || char(0x5c) || 'u0062:1}') ->> 'ab', json('{' || char(0x5c) || 'u0031:1}'), json_valid('{' || char(0x5c) || 'u0061:1}', 2);
        select hex(jsonb('{' || char(0x5c) || 'u0061b:1}')), json_extract('{x' || char(0x5c) || 'u0079:[1]}', '$.xy[0]');
        select json('{a' || char(0x5c) || 'u00:1}'); select json('{' || char(0x5c) || 'x61:1}')
        """,
        // a path ends at its first NUL byte, in the message too
        """
        select json_extract('{"a":1}', '$.a' || char(0) || 'junk'), '{"a":1}' -> ('$.a' || char(0) || 'junk'), '{"a":1}' ->> ('a' || char(0) || 'junk'), json_set('{}', '$.b' || char(0) || 'c', 1), json_remove('{"a":1,"b":2}', '$.a' || char(0) || 'b');
        select key, value from json_each('{"a":[5,6]}', '$.a' || char(0) || 'x'); select fullkey from json_tree('{"a":[5]}', '$.a' || char(0));
        select json_extract('{}', 'x' || char(0) || 'y'); select '{}' -> ('$x' || char(0) || 'y'); select * from json_each('{}', 'x' || char(0) || 'y')
        """,
        // subtype(): 74 ('J') on text the JSON functions return as JSON, 0 otherwise
        """
        select subtype(json('{}')), subtype(jsonb('{}')), subtype('{}'), subtype(1), subtype(NULL), subtype(json_extract('{"a":[1]}','$.a')), subtype(json_extract('{"a":1}','$.a'));
        select subtype(json_quote('x')), subtype(json_quote(5)), subtype(json_quote(NULL)), subtype(json_patch('{}','null')), subtype(json_patch('{"a":1}','{"b":2}')), subtype(json_type('{}')), subtype(json_type('[3]','$[0]')), subtype(json_pretty('{}'));
        select json_patch('{}', jsonb('null')), subtype(json_patch('{}', jsonb('null'))), json_patch('{}', x'00'), json_patch('{}', 'null'), json_patch('{"a":1}', 'null'), hex(jsonb_patch('{}', jsonb('null'))), hex(jsonb_patch('{}', 'null'));
        select subtype('{"a":[7,8]}' -> 'a'), subtype('{"a":[7,8]}' ->> 'a'), typeof('{"a":[7,8]}' ->> 'a'), subtype(json_array(1)), subtype(json_object()), subtype(json_set('[]', '$[0]', 1)), subtype(x'00'), subtype(1.5);
        create table t(j); insert into t values (json('[1]')); select subtype(j), subtype((select json('[2]'))), subtype(json_group_array(j)) from t;
        select json_array(json_pretty('{}')), json_array(json_pretty('[1]', '')), json_array(json_quote('x')), json_array(json_type('{}')), subtype(json_pretty('[1]', ' '))
        """);

    [Theory]
    [MemberData(nameof(JsonbValidityScripts))]
    public void Jsonb_validity_blob_classification_and_subtypes_match_sqlite(string script) => Differential.AssertSame(script);
}
