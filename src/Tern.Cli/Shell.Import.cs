// .import FILE TABLE: loads rows from a CSV or ASCII-separated file, as sqlite3 3.40 does.
//
//   .import ?--csv|--ascii? ?--skip N? ?--schema S? ?-v? FILE TABLE
//
// --csv reads ',' and '\n' separated fields with RFC 4180 quotes; --ascii reads fields
// separated by 0x1F and records by 0x1E, with no quoting; without either the separators
// come from the output settings (csv's "\r\n" row separator reads as "\n"; ascii mode
// reads ASCII fields, every other mode CSV fields), and each must be a single byte.
// --skip N drops the first N records. When TABLE does not exist it is created from the
// first record: one TEXT column per field, named by it ("?" for an empty name; names that
// are the same but for case get "_" and their position added, reported on stderr); when
// it exists, every record is a row. All rows go in one transaction (when none is open). A
// record with fewer fields than the table has columns is filled with NULLs, one with more
// has the extras dropped, each reported as FILE:LINE: on stderr, and a failing INSERT is
// reported likewise and skipped.
//
// The CSV field reader (sqlite3's rules, byte by byte):
//
//   start --'"'--> quoted: '""' is one quote; a quote followed by the column separator,
//                  the row separator (optionally after '\r') or the end ends the field
//                  (the closing quote dropped); any other character after a quote is
//                  kept and reported as an unescaped quote; the end of input inside
//                  is reported as an unterminated field.
//   start --other--> plain: up to the column separator, the row separator (a '\r'
//                  before it dropped) or the end. A UTF-8 BOM before the first field is skipped.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tern.Sql;

namespace Tern.Cli;

public sealed partial class Shell
{
    private const string ImportHelp =
        ".import FILE TABLE       Import data from FILE into TABLE\n" +
        "   Options:\n" +
        "     --ascii               Use \\037 and \\036 as column and row separators\n" +
        "     --csv                 Use , and \\n as column and row separators\n" +
        "     --skip N              Skip the first N rows of input\n" +
        "     --schema S            Target table to be S.TABLE\n" +
        "     -v                    \"Verbose\" - increase auxiliary output\n" +
        "   Notes:\n" +
        "     *  If TABLE does not exist, it is created.  The first row of input\n" +
        "        determines the column names.\n" +
        "     *  If neither --csv or --ascii are used, the input mode is derived\n" +
        "        from the \".mode\" output mode\n" +
        "     *  If FILE begins with \"|\" then it is a command that generates the\n" +
        "        input text.\n";

    private int ImportCommand(List<string> a)
    {
        string? file = null, table = null, schema = null;
        long skip = 0;
        int verbose = 0;
        bool ascii = false;
        bool useOutputMode = true;
        byte colSep = 0, rowSep = 0;
        for (int i = 1; i < a.Count; i++)
        {
            string z = a[i];
            if (z.StartsWith("--", StringComparison.Ordinal)) z = z[1..];
            if (!z.StartsWith('-'))
            {
                if (file == null) file = z;
                else if (table == null) table = z;
                else
                {
                    _out.Write($"ERROR: extra argument: \"{z}\".  Usage:\n" + ImportHelp);
                    return 1;
                }
            }
            else if (z == "-v") verbose++;
            else if (z == "-schema" && i < a.Count - 1) schema = a[++i];
            else if (z == "-skip" && i < a.Count - 1) skip = IntegerValue(a[++i]);
            else if (z == "-ascii")
            {
                colSep = 0x1F;
                rowSep = 0x1E;
                ascii = true;
                useOutputMode = false;
            }
            else if (z == "-csv")
            {
                colSep = (byte)',';
                rowSep = (byte)'\n';
                ascii = false;
                useOutputMode = false;
            }
            else
            {
                _out.Write($"ERROR: unknown option: \"{z}\".  Usage:\n" + ImportHelp);
                return 1;
            }
        }
        if (table == null)
        {
            _out.Write($"ERROR: missing {(file == null ? "FILE" : "TABLE")} argument. Usage:\n" + ImportHelp);
            return 1;
        }
        if (!EnsureOpen()) return 1;
        if (useOutputMode)
        {
            byte[] col = Encoding.UTF8.GetBytes(Settings.ColumnSeparator);
            byte[] row = Encoding.UTF8.GetBytes(Settings.RowSeparator);
            if (col.Length == 0) return Usage("Error: non-null column separator required for import");
            if (col.Length > 1) return Usage("Error: multi-character column separators not allowed for import");
            if (row.Length == 0) return Usage("Error: non-null row separator required for import");
            if (Settings.Mode == OutputMode.Csv && Settings.RowSeparator == "\r\n")
            {
                // The csv output row separator reads as the input one.
                Settings.RowSeparator = "\n";
                row = [(byte)'\n'];
            }
            if (row.Length > 1) return Usage("Error: multi-character row separators not allowed for import");
            colSep = col[0];
            rowSep = row[0];
            ascii = Settings.Mode == OutputMode.Ascii;
        }
        Debug.Assert(file != null);
        if (file.StartsWith('|'))
        {
            _err.Write("Error: pipes are not supported\n");
            return 1;
        }
        Stream input;
        try
        {
            input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            _err.Write($"Error: cannot open \"{file}\"\n");
            return 1;
        }
        using (input)
        {
            var reader = new ImportReader(input, file, colSep, rowSep, ascii, _err, () => _interrupted);
            if (verbose >= 2 || (verbose >= 1 && useOutputMode))
            {
                _out.Write("Column separator " + CString(((char)colSep).ToString()) + ", row separator " + CString(((char)rowSep).ToString()) + "\n");
            }
            while (skip-- > 0)
            {
                while (reader.ReadField() != null && reader.Terminator == colSep)
                {
                }
            }
            return ImportRows(reader, file, table, schema, verbose);
        }
    }

