// Tern.Data behaviour that has no counterpart to compare with in Microsoft.Data.Sqlite:
// positional "?" parameters bound from unnamed parameters (the reference binds by name
// only), provider registration, and the keywords Tern refuses (Vfs, Password).
using System.Data.Common;

namespace Tern.Data.Tests;

public class TernOnlyTests
{
    private static TernConnection Open()
    {
        var c = new TernConnection("Data Source=:memory:");
        c.Open();
        return c;
    }

    [Fact]
    public void Unnamed_parameters_fill_question_marks_in_order()
    {
        using TernConnection c = Open();
        using TernCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT ? || '-' || ?, ?";
        cmd.Parameters.Add(new TernParameter { Value = "a" });
        cmd.Parameters.Add(new TernParameter { Value = "b" });
        cmd.Parameters.Add(new TernParameter { Value = 3 });
        using TernDataReader r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal("a-b", r.GetString(0));
        Assert.Equal(3L, r.GetValue(1));
    }

    [Fact]
    public void Unnamed_and_named_parameters_mix()
    {
        using TernConnection c = Open();
        using TernCommand cmd = c.CreateCommand();
        cmd.CommandText = "CREATE TABLE t(a, b); INSERT INTO t VALUES (?, @b); SELECT a, b FROM t WHERE a = ?";
        cmd.Parameters.Add(new TernParameter { Value = 7 });
        cmd.Parameters.AddWithValue("@b", "named");
        using TernDataReader r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal(7L, r.GetInt64(0));
        Assert.Equal("named", r.GetString(1));
    }

    [Fact]
    public void Unnamed_parameter_without_a_question_mark_is_refused()
    {
        using TernConnection c = Open();
        using TernCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT @a";
        cmd.Parameters.AddWithValue("@a", 1);
        cmd.Parameters.Add(new TernParameter { Value = 2 });
        var e = Assert.Throws<InvalidOperationException>(() => cmd.ExecuteScalar());
        Assert.Equal("ParameterName must be set.", e.Message);
        cmd.CommandText = "SELECT 5";
        Assert.Equal(5L, cmd.ExecuteScalar());
    }

    [Fact]
    public void Missing_question_mark_value_is_reported()
    {
        using TernConnection c = Open();
        using TernCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT ?, ?";
        cmd.Parameters.Add(new TernParameter { Value = 1 });
        var e = Assert.Throws<InvalidOperationException>(() => cmd.ExecuteScalar());
        Assert.StartsWith("Must add values for the following parameters:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Factory_registers_with_db_provider_factories()
    {
        DbProviderFactories.RegisterFactory("Tern.Data", TernFactory.Instance);
        DbProviderFactory f = DbProviderFactories.GetFactory("Tern.Data");
        Assert.Same(TernFactory.Instance, f);
        using DbConnection c = f.CreateConnection()!;
        c.ConnectionString = "Data Source=:memory:";
        c.Open();
        using DbCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT sqlite_version()";
        Assert.Equal("3.50.4", cmd.ExecuteScalar());
    }

    [Fact]
    public void Unknown_vfs_fails_to_open()
    {
        using var c = new TernConnection("Data Source=:memory:;Vfs=nope");
        var e = Assert.Throws<TernException>(() => c.Open());
        Assert.Equal(1, e.SqliteErrorCode);
        Assert.Equal("SQLite Error 1: 'no such vfs: nope'.", e.Message);
        Assert.Equal(System.Data.ConnectionState.Closed, c.State);
    }

    [Fact]
    public void Password_is_refused_until_encryption_exists()
    {
        using var c = new TernConnection("Data Source=:memory:;Password=secret");
        Assert.Throws<InvalidOperationException>(() => c.Open());
    }

    [Fact]
    public void Engine_errors_keep_the_engine_exception_as_inner()
    {
        using TernConnection c = Open();
        using TernCommand cmd = c.CreateCommand();
        cmd.CommandText = "CREATE TABLE t(a UNIQUE); INSERT INTO t VALUES (1); INSERT INTO t VALUES (1)";
        var e = Assert.Throws<TernException>(() => cmd.ExecuteNonQuery());
        Assert.Equal(19, e.SqliteErrorCode);
        Assert.Equal(2067, e.SqliteExtendedErrorCode);
        Assert.IsType<Tern.TernException>(e.InnerException);
    }

    [Fact]
    public void Text_is_read_from_utf8_without_a_string_for_streams()
    {
        using TernConnection c = Open();
        using TernCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT 'h\u00e9llo \u2603'";
        using TernDataReader r = cmd.ExecuteReader();
        Assert.True(r.Read());
        using Stream s = r.GetStream(0);
        using var m = new MemoryStream();
        s.CopyTo(m);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes("h\u00e9llo \u2603"), m.ToArray());
        Assert.Equal("h\u00e9llo \u2603", r.GetTextReader(0).ReadToEnd());
    }
}
