// The tern shell: SQLite's command-line shell (sqlite3) for Tern databases. It behaves as
// sqlite3 3.40 does when reading from a pipe or a file: the same command-line options, the
// same grouping of input lines into statements, the same output modes and dot commands,
// the same error messages on standard error and the same exit codes.
//
//   tern [OPTIONS] [FILE] [SQL...]
//
// Without FILE the database is in memory. SQL arguments (and dot commands among them) run
// in order and the first error ends the run with the error's result code; without them,
// standard input is read line by line (Shell.Input.cs). This file holds the entry points,
// the command-line options and the database connection.
using System.Globalization;
using System.Text;

namespace Tern.Cli;

/// <summary>The tern command-line shell.</summary>
public sealed partial class Shell : IDisposable
{
    private ShellOutput _out;
    private ShellOutput _stdout;
    private readonly ShellOutput _err;
    private Database? _db;
    private Connection? _conn;
    private bool _ownsDatabase;
    private string _path = ":memory:";
    private bool _readOnly;
    private volatile bool _interrupted;

    /// <summary>The program name used in messages about the command line.</summary>
    public const string ProgramName = "tern";

    /// <summary>Creates a shell writing to byte streams (text as UTF-8, BLOBs raw).</summary>
    public Shell(Stream stdout, Stream stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        _out = new ShellOutput(stdout);
        _stdout = _out;
        _err = new ShellOutput(stderr);
    }

    /// <summary>Creates a shell writing to text writers (output bytes decoded as UTF-8).</summary>
    public Shell(TextWriter stdout, TextWriter stderr)
        : this(new TextWriterStream(stdout), new TextWriterStream(stderr))
    {
    }

    /// <summary>Sends standard output to another stream from now on (what `.output` goes back to when it is given no file).</summary>
    public void SetOutput(Stream stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ResetOutput();
        _out.Flush();
        _out = new ShellOutput(stdout);
        _stdout = _out;
    }

    /// <summary>The output settings (mode, headers, separators, ...).</summary>
    public ShellSettings Settings { get; } = new();

    /// <summary>Show prompts and report errors without line numbers, as at a terminal.</summary>
    public bool Interactive { get; set; }

    /// <summary>The number of errors reported so far.</summary>
    public int ErrorCount { get; private set; }

    /// <summary>The message of the first error reported (the engine's text, without the shell's prefix and context).</summary>
    public string? FirstErrorMessage { get; private set; }

    /// <summary>The exception behind the first error, when there was one.</summary>
    public Exception? FirstException { get; private set; }

    /// <summary>Set when `.exit` or `.quit` asked the shell to stop.</summary>
    public bool ExitRequested { get; private set; }

    /// <summary>The code `.exit N` asked for, if any.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>The connection in use, or null before the database is opened.</summary>
    public Connection? Connection => _conn;

    /// <summary>Sets the database file the shell opens on first use (":memory:" for a private in-memory one).</summary>
    public void SetDatabase(string path, bool readOnly = false)
    {
        CloseDatabase();
        _path = path;
        _readOnly = readOnly;
    }

    /// <summary>Uses an open connection (owned by the caller) instead of opening a file.</summary>
    public void UseConnection(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        CloseDatabase();
        _conn = connection;
        _db = connection.Database;
        _ownsDatabase = false;
    }

    private int _interruptCount;

    /// <summary>
    /// Stops the statement running now. Reading a script (not <see cref="Interactive"/>), the
    /// rest of the input is dropped as well; at a terminal the shell goes back to its prompt.
    /// Returns how many interrupts came since the shell last read a line (sqlite3 exits on the
    /// third). Safe to call from another thread.
    /// </summary>
    public int Interrupt()
    {
        _interrupted = true;
        _conn?.Interrupt();
        // A statement that starts just after the signal clears the connection's flag (as
        // sqlite3_step does when no other statement runs), so the request is repeated until
        // the shell has noticed it.
        _interruptRepeater ??= new Timer(_ =>
        {
            if (_interrupted) _conn?.Interrupt();
        }, null, 50, 50);
        return Interlocked.Increment(ref _interruptCount);
    }

    private Timer? _interruptRepeater;

    /// <summary>Whether <see cref="Interrupt"/> was called.</summary>
    public bool Interrupted => _interrupted;

    /// <summary>Writes buffered output to the streams.</summary>
    public void Flush()
    {
        _out.Flush();
        _stdout.Flush();
        _err.Flush();
    }

