// Dapper on both providers: queries mapped to classes and records, multi-mapping,
// buffered and unbuffered queries, Execute with a list of parameter objects (bulk
// insert), scalar and single-row queries, QueryMultiple, transactions, async, and
// dynamic rows. Results must match between Tern and Microsoft.Data.Sqlite.
using System.Data.Common;
using Dapper;
using Tern.Data.Tests.Support;

namespace Tern.Data.Tests;

public class DapperTests : ScenarioBase
{
    public static TheoryData<string> P => Providers.Both;

    public sealed class Person
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public double? Height { get; set; }
        public DateTime Born { get; set; }
        public bool Active { get; set; }
        public long? TeamId { get; set; }
        public Team? Team { get; set; }

        public override string ToString() => $"{Id}:{Name}:{Height}:{Born:yyyy-MM-dd}:{Active}:{TeamId}:{Team?.Name}";
    }

    public sealed class Team
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
    }

    public sealed record PersonRecord(long Id, string Name, double? Height);

    private static DbConnection Seed(Db db)
    {
        DbConnection c = db.Open();
        c.Execute("CREATE TABLE team(id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE person(id INTEGER PRIMARY KEY, name TEXT NOT NULL, height REAL, born TEXT, active INTEGER, teamid INTEGER REFERENCES team(id))");
        c.Execute("INSERT INTO team VALUES (1, 'red'), (2, 'blue')");
        c.Execute("INSERT INTO person(name, height, born, active, teamid) VALUES (@Name, @Height, @Born, @Active, @TeamId)", new[]
        {
            new { Name = "ann", Height = (double?)1.7, Born = new DateTime(1990, 1, 2), Active = true, TeamId = (long?)1 },
            new { Name = "bob", Height = (double?)null, Born = new DateTime(1985, 5, 6), Active = false, TeamId = (long?)2 },
            new { Name = "cy", Height = (double?)1.82, Born = new DateTime(2001, 12, 31), Active = true, TeamId = (long?)null },
        });
        return c;
    }

    [Theory, MemberData(nameof(P))]
    public void Query_maps_rows_to_classes(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        List<Person> people = c.Query<Person>("SELECT * FROM person ORDER BY id").ToList();
        foreach (Person x in people) db.T.Add("person", x.ToString());
        Assert.Equal(3, people.Count);
        Assert.Null(people[1].Height);
    });

    [Theory, MemberData(nameof(P))]
    public void Query_maps_rows_to_records(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        foreach (PersonRecord r in c.Query<PersonRecord>("SELECT id, name, height FROM person ORDER BY id")) db.T.Add("record", r.ToString());
    });

    [Theory, MemberData(nameof(P))]
    public void Query_with_parameters_and_in_lists(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        db.T.Add("by name", c.Query<long>("SELECT id FROM person WHERE name = @name", new { name = "bob" }));
        db.T.Add("in list", c.Query<string>("SELECT name FROM person WHERE id IN @ids ORDER BY id", new { ids = new[] { 1L, 3L } }));
        db.T.Add("dynamic params", c.Query<string>("SELECT name FROM person WHERE active = @a ORDER BY id", new DynamicParameters(new { a = true })));
    });

    [Theory, MemberData(nameof(P))]
    public void Multi_mapping_splits_rows_into_objects(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        IEnumerable<Person> rows = c.Query<Person, Team, Person>(
            "SELECT p.id, p.name, p.height, p.born, p.active, p.teamid, t.id, t.name FROM person p JOIN team t ON t.id = p.teamid ORDER BY p.id",
            (person, team) =>
            {
                person.Team = team;
                return person;
            },
            splitOn: "id");
        foreach (Person x in rows) db.T.Add("person", x.ToString());
    });

    [Theory, MemberData(nameof(P))]
    public void Buffered_and_unbuffered_queries(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        IEnumerable<Person> buffered = c.Query<Person>("SELECT * FROM person ORDER BY id", buffered: true);
        db.T.Add("buffered is list", buffered is List<Person>);
        db.T.Add("buffered", buffered.Select(x => x.Name));
        IEnumerable<Person> unbuffered = c.Query<Person>("SELECT * FROM person ORDER BY id", buffered: false);
        db.T.Add("unbuffered is list", unbuffered is List<Person>);
        foreach (Person x in unbuffered) db.T.Add("streamed", x.Name);
    });

    [Theory, MemberData(nameof(P))]
    public void Execute_with_a_list_inserts_every_item(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        c.Execute("CREATE TABLE item(id INTEGER PRIMARY KEY, label TEXT, qty INTEGER)");
        var items = Enumerable.Range(1, 500).Select(i => new { Label = "item" + i, Qty = i % 7 }).ToList();
        int inserted = c.Execute("INSERT INTO item(label, qty) VALUES (@Label, @Qty)", items);
        db.T.Add("inserted", inserted);
        db.T.Add("sum", c.ExecuteScalar<long>("SELECT sum(qty) FROM item"));
        db.T.Add("updated", c.Execute("UPDATE item SET qty = qty + 1 WHERE id = @id", new[] { new { id = 1 }, new { id = 2 }, new { id = 999 } }));
    });

    [Theory, MemberData(nameof(P))]
    public void Bulk_insert_in_a_transaction(string p) => Run(p, db =>
    {
        DbConnection c = db.Open(db.FileConnectionString());
        c.Execute("CREATE TABLE item(id INTEGER PRIMARY KEY, label TEXT)");
        using (DbTransaction tx = c.BeginTransaction())
        {
            c.Execute("INSERT INTO item(label) VALUES (@Label)", Enumerable.Range(0, 1000).Select(i => new { Label = "x" + i }), tx);
            tx.Commit();
        }
        using (DbTransaction tx = c.BeginTransaction())
        {
            c.Execute("DELETE FROM item WHERE id > @n", new { n = 10 }, tx);
            db.T.Add("inside", c.ExecuteScalar<long>("SELECT count(*) FROM item", transaction: tx));
            tx.Rollback();
        }
        db.T.Add("after rollback", c.ExecuteScalar<long>("SELECT count(*) FROM item"));
    });

    [Theory, MemberData(nameof(P))]
    public void Single_first_and_scalar(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        db.T.Add("single", c.QuerySingle<Person>("SELECT * FROM person WHERE id = 2").ToString());
        db.T.Add("first or default", c.QueryFirstOrDefault<Person>("SELECT * FROM person WHERE id = 99")?.ToString());
        db.T.Add("scalar", c.ExecuteScalar<string>("SELECT name FROM person WHERE id = 3"));
        db.T.Add("scalar int", c.ExecuteScalar<int>("SELECT count(*) FROM person"));
        db.T.Try("single of many", () => c.QuerySingle<Person>("SELECT * FROM person"));
    });

    [Theory, MemberData(nameof(P))]
    public void Query_multiple_reads_each_result_set(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        using SqlMapper.GridReader grid = c.QueryMultiple("SELECT * FROM team ORDER BY id; SELECT * FROM person WHERE id = @id", new { id = 1 });
        db.T.Add("teams", grid.Read<Team>().Select(t => t.Name));
        db.T.Add("person", grid.ReadSingle<Person>().ToString());
    });

    [Theory, MemberData(nameof(P))]
    public void Dynamic_rows(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        foreach (dynamic row in c.Query("SELECT id, name, height FROM person ORDER BY id"))
        {
            var d = (IDictionary<string, object?>)row;
            db.T.Add("row", d.Select(kv => kv.Key + "=" + Transcript.Format(kv.Value)));
        }
    });

    [Theory, MemberData(nameof(P))]
    public void Async_queries(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        var people = c.QueryAsync<Person>("SELECT * FROM person WHERE height > @h ORDER BY id", new { h = 1.0 }).GetAwaiter().GetResult();
        db.T.Add("people", people.Select(x => x.Name));
        db.T.Add("execute", c.ExecuteAsync("UPDATE person SET active = 0").GetAwaiter().GetResult());
        db.T.Add("scalar", c.ExecuteScalarAsync<long>("SELECT count(*) FROM person WHERE active = 0").GetAwaiter().GetResult());
    });

    [Theory, MemberData(nameof(P))]
    public void Type_handling_for_common_clr_types(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        var g = Guid.Parse("11111111-2222-3333-4444-555555555555");
        var row = c.QuerySingle<(long I, double D, string S, byte[] B, bool F, decimal M, DateTime T)>(
            "SELECT @i, @d, @s, @b, @f, @m, @t",
            new { i = 5L, d = 2.5, s = "str", b = new byte[] { 1, 2 }, f = true, m = 1.25m, t = new DateTime(2020, 2, 3, 4, 5, 6) });
        db.T.Add("row", new object[] { row.I, row.D, row.S, row.B, row.F, row.M, row.T });
        db.T.Add("guid text", c.ExecuteScalar<string>("SELECT @g", new { g }));
        db.T.Try("guid as tuple", () => c.QuerySingle<(long I, Guid G)>("SELECT 1, @g", new { g }).G);
    });

    [Theory, MemberData(nameof(P))]
    public void Errors_surface_as_provider_exceptions(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        db.T.Try("missing table", () => c.Query<Person>("SELECT * FROM nobody").ToList());
        db.T.Try("constraint", () => c.Execute("INSERT INTO person(name) VALUES (NULL)"));
        db.T.Try("foreign key", () => c.Execute("INSERT INTO person(name, teamid) VALUES ('z', 42)"));
    });
}
