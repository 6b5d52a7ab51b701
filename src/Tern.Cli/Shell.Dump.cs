// .dump: the database as SQL text that rebuilds it, laid out as sqlite3 3.40 writes it.
//
//   PRAGMA foreign_keys=OFF;
//   BEGIN TRANSACTION;
//   CREATE TABLE ...;                      every table, in sqlite_schema order, each
//   INSERT INTO name VALUES(...);          followed by its rows (insert mode's literals)
//   DELETE FROM sqlite_sequence;           sqlite_sequence comes last of the tables, its
//   INSERT INTO sqlite_sequence VALUES(...);   CREATE left to AUTOINCREMENT
//   CREATE INDEX / VIEW / TRIGGER ...;     the rest, in sqlite_schema order
//   COMMIT;
//
// Options: --data-only (only the INSERTs, no framing), --nosys (no sqlite_sequence or
// sqlite_stat rows), --newlines (text with line breaks as it is, not through replace()),
// --preserve-rowids (the rowid as a first column, for tables whose rowid is not a
// column). Other arguments are LIKE patterns (with '\' as escape) on the object's name:
// only matching tables are dumped, and only indexes, views and triggers whose name matches.
// A table's CREATE statement whose name is quoted is written as CREATE TABLE IF NOT
// EXISTS, as .schema does.
using System.Text;

namespace Tern.Cli;

public sealed partial class Shell
{
    private sealed record DumpObject(long RowId, string Type, string Name, string TableName, string? Sql);

    private int DumpCommand(List<string> a)
    {
        bool preserveRowids = false, newlines = false, dataOnly = false, noSys = false;
        var patterns = new List<string>();
        for (int i = 1; i < a.Count; i++)
        {
            string z = a[i];
            if (z.StartsWith('-'))
            {
                string option = z.StartsWith("--", StringComparison.Ordinal) ? z[2..] : z[1..];
                if (option == "preserve-rowids") preserveRowids = true;
                else if (option == "newlines") newlines = true;
                else if (option == "data-only") dataOnly = true;
                else if (option == "nosys") noSys = true;
                else
                {
                    _err.Write($"Unknown option \"{z}\" on \".dump\"\n");
                    return 1;
                }
            }
            else patterns.Add(z);
        }
        if (!EnsureOpen()) return 1;
        List<DumpObject> objects;
        try
        {
            objects = [];
            using Statement st = _conn!.Prepare("SELECT rowid, type, name, tbl_name, sql FROM sqlite_schema");
            while (st.Step())
            {
                objects.Add(new DumpObject(st.GetInt64(0), st.GetString(1) ?? "", st.GetString(2) ?? "", st.GetString(3) ?? "", st.IsNull(4) ? null : st.GetString(4)));
            }
        }
        catch (TernException e)
        {
            _err.Write("Error: " + e.Message + "\n");
            return 1;
        }
        bool Selected(DumpObject o) => patterns.Count == 0 || patterns.Any(p => Like(o.Name, p, '\\'));

        if (!dataOnly) _out.Write("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n");
        int errors = 0;
        var settings = new ShellSettings { Mode = OutputMode.Insert, NewlinesAsIs = newlines };
        // Tables first, sqlite_sequence after the others, each in sqlite_schema's order.
        foreach (DumpObject t in objects
            .Where(o => o.Type == "table" && o.Sql != null && Selected(o))
            .OrderBy(o => o.TableName == "sqlite_sequence")
            .ThenBy(o => o.RowId))
        {
            if (!DumpTable(t, settings, dataOnly, noSys, preserveRowids)) errors++;
        }
        if (!dataOnly)
        {
            foreach (DumpObject o in objects.Where(o => o.Sql != null && o.Type is "index" or "trigger" or "view" && Selected(o)))
            {
                // A statement holding "--" anywhere ends with its ';' on a line of its own.
                _out.Write(o.Sql!);
                _out.Write(o.Sql!.Contains("--", StringComparison.Ordinal) ? "\n;\n" : ";\n");
            }
            _out.Write(errors > 0 ? "ROLLBACK; -- due to errors\n" : "COMMIT;\n");
        }
        return 0;
    }

    // One table: its CREATE statement (or the sqlite_sequence/sqlite_stat preamble), then
    // an INSERT per row. False when its rows could not be read.
    private bool DumpTable(DumpObject t, ShellSettings settings, bool dataOnly, bool noSys, bool preserveRowids)
    {
        string name = t.Name;
        if (name == "sqlite_sequence" && !noSys)
        {
            if (!dataOnly) _out.Write("DELETE FROM sqlite_sequence;\n");
        }
        else if (name.StartsWith("sqlite_stat", StringComparison.Ordinal) && name.Length == 12 && !noSys)
        {
            if (!dataOnly) _out.Write("ANALYZE sqlite_schema;\n");
        }
        else if (name.StartsWith("sqlite_", StringComparison.Ordinal))
        {
            return true;
        }
        else if (!dataOnly)
        {
            WriteSchemaLine(t.Sql!);
        }
        List<string> columns;
        string? rowidName;
        try
        {
            (columns, rowidName) = DumpColumns(name, preserveRowids);
        }
        catch (TernException)
        {
            return false;
        }
        var target = new StringBuilder(CellText.QuoteName(name));
        var select = new StringBuilder("SELECT ");
        if (rowidName != null)
        {
            target.Append('(').Append(rowidName);
            foreach (string c in columns) target.Append(',').Append(CellText.QuoteName(c));
            target.Append(')');
            select.Append(rowidName).Append(',');
        }
        select.Append(string.Join(",", columns.Select(CellText.QuoteName)));
        select.Append(" FROM ").Append(CellText.QuoteName(name));
        settings.InsertTable = target.ToString();
        var printer = new ResultPrinter(settings, _out);
        try
        {
            using Statement st = _conn!.Prepare(select.ToString());
            printer.Print(st, () => _interrupted);
        }
        catch (TernException e)
        {
            _err.Write("Error: " + e.Message + "\n");
            return false;
        }
        return true;
    }

    // The table's columns that take values (generated columns are left out), and with
    // --preserve-rowids the name its rowid goes by when no column is the rowid.
    private (List<string> Columns, string? RowidName) DumpColumns(string table, bool preserveRowids)
    {
        var columns = new List<string>();
        int primaryKeyColumns = 0;
        bool integerKey = false;
        using (Statement st = _conn!.Prepare("SELECT name, type, pk FROM pragma_table_info(?1)"))
        {
            st.Bind(1, table);
            while (st.Step())
            {
                columns.Add(st.GetString(0) ?? "");
                if (st.GetInt64(2) > 0)
                {
                    primaryKeyColumns++;
                    integerKey = string.Equals(st.GetString(1), "INTEGER", StringComparison.OrdinalIgnoreCase);
                }
            }
        }
        if (!preserveRowids || (primaryKeyColumns == 1 && integerKey)) return (columns, null);
        foreach (string candidate in new[] { "rowid", "_rowid_", "oid" })
        {
            if (!columns.Any(c => c.Equals(candidate, StringComparison.OrdinalIgnoreCase))) return (columns, candidate);
        }
        return (columns, null);
    }
}
