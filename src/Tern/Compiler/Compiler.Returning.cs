// RETURNING on INSERT, UPDATE and DELETE. Each changed row's RETURNING values (computed
// from the row as written, or as it was for DELETE) are appended to a list while the
// statement runs; the rows are handed out after the last change, as SQLite does:
//
//     SorterOpen R
//     <the statement; per row: values -> MakeRecord -> SorterInsert R>
//     Rewind R end
//   top: Column R 0..n-1 -> ResultRow; Next R top
//   end:
//
// The table's row is a pseudo table over a record of (columns..., rowid) registers.
using Tern.Schema;
using Tern.Sql.Ast;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    private sealed class ReturningState
    {
        public required int Cursor { get; init; }
        public required NodeList<ResultColumn> Columns { get; init; }
        public required string TableName { get; init; }
        public int Width { get; set; } = -1;
    }

    private ReturningState? _returning;

    /// <summary>Opens the RETURNING list when the statement has one (not inside a trigger body).</summary>
    private ReturningState? BeginReturning(NodeList<ResultColumn> columns, Table t, string? alias)
    {
        if (columns.IsEmpty) return null;
        if (InTrigger) throw new TernException(ResultCode.Error, "RETURNING may not be used inside a trigger");
        var state = new ReturningState { Cursor = NewCursor(), Columns = columns, TableName = alias ?? t.Name };
        Emit(Opcode.SorterOpen, state.Cursor, 0, 0, new KeyInfo(0));
        // Names come from the expressions, as for a SELECT over the table.
        var scope = new Scope();
        scope.Sources.Add(new Source { Table = t, Cursor = -1, Name = state.TableName });
        var names = new List<string>();
        var types = new List<string?>();
        foreach (ResultColumn rc in columns)
        {
            switch (rc)
            {
                case StarColumn:
                    foreach (Column c in t.Columns)
                    {
                        names.Add(c.Name);
                        types.Add(c.DeclaredType);
                    }
                    break;
                case TableStarColumn:
                    throw new TernException(ResultCode.Error, "RETURNING may not use \"TABLE.*\" wildcards");
                case ExprColumn ec:
                    names.Add(ec.Alias ?? DefaultName(ec.Expr, scope));
                    types.Add(null);
                    break;
            }
        }
        _columnNames = names.ToArray();
        _declaredTypes = types.ToArray();
        _returning = state;
        return state;
    }

    /// <summary>Appends one changed row's RETURNING values; <paramref name="block"/> holds (columns..., rowid).</summary>
    private void ReturningRow(ReturningState? state, Table t, int block)
    {
        if (state == null) return;
        var scope = new Scope();
        scope.Sources.Add(RowSource(t, state.TableName, block, withRowid: true));
        var exprs = new List<Expr>();
        foreach (ResultColumn rc in state.Columns)
        {
            if (rc is StarColumn) exprs.AddRange(t.Columns.Select(c => (Expr)new ColumnRef(null, state.TableName, c.Name)));
            else if (rc is ExprColumn ec) exprs.Add(ec.Expr);
        }
        state.Width = exprs.Count;
        int regs = NewRegisters(Math.Max(exprs.Count, 1));
        // SQLite codes RETURNING apart from the statement: a CTE it reads is materialized anew
        // (when RETURNING first runs, after the first row's triggers), not shared with the body.
        _cteSharingOff++;
        try
        {
            for (int i = 0; i < exprs.Count; i++) ExprCode(exprs[i], scope, regs + i);
        }
        finally
        {
            _cteSharingOff--;
        }
        int row = NewRegister();
        Emit(Opcode.MakeRecord, regs, exprs.Count, row);
        Emit(Opcode.SorterInsert, state.Cursor, row, 0);
    }

    /// <summary>After the statement's changes: hands out the collected RETURNING rows.</summary>
    private void EndReturning(ReturningState? state)
    {
        if (state == null) return;
        int width = state.Width < 0 ? _columnNames.Length : state.Width;
        // The statement's immediate foreign keys are checked before any row is returned.
        if (ForeignKeysOn) Emit(Opcode.FkCheck, 0, 0, 0);
        int end = NewLabel();
        Emit(Opcode.Rewind, state.Cursor, end, 0);
        int top = CurrentAddress;
        int regs = NewRegisters(Math.Max(width, 1));
        for (int i = 0; i < width; i++) Emit(Opcode.Column, state.Cursor, i, regs + i);
        Emit(Opcode.ResultRow, regs, width, 0);
        Emit(Opcode.Next, state.Cursor, top, 0);
        Resolve(end);
    }
}