    private int ImportRows(ImportReader reader, string file, string table, string? schema, int verbose)
    {
        Connection conn = _conn!;
        string fullName = (schema != null ? QuoteAlways(schema) + "." : "") + QuoteAlways(table);
        int columnCount;
        try
        {
            columnCount = ColumnCountOf(fullName);
        }
        catch (TernException e) when (e.Message.StartsWith("no such table: ", StringComparison.Ordinal))
        {
            var names = new List<string>();
            while (reader.ReadField() is { } field)
            {
                names.Add(field);
                if (reader.Terminator != reader.ColumnSeparator) break;
            }
            if (names.Count == 0)
            {
                _err.Write($"{file}: empty file\n");
                return 1;
            }
            string create = "CREATE TABLE " + fullName + NewTableColumns(names, file) + "\n";
            if (verbose >= 1) _out.Write(create + "\n");
            try
            {
                conn.Execute(create);
                columnCount = ColumnCountOf(fullName);
            }
            catch (TernException e2)
            {
                _err.Write($"{create} failed:\n{e2.Message}\n");
                return 1;
            }
        }
        catch (TernException e)
        {
            _err.Write("Error: " + e.Message + "\n");
            return 1;
        }
        if (columnCount == 0) return 0;
        string insertSql = "INSERT INTO " + fullName + " VALUES(" + string.Join(",", Enumerable.Repeat("?", columnCount)) + ")";
        if (verbose >= 2) _out.Write("Insert using: " + insertSql + "\n");
        Statement insert;
        try
        {
            insert = conn.Prepare(insertSql);
        }
        catch (TernException e)
        {
            _err.Write("Error: " + e.Message + "\n");
            return 1;
        }
        int rows = 0, errors = 0;
        using (insert)
        {
            bool commit = conn.AutoCommit;
            if (commit) conn.Execute("BEGIN");
            do
            {
                int startLine = reader.Line;
                int i;
                for (i = 0; i < columnCount; i++)
                {
                    string? z = reader.ReadField();
                    if (z == null && i == 0) break;
                    if (reader.Ascii && string.IsNullOrEmpty(z) && i == 0) break;
                    if (z == null) insert.BindNull(i + 1);
                    else insert.Bind(i + 1, z);
                    if (i < columnCount - 1 && reader.Terminator != reader.ColumnSeparator)
                    {
                        _err.Write($"{file}:{startLine}: expected {columnCount} columns but found {i + 1} - filling the rest with NULL\n");
                        for (int k = i + 2; k <= columnCount; k++) insert.BindNull(k);
                        i = columnCount + 1;
                    }
                }
                if (reader.Terminator == reader.ColumnSeparator)
                {
                    do
                    {
                        reader.ReadField();
                        i++;
                    }
                    while (reader.Terminator == reader.ColumnSeparator);
                    _err.Write($"{file}:{startLine}: expected {columnCount} columns but found {i} - extras ignored\n");
                }
                if (i >= columnCount)
                {
                    try
                    {
                        insert.Step();
                        rows++;
                    }
                    catch (TernException e)
                    {
                        _err.Write($"{file}:{startLine}: INSERT failed: {e.Message}\n");
                        errors++;
                    }
                    ResetQuietly(insert);
                    insert.ClearBindings();
                }
            }
            while (reader.Terminator != ImportReader.EndOfInput);
            if (commit && !conn.AutoCommit) conn.Execute("COMMIT");
        }
        if (verbose > 0)
        {
            _out.Write(string.Create(CultureInfo.InvariantCulture, $"Added {rows} rows with {errors} errors using {reader.Line - 1} lines of input\n"));
        }
        return 0;
    }

    // Resets a statement whose error was already reported.
    private static void ResetQuietly(Statement st)
    {
        try
        {
            st.Reset();
        }
        catch (TernException)
        {
            // Reported when the step failed.
        }
    }

    private int ColumnCountOf(string fullName)
    {
        using Statement st = _conn!.Prepare("SELECT * FROM " + fullName);
        return st.ColumnCount;
    }

