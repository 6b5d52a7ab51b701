// Generated columns (GENERATED ALWAYS AS (expr) [VIRTUAL|STORED]), as SQLite has them.
// A VIRTUAL column is not in the table record: wherever it is read from a table cursor its
// expression is computed from the row's other columns. A STORED column is computed when a
// row is written and kept in the record. The record holds every column but the VIRTUAL
// ones, in declaration order:
//
//   CREATE TABLE g(a, b AS (a*2), c AS (a+1) STORED, d)
//   columns:  a   b(virtual)  c(stored)  d
//   record:  [a,              c,         d]      (Column.StorageIndex: 0, -1, 1, 2)
//
// A row being written is a block of registers in declaration order; the generated columns
// are filled in by ComputeGeneratedColumns in dependency order (SQLite's passes: a column
// waits until the columns it names are computed; a pass without progress is a loop), so
// constraints, index keys, triggers and RETURNING read them like any other column.
// Each generated value gets its column's affinity.
using System.Diagnostics;
using System.Text;
using Tern.Functions;
using Tern.Schema;
using Tern.Sql.Ast;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>VIRTUAL columns whose expressions are being compiled (a second entry is a loop).</summary>
    private readonly HashSet<Column> _generatedBusy = new(ReferenceEqualityComparer.Instance);

    /// <summary>While positive, function calls are compiled for a generated column (date/time 'now' is refused).</summary>
    /// <summary>
    /// While code for a generated column, an index expression or a partial index's WHERE is
    /// compiled: SQLite's name for it in "non-deterministic use of f() in ..." ("a generated
    /// column", "an index"); null elsewhere.
    /// </summary>
    private string? _pureContext;

    /// <summary>
    /// Reads column <paramref name="col"/> of the table row <paramref name="s"/>'s cursor is on:
    /// a VIRTUAL column is computed, any other read from its record field (with
    /// <paramref name="def"/> for records written before the column was added).
    /// </summary>
    private void TableColumnCode(Source s, int col, int target, object? def)
    {
        Column c = s.Table.Columns[col];
        if (c.IsVirtual)
        {
            VirtualColumnCode(s, col, target);
            return;
        }
        Emit(Opcode.Column, s.Cursor, s.Table.StorageIndex(col), target, def);
    }

    /// <summary>Computes a VIRTUAL column from the row a table cursor is on.</summary>
    private void VirtualColumnCode(Source s, int col, int target)
    {
        Table t = s.Table;
        Column c = t.Columns[col];
        Debug.Assert(c.IsVirtual);
        if (!_generatedBusy.Add(c)) throw new TernException(ResultCode.Error, $"generated column loop on \"{c.Name}\"");
        try
        {
            // The expression names columns of its own table only, unqualified.
            // A LEFT JOIN's row of NULLs reads NULL here too, whatever the expression makes of NULLs.
            var scope = new Scope { Definition = true };
            scope.Sources.Add(new Source { Table = t, Cursor = s.Cursor, Name = t.Name });
            int done = NewLabel();
            Emit(Opcode.IfNullRow, s.Cursor, done, target);
            GeneratedExprCode(t, c, scope, target, intReal: true);
            Resolve(done);
        }
        finally
        {
            _generatedBusy.Remove(c);
        }
    }

    /// <summary>
    /// A generated column's expression into a register, with the column's affinity. When
    /// <paramref name="intReal"/> (a VIRTUAL column read from a table row), REAL affinity is
    /// SQLite's OP_Affinity: a whole number stays an integer marked real (Mem.IntReal), so a
    /// sorter or ephemeral table gives it back as an INTEGER, as in SQLite. A row being written
    /// gets plain REAL values (SQLite reads them back through REAL affinity there).
    /// </summary>
    private void GeneratedExprCode(Table t, Column c, Scope scope, int target, bool intReal = false)
    {
        byte[] savedSql = _sql;
        string? savedContext = _pureContext;
        _pureContext = "a generated column";
        try
        {
            if (t.Sql != null) _sql = Encoding.UTF8.GetBytes(t.Sql);
            ExprCode(c.Generated!, scope, target);
        }
        finally
        {
            _sql = savedSql;
            _pureContext = savedContext;
        }
        if (c.Affinity != Affinity.Blob) Emit(Opcode.Affinity, target, 1, 0, ((char)c.Affinity).ToString(), (ushort)(intReal ? 1 : 0));
    }

    /// <summary>
    /// Fills in the generated columns of a row held in r[cols..] (declaration order), after
    /// giving the ordinary columns their affinities. Columns are computed in passes: a
    /// column whose expression names a column not computed yet waits for the next pass; a
    /// pass that computes nothing leaves a loop, reported on the last column still waiting.
    /// </summary>
    private void ComputeGeneratedColumns(Table t, int cols)
    {
        if (!t.HasGenerated) return;
        int ncol = t.Columns.Count;
        var aff = new char[ncol];
        for (int k = 0; k < ncol; k++) aff[k] = t.Columns[k].IsGenerated ? (char)Affinity.Blob : (char)t.Columns[k].Affinity;
        Emit(Opcode.Affinity, cols, ncol, 0, new string(aff));
        var src = new Source { Table = t, Cursor = -1, Name = t.Name };
        var registers = new Dictionary<(Source Source, int Column), int>();
        for (int k = 0; k < ncol; k++) registers[(src, k)] = cols + k;
        var scope = new Scope { ColumnRegisters = registers, Definition = true };
        scope.Sources.Add(src);
        foreach (int k in GeneratedOrder(t)) GeneratedExprCode(t, t.Columns[k], scope, cols + k);
    }

    /// <summary>
    /// The generated columns in an order that computes each after the columns it names, found
    /// in passes as SQLite does: a column naming one not computed yet waits for the next pass;
    /// a pass that computes nothing means a loop, reported on the last column still waiting.
    /// </summary>
    private static List<int> GeneratedOrder(Table t)
    {
        int ncol = t.Columns.Count;
        var order = new List<int>();
        var pending = new HashSet<int>();
        for (int k = 0; k < ncol; k++)
        {
            if (t.Columns[k].IsGenerated) pending.Add(k);
        }
        while (true)
        {
            bool progress = false;
            int redo = -1;
            for (int k = 0; k < ncol; k++)
            {
                if (!pending.Contains(k)) continue;
                if (NamesPending(t, t.Columns[k].Generated!, pending))
                {
                    redo = k;
                    continue;
                }
                order.Add(k);
                pending.Remove(k);
                progress = true;
            }
            if (redo < 0) return order;
            if (!progress) throw new TernException(ResultCode.Error, $"generated column loop on \"{t.Columns[redo].Name}\"");
        }
    }

    /// <summary>Whether an expression names a column of <paramref name="t"/> that is in <paramref name="pending"/>.</summary>
    private static bool NamesPending(Table t, Expr e, HashSet<int> pending)
    {
        bool found = false;
        Walk(e, x =>
        {
            if (x is ColumnRef c && t.FindColumn(c.Column) is int k and >= 0 && pending.Contains(k)) found = true;
            return !found;
        });
        return found;
    }

    /// <summary>
    /// The table record from a row in r[cols..]: every column but the VIRTUAL ones (copied
    /// together first when the table has any).
    /// </summary>
    private void MakeTableRecord(Table t, int cols, int rec)
    {
        if (!t.MappedStorage)
        {
            Emit(Opcode.MakeRecord, cols, t.Columns.Count, rec, null, P5Flags.IntRealAsInteger);
            return;
        }
        int block = NewRegisters(Math.Max(t.StoredCount, 1));
        for (int k = 0; k < t.Columns.Count; k++)
        {
            int field = t.Columns[k].StorageIndex;
            if (field >= 0) Emit(Opcode.SCopy, cols + k, block + field, 0);
        }
        Emit(Opcode.MakeRecord, block, t.StoredCount, rec, null, P5Flags.IntRealAsInteger);
    }

    /// <summary>"cannot INSERT into generated column" / "cannot UPDATE generated column" for a write to one.</summary>
    private static void RefuseGeneratedWrite(Table t, int col, string verb)
    {
        if (col >= 0 && t.Columns[col].IsGenerated)
            throw new TernException(ResultCode.Error, $"cannot {verb} generated column \"{t.Columns[col].Name}\"");
    }

    /// <summary>For INSERT without a column list: the columns that take values (all but the generated ones).</summary>
    private static int[] InsertableColumns(Table t)
    {
        var list = new List<int>(t.Columns.Count);
        for (int k = 0; k < t.Columns.Count; k++)
        {
            if (!t.Columns[k].IsGenerated) list.Add(k);
        }
        return list.ToArray();
    }

    /// <summary>
    /// ALTER TABLE ADD COLUMN: the new definition must resolve as CREATE TABLE would take it
    /// (its CHECK constraints and generated columns); a STORED column can only join a table
    /// without rows (its value would have to be computed for each row), checked when the
    /// statement runs.
    /// </summary>
    private void CheckAddedColumn(Table t, string newSql)
    {
        if (Tern.Sql.SqlParser.Parse(newSql) is not CreateTableStatement ct) return;
        try
        {
            ResolveTableDefinition(DatabaseSchema.BuildTable(ct, 0, null, out _), Encoding.UTF8.GetBytes(newSql), loading: false, dqs: DqsInDdl);
        }
        catch (TernException e)
        {
            throw new TernException(ResultCode.Error, $"error in table {t.Name} after add column: {e.Message}");
        }
        Table altered = DatabaseSchema.BuildTable(ct, 0, null, out _);
        if (!altered.Columns[^1].IsStored) return;
        int cursor = NewCursor(), empty = NewLabel();
        Emit(Opcode.OpenRead, cursor, (int)t.RootPage, t.Db, TableCursorInfo(t));
        Emit(Opcode.Rewind, cursor, empty, 0);
        Emit(Opcode.Halt, (int)ResultCode.Error, 2, 0, "cannot add a STORED column");
        Resolve(empty);
    }

    /// <summary>Date and time functions: allowed in generated columns, but not on 'now'.</summary>
    private static readonly HashSet<string> DateTimeFunctionNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff",
    };

    private static readonly Dictionary<(FunctionDef, string), ScalarFunction> s_guardedDateFunctions = [];

    /// <summary>
    /// Inside a generated column, an index expression or a partial index's WHERE, a date/time
    /// function refuses to read the clock: with no time value, or a time value of 'now', it
    /// fails as SQLite does ("non-deterministic use of date() in a generated column", "... in
    /// an index").
    /// </summary>
    private FunctionDef GuardGeneratedFunction(FunctionDef def)
    {
        if (_pureContext is not { } context || def is not ScalarFunction sf || !DateTimeFunctionNames.Contains(def.Name)) return def;
        lock (s_guardedDateFunctions)
        {
            if (s_guardedDateFunctions.TryGetValue((def, context), out ScalarFunction? g)) return g;
            string name = def.Name;
            ScalarBody inner = sf.Body;
            // strftime's time value is its second argument; timediff reads two.
            int first = name.Equals("strftime", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
            int count = name.Equals("timediff", StringComparison.OrdinalIgnoreCase) ? 2 : 1;
            g = new ScalarFunction(def.Name, def.ArgCount, (ReadOnlySpan<Mem> args, ref Mem result) =>
            {
                bool now = args.Length <= first;
                for (int i = first; i < first + count && i < args.Length && !now; i++)
                {
                    if (args[i].Kind == MemKind.Text && Encoding.UTF8.GetString(args[i].Span).Equals("now", StringComparison.OrdinalIgnoreCase)) now = true;
                }
                if (now) throw new TernException(ResultCode.Error, $"non-deterministic use of {name}() in {context}");
                inner(args, ref result);
            });
            s_guardedDateFunctions[(def, context)] = g;
            return g;
        }
    }
}
