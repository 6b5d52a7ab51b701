// The sqltest corpus's second target: SQLite 3.50.4 in process (Microsoft.Data.Sqlite with
// the e_sqlite3 build of SQLitePCLRaw, set up as the oracle of Tern.Tests is), driven as the
// sqlite3 shell drives it, so the runner can judge a case by real SQLite with the same rules,
// setups and comparison it applies to Tern. The known-failures list may only hold cases that
// SQLite fails as well (behaviour of another engine); this target is how that is checked.
//
// What it imitates of the shell (list mode, bail on, double-quoted strings on):
//
//   input lines ──► a line starting with '.' outside a statement ──► dot command
//        │                                     (.headers, .dbconfig dqs_*, .tables, .schema)
//        ▼
//   buffer lines until sqlite3_complete() ──► prepare / step / next tail ──► rows
//                                                  │ error
//                                                  ▼
//                          "Parse error near line N: msg" (prepare) or
//                          "Runtime error near line N: msg" (step), then stop
//
// Rows print as the shell prints them in list mode: sqlite3_column_text of every column
// (reals as SQLite renders them, "%!.15g"), blobs as their bytes, NULL as empty, joined by
// '|', one line per row; with .headers on, the column names before a statement's first row.
// The e_sqlite3 build lacks what the shell compiles in beside the library: the runner skips
// the cases that use generate_series; one that used the shell's own functions (sha3,
// decimal, ...) would fail here with SQLite's "no such function", never pass.
using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Tern.Compat.Tests;

internal sealed class SqliteShellTarget : IDisposable
{
    private static readonly Lazy<bool> ProviderSet = new(() =>
    {
        raw.SetProvider(new SQLite3Provider_e_sqlite3());
        return true;
    });

    // sqlite3.h: SQLITE_DBCONFIG_DQS_DML and SQLITE_DBCONFIG_DQS_DDL.
    private const int DbConfigDqsDml = 1013;
    private const int DbConfigDqsDdl = 1014;

    private readonly SqliteConnection _conn;
    private readonly MemoryStream _errors = new();
    private Stream _out;
    private bool _headers;
    private int _line;

    /// <summary>The first error's message (sqlite3_errmsg), if any.</summary>
    public string? FirstError { get; private set; }

    /// <summary>What the shell wrote to stderr.</summary>
    public string ErrorText => Encoding.UTF8.GetString(_errors.ToArray());

