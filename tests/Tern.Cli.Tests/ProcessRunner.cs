// Runs a program (the sqlite3 shell, or the built tern) with arguments and standard input,
// and collects its standard output and standard error as bytes and its exit code.
using System.Diagnostics;

namespace Tern.Cli.Tests;

/// <summary>What a run printed and returned.</summary>
public sealed record RunResult(byte[] Stdout, byte[] Stderr, int ExitCode)
{
    public string StdoutText => System.Text.Encoding.UTF8.GetString(Stdout);
    public string StderrText => System.Text.Encoding.UTF8.GetString(Stderr);
}

public static class ProcessRunner
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="args"/>, feeding <paramref name="stdin"/>.</summary>
    public static RunResult Run(string program, IEnumerable<string> args, byte[] stdin, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory != null) psi.WorkingDirectory = workingDirectory;
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + program);
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        Task o = p.StandardOutput.BaseStream.CopyToAsync(stdout);
        Task e = p.StandardError.BaseStream.CopyToAsync(stderr);
        try
        {
            p.StandardInput.BaseStream.Write(stdin);
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program ended before reading all of its input (e.g. at .exit).
        }
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException(program + " did not finish within 60 s");
        }
        Task.WaitAll(o, e);
        return new RunResult(stdout.ToArray(), stderr.ToArray(), p.ExitCode);
    }

    /// <summary>Runs the sqlite3 shell.</summary>
    public static RunResult Sqlite3(IEnumerable<string> args, byte[] stdin) => Run("sqlite3", args, stdin);

    /// <summary>Runs the tern shell in this process (Shell.Run on byte streams).</summary>
    public static RunResult Tern(string[] args, byte[] stdin)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        int rc = Shell.Run(args, new MemoryStream(stdin), stdout, stderr);
        return new RunResult(stdout.ToArray(), stderr.ToArray(), rc);
    }

    /// <summary>A fresh directory for database files, deleted on dispose.</summary>
    public sealed class TempDir : IDisposable
    {
        public TempDir()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tern-cli-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
