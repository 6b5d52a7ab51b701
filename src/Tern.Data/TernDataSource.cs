// A data source: a connection string from which connections and commands are made
// (the DbDataSource pattern of .NET 7+).
using System.Data.Common;

namespace Tern.Data;

/// <summary>Makes connections for one connection string.</summary>
public class TernDataSource : DbDataSource
{
    private readonly string _connectionString;

    /// <summary>Creates a data source.</summary>
    /// <param name="connectionString">The connection string of the connections it makes.</param>
    public TernDataSource(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        _connectionString = connectionString;
    }

    /// <summary>The connection string.</summary>
    public override string ConnectionString => _connectionString;

    /// <summary>Creates a new, closed connection.</summary>
    public new TernConnection CreateConnection() => new(_connectionString);

    /// <summary>Creates a new, closed connection.</summary>
    protected override DbConnection CreateDbConnection() => CreateConnection();

    /// <summary>Creates and opens a connection.</summary>
    public new TernConnection OpenConnection()
    {
        TernConnection c = CreateConnection();
        c.Open();
        return c;
    }
}
