// What a scenario works with: the provider's factory, a scratch directory for database
// files, the transcript, and helpers to open connections and run SQL through the
// generic ADO.NET API (so one scenario body serves both providers).
using System.Data;
using System.Data.Common;

namespace Tern.Data.Tests.Support;

public sealed class Db : IDisposable
{
    private readonly List<DbConnection> _opened = [];

    public Db(string provider)
    {
        Provider = provider;
        Factory = Providers.Factory(provider);
        Directory = Path.Combine(Path.GetTempPath(), "tern-data-tests", provider + "-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Provider { get; }

    public bool IsTern => Provider == "tern";

    public DbProviderFactory Factory { get; }

    public string Directory { get; }

    public Transcript T { get; } = new();

    /// <summary>A path in the scratch directory.</summary>
    public string File(string name) => Path.Combine(Directory, name);

    /// <summary>A connection string for a file in the scratch directory (pooling off).</summary>
    public string FileConnectionString(string name = "test.db", string extra = "") => $"Data Source={File(name)};Pooling=False" + (extra.Length > 0 ? ";" + extra : "");

    /// <summary>A new connection (not opened).</summary>
    public DbConnection Connection(string connectionString = "Data Source=:memory:")
    {
        DbConnection c = Factory.CreateConnection()!;
        c.ConnectionString = connectionString;
        _opened.Add(c);
        return c;
    }

    /// <summary>A new opened connection.</summary>
    public DbConnection Open(string connectionString = "Data Source=:memory:")
    {
        DbConnection c = Connection(connectionString);
        c.Open();
        return c;
    }

    /// <summary>A command with text (and parameters as name/value pairs).</summary>
    public static DbCommand Command(DbConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        DbCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            DbParameter p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    /// <summary>Runs SQL and returns ExecuteNonQuery's count.</summary>
    public static int Exec(DbConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        using DbCommand cmd = Command(c, sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    /// <summary>Runs SQL and returns ExecuteScalar's value.</summary>
    public static object? Scalar(DbConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        using DbCommand cmd = Command(c, sql, parameters);
        return cmd.ExecuteScalar();
    }

    /// <summary>Records every result set of a command: column names, data type names and each row's values.</summary>
    public void Query(DbConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        T.Try("query " + sql, () =>
        {
            using DbCommand cmd = Command(c, sql, parameters);
            using DbDataReader r = cmd.ExecuteReader();
            RecordReader(r);
        });
    }

    /// <summary>Records every result set of an open reader.</summary>
    public void RecordReader(DbDataReader r)
    {
        int set = 0;
        do
        {
            var cols = new List<string>();
            for (int i = 0; i < r.FieldCount; i++) cols.Add(r.GetName(i) + ":" + r.GetDataTypeName(i));
            T.Note($"set {set++} fields={r.FieldCount} hasRows={r.HasRows} [{string.Join(", ", cols)}]");
            while (r.Read())
            {
                var vals = new object?[r.FieldCount];
                for (int i = 0; i < r.FieldCount; i++) vals[i] = r.GetValue(i);
                T.Note("  row " + Transcript.Format(vals));
            }
        }
        while (r.NextResult());
        T.Add("recordsAffected", r.RecordsAffected);
    }

    public void Dispose()
    {
        foreach (DbConnection c in _opened) c.Dispose();
        Providers.ClearPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
