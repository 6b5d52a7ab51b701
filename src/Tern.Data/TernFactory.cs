// The provider factory, so that code written against DbProviderFactory (and registries
// such as DbProviderFactories) can create Tern's connections, commands and parameters.
using System.Data.Common;

namespace Tern.Data;

/// <summary>Creates the provider's objects.</summary>
public class TernFactory : DbProviderFactory
{
    /// <summary>The one instance.</summary>
    public static readonly TernFactory Instance = new();

    private TernFactory()
    {
    }

    /// <summary>Creates a command.</summary>
    public override DbCommand CreateCommand() => new TernCommand();

    /// <summary>Creates a connection.</summary>
    public override DbConnection CreateConnection() => new TernConnection();

    /// <summary>Creates a connection string builder.</summary>
    public override DbConnectionStringBuilder CreateConnectionStringBuilder() => new TernConnectionStringBuilder();

    /// <summary>Creates a parameter.</summary>
    public override DbParameter CreateParameter() => new TernParameter();

    /// <summary>Creates a data source for a connection string.</summary>
    /// <param name="connectionString">The connection string.</param>
    public override DbDataSource CreateDataSource(string connectionString) => new TernDataSource(connectionString);
}
