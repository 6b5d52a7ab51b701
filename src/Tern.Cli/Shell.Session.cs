// The dot commands that manage the session around the SQL: where output goes (.output,
// .once), scripts (.read), the database list and copies (.databases, .backup, .save),
// what is printed beside the results (.timer, .changes, .eqp, .show, .indexes), and the
// SQL parameter bindings (.parameter).
//
// Output redirection: .output FILE sends everything to FILE until the next .output; .once
// FILE does so for the next command only. The count below is how sqlite3 keeps it: .once
// sets 2, every dot command takes one off when it ends (so .once itself leaves 1) and the
// next SQL input clears it; at 0 output goes back to standard output.
//
//   stdout --.output F--> F --.output--> stdout
//   stdout --.once F--> F (count 1) --next dot command or SQL--> stdout
//
// Parameters live in the shell (sqlite3 keeps them in a TEMP table): `.parameter init` makes
// the (empty) set exist, `set` stores a value (the text as an SQL expression, or as a
// string when it is not one), and every statement prepared while the set exists has each of
// its parameters bound by name ("$x", ":x", "@x", "?NNN"; a bare "?" is "?N" for its
// index), NULL when the name has no value.
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Tern.Cli;

public sealed partial class Shell
{
    private Stream? _outFile;
    private string _outName = "";
    private int _outCount;

    // ------------------------------------------------------------ .output and .once

    private int OutputCommand(List<string> a, bool once)
    {
        string? file = null;
        bool bom = false;
        for (int i = 1; i < a.Count; i++)
        {
            string z = a[i];
            if (z.StartsWith('-'))
            {
                string option = z.StartsWith("--", StringComparison.Ordinal) ? z[1..] : z;
                if (option == "-bom") bom = true;
                else if (option is "-x" or "-e")
                {
                    _err.Write($"Error: {(once ? ".once" : ".output")} {option} is not supported\n");
                    return 1;
                }
                else
                {
                    _out.Write($"ERROR: unknown option: \"{z}\".  Usage:\n");
                    _out.Write(once ? OnceHelp : OutputHelp);
                    return 1;
                }
            }
            else if (file == null) file = z;
            else
            {
                _out.Write($"ERROR: extra parameter: \"{z}\".  Usage:\n");
                _out.Write(once ? OnceHelp : OutputHelp);
                return 1;
            }
        }
        ResetOutput();
        if (file == null || file == "stdout" || file == "-")
        {
            return 0;
        }
        if (file.StartsWith('|'))
        {
            _err.Write("Error: pipes are not supported\n");
            return 1;
        }
        Stream stream;
        try
        {
            stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            _err.Write($"Error: cannot open \"{file}\"\nError: cannot write to \"{file}\"\n");
            return 1;
        }
        _out.Flush();
        _outFile = stream;
        _outName = file;
        _out = new ShellOutput(stream);
        if (bom) _out.Write("\uFEFF");
        if (once) _outCount = 2;
        return 0;
    }

    private const string OutputHelp =
        ".output ?FILE?           Send output to FILE or stdout if FILE is omitted\n" +
        "   If FILE begins with '|' then open it as a pipe.\n" +
        "   Options:\n" +
        "     --bom                 Prefix output with a UTF8 byte-order mark\n" +
        "     -e                    Send output to the system text editor\n" +
        "     -x                    Send output as CSV to a spreadsheet\n";

    private const string OnceHelp =
        ".once ?OPTIONS? ?FILE?   Output for the next SQL command only to FILE\n" +
        "     If FILE begins with '|' then open as a pipe\n" +
        "       --bom  Put a UTF8 byte-order mark at the beginning\n" +
        "       -e     Send output to the system text editor\n" +
        "       -x     Send output as CSV to a spreadsheet (same as \".excel\")\n";

