// Differential tests of the table-valued functions: the pragma functions (pragma_table_info,
// pragma_table_xinfo, pragma_index_list, pragma_index_info, pragma_index_xinfo,
// pragma_foreign_key_list, pragma_table_list and the setting pragmas), json_each and
// json_tree, with arguments in parentheses or as WHERE constraints on the hidden columns,
// in joins (LEFT JOIN on either side, correlated arguments), subqueries, CTEs, views,
// triggers, UPDATE ... FROM and INSERT ... SELECT, and their errors; then a seeded random
// run of json_each/json_tree over generated documents. Each script runs on Tern and on
// SQLite 3.50.4 and the transcripts must match.
using System.Globalization;
using System.Text;

namespace Tern.Tests.Engine;

public class TableFunctionDifferentialTests
{
    private const string Schema = """
        create table p(id integer primary key, k text not null default 'x', unique(k));
        create table c(a int, b TEXT, c real default (1 + 2), d varchar(10) default 'q''s',
          primary key(b, a),
          foreign key(a) references p,
          foreign key(b, a) references p(k, id) on update set null on delete cascade);
        create index ci on c(d desc, a collate NOCASE);
        create index ce on c(a + 1, lower(b)) where a > 0;
        create unique index cu on c(c);
        create view v as select a, b as bee, c * 2 from c;
        create table g(x, y as (x * 2), z as (x + 1) stored);
        """;

    public static TheoryData<string> PragmaScripts() => new(
        Schema + """
        select * from pragma_table_info('c');
        select * from pragma_table_info('p');
        select * from pragma_table_info('v');
        select * from pragma_table_info('g');
        select * from pragma_table_xinfo('g');
        select * from pragma_table_info('nosuch');
        select * from pragma_table_info(null);
        select * from pragma_table_info;
        """,
        Schema + """
        select * from pragma_index_list('c');
        select * from pragma_index_list('p');
        select * from pragma_index_info('ci');
        select * from pragma_index_info('ce');
        select * from pragma_index_xinfo('ci');
        select * from pragma_index_xinfo('ce');
        select * from pragma_index_xinfo('sqlite_autoindex_c_1');
        select * from pragma_index_info('nosuch');
        """,
        Schema + """
        select * from pragma_foreign_key_list('c');
        select * from pragma_foreign_key_list('p');
        select "table", "from", "to" from pragma_foreign_key_list('c') order by "from";
        """,
        Schema + """
        select schema, name, type, ncol, wr, strict from pragma_table_list order by schema, name;
        select * from pragma_table_list('c');
        select * from pragma_table_list('v');
        select name from pragma_table_list where type = 'view';
        select * from pragma_table_xinfo('pragma_table_list');
        select * from pragma_table_list('c', 'main');
        """,
        // arguments and schema as hidden columns, named or constrained in WHERE
        Schema + """
        select arg, schema, name from pragma_table_info('c');
        select arg, schema, name from pragma_table_info('c', 'main');
        select name, arg from pragma_table_info where arg = 'p';
        select name from pragma_table_info where arg = 'c' and schema = 'main';
        select name from pragma_table_info('c', 'nosuch');
        select * from pragma_table_info('c', 'main', 'x');
        select * from pragma_table_xinfo('json_each');
        select * from pragma_table_info('pragma_index_info');
        """,
        // the schema pragmas of every table at once
        Schema + """
        select m.name, t.cid, t.name, t.type, t.pk from sqlite_schema m join pragma_table_info(m.name) t where m.type = 'table' order by 1, 2;
        select m.name, i.name, i.origin, i.partial from sqlite_schema m, pragma_index_list(m.name) i order by 1, 2;
        select i.name, x.seqno, x.cid, x.name, x.key from pragma_index_list('c') i, pragma_index_xinfo(i.name) x order by 1, 2;
        select m.name, (select count(*) from pragma_table_info(m.name)) from sqlite_schema m order by 1;
        select name from sqlite_schema m where exists (select 1 from pragma_foreign_key_list(m.name)) order by 1;
        create table names(n); insert into names values ('c'), ('zz'), ('p');
        select names.n, t.name from names left join pragma_table_info(names.n) t order by 1, t.cid;
        select names.n, t.name from names left join pragma_table_info t on t.arg = names.n order by 1, t.cid;
        select t.name, names.n from pragma_table_info('p') t left join names on names.n = t.name;
        select t.name from pragma_table_info t, names where t.arg = names.n and names.n = 'p';
        """,
        // setting pragmas
        """
        select * from pragma_cache_size;
        select * from pragma_cache_size('main');
        select * from pragma_cache_size('nosuch');
        select * from pragma_user_version;
        select * from pragma_user_version(1);
        pragma user_version = 7;
        select user_version + 1 from pragma_user_version;
        select * from pragma_recursive_triggers, pragma_automatic_index;
        select * from pragma_encoding;
        select * from pragma_collation_list order by seq;
        select * from pragma_busy_timeout;
        select * from pragma_integrity_check;
        select * from pragma_quick_check;
        select * from pragma_application_id;
        select * from pragma_nosuch;
        """,
        // the PRAGMA statements themselves: standard type names in upper case, a view's declared types, foreign_key_list
        Schema + """
        create table w(a Int, b integer, c tEXt, d blob, e real, f any, g varchar(3), h int8, i);
        pragma table_info(w);
        pragma table_info(v);
        pragma foreign_key_list(c);
        pragma foreign_key_list(p);
        """,
        // rowids and query plans
        Schema + """
        select rowid, name from pragma_table_info('c');
        select rowid, * from pragma_cache_size;
        select rowid, key from json_each('[5,6,7]') where rowid > 0;
        select key from json_tree('[5,[6]]') order by rowid desc;
        select a.rowid, b.rowid, a.value from json_each('[5,6]') a left join json_each('[]') b;
        """
    );

