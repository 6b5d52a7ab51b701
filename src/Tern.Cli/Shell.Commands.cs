// The dot commands. A command line is split into words at spaces; a word in double quotes
// keeps its spaces and has its backslash escapes resolved, a word in single quotes is
// taken as it is, and a bare word has its escapes resolved. The command word may be
// shortened to any prefix that sqlite3 accepts for it (".h" is .headers, ".sch" is
// .schema). Each command returns 0 when it worked, 1 after reporting an error, and 2 when
// the shell should stop (.quit, .exit).
//
// .tables and .schema read sqlite_schema with a plain SELECT and do their filtering,
// sorting and formatting here, so they work on any engine that can scan a table.
using System.Globalization;
using System.Text;

namespace Tern.Cli;

public sealed partial class Shell
{
    private static readonly string[] ModeNames =
        ["lines", "columns", "list", "html", "tcl", "csv", "tabs", "insert", "quote", "ascii", "markdown", "table", "box", "count", "off", "json"];

    /// <summary>Splits a dot-command line (without its leading '.') into words.</summary>
    internal static List<string> SplitCommand(string line)
    {
        var words = new List<string>();
        int h = 0;
        while (true)
        {
            while (h < line.Length && IsSpace(line[h])) h++;
            if (h >= line.Length) break;
            char c = line[h];
            if (c is '\'' or '"')
            {
                char delim = c;
                h++;
                int start = h;
                while (h < line.Length && line[h] != delim)
                {
                    if (line[h] == '\\' && delim == '"' && h + 1 < line.Length) h++;
                    h++;
                }
                string word = line[start..Math.Min(h, line.Length)];
                if (h < line.Length) h++;
                words.Add(delim == '"' ? ResolveBackslashes(word) : word);
            }
            else
            {
                int start = h;
                while (h < line.Length && !IsSpace(line[h])) h++;
                words.Add(ResolveBackslashes(line[start..h]));
            }
        }
        return words;
    }

    private static bool Is(string word, string command, int minLength) =>
        word.Length >= minLength && word.Length <= command.Length && command.StartsWith(word, StringComparison.Ordinal);

    /// <summary>Runs one dot command (the line including its leading '.'). Returns 0, 1 (error) or 2 (stop).</summary>
    public int DoCommand(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        int rc = DoCommandCore(line);
        CountDownOnce();
        return rc;
    }

