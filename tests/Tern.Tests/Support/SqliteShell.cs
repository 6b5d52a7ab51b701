// Runs the sqlite3 command-line shell, the oracle for interop tests: Tern's files must
// pass its integrity check and give back exactly the rows Tern wrote, and files it writes
// must read back in Tern row for row.
using System.Diagnostics;
using System.Text;

namespace Tern.Tests.Support;

internal static class SqliteShell
{
    /// <summary>Runs SQL (given on standard input) against a database file; returns standard output.</summary>
    public static string Run(string dbPath, string sql)
    {
        var psi = new ProcessStartInfo("sqlite3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add("-batch");
        psi.ArgumentList.Add("-bail");
        psi.ArgumentList.Add(dbPath);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start sqlite3");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(sql);
        p.StandardInput.Close();
        p.WaitForExit();
        string err = stderr.Result;
        if (p.ExitCode != 0 || err.Length > 0)
            throw new InvalidOperationException($"sqlite3 failed ({p.ExitCode}): {err}");
        return stdout.Result;
    }

    /// <summary>A fresh directory for test files, deleted on dispose.</summary>
    public sealed class TempDir : IDisposable
    {
        public TempDir()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tern-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        }
    }
}