    [Theory]
    [MemberData(nameof(PragmaScripts))]
    public void Pragma_functions_match_sqlite(string script) => Differential.AssertSame(script);

    [Fact]
    public void Plan_shows_functions_as_virtual_tables_with_sqlites_index_numbers()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("CREATE TABLE t(a)");
        Assert.Equal(["SCAN json_each VIRTUAL TABLE INDEX 3:"], Differential.Plan(c, "SELECT * FROM json_each('[1]', '$')"));
        Assert.Equal(["SCAN json_tree VIRTUAL TABLE INDEX 1:"], Differential.Plan(c, "SELECT * FROM json_tree('[1]')"));
        Assert.Equal(["SCAN json_each VIRTUAL TABLE INDEX 0:"], Differential.Plan(c, "SELECT * FROM json_each"));
        Assert.Equal(["SCAN pragma_table_info VIRTUAL TABLE INDEX 0:"], Differential.Plan(c, "SELECT * FROM pragma_table_info('t')"));
        Assert.Equal(["SCAN pragma_cache_size VIRTUAL TABLE INDEX 0:"], Differential.Plan(c, "SELECT * FROM pragma_cache_size"));
        Assert.Equal(["SCAN t", "SCAN j VIRTUAL TABLE INDEX 1:"], Differential.Plan(c, "SELECT * FROM t, json_each(t.a) j"));
    }

    [Fact]
    public void Prepared_pragma_function_sees_the_schema_of_each_run_and_bound_arguments()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("CREATE TABLE t(a)");
        using Statement s = c.Prepare("SELECT count(*) FROM pragma_table_info(?1)");
        s.Bind(1, "t");
        Assert.True(s.Step());
        Assert.Equal(1, s.GetInt64(0));
        s.Reset();
        c.Execute("ALTER TABLE t ADD COLUMN b");
        Assert.True(s.Step());
        Assert.Equal(2, s.GetInt64(0));
        s.Reset();
        s.Bind(1, "nosuch");
        Assert.True(s.Step());
        Assert.Equal(0, s.GetInt64(0));
        s.Reset();
        using Statement j = c.Prepare("SELECT group_concat(value) FROM json_each(?1)");
        j.Bind(1, "[1,2,3]");
        Assert.True(j.Step());
        Assert.Equal("1,2,3", j.GetString(0));
        j.Reset();
        j.Bind(1, "[1");
        var e = Assert.Throws<TernException>(() => j.Step());
        Assert.Equal("malformed JSON", e.Message);
    }

    public static TheoryData<string> JsonScripts() => new(
        // every JSON type, nested containers, the hidden columns
        """
        select * from json_each('[1,[2,3],{"a":4},"s",null,true,false,1.5,-0,1e5,9223372036854775808]');
        select key, value, type, atom, id, parent, fullkey, path, json, root from json_each('{"a":[1,{"b":2}],"c":"x","d":{}}');
        select * from json_tree('{"a":[1,{"b":2}],"c":"x","d":{},"e":[]}');
        select * from json_tree('[[1,[2]],{"k":{"z":null}}]');
        select * from json_each('5'); select * from json_tree('"str"'); select * from json_each('[]'); select * from json_tree('{}');
        select json, root from json_each('[1]'); select json, root from json_each('[1]', '$');
        select typeof(value), typeof(atom), typeof(key) from json_each('[1, 2.5, "x", null, [1], {"a":1}]');
        """,
        // paths
        """
        select * from json_each('{"a":[1,{"b":2}],"c":"x"}', '$.a');
        select * from json_tree('{"a":[1,{"b":2}],"c":"x"}', '$.a');
        select * from json_each('[1,[2,3]]', '$[1]');
        select * from json_each('[1,[2,3]]', '$[1][0]');
        select * from json_tree('[1,[2,3]]', '$[1][0]');
        select * from json_tree('[1,[2,3]]', '$[1]');
        select * from json_tree('{"a":{"b":[5]}}', '$.a.b');
        select * from json_tree('{"a":{"b":5}}', '$."a".b');
        select * from json_tree('{"a":[1,[5]]}', '$.a[#-1]');
        select * from json_tree('[1,[5]]', '$[#-1]');
        select * from json_each('[1,[5]]', '$[#-1]');
        select * from json_each('{"a":[1]}', '$.a[#-1]');
        select * from json_each('[1]', '$.zz'); select * from json_each('[1]', '$[#]');
        select * from json_each('[1]', null);
        select * from json_each('[1]', 'x');
        select * from json_each('[1]', '$.');
        """,
        // keys that need quoting, escapes, JSON5
        """
        select * from json_each('{"a b":1,"c.d":2,"e\"f":3,"":4,"x\u0041":5,"a_b":6,"a1":7,"1a":8,"é":9}');
        select key, fullkey from json_tree('{"a b":{"c":[{"d e":1}]}}');
        select key, value, type, atom from json_each('[1e5, 0x1F, -0, 1.0, "a\nb", "\u00e9", .5, Infinity, ''q'', true, false, -Infinity, 1E+2]');
        select key, value, type from json_each('{a:1, $b_2:2, ''c'':3,}');
        select json_array(value), json_type(value) from json_each('[[1],{"a":[2]},3,"x"]');
        select value -> '$[0]' from json_each('[[7,8]]');
        select json_array(value) from (select value from json_each('[[1],{"a":2}]'));
        select json_array(json), json_array(value) from json_each(json('[[1]]'));
        select * from (select key, value from json_each where json = '[1,2]') where key > 0;
        create table t(d); insert into t values ('[1,2]'), ('[3]');
        select (select sum(v) from (select value v from json_each(t.d))) from t;
        create view jv as select * from json_each('[[1],[2]]'); select json_array(value) from jv;
        """,
        // NULL, malformed and JSONB input, wrong argument counts
        """
        select * from json_each(null); select * from json_tree(null);
        select * from json_each('[1');
        select * from json_tree('{"a":}');
        select * from json_each('');
        select * from json_each(jsonb('[1,{"a":2}]'));
        select typeof(json) from json_each(jsonb('[1]'));
        select * from json_each(x'00');
        select * from json_each('[1]', '$', 'x');
        select * from json_each();
        select * from json_tree();
        """,
        // correlated arguments, joins, LEFT JOIN on either side
        """
        create table t(id integer primary key, doc text);
        insert into t values (1, '{"a":{"b":1,"c":2},"x":4}'), (2, '[10,20,30]'), (3, null), (4, '"s"'), (5, '[]');
        select t.id, j.key, j.value, j.type from t, json_each(t.doc) j order by 1, j.id;
        select t.id, j.fullkey, j.value from t join json_tree(t.doc) j on j.type not in ('object', 'array') order by 1, j.id;
        select t.id, j.key, j.value from t left join json_each(t.doc) j order by 1, j.id;
        select t.id, j.key from t left join json_each(t.doc) j on j.value > 15 order by 1, j.id;
        select j.value, t.id from json_each('[1,2,3,9]') j left join t on t.id = j.value order by 1;
        select t.id from t where exists (select 1 from json_tree(t.doc) where key = 'b') order by id;
        select id, (select count(*) from json_each(t.doc)), (select sum(value) from json_each(t.doc)) from t order by id;
        select t.id, json_each.key from t, json_each where json_each.json = t.doc and t.id = 2;
        select a.value, b.value from json_each('[1,2]') a, json_each('[3,4]') b order by 1, 2;
        select a.value, b.value from json_each('[[1,2],[3]]') a, json_each(a.value) b;
        select * from json_each(t.doc), t where t.id = 2;
        select json_each.key, t.id from json_each, t where json_each.json = t.doc and t.id in (1, 2) order by 2, 1;
        select key, value from json_each('[1,2,3]') where key = 1 or key = 2;
        select * from json_each where json = '[1,[2,3]]' and root = '$[1]';
        select count(*), a.value from json_each('[1,2]') a natural join json_each('[2,3]') b; select a.value, b.value from json_each('[1,2]') a join json_each('[2,3]') b using (value);
        """,
        // CTEs, views, subqueries, INSERT ... SELECT, UPDATE ... FROM, triggers
        """
        create table t(id integer primary key, doc text);
        create table out(k, v);
        with docs(d) as (values ('[1,2]'), ('{"a":3}')) select d, key, value from docs, json_each(d) order by 1, 2;
        create view vj as select key, value from json_each('{"p":1,"q":[2]}');
        select * from vj;
        create view vt as select t.id, j.* from t, json_tree(t.doc) j;
        insert into t values (1, '[1,[2]]'), (2, '{"z":null}');
        select * from vt order by id, id;
        select * from (select key, value from json_each('[5,6,7]') where value > 5) order by 1;
        insert into out select key, value from json_each('{"a":1,"b":[2]}');
        select * from out;
        update out set v = j.value from json_each('{"a":"A","b":"B"}') j where j.key = out.k;
        select * from out;
        create table log(x);
        create trigger tr after insert on t begin insert into log select value from json_each(new.doc); end;
        insert into t values (3, '[7,8,9]');
        select * from log;
        create trigger tr2 before delete on t begin insert into log select fullkey from json_tree(old.doc); end;
        delete from t where id = 2;
        select * from log;
        """,
        // errors: not a function, no such table
        """
        create table tt(a);
        with cte1(x) as (values(1)) select * from cte1(7);
        select * from tt(5);
        select * from nosuch(1);
        select * from pragma_nosuch(1);
        select * from json_each('[1]') where nosuch = 1;
        """,
        // generate_series is not built into the reference, but the rest of the query still reports errors in order
        """
        select key from json_each('[1,2,3]') limit 2;
        select key from json_each('[1,2,3]') order by key desc limit 1 offset 1;
        select max(value), min(key), count(*) from json_tree('[1,[2,[3,[4]]]]');
        select distinct type from json_tree('[1,[2,[3,[4]]],"a",{"b":null}]') order by 1;
        """
    );

    [Theory]
    [MemberData(nameof(JsonScripts))]
    public void Json_each_and_json_tree_match_sqlite(string script) => Differential.AssertSame(script);

    /// <summary>JSON_TVF_COUNT sets how many documents the random run tries (80 by default).</summary>
    [Fact]
    public void Json_each_and_json_tree_match_sqlite_on_random_documents()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("JSON_TVF_COUNT"), out int n) ? n : 80;
        Differential.AssertGeneratedQueriesSame(count, seed =>
        {
            var rng = new Random(7919 + seed);
            return ("select 1", () =>
            {
                string doc = RandomJson(rng, 0).Replace("'", "''", StringComparison.Ordinal);
                string fn = rng.Next(2) == 0 ? "json_each" : "json_tree";
                string root = rng.Next(3) switch
                {
                    0 => "",
                    1 => ", '$'",
                    _ => ", '" + RandomPath(rng) + "'",
                };
                return $"select key, value, type, atom, id, parent, fullkey, path, root from {fn}('{doc}'{root})";
            });
        });
    }

    private static string RandomJson(Random rng, int depth)
    {
        int kind = rng.Next(depth > 3 ? 6 : 9);
        switch (kind)
        {
            case 0: return "null";
            case 1: return rng.Next(2) == 0 ? "true" : "false";
            case 2: return rng.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture);
            case 3: return (rng.Next(-100000, 100000) / 100.0).ToString("0.0#", CultureInfo.InvariantCulture);
            case 4: return "\"" + RandomKey(rng) + "\"";
            case 5: return rng.Next(3) == 0 ? "1e3" : "\"a\\nb\"";
            case 6:
            case 7:
                {
                    var sb = new StringBuilder("[");
                    int items = rng.Next(5);
                    for (int i = 0; i < items; i++) sb.Append(i > 0 ? "," : "").Append(RandomJson(rng, depth + 1));
                    return sb.Append(']').ToString();
                }
            default:
                {
                    var sb = new StringBuilder("{");
                    int items = rng.Next(5);
                    for (int i = 0; i < items; i++) sb.Append(i > 0 ? "," : "").Append('"').Append(RandomKey(rng)).Append("\":").Append(RandomJson(rng, depth + 1));
                    return sb.Append('}').ToString();
                }
        }
    }

    private static string RandomKey(Random rng) => rng.Next(6) switch
    {
        0 => "a",
        1 => "b",
        2 => "a b",
        3 => "k" + rng.Next(20).ToString(CultureInfo.InvariantCulture),
        4 => "",
        _ => "x.y",
    };

    private static string RandomPath(Random rng)
    {
        var sb = new StringBuilder("$");
        int steps = rng.Next(1, 4);
        for (int i = 0; i < steps; i++)
        {
            sb.Append(rng.Next(3) switch
            {
                0 => "[" + rng.Next(3).ToString(CultureInfo.InvariantCulture) + "]",
                1 => ".a",
                _ => ".b",
            });
        }
        return sb.ToString();
    }
}