    public SqliteShellTarget(string path, bool readOnly, Stream output)
    {
        _ = ProviderSet.Value;
        _out = output;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = false,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            // e_sqlite3 is built with foreign keys on by default; the sqlite3 shell has them off.
            ForeignKeys = false,
        };
        _conn = new SqliteConnection(builder.ToString());
        _conn.Open();
        raw.sqlite3_db_config(_conn.Handle, DbConfigDqsDml, 1, out _);
        raw.sqlite3_db_config(_conn.Handle, DbConfigDqsDdl, 1, out _);
    }

    /// <summary>Where rows go from now on.</summary>
    public void SetOutput(Stream output) => _out = output;

    /// <summary>Stops the running statement (safe from another thread).</summary>
    public void Interrupt() => raw.sqlite3_interrupt(_conn.Handle);

    /// <summary>Runs shell input; false when an error stopped it (bail).</summary>
    public bool ProcessInput(string input)
    {
        var buffer = new StringBuilder();
        int startLine = 0;
        _line = 0;
        foreach (string rawLine in input.Split('\n'))
        {
            _line++;
            string line = rawLine.TrimEnd('\r');
            if (buffer.Length == 0 && line.StartsWith('.'))
            {
                if (!DotCommand(line)) return false;
                continue;
            }
            if (buffer.Length == 0)
            {
                if (line.Trim().Length == 0) continue;
                startLine = _line;
            }
            buffer.Append(line).Append('\n');
            if (raw.sqlite3_complete(buffer.ToString()) != 0)
            {
                if (!Execute(buffer.ToString(), startLine)) return false;
                buffer.Clear();
            }
        }
        // Text left without its ';' runs at the end of input, as the shell runs it.
        return buffer.Length == 0 || buffer.ToString().Trim().Length == 0 || Execute(buffer.ToString(), startLine);
    }

    private bool Execute(string sql, int startLine)
    {
        sqlite3 db = _conn.Handle!;
        byte[] bytes = Encoding.UTF8.GetBytes(sql);
        int offset = 0;
        while (offset < bytes.Length)
        {
            ReadOnlySpan<byte> rest = bytes.AsSpan(offset);
            int rc = raw.sqlite3_prepare_v2(db, rest, out sqlite3_stmt stmt, out ReadOnlySpan<byte> tail);
            int consumed = rest.Length - tail.Length;
            Debug.Assert(consumed >= 0);
            using (stmt)
            {
                if (rc != raw.SQLITE_OK) return Fail("Parse error", startLine);
                if (stmt == null || stmt.IsInvalid)
                {
                    // Nothing but white space or comments was left.
                    offset += consumed == 0 ? rest.Length : consumed;
                    continue;
                }
                int columns = raw.sqlite3_column_count(stmt);
                bool first = true;
                while (true)
                {
                    rc = raw.sqlite3_step(stmt);
                    if (rc == raw.SQLITE_DONE) break;
                    if (rc != raw.SQLITE_ROW) return Fail("Runtime error", startLine);
                    if (columns == 0) continue;
                    if (first && _headers)
                    {
                        var names = new List<string>();
                        for (int i = 0; i < columns; i++) names.Add(raw.sqlite3_column_name(stmt, i).utf8_to_string());
                        Write(Encoding.UTF8.GetBytes(string.Join("|", names) + "\n"));
                    }
                    first = false;
                    for (int i = 0; i < columns; i++)
                    {
                        if (i > 0) _out.WriteByte((byte)'|');
                        switch (raw.sqlite3_column_type(stmt, i))
                        {
                            case raw.SQLITE_NULL:
                                break;
                            case raw.SQLITE_BLOB:
                                Write(raw.sqlite3_column_blob(stmt, i));
                                break;
                            default:
                                Write(Text(stmt, i));
                                break;
                        }
                    }
                    _out.WriteByte((byte)'\n');
                }
            }
            offset += consumed;
        }
        return true;
    }

    // sqlite3_column_text's bytes (for a number, SQLite's own rendering of it).
    private static byte[] Text(sqlite3_stmt stmt, int i)
    {
        string? text = raw.sqlite3_column_text(stmt, i).utf8_to_string();
        return text == null ? [] : Encoding.UTF8.GetBytes(text);
    }

    private void Write(ReadOnlySpan<byte> bytes) => _out.Write(bytes);

    private bool Fail(string kind, int startLine)
    {
        string message = raw.sqlite3_errmsg(_conn.Handle).utf8_to_string();
        FirstError ??= message;
        byte[] text = Encoding.UTF8.GetBytes($"{kind} near line {startLine}: {message}\n");
        _errors.Write(text);
        return false;
    }

    // The dot commands the corpus uses.
    private bool DotCommand(string line)
    {
        string[] args = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        switch (args[0])
        {
            case ".headers" when args.Length == 2:
                _headers = args[1] is "on" or "1" or "yes" or "true";
                return true;
            case ".dbconfig" when args.Length == 3 && args[1] is "dqs_dml" or "dqs_ddl":
                raw.sqlite3_db_config(_conn.Handle, args[1] == "dqs_dml" ? DbConfigDqsDml : DbConfigDqsDdl, args[2] == "on" ? 1 : 0, out _);
                return true;
            case ".tables" when args.Length == 1:
                Tables();
                return true;
            case ".schema" when args.Length == 1:
                Schema();
                return true;
            default:
                FirstError ??= "unknown dot command: " + line;
                _errors.Write(Encoding.UTF8.GetBytes(FirstError + "\n"));
                return false;
        }
    }

    // .tables: the names sorted, in columns (filled down first) as wide as the longest name,
    // two spaces apart, as many as fit in 80 characters.
    private void Tables()
    {
        var names = Query("SELECT name FROM sqlite_schema WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' ORDER BY 1");
        if (names.Count == 0) return;
        int width = names.Max(n => n.Length);
        int perRow = Math.Max(1, 80 / (width + 2));
        int rows = (names.Count + perRow - 1) / perRow;
        var sb = new StringBuilder();
        for (int r = 0; r < rows; r++)
        {
            for (int i = r, c = 0; i < names.Count; i += rows, c++)
            {
                if (c > 0) sb.Append("  ");
                sb.Append(names[i].PadRight(width));
            }
            sb.Append('\n');
        }
        Write(Encoding.UTF8.GetBytes(sb.ToString()));
    }

    // .schema: every object's SQL in creation order, each ending in ';' (a view followed by a
    // comment naming its columns, as the shell writes it).
    private void Schema()
    {
        var sb = new StringBuilder();
        using SqliteCommand cmd = _conn.CreateCommand();
        cmd.CommandText = "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid";
        using SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            sb.Append(r.GetString(2));
            if (r.GetString(0) == "view")
            {
                string name = r.GetString(1);
                var columns = Query("SELECT name FROM pragma_table_info(" + Quote(name) + ")");
                sb.Append("\n/* ").Append(name).Append('(').Append(string.Join(",", columns)).Append(") */");
            }
            sb.Append(";\n");
        }
        Write(Encoding.UTF8.GetBytes(sb.ToString()));
    }

    private List<string> Query(string sql)
    {
        using SqliteCommand cmd = _conn.CreateCommand();
        cmd.CommandText = sql;
        using SqliteDataReader r = cmd.ExecuteReader();
        var values = new List<string>();
        while (r.Read()) values.Add(r.GetString(0));
        return values;
    }

    private static string Quote(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>PRAGMA integrity_check's lines.</summary>
    public List<string> IntegrityCheck() => Query("PRAGMA integrity_check");

    public void Dispose() => _conn.Dispose();
}