    private int DoCommandCore(string line)
    {
        List<string> a = SplitCommand(line.StartsWith('.') ? line[1..] : line);
        if (a.Count == 0) return 0;
        string w = a[0];
        int n = a.Count;
        if (Is(w, "backup", 3) || Is(w, "save", 3)) return BackupCommand(a);
        if (Is(w, "bail", 3))
        {
            if (n != 2) return Usage("Usage: .bail on|off");
            Settings.Bail = BooleanValue(a[1]);
            return 0;
        }
        if (Is(w, "changes", 3))
        {
            if (n != 2) return Usage("Usage: .changes on|off");
            Settings.CountChanges = BooleanValue(a[1]);
            return 0;
        }
        if (Is(w, "databases", 2)) return DatabasesCommand();
        if (Is(w, "dbconfig", 3)) return DbConfigCommand(a);
        if (Is(w, "dump", 1)) return DumpCommand(a);
        if (Is(w, "echo", 1))
        {
            if (n != 2) return Usage("Usage: .echo on|off");
            Settings.Echo = BooleanValue(a[1]);
            return 0;
        }
        if (Is(w, "eqp", 2)) return EqpCommand(a);
        if (Is(w, "exit", 2))
        {
            long code = n > 1 ? IntegerValue(a[1]) : 0;
            ExitRequested = true;
            if (code != 0) ExitCode = (int)(code & 0xFF);
            return 2;
        }
        if (Is(w, "headers", 1))
        {
            if (n != 2) return Usage("Usage: .headers on|off");
            Settings.ShowHeader = BooleanValue(a[1]);
            Settings.HeaderSet = true;
            return 0;
        }
        if (Is(w, "help", 3))
        {
            _out.Write(HelpText);
            return 0;
        }
        if (Is(w, "import", 1)) return ImportCommand(a);
        if (Is(w, "indexes", 2) || Is(w, "indices", 2))
        {
            if (n > 2) return Usage("Usage: .indexes ?LIKE-PATTERN?");
            return TablesCommand(a, indexes: true);
        }
        if (Is(w, "mode", 1)) return ModeCommand(a);
        if (Is(w, "nullvalue", 1))
        {
            if (n != 2) return Usage("Usage: .nullvalue STRING");
            Settings.NullValue = a[1];
            return 0;
        }
        if (Is(w, "open", 2)) return OpenCommand(a);
        if (Is(w, "output", 1) || Is(w, "once", 1)) return OutputCommand(a, once: !Is(w, "output", 2));
        if (Is(w, "parameter", 2)) return ParameterCommand(a);
        if (Is(w, "print", 3))
        {
            _out.Write(string.Join(' ', a.Skip(1)) + "\n");
            return 0;
        }
        if (Is(w, "quit", 1))
        {
            ExitRequested = true;
            return 2;
        }
        if (Is(w, "read", 3)) return ReadCommand(a);
        if (Is(w, "schema", 3)) return SchemaCommand(a);
        if (Is(w, "separator", 2))
        {
            if (n < 2 || n > 3) return Usage("Usage: .separator COL ?ROW?");
            Settings.ColumnSeparator = a[1];
            if (n == 3) Settings.RowSeparator = a[2];
            return 0;
        }
        if (Is(w, "show", 3)) return ShowCommand(a);
        if (Is(w, "tables", 2)) return TablesCommand(a, indexes: false);
        if (Is(w, "timeout", 5))
        {
            // sqlite3_busy_timeout: how long a statement waits for another connection's lock.
            if (!EnsureOpen()) return 1;
            long ms = n >= 2 ? IntegerValue(a[1]) : 0;
            _conn!.BusyTimeout = TimeSpan.FromMilliseconds(Math.Clamp(ms, 0, int.MaxValue));
            return 0;
        }
        if (Is(w, "timer", 5))
        {
            if (n != 2) return Usage("Usage: .timer on|off");
            Settings.Timer = BooleanValue(a[1]);
            return 0;
        }
        if (Is(w, "width", 1))
        {
            Settings.ColumnWidths.Clear();
            for (int i = 1; i < n; i++) Settings.ColumnWidths.Add((int)IntegerValue(a[i]));
            return 0;
        }
        _err.Write($"Error: unknown command or invalid arguments:  \"{w}\". Enter \".help\" for help\n");
        return 1;
    }