    /// <summary>Closes the database if the shell opened it.</summary>
    public void Dispose()
    {
        _interruptRepeater?.Dispose();
        ResetOutput();
        Flush();
        CloseDatabase();
    }

    private void CloseDatabase()
    {
        if (_ownsDatabase)
        {
            _conn?.Dispose();
            _db?.Dispose();
        }
        _conn = null;
        _db = null;
        _ownsDatabase = false;
    }

    /// <summary>Opens the database if it is not open yet; false (after reporting) when it cannot be opened.</summary>
    private bool EnsureOpen()
    {
        if (_conn != null) return true;
        if (TryOpen(out string? why)) return true;
        _err.Write($"Error: unable to open database \"{_path}\": {why}\n");
        throw new ShellExitException(1);
    }

    // Opens the database set by SetDatabase; the reason in SQLite's words when it cannot.
    private bool TryOpen(out string? why)
    {
        why = null;
        try
        {
            _db = Database.Open(_path, new DatabaseOptions { ReadOnly = _readOnly });
            _conn = _db.Connect();
            _ownsDatabase = true;
            if (_interrupted) _conn.Interrupt();
            return true;
        }
        catch (Exception e) when (e is TernException or IOException or UnauthorizedAccessException)
        {
            _db?.Dispose();
            _db = null;
            why = e is TernException te ? te.Message : TernException.DefaultMessage(ResultCode.CantOpen);
            return false;
        }
    }

    /// <summary>Raised to end the program with an exit code (a database that cannot be opened, `.exit N`).</summary>
    private sealed class ShellExitException(int code) : Exception("exit " + code.ToString(CultureInfo.InvariantCulture))
    {
        public int Code { get; } = code;
    }

    // ------------------------------------------------------------ entry points

