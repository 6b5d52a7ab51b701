// Runs a scenario on a provider. On "sqlite" the scenario's own assertions check the
// test's assumptions against the oracle; on "tern" the scenario also runs on the oracle
// and the two transcripts must be identical.
namespace Tern.Data.Tests.Support;

public abstract class ScenarioBase
{
    protected static void Run(string provider, Action<Db> scenario)
    {
        string actual = Capture(provider, scenario);
        if (provider == "tern")
        {
            string expected = Capture("sqlite", scenario);
            if (expected == actual) return;
            string[] e = expected.Split('\n');
            string[] a = actual.Split('\n');
            int i = 0;
            while (i < e.Length && i < a.Length && e[i] == a[i]) i++;
            Assert.Fail($"transcripts differ at line {i + 1}:\n  sqlite: {(i < e.Length ? e[i] : "<end>")}\n  tern:   {(i < a.Length ? a[i] : "<end>")}\n--- sqlite:\n{expected}--- tern:\n{actual}");
        }
    }

    private static string Capture(string provider, Action<Db> scenario)
    {
        using var db = new Db(provider);
        scenario(db);
        return db.T.ToString();
    }
}
