// The two providers every scenario runs on: Tern.Data ("tern") and Microsoft.Data.Sqlite
// over SQLite 3.50.4 ("sqlite", the oracle), and the xunit data that names them.
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Tern.Data;

namespace Tern.Data.Tests.Support;

public static class Providers
{
    private static readonly Lazy<bool> SqliteReady = new(() =>
    {
        SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_e_sqlite3());
        return true;
    });

    /// <summary>Both providers, as theory data.</summary>
    public static TheoryData<string> Both => new("tern", "sqlite");

    /// <summary>The factory of a provider by name.</summary>
    public static DbProviderFactory Factory(string name)
    {
        if (name == "tern") return TernFactory.Instance;
        _ = SqliteReady.Value;
        return SqliteFactory.Instance;
    }

    /// <summary>Closes every pooled connection of both providers (so files can be deleted).</summary>
    public static void ClearPools()
    {
        TernConnection.ClearAllPools();
        if (SqliteReady.IsValueCreated) SqliteConnection.ClearAllPools();
    }
}
