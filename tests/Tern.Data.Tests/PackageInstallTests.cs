// First contact as a user has it: the packages `dotnet pack` makes (Tern.Sql, Tern,
// Tern.Data) installed from a local folder feed into a fresh console project, which then
// runs a query. The packages are packed from the already-built Release outputs (--no-build),
// so the assemblies this test run has loaded are never rebuilt under it.
using System.Diagnostics;

namespace Tern.Data.Tests;

public class PackageInstallTests
{
    [Fact]
    public void Packed_Tern_Data_installs_from_a_local_feed_and_runs_a_query()
    {
        string root = RepositoryRoot();
        string work = Path.Combine(Path.GetTempPath(), "tern-pack-" + Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(work, "feed"), app = Path.Combine(work, "app");
        Directory.CreateDirectory(app);
        try
        {
            foreach (string project in new[] { "src/Tern.Sql", "src/Tern", "src/Tern.Data" })
                Run(root, "dotnet", "pack", Path.Combine(root, project), "-c", "Release", "--no-build", "-o", feed);
            Assert.True(File.Exists(Path.Combine(feed, "Tern.Data.0.1.0.nupkg")));
            File.WriteAllText(Path.Combine(app, "app.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Tern.Data" Version="0.1.0" />
                  </ItemGroup>
                </Project>
                """);
            // Only the local feed: the packages must bring everything they need with them.
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), """
                using Tern.Data;
                using var c = new TernConnection("Data Source=:memory:");
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = "CREATE TABLE t(x); INSERT INTO t VALUES (20), (22); SELECT sum(x) || ' ' || sqlite_version() FROM t";
                Console.WriteLine(cmd.ExecuteScalar());
                """);
            string output = Run(app, "dotnet", "run", "--packages", Path.Combine(work, "packages"));
            Assert.Equal("42 3.50.4", output.Trim().Split('\n')[^1].Trim());
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static string RepositoryRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir != null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Tern.slnx"))) return dir;
        }
        throw new InvalidOperationException("Tern.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string Run(string directory, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        // The outer test run's MSBuild settings must not leak into the inner builds.
        psi.Environment.Remove("MSBuildExtensionsPath");
        psi.Environment.Remove("MSBuildSDKsPath");
        psi.Environment.Remove("MSBUILD_EXE_PATH");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + file);
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        // A hang guard only: a restore and build take seconds to a minute.
        if (!p.WaitForExit(TimeSpan.FromMinutes(10))) p.Kill(entireProcessTree: true);
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({p.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }
}