    private static string QuoteAlways(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // "(\n"a" TEXT, "b" TEXT, ...)": one TEXT column per name, four to a line. A name that
    // occurs more than once (ignoring case) becomes NAME_POSITION at each occurrence.
    private string NewTableColumns(List<string> names, string file)
    {
        var final = new List<string>(names.Count);
        var renames = new List<string>();
        for (int i = 0; i < names.Count; i++)
        {
            string name = names[i].Length == 0 ? "?" : names[i];
            bool duplicate = names.Where((n, j) => j != i && string.Equals(n.Length == 0 ? "?" : n, name, StringComparison.OrdinalIgnoreCase)).Any();
            if (duplicate)
            {
                string renamed = name + "_" + (i + 1).ToString(CultureInfo.InvariantCulture);
                renames.Add($"\"{name}\" to \"{renamed}\"");
                name = renamed;
            }
            final.Add(name);
        }
        if (renames.Count > 0)
        {
            _err.Write($"Columns renamed during .import {file} due to duplicates:\n{string.Join(",\n", renames)}\n");
        }
        var sb = new StringBuilder("(\n");
        for (int i = 0; i < final.Count; i++)
        {
            if (i > 0) sb.Append(i % 4 == 0 ? ",\n " : ", ");
            sb.Append(QuoteAlways(final[i])).Append(" TEXT");
        }
        return sb.Append(')').ToString();
    }

    /// <summary>Reads the fields of a CSV or ASCII-separated file, counting lines as sqlite3 does.</summary>
    private sealed class ImportReader(Stream input, string file, byte colSep, byte rowSep, bool ascii, ShellOutput err, Func<bool> interrupted)
    {
        /// <summary>The terminator at the end of input.</summary>
        public const int EndOfInput = -1;

        private readonly List<byte> _field = [];
        private bool _notFirst;

        /// <summary>The line the reader is on (1-based).</summary>
        public int Line { get; private set; } = 1;

        /// <summary>What ended the last field: the column or row separator, or <see cref="EndOfInput"/>.</summary>
        public int Terminator { get; private set; }

        public int ColumnSeparator => colSep;

        public bool Ascii => ascii;

        /// <summary>The next field, or null at the end of input.</summary>
        public string? ReadField() => ascii ? ReadAscii() : ReadCsv();

        private string? ReadAscii()
        {
            _field.Clear();
            int c = input.ReadByte();
            if (c < 0 || interrupted())
            {
                Terminator = EndOfInput;
                return null;
            }
            while (c >= 0 && c != colSep && c != rowSep)
            {
                _field.Add((byte)c);
                c = input.ReadByte();
            }
            if (c == rowSep) Line++;
            Terminator = c;
            return Text();
        }

        private string? ReadCsv()
        {
            _field.Clear();
            int c = input.ReadByte();
            if (c < 0 || interrupted())
            {
                Terminator = EndOfInput;
                return null;
            }
            if (c == '"')
            {
                int startLine = Line;
                int pc = 0, ppc = 0;
                while (true)
                {
                    c = input.ReadByte();
                    if (c == rowSep) Line++;
                    if (c == '"' && pc == '"')
                    {
                        pc = 0;
                        continue;
                    }
                    if ((c == colSep && pc == '"') || (c == rowSep && pc == '"') || (c == rowSep && pc == '\r' && ppc == '"') || (c < 0 && pc == '"'))
                    {
                        // Drop the closing quote (and a '\r' after it).
                        int n = _field.Count;
                        do n--;
                        while (n > 0 && _field[n] != '"');
                        _field.RemoveRange(Math.Max(n, 0), _field.Count - Math.Max(n, 0));
                        Terminator = c;
                        break;
                    }
                    if (pc == '"' && c != '\r')
                    {
                        err.Write($"{file}:{Line}: unescaped \" character\n");
                    }
                    if (c < 0)
                    {
                        err.Write($"{file}:{startLine}: unterminated \"-quoted field\n");
                        Terminator = EndOfInput;
                        break;
                    }
                    _field.Add((byte)c);
                    ppc = pc;
                    pc = c;
                }
            }
            else
            {
                if (c == 0xEF && !_notFirst)
                {
                    _field.Add((byte)c);
                    c = input.ReadByte();
                    if (c == 0xBB)
                    {
                        _field.Add((byte)c);
                        c = input.ReadByte();
                        if (c == 0xBF)
                        {
                            _notFirst = true;
                            _field.Clear();
                            return ReadCsv();
                        }
                    }
                }
                while (c >= 0 && c != colSep && c != rowSep)
                {
                    _field.Add((byte)c);
                    c = input.ReadByte();
                }
                if (c == rowSep)
                {
                    Line++;
                    if (_field.Count > 0 && _field[^1] == '\r') _field.RemoveAt(_field.Count - 1);
                }
                Terminator = c;
            }
            _notFirst = true;
            return Text();
        }

        // The field up to its first NUL byte (sqlite3 hands fields on as C strings).
        private string Text()
        {
            int nul = _field.IndexOf(0);
            byte[] bytes = (nul < 0 ? _field : _field.GetRange(0, nul)).ToArray();
            return RawUtf8.Decode(bytes);
        }
    }
}