    /// <summary>
    /// .open ?--new? ?--readonly? ?FILE?: closes the database and opens FILE (a new in-memory
    /// database without one). A file that cannot be opened is reported and an in-memory
    /// database is used instead, as sqlite3 does.
    /// </summary>
    private int OpenCommand(List<string> a)
    {
        string? file = null;
        bool isNew = false;
        bool readOnly = false;
        for (int i = 1; i < a.Count; i++)
        {
            string z = a[i];
            string option = z.StartsWith("--", StringComparison.Ordinal) ? z[2..] : z.StartsWith('-') ? z[1..] : "";
            if (option == "new") isNew = true;
            else if (option == "readonly") readOnly = true;
            else if (option == "nofollow") { }
            else if (option is "append" or "zip" or "deserialize" or "hexdb" or "maxsize")
            {
                _err.Write($"Error: .open {z} is not supported\n");
                return 1;
            }
            else if (z.StartsWith('-'))
            {
                _err.Write($"unknown option: {z}\n");
                return 1;
            }
            else if (file != null)
            {
                _err.Write($"extra argument: \"{z}\"\n");
                return 1;
            }
            else file = z;
        }
        CloseDatabase();
        _prepared = true;
        if (file == null || file == ":memory:")
        {
            SetDatabase(":memory:");
            return 0;
        }
        if (isNew)
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Opening it reports what is wrong.
            }
        }
        SetDatabase(file, readOnly);
        if (!TryOpen(out string? why))
        {
            _err.Write($"Error: unable to open database \"{file}\": {why}\n");
            SetDatabase(":memory:");
        }
        return 0;
    }

    private int Usage(string text)
    {
        _err.Write(text + "\n");
        return 1;
    }

    private const string HelpText =
        ".backup ?DB? FILE        Backup DB (default \"main\") to FILE\n" +
        ".bail on|off             Stop after hitting an error.  Default OFF\n" +
        ".changes on|off          Show number of rows changed by SQL\n" +
        ".databases               List names and files of attached databases\n" +
        ".dbconfig ?op? ?val?     List the connection options (they cannot be changed)\n" +
        ".dump ?OBJECTS?          Render database content as SQL\n" +
        ".echo on|off             Turn command echo on or off\n" +
        ".eqp on|off|full|...     Enable or disable automatic EXPLAIN QUERY PLAN\n" +
        ".exit ?CODE?             Exit this program with return-code CODE\n" +
        ".headers on|off          Turn display of headers on or off\n" +
        ".help                    Show this message\n" +
        ".import FILE TABLE       Import data from FILE into TABLE\n" +
        ".indexes ?TABLE?         Show names of indexes\n" +
        ".mode MODE ?OPTIONS?     Set output mode\n" +
        ".nullvalue STRING        Use STRING in place of NULL values\n" +
        ".once ?OPTIONS? ?FILE?   Output for the next SQL command only to FILE\n" +
        ".open ?OPTIONS? ?FILE?   Close existing database and reopen FILE\n" +
        "     Options: --new (delete FILE first), --readonly\n" +
        ".output ?FILE?           Send output to FILE or stdout if FILE is omitted\n" +
        ".parameter CMD ...       Manage SQL parameter bindings\n" +
        ".print STRING...         Print literal STRING\n" +
        ".quit                    Exit this program\n" +
        ".read FILE               Read input from FILE\n" +
        ".save ?OPTIONS? FILE     Write database to FILE (an alias for .backup ...)\n" +
        ".schema ?PATTERN?        Show the CREATE statements matching PATTERN\n" +
        ".separator COL ?ROW?     Change the column and row separators\n" +
        ".show                    Show the current values for various settings\n" +
        ".tables ?TABLE?          List names of tables matching LIKE pattern TABLE\n" +
        ".timeout MS              Try opening locked tables for MS milliseconds\n" +
        ".timer on|off            Turn SQL timer on or off\n" +
        ".width NUM1 NUM2 ...     Set minimum column widths for columnar output\n";

    /// <summary>A dot-command boolean: a number (non-zero is true), on/yes, off/no; anything else is false, with a warning.</summary>
    private bool BooleanValue(string s)
    {
        int i = 0;
        if (s.StartsWith("0x", StringComparison.Ordinal))
        {
            for (i = 2; i < s.Length && char.IsAsciiHexDigit(s[i]); i++) { }
        }
        else
        {
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        }
        if (i > 0 && i == s.Length) return (IntegerValue(s) & 0xFFFFFFFF) != 0;
        if (s.Equals("on", StringComparison.OrdinalIgnoreCase) || s.Equals("yes", StringComparison.OrdinalIgnoreCase)) return true;
        if (s.Equals("off", StringComparison.OrdinalIgnoreCase) || s.Equals("no", StringComparison.OrdinalIgnoreCase)) return false;
        _err.Write($"ERROR: Not a boolean value: \"{s}\". Assuming \"no\".\n");
        return false;
    }

    /// <summary>A dot-command integer: optional sign, decimal or 0x hex digits, and an optional size suffix (KiB, MB, G, ...).</summary>
    internal static long IntegerValue(string s)
    {
        int i = 0;
        bool negative = false;
        if (i < s.Length && s[i] == '-')
        {
            negative = true;
            i++;
        }
        else if (i < s.Length && s[i] == '+')
        {
            i++;
        }
        long v = 0;
        if (s.Length - i > 1 && s[i] == '0' && s[i + 1] == 'x')
        {
            for (i += 2; i < s.Length && char.IsAsciiHexDigit(s[i]); i++) v = unchecked(v * 16 + Convert.ToInt32(s[i].ToString(), 16));
        }
        else
        {
            for (; i < s.Length && char.IsAsciiDigit(s[i]); i++) v = unchecked(v * 10 + (s[i] - '0'));
        }
        string suffix = s[i..];
        long mult = suffix.ToUpperInvariant() switch
        {
            "KIB" => 1024,
            "MIB" => 1024 * 1024,
            "GIB" => 1024L * 1024 * 1024,
            "KB" => 1000,
            "MB" => 1_000_000,
            "GB" => 1_000_000_000,
            "K" => 1000,
            "M" => 1_000_000,
            "G" => 1_000_000_000,
            _ => 1,
        };
        v = unchecked(v * mult);
        return negative ? -v : v;
    }

    // ------------------------------------------------------------ .dbconfig

    // The connection options sqlite3 lists, with the values Tern has. Only dqs_ddl and dqs_dml
    // (double-quoted names that name nothing read as strings) can be changed; the rest of
    // Tern's SQL is fixed (views and triggers are enabled; no extensions).
    private static readonly (string Name, bool Value)[] DbConfigOptions =
    [
        ("defensive", false), ("dqs_ddl", true), ("dqs_dml", true), ("enable_fkey", false),
        ("enable_qpsg", false), ("enable_trigger", true), ("enable_view", true), ("fts3_tokenizer", false),
        ("legacy_alter_table", false), ("legacy_file_format", false), ("load_extension", false),
        ("no_ckpt_on_close", false), ("reset_database", false), ("trigger_eqp", false),
        ("trusted_schema", true), ("writable_schema", false),
    ];

    private int DbConfigCommand(List<string> a)
    {
        if (!EnsureOpen()) return 1;
        Connection conn = _conn!;
        foreach ((string name, bool fixedValue) in DbConfigOptions)
        {
            if (a.Count > 1 && a[1] != name) continue;
            bool value = name switch
            {
                "dqs_ddl" => conn.DoubleQuotedStringsInDdl,
                "dqs_dml" => conn.DoubleQuotedStringsInDml,
                _ => fixedValue,
            };
            if (a.Count > 2)
            {
                bool wanted = BooleanValue(a[2]);
                if (name == "dqs_ddl") value = conn.DoubleQuotedStringsInDdl = wanted;
                else if (name == "dqs_dml") value = conn.DoubleQuotedStringsInDml = wanted;
            }
            _out.Write(name.PadLeft(19) + (value ? " on\n" : " off\n"));
        }
        if (a.Count > 1 && !DbConfigOptions.Any(o => o.Name == a[1]))
        {
            _err.Write($"Error: unknown dbconfig \"{a[1]}\"\nEnter \".dbconfig\" with no arguments for a list\n");
        }
        return 0;
    }

    // ------------------------------------------------------------ .mode

    private int ModeCommand(List<string> a)
    {
        string? mode = null, table = null;
        int wrap = 60;
        bool wordWrap = false, quote = false;
        for (int i = 1; i < a.Count; i++)
        {
            string z = a[i];
            if (IsOption(z, "wrap") && i + 1 < a.Count) wrap = (int)IntegerValue(a[++i]);
            else if (IsOption(z, "ww")) wordWrap = true;
            else if (IsOption(z, "wordwrap") && i + 1 < a.Count) wordWrap = BooleanValue(a[++i]);
            else if (IsOption(z, "quote")) quote = true;
            else if (IsOption(z, "noquote")) quote = false;
            else if (mode == null)
            {
                mode = z;
                if (z == "qbox")
                {
                    wrap = 60;
                    wordWrap = true;
                    quote = true;
                    mode = "box";
                }
            }
            else if (table == null) table = z;
            else
            {
                _err.Write($"extra argument: \"{z}\"\n");
                return 1;
            }
        }
        if (mode == null)
        {
            string current = CurrentModeName();
            if (ShellSettings.IsColumnar(Settings.Mode))
                _out.Write($"current output mode: {current} --wrap {Settings.Wrap} --wordwrap {(Settings.WordWrap ? "on" : "off")} --{(Settings.Quote ? "" : "no")}quote\n");
            else
                _out.Write($"current output mode: {current}\n");
            mode = current;
        }
        string? match = mode.Length == 0 ? null : ModeNames.FirstOrDefault(m => m.StartsWith(mode, StringComparison.Ordinal));
        switch (match)
        {
            case "lines":
                Settings.Mode = OutputMode.Line;
                Settings.RowSeparator = "\n";
                break;
            case "columns":
                Settings.Mode = OutputMode.Column;
                if (!Settings.HeaderSet) Settings.ShowHeader = true;
                Settings.RowSeparator = "\n";
                SetColumnOptions(wrap, wordWrap, quote);
                break;
            case "list":
                Settings.Mode = OutputMode.List;
                Settings.ColumnSeparator = "|";
                Settings.RowSeparator = "\n";
                break;
            case "html":
                Settings.Mode = OutputMode.Html;
                break;
            case "tcl":
                Settings.Mode = OutputMode.Tcl;
                Settings.ColumnSeparator = " ";
                Settings.RowSeparator = "\n";
                break;
            case "csv":
                Settings.Mode = OutputMode.Csv;
                Settings.ColumnSeparator = ",";
                Settings.RowSeparator = "\r\n";
                break;
            case "tabs":
                Settings.Mode = OutputMode.List;
                Settings.ColumnSeparator = "\t";
                break;
            case "insert":
                Settings.Mode = OutputMode.Insert;
                Settings.InsertTable = CellText.QuoteName(table ?? "table");
                break;
            case "quote":
                Settings.Mode = OutputMode.Quote;
                Settings.ColumnSeparator = ",";
                Settings.RowSeparator = "\n";
                break;
            case "ascii":
                Settings.Mode = OutputMode.Ascii;
                Settings.ColumnSeparator = "\x1F";
                Settings.RowSeparator = "\x1E";
                break;
            case "markdown":
                Settings.Mode = OutputMode.Markdown;
                SetColumnOptions(wrap, wordWrap, quote);
                break;
            case "table":
                Settings.Mode = OutputMode.Table;
                SetColumnOptions(wrap, wordWrap, quote);
                break;
            case "box":
                Settings.Mode = OutputMode.Box;
                SetColumnOptions(wrap, wordWrap, quote);
                break;
            case "count":
                Settings.Mode = OutputMode.Count;
                break;
            case "off":
                Settings.Mode = OutputMode.Off;
                break;
            case "json":
                Settings.Mode = OutputMode.Json;
                break;
            default:
                _err.Write("Error: mode should be one of: ascii box column csv html insert json line list markdown qbox quote table tabs tcl\n");
                return 1;
        }
        return 0;
    }

    private void SetColumnOptions(int wrap, bool wordWrap, bool quote)
    {
        Settings.Wrap = wrap;
        Settings.WordWrap = wordWrap;
        Settings.Quote = quote;
    }

    private static bool IsOption(string z, string name) =>
        z == "-" + name || z == "--" + name;

    private string CurrentModeName() => Settings.Mode switch
    {
        OutputMode.Line => "line",
        OutputMode.Column => "column",
        OutputMode.List => "list",
        OutputMode.Html => "html",
        OutputMode.Tcl => "tcl",
        OutputMode.Csv => "csv",
        OutputMode.Insert => "insert",
        OutputMode.Quote => "quote",
        OutputMode.Ascii => "ascii",
        OutputMode.Markdown => "markdown",
        OutputMode.Table => "table",
        OutputMode.Box => "box",
        OutputMode.Count => "count",
        OutputMode.Off => "off",
        _ => "json",
    };

    // ------------------------------------------------------------ .tables and .schema

    private sealed record SchemaRow(string Type, string Name, string TableName, string? Sql);

    private List<SchemaRow> ReadSchema()
    {
        EnsureOpen();
        var rows = new List<SchemaRow>();
        using Statement st = _conn!.Prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema");
        while (st.Step())
        {
            rows.Add(new SchemaRow(st.GetString(0) ?? "", st.GetString(1) ?? "", st.GetString(2) ?? "", st.GetString(3)));
        }
        return rows;
    }

    // .tables ?PATTERN? lists tables and views whose name matches; .indexes ?PATTERN? lists
    // indexes whose table's name matches. Sorted, in as many columns as fit in 80.
    private int TablesCommand(List<string> a, bool indexes)
    {
        List<SchemaRow> schema;
        try
        {
            schema = ReadSchema();
        }
        catch (TernException e)
        {
            _err.Write("Error: " + e.Message + "\n");
            return 1;
        }
        string pattern = a.Count > 1 ? a[1] : "%";
        var names = schema
            .Where(r => indexes
                ? r.Type == "index" && Like(r.TableName, pattern, null)
                : r.Type is "table" or "view" && !Like(r.Name, "sqlite_%", null) && Like(r.Name, pattern, null))
            .Select(r => Encoding.UTF8.GetBytes(r.Name))
            .ToList();
        names.Sort((x, y) => x.AsSpan().SequenceCompareTo(y));
        if (names.Count == 0) return 0;
        int width = names.Max(x => x.Length);
        int columns = Math.Max(1, 80 / (width + 2));
        int rows = (names.Count + columns - 1) / columns;
        for (int i = 0; i < rows; i++)
        {
            for (int j = i; j < names.Count; j += rows)
            {
                if (j >= rows) _out.Write("  ");
                _out.Write(names[j]);
                _out.Spaces(width - names[j].Length);
            }
            _out.Write("\n");
        }
        return 0;
    }

    private int SchemaCommand(List<string> a)
    {
        string? pattern = null;
        bool noSystem = false;
        for (int i = 1; i < a.Count; i++)
        {
            if (IsOption(a[i], "indent")) continue;
            if (IsOption(a[i], "nosys")) noSystem = true;
            else if (a[i].StartsWith('-')) return Usage($"Unknown option \"{a[i]}\" on \".schema\"");
            else if (pattern == null) pattern = a[i];
            else return Usage("Usage: .schema ?--indent? ?--nosys? ?LIKE-PATTERN?");
        }
        List<SchemaRow> schema;
        try
        {
            schema = ReadSchema();
        }
        catch (TernException e)
        {
            _err.Write("Error: " + e.Message + "\n");
            return 1;
        }
        bool glob = pattern != null && pattern.IndexOfAny(['*', '?', '[']) >= 0;
        foreach (SchemaRow r in schema)
        {
            if (r.Sql == null || r.Type == "meta") continue;
            if (noSystem && r.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)) continue;
            if (pattern != null)
            {
                string key = r.TableName.ToLowerInvariant();
                if (glob ? !Glob(key, pattern) : !Like(key, pattern, '\\')) continue;
            }
            string sql = r.Sql;
            if (r.Type == "view" && sql.StartsWith("CREATE VIEW ", StringComparison.Ordinal))
            {
                string? columns = ViewColumns(r.Name);
                if (columns != null) sql = sql + "\n/* " + columns + " */";
            }
            WriteSchemaLine(sql);
        }
        return 0;
    }

    // "name(col1,col2)" for a view, from the names its SELECT gives; null when it does not prepare.
    private string? ViewColumns(string view)
    {
        try
        {
            using Statement st = _conn!.Prepare("SELECT * FROM " + CellText.QuoteName(view));
            var sb = new StringBuilder(CellText.QuoteName(view)).Append('(');
            for (int i = 0; i < st.ColumnCount; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(CellText.QuoteName(st.ColumnName(i)));
            }
            return sb.Append(')').ToString();
        }
        catch (TernException)
        {
            return null;
        }
    }

    // A CREATE statement followed by ";": a comment left open at its end is closed first, and
    // a table whose name is quoted is shown as CREATE TABLE IF NOT EXISTS.
    private void WriteSchemaLine(string sql)
    {
        if (sql.Contains("/*", StringComparison.Ordinal) || sql.Contains("--", StringComparison.Ordinal))
        {
            foreach (string end in new[] { "", "*/", "\n" })
            {
                if (InputScanner.IsComplete(sql + end + ";"))
                {
                    sql += end;
                    break;
                }
            }
        }
        if (sql.Length > 13 && sql.StartsWith("CREATE TABLE ", StringComparison.Ordinal) && sql[13] is '\'' or '"')
        {
            _out.Write("CREATE TABLE IF NOT EXISTS " + sql[13..] + ";\n");
        }
        else
        {
            _out.Write(sql + ";\n");
        }
    }

    /// <summary>SQL LIKE (the engine's own operator), with an optional escape character.</summary>
    internal static bool Like(string text, string pattern, char? escape) =>
        Match(escape == null ? "SELECT ?1 LIKE ?2" : "SELECT ?1 LIKE ?2 ESCAPE ?3", text, pattern, escape?.ToString());

    /// <summary>SQL GLOB (the engine's own operator).</summary>
    internal static bool Glob(string text, string pattern) => Match("SELECT ?1 GLOB ?2", text, pattern, null);

    private static readonly Lock MatcherLock = new();
    private static Connection? _matcher;

    /// <summary>Evaluates a pattern match on a private in-memory database, so the rules are exactly the engine's.</summary>
    private static bool Match(string sql, string text, string pattern, string? escape)
    {
        lock (MatcherLock)
        {
            _matcher ??= Database.Open(":memory:").Connect();
            using Statement s = _matcher.Prepare(sql);
            s.Bind(1, text);
            s.Bind(2, pattern);
            if (escape != null) s.Bind(3, escape);
            return s.Step() && s.GetInt64(0) == 1;
        }
    }
}