    /// <summary>Closes an output file and goes back to standard output.</summary>
    private void ResetOutput()
    {
        _outCount = 0;
        if (_outFile == null) return;
        try
        {
            _out.Flush();
            _outFile.Dispose();
        }
        catch (IOException)
        {
            // A file that cannot take its last bytes (a full disk) loses them, as fclose does.
        }
        _outFile = null;
        _outName = "";
        _out = _stdout;
    }

    // After SQL input: a pending .once is over.
    private void EndOnce()
    {
        if (_outCount > 0) ResetOutput();
    }

    // After a dot command: one command nearer the end of a .once.
    private void CountDownOnce()
    {
        if (_outCount > 0 && --_outCount == 0) ResetOutput();
    }

    // ------------------------------------------------------------ .read

    private int ReadCommand(List<string> a)
    {
        if (a.Count != 2) return Usage("Usage: .read FILE");
        string file = a[1];
        Stream stream;
        try
        {
            stream = File.OpenRead(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            _err.Write($"Error: cannot open \"{file}\"\n");
            return 1;
        }
        bool interactive = Interactive;
        Interactive = false;
        int errors;
        try
        {
            using (stream)
            using (var reader = new RawUtf8Reader(stream))
            {
                errors = ProcessInput(reader);
            }
        }
        finally
        {
            Interactive = interactive;
        }
        // .quit ends only the script being read; .exit with a code ends the program.
        if (ExitCode == null) ExitRequested = false;
        else return 2;
        return errors > 0 ? 1 : 0;
    }

    // ------------------------------------------------------------ .databases

    private int DatabasesCommand()
    {
        if (!EnsureOpen()) return 1;
        string path = _db!.Path;
        string shown = path is "" or ":memory:" ? "\"\"" : Path.GetFullPath(path);
        _out.Write($"main: {shown} {(_db.ReadOnly ? "r/o" : "r/w")}\n");
        // sqlite3 keeps the parameters in a TEMP table, so once they exist so does "temp".
        if (_parameters != null) _out.Write("temp: \"\" r/w\n");
        return 0;
    }

    // ------------------------------------------------------------ .timer

    /// <summary>The clocks behind "Run Time: real R user U sys S": wall time and this process's CPU times.</summary>
    private sealed class RunTimer
    {
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private readonly TimeSpan _user;
        private readonly TimeSpan _sys;

        private RunTimer()
        {
            using var p = Process.GetCurrentProcess();
            _user = p.UserProcessorTime;
            _sys = p.PrivilegedProcessorTime;
        }

        public static RunTimer Start() => new();

        public string Report()
        {
            double real = _wall.Elapsed.TotalSeconds;
            using var p = Process.GetCurrentProcess();
            double user = (p.UserProcessorTime - _user).TotalSeconds;
            double sys = (p.PrivilegedProcessorTime - _sys).TotalSeconds;
            return string.Create(CultureInfo.InvariantCulture, $"Run Time: real {real:F3} user {Math.Max(user, 0):F6} sys {Math.Max(sys, 0):F6}\n");
        }
    }

    // ------------------------------------------------------------ .eqp

    private int EqpCommand(List<string> a)
    {
        if (a.Count != 2) return Usage("Usage: .eqp off|on|trace|trigger|full");
        string v = a[1];
        if (v == "full") Settings.Eqp = EqpMode.Full;
        else if (v == "trigger") Settings.Eqp = EqpMode.Trigger;
        else if (v == "trace") Settings.Eqp = EqpMode.Full;
        else Settings.Eqp = BooleanValue(v) ? EqpMode.On : EqpMode.Off;
        return 0;
    }

    // Before a statement runs under .eqp: its query plan, and with "full" its bytecode.
    private void PrintAutoExplain(Statement st, ResultPrinter printer)
    {
        string sql = st.Sql;
        string[] prefixes = Settings.Eqp == EqpMode.Full ? ["EXPLAIN QUERY PLAN ", "EXPLAIN "] : ["EXPLAIN QUERY PLAN "];
        foreach (string prefix in prefixes)
        {
            Statement explain;
            try
            {
                explain = _conn!.Prepare(prefix + sql);
            }
            catch (TernException)
            {
                continue;
            }
            using (explain)
            {
                BindParameters(explain);
                if (explain.ExplainMode == 1) printer.PrintExplain(explain);
                else printer.Print(explain);
            }
        }
    }

    // ------------------------------------------------------------ .show

    private int ShowCommand(List<string> a)
    {
        if (a.Count != 1) return Usage("Usage: .show");
        var o = new StringBuilder();
        void Line(string name, string value) => o.Append(name.PadLeft(12)).Append(": ").Append(value).Append('\n');
        Line("echo", Settings.Echo ? "on" : "off");
        Line("eqp", Settings.Eqp switch { EqpMode.On => "on", EqpMode.Trigger => "trigger", EqpMode.Full => "full", _ => "off" });
        Line("explain", "auto");
        Line("headers", Settings.ShowHeader ? "on" : "off");
        string mode = ShowModeName();
        if (ShellSettings.IsColumnar(Settings.Mode))
            mode += $" --wrap {Settings.Wrap} --wordwrap {(Settings.WordWrap ? "on" : "off")} --{(Settings.Quote ? "" : "no")}quote";
        Line("mode", mode);
        Line("nullvalue", CString(Settings.NullValue));
        Line("output", _outName.Length > 0 ? _outName : "stdout");
        Line("colseparator", CString(Settings.ColumnSeparator));
        Line("rowseparator", CString(Settings.RowSeparator));
        Line("stats", "off");
        o.Append("width".PadLeft(12)).Append(": ");
        foreach (int w in Settings.ColumnWidths) o.Append(w.ToString(CultureInfo.InvariantCulture)).Append(' ');
        o.Append('\n');
        Line("filename", _db?.Path ?? _path);
        _out.Write(o.ToString());
        return 0;
    }

    // The mode as .show names it (sqlite3's modeDescr: "tabs" is list with a tab).
    private string ShowModeName() => Settings.Mode switch
    {
        OutputMode.Line => "line",
        OutputMode.Column => "column",
        _ => CurrentModeName(),
    };

    // A string as C source writes it, in double quotes: \" \\ \t \n \r, other controls as \NNN octal.
    private static string CString(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20 || c == 0x7F) sb.Append('\\').Append(Convert.ToString(c, 8).PadLeft(3, '0'));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    // ------------------------------------------------------------ .backup and .save

    private int BackupCommand(List<string> a)
    {
        string? db = null, file = null;
        for (int i = 1; i < a.Count; i++)
        {
            string z = a[i];
            if (z.StartsWith('-'))
            {
                string option = z.StartsWith("--", StringComparison.Ordinal) ? z[1..] : z;
                if (option == "-async") continue;
                if (option == "-append")
                {
                    _err.Write("Error: .backup --append is not supported\n");
                    return 1;
                }
                _err.Write($"unknown option: {z}\n");
                return 1;
            }
            if (file == null) file = z;
            else if (db == null)
            {
                db = file;
                file = z;
            }
            else
            {
                _err.Write("Usage: .backup ?DB? ?OPTIONS? FILENAME\n");
                return 1;
            }
        }
        if (file == null)
        {
            _err.Write("missing FILENAME argument on .backup\n");
            return 1;
        }
        if (!EnsureOpen()) return 1;
        if (db != null && !db.Equals("main", StringComparison.OrdinalIgnoreCase))
        {
            _err.Write($"Error: unknown database {db}\n");
            return 1;
        }
        // The copy goes to a file beside the target first, so a failed copy leaves the target as it was.
        string temp = file + "-tern-backup";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                _conn!.WriteCopy(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or DirectoryNotFoundException)
        {
            TryDeleteFile(temp);
            _err.Write($"Error: cannot open \"{file}\"\n");
            return 1;
        }
        catch (TernException e)
        {
            TryDeleteFile(temp);
            _err.Write("Error: " + e.Message + "\n");
            return 1;
        }
        return 0;
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // Nothing more to do.
        }
    }