    /// <summary>Runs the shell on byte streams, as the tern program does; returns the exit code.</summary>
    public static int Run(string[] args, Stream stdin, Stream stdout, Stream stderr, bool interactive = false)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        using var reader = new RawUtf8Reader(stdin);
        using var shell = new Shell(stdout, stderr) { Interactive = interactive };
        return shell.RunMain(args, reader);
    }

    /// <summary>Runs the shell on text streams; returns the exit code.</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        using var shell = new Shell(stdout, stderr);
        return shell.RunMain(args, stdin);
    }

    /// <summary>Parses the command line, then runs the SQL arguments or standard input; returns the exit code.</summary>
    public int RunMain(string[] args, TextReader stdin)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            return RunMainCore(args, stdin);
        }
        catch (ShellExitException e)
        {
            return e.Code;
        }
        finally
        {
            Flush();
        }
    }

    private static readonly HashSet<string> OptionsWithValue = new(StringComparer.Ordinal)
    {
        "-init", "-separator", "-nullvalue", "-newline", "-cmd", "-vfs", "-pagecache", "-lookaside",
        "-mmap", "-maxsize", "-heap", "-zip", "-A", "-deserialize",
    };

    private int RunMainCore(string[] args, TextReader stdin)
    {
        string? file = null;
        string? initFile = null;
        bool readOnly = false;
        var sqlArgs = new List<string>();
        // First pass: the file name, the SQL arguments, and unknown options.
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a.Length == 0 || a[0] != '-')
            {
                if (file == null) file = a;
                else sqlArgs.Add(a);
                continue;
            }
            string z = a.StartsWith("--", StringComparison.Ordinal) ? a[1..] : a;
            if (OptionsWithValue.Contains(z))
            {
                if (i + 1 >= args.Length)
                {
                    _err.Write($"{ProgramName}: Error: missing argument to {a}\n");
                    return 1;
                }
                if (z == "-init") initFile = args[i + 1];
                i++;
                continue;
            }
            // These take effect before the init file runs.
            if (z == "-bail") Settings.Bail = true;
            if (z == "-readonly") readOnly = true;
            if (!IsKnownFlag(z))
            {
                _err.Write($"{ProgramName}: Error: unknown option: {a}\nUse -help for a list of options.\n");
                return 1;
            }
        }
        if (initFile != null)
        {
            // The init file runs before the other options are applied, as sqlite3 runs it.
            if (!File.Exists(initFile))
            {
                _err.Write($"cannot open: \"{initFile}\"\n");
            }
            else
            {
                PrepareDatabase(file, readOnly);
                using var initStream = File.OpenRead(initFile);
                using var init = new RawUtf8Reader(initStream);
                int initErrors = ProcessInput(init);
                if (ExitCode is int exit) return exit;
                if (ExitRequested) return 0;
                if (initErrors > 0 && Settings.Bail) return 1;
            }
        }
        // Second pass: options in order; -cmd runs where it stands.
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a.Length == 0 || a[0] != '-') continue;
            string z = a.StartsWith("--", StringComparison.Ordinal) ? a[1..] : a;
            switch (z)
            {
                case "-init" or "-vfs" or "-pagecache" or "-lookaside" or "-mmap" or "-maxsize" or "-heap" or "-zip" or "-A" or "-deserialize":
                    i++;
                    break;
                case "-separator": Settings.ColumnSeparator = args[++i]; break;
                case "-newline": Settings.RowSeparator = args[++i]; break;
                case "-nullvalue": Settings.NullValue = args[++i]; break;
                case "-header": Settings.ShowHeader = true; Settings.HeaderSet = true; break;
                case "-noheader": Settings.ShowHeader = false; Settings.HeaderSet = true; break;
                case "-bail": break;
                case "-echo": Settings.Echo = true; break;
                case "-readonly": break;
                case "-batch": Interactive = false; break;
                case "-interactive": Interactive = true; break;
                case "-list": Settings.Mode = OutputMode.List; break;
                case "-line": Settings.Mode = OutputMode.Line; break;
                case "-csv": Settings.Mode = OutputMode.Csv; Settings.ColumnSeparator = ","; break;
                case "-json": Settings.Mode = OutputMode.Json; break;
                case "-html": Settings.Mode = OutputMode.Html; break;
                case "-quote": Settings.Mode = OutputMode.Quote; Settings.ColumnSeparator = ","; Settings.RowSeparator = "\n"; break;
                case "-ascii": Settings.Mode = OutputMode.Ascii; Settings.ColumnSeparator = "\x1F"; Settings.RowSeparator = "\x1E"; break;
                case "-tabs": Settings.Mode = OutputMode.List; Settings.ColumnSeparator = "\t"; break;
                case "-column": SetColumnar(OutputMode.Column, 0); break;
                case "-table": SetColumnar(OutputMode.Table, 0); break;
                case "-box": SetColumnar(OutputMode.Box, 0); break;
                case "-markdown": SetColumnar(OutputMode.Markdown, 0); break;
                case "-version":
                    _out.Write(VersionText() + "\n");
                    return 0;
                case "-help":
                    _err.Write(UsageText());
                    return 1;
                case "-cmd":
                    {
                        PrepareDatabase(file, readOnly);
                        string cmd = args[++i];
                        int rc = RunArgument(cmd, out bool isExit);
                        if (isExit) return rc;
                        if (rc != 0 && Settings.Bail) return rc;
                        break;
                    }
            }
        }
        PrepareDatabase(file, readOnly);
        if (sqlArgs.Count > 0)
        {
            foreach (string sql in sqlArgs)
            {
                int rc = RunArgument(sql, out bool isExit);
                if (isExit) return rc;
                if (rc != 0) return rc;
            }
            return 0;
        }
        if (Interactive)
        {
            _out.Write(BannerText(file == null));
        }
        int errors = ProcessInput(stdin);
        if (ExitCode is int code) return code;
        return errors > 0 ? 1 : 0;
    }

    private bool _prepared;

    private void PrepareDatabase(string? file, bool readOnly)
    {
        if (_prepared) return;
        _prepared = true;
        if (_conn != null) return;
        SetDatabase(file ?? ":memory:", readOnly);
        // An existing file is opened at once; a new one only when first used.
        if (file != null && file != ":memory:" && File.Exists(file)) EnsureOpen();
    }

    private static bool IsKnownFlag(string z) => z is "-header" or "-noheader" or "-bail" or "-echo" or "-readonly"
        or "-batch" or "-interactive" or "-list" or "-line" or "-csv" or "-json" or "-html" or "-quote" or "-ascii"
        or "-tabs" or "-column" or "-table" or "-box" or "-markdown" or "-version" or "-help" or "-stats" or "-safe"
        or "-nofollow" or "-memtrace" or "-append" or "-nonce" or "-unsafe-testing" or "-no-rowid-in-view" or "-lines";

    // sqlite3 prints its library version and source id; tern prints Tern's version and the
    // source id Tern reports to SQL (sqlite_source_id(), the SQLite release it follows).
    private static string VersionText() => TernVersion() + " " + SourceId();

    private static string TernVersion()
    {
        Version? v = typeof(Database).Assembly.GetName().Version;
        return v == null ? "0.0.0" : $"{v.Major}.{v.Minor}.{Math.Max(v.Build, 0)}";
    }

    // "DATE TIME HASH", as sqlite_source_id() returns it.
    private static string SourceId()
    {
        lock (MatcherLock)
        {
            _matcher ??= Database.Open(":memory:").Connect();
            using Statement s = _matcher.Prepare("SELECT sqlite_source_id()");
            return s.Step() ? s.GetString(0) ?? "" : "";
        }
    }

    // The first lines at a terminal: "tern version V DATE TIME" and the hints sqlite3 gives.
    private static string BannerText(bool inMemory)
    {
        string id = SourceId();
        int hash = id.LastIndexOf(' ');
        string text = $"{ProgramName} version {TernVersion()} {(hash > 0 ? id[..hash] : id)}\nEnter \".help\" for usage hints.\n";
        if (inMemory) text += "Connected to a transient in-memory database.\nUse \".open FILENAME\" to reopen on a persistent database.\n";
        return text;
    }

    private static string UsageText() =>
        $"Usage: {ProgramName} [OPTIONS] FILENAME [SQL]\n" +
        "FILENAME is the name of an SQLite database. A new database is created\n" +
        "if the file does not previously exist.\n" +
        "OPTIONS include:\n" +
        "   -ascii               set output mode to 'ascii'\n" +
        "   -bail                stop after hitting an error\n" +
        "   -box                 set output mode to 'box'\n" +
        "   -cmd COMMAND         run \"COMMAND\" before reading stdin\n" +
        "   -column              set output mode to 'column'\n" +
        "   -csv                 set output mode to 'csv'\n" +
        "   -echo                print inputs before execution\n" +
        "   -[no]header          turn headers on or off\n" +
        "   -help                show this message\n" +
        "   -init FILENAME       read/process named file\n" +
        "   -html                set output mode to HTML\n" +
        "   -json                set output mode to 'json'\n" +
        "   -line                set output mode to 'line'\n" +
        "   -list                set output mode to 'list'\n" +
        "   -markdown            set output mode to 'markdown'\n" +
        "   -newline SEP         set output row separator. Default: '\\n'\n" +
        "   -nullvalue TEXT      set text string for NULL values. Default ''\n" +
        "   -quote               set output mode to 'quote'\n" +
        "   -readonly            open the database read-only\n" +
        "   -separator SEP       set output column separator. Default: '|'\n" +
        "   -table               set output mode to 'table'\n" +
        "   -tabs                set output mode to 'tabs'\n" +
        "   -version             show the version\n";

    private void SetColumnar(OutputMode mode, int wrap)
    {
        Settings.Mode = mode;
        Settings.Wrap = wrap;
        Settings.WordWrap = false;
        Settings.Quote = false;
    }

    /// <summary>
    /// Runs one SQL or dot-command argument (as the SQL arguments and -cmd do); returns 0 or
    /// the error's result code. <paramref name="isExit"/> is set when a dot command ended the program.
    /// </summary>
    private int RunArgument(string text, out bool isExit)
    {
        isExit = false;
        if (text.StartsWith('.'))
        {
            int rc = DoCommand(text);
            if (rc == 2)
            {
                isExit = true;
                return ExitCode ?? 0;
            }
            return rc;
        }
        if (!EnsureOpen()) return 1;
        int code = ExecuteSql(text, out string? error);
        if (error != null)
        {
            _err.Write("Error: " + error + "\n");
            return code != 0 ? code : 1;
        }
        return 0;
    }

    /// <summary>
    /// Resolves the backslash escapes of a dot-command argument or option value:
    /// \a \b \t \n \v \f \r \" \' \\ and octal \NNN; any other escaped character stands for itself.
    /// </summary>
    public static string ResolveBackslashes(string s)
    {
        if (!s.Contains('\\')) return s;
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\\' && i + 1 < s.Length)
            {
                c = s[++i];
                switch (c)
                {
                    case 'a': c = '\a'; break;
                    case 'b': c = '\b'; break;
                    case 't': c = '\t'; break;
                    case 'n': c = '\n'; break;
                    case 'v': c = '\v'; break;
                    case 'f': c = '\f'; break;
                    case 'r': c = '\r'; break;
                    case >= '0' and <= '7':
                        {
                            int v = c - '0';
                            for (int k = 0; k < 2 && i + 1 < s.Length && s[i + 1] is >= '0' and <= '7'; k++) v = (v << 3) + (s[++i] - '0');
                            c = (char)(v & 0xFF);
                            break;
                        }
                }
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
