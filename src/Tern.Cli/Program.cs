// The tern program: runs the shell on the process's standard streams (at a terminal,
// through the LineEditor). Ctrl-C interrupts
// the statement that is running, as in sqlite3: reading a script from a pipe or a file the
// rest of the input is dropped too, at a terminal the next prompt comes back; a third
// Ctrl-C before the shell gets back to reading ends the program.
namespace Tern.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        using Stream stdin = Console.OpenStandardInput();
        using Stream stdout = Console.OpenStandardOutput();
        using Stream stderr = Console.OpenStandardError();
        bool interactive = !Console.IsInputRedirected && !args.Any(a => a is "-batch" or "--batch");
        // At a terminal lines are read with editing keys and history; otherwise as bytes.
        using TextReader reader = interactive && !Console.IsInputRedirected ? new LineEditor() : new RawUtf8Reader(stdin);
        using var shell = new Shell(stdout, stderr) { Interactive = interactive };
        Console.CancelKeyPress += (_, e) =>
        {
            if (shell.Interrupt() > 2) return; // the third in a row ends the process
            e.Cancel = true;
        };
        return shell.RunMain(args, reader);
    }
}