    // ------------------------------------------------------------ .parameter

    /// <summary>The parameter bindings by name (ordered as sqlite3 lists them), or null before `.parameter init`/`set`.</summary>
    private SortedDictionary<string, Value>? _parameters;

    private int ParameterCommand(List<string> a)
    {
        string sub = a.Count > 1 ? a[1] : "";
        if (a.Count == 2 && sub == "clear")
        {
            _parameters?.Clear();
            return 0;
        }
        if (a.Count == 2 && sub == "list")
        {
            if (_parameters == null || _parameters.Count == 0) return 0;
            int width = _parameters.Keys.Max(k => k.Length);
            foreach ((string key, Value value) in _parameters) _out.Write(key.PadRight(width) + " " + QuoteValue(value) + "\n");
            return 0;
        }
        if (a.Count == 2 && sub == "init")
        {
            _parameters ??= new SortedDictionary<string, Value>(StringComparer.Ordinal);
            return 0;
        }
        if (a.Count == 4 && sub == "set")
        {
            if (!EnsureOpen()) return 1;
            _parameters ??= new SortedDictionary<string, Value>(StringComparer.Ordinal);
            _parameters[a[2]] = EvaluateParameter(a[3]);
            return 0;
        }
        if (a.Count == 3 && sub == "unset")
        {
            _parameters?.Remove(a[2]);
            return 0;
        }
        _out.Write(ParameterHelp);
        return 0;
    }

