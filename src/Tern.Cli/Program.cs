// The tern program: runs the shell on the process's standard streams.
namespace Tern.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        using Stream stdin = Console.OpenStandardInput();
        using Stream stdout = Console.OpenStandardOutput();
        using Stream stderr = Console.OpenStandardError();
        bool interactive = !Console.IsInputRedirected && !args.Any(a => a is "-batch" or "--batch");
        return Shell.Run(args, stdin, stdout, stderr, interactive);
    }
}
