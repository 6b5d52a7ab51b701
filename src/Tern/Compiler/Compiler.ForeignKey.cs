// FOREIGN KEY enforcement, compiled in when PRAGMA foreign_keys is on at prepare time.
//
// Child side (INSERT, and UPDATE of a key column): a row whose key columns are all
// non-NULL must find its parent row, through the parent's rowid or a UNIQUE index on
// exactly the parent key columns; otherwise "FOREIGN KEY constraint failed".
//
// Parent side (DELETE, and UPDATE that changes the key): the child rows holding the old
// key are collected first (a scan of each child table), then the constraint's action
// runs on each: NO ACTION / RESTRICT fail, CASCADE deletes them (or moves them to the
// new key), SET NULL / SET DEFAULT rewrite their key columns. Deferred constraints are
// checked immediately.
using System.Text;
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Sql.Ast;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>The UPDATE's assigned columns while its rows are written (FK checks only for changed keys).</summary>
    private ICollection<int>? _assignedColumns;
    private int _foreignKeyDepth;

    /// <summary>How many foreign-key actions deep one statement's compiled code reaches.</summary>
    private const int MaxInlineForeignKeyDepth = 20;

    private bool ForeignKeysOn => _settings != null && _settings.TryGetValue("foreign_keys", out long v) && v != 0;

    /// <summary>Whether, with foreign keys on, some table's foreign key points at <paramref name="t"/>.</summary>
    private bool IsReferenced(Table t) => ForeignKeysOn && _schemas[t.Db].Tables.Any(c => c.ForeignKeys.Exists(fk => string.Equals(fk.ParentTable, t.Name, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The parent table and its key columns for a foreign key (SQLite's "foreign key mismatch" otherwise).</summary>
    private (Table Parent, int[] Columns, Index? Index) ParentKey(Table child, ForeignKey fk)
    {
        Table parent = _schemas[child.Db].FindTable(fk.ParentTable) ?? throw new TernException(ResultCode.Error, $"no such table: {_schemas.NameOf(child.Db)}.{fk.ParentTable}");
        int[] cols;
        if (fk.ParentColumns.Length == 0)
        {
            int[] pk = PrimaryKeyColumns(parent);
            if (pk.Length == 0 || pk.Length != fk.ChildColumns.Length) throw Mismatch();
            cols = pk;
        }
        else
        {
            cols = fk.ParentColumns.Select(parent.FindColumn).ToArray();
            if (cols.Any(c => c < 0) || cols.Length != fk.ChildColumns.Length) throw Mismatch();
        }
        if (cols.Length == 1 && cols[0] == parent.RowidAlias) return (parent, cols, null);
        Index? ix = parent.Indexes.Find(i => i.Unique && i.Where == null && i.Columns.Length == cols.Length && i.Columns.Order().SequenceEqual(cols.Order()));
        if (ix == null) throw Mismatch();
        return (parent, cols, ix);

        TernException Mismatch() => new(ResultCode.Error, $"foreign key mismatch - \"{child.Name}\" referencing \"{fk.ParentTable}\"");
    }

    /// <summary>Child-side checks for the row in <paramref name="cols"/> (the rowid alias already set).</summary>
    private void ForeignKeyChildChecks(Table t, int cols, bool isUpdate)
    {
        if (!ForeignKeysOn || t.ForeignKeys.Count == 0) return;
        foreach (ForeignKey fk in t.ForeignKeys)
        {
            if (isUpdate && _assignedColumns != null && !fk.ChildColumns.Any(_assignedColumns.Contains)) continue;
            (Table parent, int[] pcols, Index? ix) = ParentKey(t, fk);
            int ok = NewLabel(), fail = NewLabel();
            foreach (int c in fk.ChildColumns) Emit(Opcode.IsNull, cols + c, ok, 0);
            int cursor = NewCursor();
            if (ix == null)
            {
                Emit(Opcode.OpenRead, cursor, (int)parent.RootPage, parent.Db, parent.Columns.Count);
                int key = NewRegister();
                Emit(Opcode.SCopy, cols + fk.ChildColumns[0], key, 0);
                Emit(Opcode.SeekRowid, cursor, fail, key);
                Emit(Opcode.Goto, 0, ok, 0);
            }
            else
            {
                Emit(Opcode.OpenRead, cursor, (int)ix.RootPage, ix.Db, ix.KeyInfo());
                int key = NewRegisters(ix.Columns.Length);
                var aff = new char[ix.Columns.Length];
                for (int k = 0; k < ix.Columns.Length; k++)
                {
                    int childCol = fk.ChildColumns[Array.IndexOf(pcols, ix.Columns[k])];
                    Emit(Opcode.SCopy, cols + childCol, key + k, 0);
                    aff[k] = (char)parent.Columns[ix.Columns[k]].Affinity;
                }
                Emit(Opcode.Affinity, key, ix.Columns.Length, 0, new string(aff));
                Emit(Opcode.NoConflict, cursor, fail, key, ix.Columns.Length);
                Emit(Opcode.Goto, 0, ok, 0);
            }
            Resolve(fail);
            Emit(Opcode.Halt, (int)ResultCode.ConstraintForeignKey, 2, 0, "FOREIGN KEY constraint failed");
            Resolve(ok);
        }
    }

    /// <summary>
    /// Parent-side actions for a row of <paramref name="parent"/> being deleted
    /// (<paramref name="newBlock"/> = -1) or updated; blocks hold (columns..., rowid).
    /// </summary>
    /// <remarks>
    /// <paramref name="checkNoAction"/> is false for a row that REPLACE removes: the row
    /// replacing it carries the conflicting key, so children pointing at that key still have
    /// a parent when the statement ends, where SQLite checks NO ACTION.
    /// </remarks>
    private void ForeignKeyParentActions(Table parent, int oldBlock, int newBlock, bool checkNoAction = true)
    {
        // RESTRICT fails at once; the actions run next; NO ACTION is checked last, so a
        // child that an action removed or moved no longer counts (as at SQLite's statement end).
        ForeignKeyParentPass(parent, oldBlock, newBlock, a => a == ForeignKeyActionKind.Restrict);
        ForeignKeyParentPass(parent, oldBlock, newBlock, a => a is ForeignKeyActionKind.Cascade or ForeignKeyActionKind.SetNull or ForeignKeyActionKind.SetDefault);
        if (checkNoAction) ForeignKeyParentPass(parent, oldBlock, newBlock, a => a == ForeignKeyActionKind.NoAction, recheckActions: true);
    }

    /// <remarks>
    /// <paramref name="recheckActions"/>: the last pass also checks the children of actions
    /// whose triggers could have kept a row (RAISE(IGNORE)): one still holding the old key fails
    /// the statement, as SQLite's violation counter does.
    /// </remarks>
    private void ForeignKeyParentPass(Table parent, int oldBlock, int newBlock, Func<ForeignKeyActionKind, bool> include, bool recheckActions = false)
    {
        if (!ForeignKeysOn) return;
        // Actions are compiled inline, each inside the one that caused it, so a chain of
        // them (a self-referencing ON DELETE CASCADE tree) is compiled to a fixed depth;
        // past it, a row that would need one more action fails the statement instead of
        // being left behind (SQLite runs actions as sub-programs, up to 1,000 levels).
        int maxDepth = Math.Min(MaxInlineForeignKeyDepth, _inlineDepthCap);
        bool tooDeep = _foreignKeyDepth > maxDepth;
        foreach (Table child in _schemas[parent.Db].Tables)
        {
            foreach (ForeignKey fk in child.ForeignKeys)
            {
                if (!string.Equals(fk.ParentTable, parent.Name, StringComparison.OrdinalIgnoreCase)) continue;
                ForeignKeyActionKind action = newBlock < 0 ? fk.OnDelete : fk.OnUpdate;
                bool recheck = recheckActions && action is ForeignKeyActionKind.Cascade or ForeignKeyActionKind.SetNull or ForeignKeyActionKind.SetDefault
                    && HasTriggers(child, newBlock < 0 && action == ForeignKeyActionKind.Cascade ? TriggerEvent.Delete : TriggerEvent.Update);
                if (!include(action) && !recheck) continue;
                (_, int[] pcols, _) = ParentKey(child, fk);
                int skip = NewLabel();
                int ncol = parent.Columns.Count;
                int Col(int block, int c) => block + (c == parent.RowidAlias ? ncol : c);
                // A NULL in the old key matches no child; an update that keeps the key changes nothing.
                foreach (int c in pcols) Emit(Opcode.IsNull, Col(oldBlock, c), skip, 0);
                if (newBlock >= 0)
                {
                    int changed = NewLabel();
                    foreach (int c in pcols) Emit(Opcode.Ne, Col(oldBlock, c), changed, Col(newBlock, c), null, P5Flags.NullEq);
                    Emit(Opcode.Goto, 0, skip, 0);
                    Resolve(changed);
                }
                // Collect the children that hold the old key.
                int set = NewRegister();
                Emit(Opcode.Null, 0, set, 0);
                int scan = NewCursor();
                Emit(Opcode.OpenRead, scan, (int)child.RootPage, child.Db, child.Columns.Count);
                var src = new Source { Table = child, Cursor = scan, Name = child.Name };
                int scanDone = NewLabel();
                Emit(Opcode.Rewind, scan, scanDone, 0);
                int scanTop = CurrentAddress, scanNext = NewLabel();
                for (int k = 0; k < pcols.Length; k++)
                {
                    int v = NewRegister();
                    EmitColumn(src, fk.ChildColumns[k], v);
                    Emit(Opcode.Ne, Col(oldBlock, pcols[k]), scanNext, v, null, (ushort)(P5Flags.JumpIfNull | (int)parent.Columns[pcols[k]].Affinity));
                }
                int rid = NewRegister();
                Emit(Opcode.Rowid, scan, rid, 0);
                Emit(Opcode.RowSetAdd, set, rid, 0);
                Resolve(scanNext);
                Emit(Opcode.Next, scan, scanTop, 0);
                Resolve(scanDone);

                int done = NewLabel(), rowid = NewRegister();
                if (action is ForeignKeyActionKind.NoAction or ForeignKeyActionKind.Restrict || recheck || tooDeep)
                {
                    Emit(Opcode.RowSetRead, set, done, rowid);
                    if (action is ForeignKeyActionKind.NoAction or ForeignKeyActionKind.Restrict || recheck)
                        Emit(Opcode.Halt, (int)ResultCode.ConstraintForeignKey, 2, 0, "FOREIGN KEY constraint failed");
                    else
                        Emit(Opcode.Halt, (int)ResultCode.Error, 2, 0, $"foreign key actions nested more than {maxDepth} levels deep are not supported yet");
                    Resolve(done);
                    Resolve(skip);
                    continue;
                }
                // The action is a counting frame of its own, as SQLite's action sub-program is.
                WriteTarget target = OpenForWrite(child);
                Emit(Opcode.FrameEnter, 0, 0, 0);
                _frameDepth++;
                int loop = CurrentAddress;
                Emit(Opcode.RowSetRead, set, done, rowid);
                Emit(Opcode.NotExists, target.Cursor, loop, rowid);
                _foreignKeyDepth++;
                CheckInlinedSize();
                ICollection<int>? savedAssigned = _assignedColumns;
                try
                {
                    // The action changes the child rows as a DELETE or UPDATE statement would:
                    // their triggers fire and their own children's actions run.
                    int oldChild = RowBlockFromCursor(child, target.Cursor, rowid);
                    if (action == ForeignKeyActionKind.Cascade && newBlock < 0)
                    {
                        FireTriggers(child, TriggerEvent.Delete, TriggerTime.Before, oldChild, -1, loop);
                        Emit(Opcode.NotExists, target.Cursor, loop, rowid);
                        int fkOld = IsReferenced(child) ? RowBlockFromCursor(child, target.Cursor, rowid) : -1;
                        if (fkOld >= 0)
                        {
                            ForeignKeyParentActions(child, fkOld, -1);
                            Emit(Opcode.NotExists, target.Cursor, loop, rowid);
                        }
                        DeleteRowCode(target, rowid, count: true);
                        FireTriggers(child, TriggerEvent.Delete, TriggerTime.After, oldChild, -1, loop);
                    }
                    else
                    {
                        int ccount = child.Columns.Count;
                        int cols = NewRegisters(Math.Max(ccount, 1));
                        Emit(Opcode.Copy, oldChild, cols, ccount - 1);
                        for (int k = 0; k < pcols.Length; k++)
                        {
                            int cc = fk.ChildColumns[k];
                            if (action == ForeignKeyActionKind.Cascade) Emit(Opcode.SCopy, Col(newBlock, pcols[k]), cols + cc, 0);
                            else if (action == ForeignKeyActionKind.SetDefault && child.Columns[cc].Default is { } d) ExprCode(d, new Scope(), cols + cc);
                            else Emit(Opcode.Null, 0, cols + cc, 0);
                        }
                        _assignedColumns = fk.ChildColumns;
                        int newRowid = NewRegister();
                        bool rowidChanges = child.RowidAlias >= 0 && fk.ChildColumns.Contains(child.RowidAlias);
                        if (HasTriggers(child, TriggerEvent.Update))
                        {
                            ComputeGeneratedColumns(child, cols);
                            if (rowidChanges) Emit(Opcode.MustBeInt, cols + child.RowidAlias, 0, 0);
                            Emit(Opcode.Affinity, cols, ccount, 0, AffinityString(child));
                            FireTriggers(child, TriggerEvent.Update, TriggerTime.Before, oldChild,
                                RowBlockFromRegisters(child, cols, rowidChanges ? cols + child.RowidAlias : rowid), loop, fk.ChildColumns);
                            Emit(Opcode.NotExists, target.Cursor, loop, rowid);
                        }
                        int fkOld = IsReferenced(child) ? RowBlockFromCursor(child, target.Cursor, rowid) : -1;
                        WriteRow(target, newRowid, cols, rowidChanges ? cols + child.RowidAlias : -1, ConflictResolution.Abort, rowid, () =>
                        {
                            if (fkOld >= 0) ForeignKeyParentActions(child, fkOld, RowBlockFromRegisters(child, cols, newRowid));
                            FireTriggers(child, TriggerEvent.Update, TriggerTime.After, oldChild, RowBlockFromRegisters(child, cols, newRowid), loop, fk.ChildColumns);
                        });
                    }
                }
                finally
                {
                    _foreignKeyDepth--;
                    _frameDepth--;
                    _assignedColumns = savedAssigned;
                }
                Emit(Opcode.Goto, 0, loop, 0);
                Resolve(done);
                Emit(Opcode.FrameLeave, 1, 0, 0);
                Resolve(skip);
            }
        }
    }
}