    private const string ParameterHelp =
        ".parameter CMD ...       Manage SQL parameter bindings\n" +
        "   clear                   Erase all bindings\n" +
        "   init                    Initialize the TEMP table that holds bindings\n" +
        "   list                    List the current parameter bindings\n" +
        "   set PARAMETER VALUE     Given SQL parameter PARAMETER a value of VALUE\n" +
        "                           PARAMETER should start with one of: $ : @ ?\n" +
        "   unset PARAMETER         Remove PARAMETER from the binding table\n";

    // A value given to `.parameter set`: the text as an SQL expression when it is one, else the text itself.
    private Value EvaluateParameter(string text)
    {
        try
        {
            using Statement st = _conn!.Prepare("SELECT " + text);
            if (st.ColumnCount == 1 && st.Step())
            {
                Value v = st.GetValue(0);
                if (!st.Step()) return v;
            }
        }
        catch (TernException)
        {
            // Not an expression: the text is the value.
        }
        return Value.FromText(text);
    }

    // A value as SQL's quote() writes it.
    private string QuoteValue(Value v)
    {
        using Statement st = _conn!.Prepare("SELECT quote(?1)");
        BindValue(st, 1, v);
        return st.Step() ? st.GetString(0) ?? "NULL" : "NULL";
    }

    // Binds each parameter of the statement from the .parameter set, when there is one.
    private void BindParameters(Statement st)
    {
        if (_parameters == null || st.ParameterCount == 0) return;
        for (int i = 1; i <= st.ParameterCount; i++)
        {
            string name = st.ParameterName(i) ?? "?" + i.ToString(CultureInfo.InvariantCulture);
            if (_parameters.TryGetValue(name, out Value v)) BindValue(st, i, v);
            else st.BindNull(i);
        }
    }

    private static void BindValue(Statement st, int index, Value v)
    {
        switch (v.Kind)
        {
            case ValueKind.Integer: st.Bind(index, v.AsInteger); break;
            case ValueKind.Real: st.Bind(index, v.AsReal); break;
            case ValueKind.Text: st.Bind(index, v.AsString()); break;
            case ValueKind.Blob: st.Bind(index, v.AsBytes.ToArray()); break;
            default: st.BindNull(index); break;
        }
    }
}
