// INSERT ... ON CONFLICT (upsert). Each uniqueness check of the row being inserted asks
// the plan whether a clause covers that constraint (a clause without a target covers
// every one; otherwise its columns must be the constraint's). DO NOTHING skips the row;
// DO UPDATE jumps, with the conflicting row's rowid, to that clause's update code,
// emitted after the insert:
//
//     <insert the row: a covered conflict -> r = conflicting rowid; Goto U1>
//     Goto done
//   U1: NotExists t r done               position on the existing row
//       [WHERE false -> done]            (reading the row and excluded.*)
//       new values := SET over the row and excluded.*; write it back (as an UPDATE:
//       BEFORE/AFTER UPDATE triggers fire, foreign keys pointing at the table act)
//   done:
using Tern.Schema;
using Tern.Sql.Ast;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    private sealed class UpsertPlan
    {
        public required Table Table { get; init; }
        public required List<(UpsertClause Clause, int[]? Columns, int Label)> Clauses { get; init; }
        public required int ConflictRowid { get; init; }

        /// <summary>The same plan with fresh labels for the clauses' update code (one copy per emitted row).</summary>
        public UpsertPlan WithNewLabels(Func<int> newLabel) =>
            new() { Table = Table, Clauses = Clauses.Select(c => (c.Clause, c.Columns, newLabel())).ToList(), ConflictRowid = ConflictRowid };

        /// <summary>The first clause covering a constraint on these columns, or -1.</summary>
        public int Matches(int[] constraintColumns)
        {
            for (int i = 0; i < Clauses.Count; i++)
            {
                int[]? c = Clauses[i].Columns;
                if (c == null || (c.Length == constraintColumns.Length && c.Order().SequenceEqual(constraintColumns.Order()))) return i;
            }
            return -1;
        }
    }

    private UpsertPlan? PlanUpsert(NodeList<UpsertClause> clauses, Table t)
    {
        if (clauses.IsEmpty) return null;
        var list = new List<(UpsertClause, int[]?, int)>();
        for (int i = 0; i < clauses.Count; i++)
        {
            UpsertClause u = clauses[i];
            int[]? cols = null;
            if (!u.Target.IsEmpty)
            {
                cols = new int[u.Target.Count];
                for (int k = 0; k < cols.Length; k++)
                {
                    string? name = u.Target[k].Expr switch
                    {
                        ColumnRef c => c.Column,
                        CollateExpr { Operand: ColumnRef c2 } => c2.Column,
                        _ => null,
                    };
                    int col = name == null ? -2 : t.FindColumn(name);
                    if (col < 0 && name != null && IsRowidName(name) && !t.WithoutRowid) col = t.RowidAlias;
                    else if (col < 0 && name != null) throw new TernException(ResultCode.Error, "no such column: " + name);
                    cols[k] = col;
                }
                bool known = (cols.Length == 1 && cols[0] >= 0 && cols[0] == t.RowidAlias)
                    || (t.PrimaryKey is { } pk && pk.Columns.Length == cols.Length && pk.Columns.Order().SequenceEqual(cols.Order()))
                    || t.Indexes.Exists(ix => ix.Unique && ix.Columns.Length == cols.Length && ix.Columns.Order().SequenceEqual(cols.Order()));
                if (!known) throw new TernException(ResultCode.Error, "ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint");
            }
            else if (i < clauses.Count - 1)
            {
                throw new TernException(ResultCode.Error, "a conflict target is required on all but the last ON CONFLICT clause");
            }
            list.Add((u, cols, NewLabel()));
        }
        return new UpsertPlan { Table = t, Clauses = list, ConflictRowid = NewRegister() };
    }

    /// <summary>Emits the jump for a covered conflict; false when no clause covers this constraint.</summary>
    private bool UpsertAction(UpsertPlan? plan, int[] constraintColumns, int conflictingRowid, int skip)
    {
        if (plan == null) return false;
        int k = plan.Matches(constraintColumns);
        if (k < 0) return false;
        if (plan.Clauses[k].Clause.DoNothing)
        {
            Emit(Opcode.Goto, 0, skip, 0);
            return true;
        }
        Emit(Opcode.SCopy, conflictingRowid, plan.ConflictRowid, 0);
        Emit(Opcode.Goto, 0, plan.Clauses[k].Label, 0);
        return true;
    }

    /// <summary>The DO UPDATE code of each clause; <paramref name="excluded"/> holds the row that was refused.</summary>
    private void UpsertUpdates(UpsertPlan plan, WriteTarget target, int excluded, string? alias, ReturningState? returning, int done)
    {
        Table t = plan.Table;
        int ncol = t.Columns.Count;
        Emit(Opcode.Goto, 0, done, 0);
        foreach ((UpsertClause clause, _, int label) in plan.Clauses)
        {
            Resolve(label);
            if (clause.DoNothing)
            {
                Emit(Opcode.Goto, 0, done, 0);
                continue;
            }
            int rowid = plan.ConflictRowid;
            Emit(Opcode.NotExists, target.Cursor, done, rowid);
            // excluded.* only by its qualified name: it sits in an enclosing scope.
            var excludedScope = new Scope();
            var scope = new Scope { Outer = excludedScope };
            var src = new Source { Table = t, Cursor = target.Cursor, Name = alias ?? t.Name };
            scope.Sources.Add(src);
            excludedScope.Sources.Add(RowSource(t, "excluded", excluded, withRowid: false));
            if (clause.Where != null) JumpIfFalse(clause.Where, scope, done);
            int cols = NewRegisters(Math.Max(ncol, 1));
            for (int k = 0; k < ncol; k++)
            {
                if (k == t.RowidAlias) Emit(Opcode.SCopy, rowid, cols + k, 0);
                else EmitColumnRaw(src, k, cols + k);
            }
            var newRegs = new List<(int Column, int Register)>();
            bool setsRowid = false;
            SharingSetSubqueries(() =>
            {
                foreach ((string column, Expr value) in clause.Set.AsSpan().ToArray().SelectMany(SetAssignments))
                {
                    int k = t.FindColumn(column);
                    if (k < 0) throw new TernException(ResultCode.Error, "no such column: " + column);
                    RefuseGeneratedWrite(t, k, "UPDATE");
                    if (k == t.RowidAlias) setsRowid = true;
                    int r = NewRegister();
                    ExprCode(value, scope, r);
                    newRegs.Add((k, r));
                }
            });
            foreach ((int k, int r) in newRegs) Emit(Opcode.SCopy, r, cols + k, 0);
            int newRowid = NewRegister();
            // As an UPDATE of the conflicting row: its UPDATE triggers fire and the
            // foreign keys that point at the table act.
            int[] assigned = newRegs.Select(n => n.Column).ToArray();
            ICollection<int> fkAssigned = WithDependentGenerated(t, assigned);
            int fkOld = ForeignKeyRequired(t, fkAssigned) ? RowBlockFromCursor(t, target.Cursor, rowid) : -1;
            bool triggers = HasTriggers(t, TriggerEvent.Update);
            int old = -1;
            if (triggers)
            {
                old = RowBlockFromCursor(t, target.Cursor, rowid);
                // A new rowid must be an integer before the triggers run, as in UPDATE.
                if (setsRowid) Emit(Opcode.MustBeInt, cols + t.RowidAlias, 0, 0);
                ComputeGeneratedColumns(t, cols);
                Emit(Opcode.Affinity, cols, ncol, 0, AffinityString(t)); // BEFORE UPDATE sees NEW with the affinities applied
                FireTriggers(t, TriggerEvent.Update, TriggerTime.Before, old, RowBlockFromRegisters(t, cols, setsRowid ? cols + t.RowidAlias : rowid), done, assigned, ConflictResolution.Abort);
                Emit(Opcode.NotExists, target.Cursor, done, rowid);
            }
            ICollection<int>? savedAssigned = _assignedColumns;
            _assignedColumns = fkAssigned;
            WriteRow(target, newRowid, cols, setsRowid ? cols + t.RowidAlias : -1, ConflictResolution.Abort, rowid, () =>
            {
                if (fkOld >= 0) ForeignKeyActions(t, fkOld, RowBlockFromRegisters(t, cols, newRowid), fkAssigned);
                if (returning != null) ReturningRow(returning, t, RowBlockFromRegisters(t, cols, newRowid));
                if (triggers) FireTriggers(t, TriggerEvent.Update, TriggerTime.After, old, RowBlockFromRegisters(t, cols, newRowid), done, assigned, ConflictResolution.Abort);
            }, fkOld: fkOld);
            _assignedColumns = savedAssigned;
            Emit(Opcode.Goto, 0, done, 0);
        }
    }
}
