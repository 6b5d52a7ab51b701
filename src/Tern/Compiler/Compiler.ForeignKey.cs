// FOREIGN KEY enforcement, compiled in when PRAGMA foreign_keys is on at prepare time.
//
// Violations are counted, not failed at the row, as SQLite's fkey.c does, so a statement (or
// a transaction) may break a constraint and repair it before it is checked:
//
//   row written to T        T as child (T's own keys)         T as parent (keys naming T)
//   -------------------     ------------------------------    ---------------------------------
//   new row (INSERT,        no parent row     -> count +1     each child row holding the new
//     UPDATE's new row)     (self-reference: the row itself     key -> count -1  (*)
//                            may be its parent)
//   old row (DELETE,        no parent row     -> count -1 (*) each child row holding the old
//     UPDATE's old row)                                         key -> count +1 (the row itself
//                                                               excluded)
//   (*) only while the count is not zero (FkIfZero). An UPDATE does each side only for the keys
//       whose columns it assigns. A key with a NULL column counts nothing.
//
// The count is the statement's (FkCounter P1=0, checked at its Halt) for an immediate key, the
// connection's (P1=1, checked at COMMIT) for a DEFERRABLE INITIALLY DEFERRED one; while PRAGMA
// defer_foreign_keys is on every key counts into the connection's (see Vm.cs).
//
// After the parent row is deleted or written, its actions run (newest foreign key first): CASCADE,
// SET NULL and SET DEFAULT change the child rows as DELETE/UPDATE statements would (their triggers
// fire, and they count in turn, which repairs what the parent side counted); RESTRICT fails at
// once when a child holds the old key, unless defer_foreign_keys was on at prepare time.
//
// DROP TABLE on a table in a foreign key first deletes its rows this way (Compiler.Ddl.cs); while
// it does, a missing parent table reads as empty and a key that names no parent index is skipped.
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Sql.Ast;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>The UPDATE's assigned columns while its rows are written (FK checks only for changed keys).</summary>
    private ICollection<int>? _assignedColumns;
    private int _foreignKeyDepth;

    /// <summary>How many foreign-key actions deep one statement's compiled code reaches.</summary>
    private const int MaxInlineForeignKeyDepth = 20;

    /// <summary>DROP TABLE's implicit DELETE is being compiled: missing parents read as empty, mismatched keys are skipped.</summary>
    private bool _foreignKeyIgnoreErrors;

    /// <summary>DROP TABLE deletes rows first: its program reports them in changes(), as a DELETE does.</summary>
    private bool _countsChanges;

    /// <summary>The INSERT being compiled writes one row and nothing else (SQLite's statement without isMultiWrite).</summary>
    private bool _foreignKeySingleRowInsert;

    private bool ForeignKeysOn => _settings != null && _settings.TryGetValue("foreign_keys", out long v) && v != 0;

    private bool DeferForeignKeysOn => _settings != null && _settings.TryGetValue("defer_foreign_keys", out long v) && v != 0;

    /// <summary>Whether, with foreign keys on, some table's foreign key points at <paramref name="t"/>.</summary>
    private bool IsReferenced(Table t) => ForeignKeysOn && _schemas[t.Db].Tables.Any(c => c.ForeignKeys.Exists(fk => string.Equals(fk.ParentTable, t.Name, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The foreign keys that name <paramref name="parent"/>, newest first (SQLite's order).</summary>
    private List<(Table Child, ForeignKey Fk)> ReferencesTo(Table parent)
    {
        var list = new List<(Table, ForeignKey)>();
        List<Table> tables = _schemas[parent.Db].Tables.ToList();
        for (int i = tables.Count - 1; i >= 0; i--)
        {
            for (int k = tables[i].ForeignKeys.Count - 1; k >= 0; k--)
            {
                if (string.Equals(tables[i].ForeignKeys[k].ParentTable, parent.Name, StringComparison.OrdinalIgnoreCase)) list.Add((tables[i], tables[i].ForeignKeys[k]));
            }
        }
        return list;
    }

    /// <summary>
    /// Whether writing <paramref name="t"/> needs foreign-key code: any key of it or naming it for
    /// an INSERT or DELETE (<paramref name="assigned"/> null), else a key with an assigned column.
    /// </summary>
    private bool ForeignKeyRequired(Table t, ICollection<int>? assigned)
    {
        if (!ForeignKeysOn) return false;
        if (assigned == null) return t.ForeignKeys.Count > 0 || IsReferenced(t);
        if (t.ForeignKeys.Exists(fk => fk.ChildColumns.Any(assigned.Contains))) return true;
        return ReferencesTo(t).Exists(r => ParentColumnsByName(t, r.Fk).Any(assigned.Contains));
    }

    /// <summary>
    /// An UPDATE's assigned columns with the generated columns computed from them (directly or
    /// through other generated columns), as SQLite marks them changed before its foreign-key checks.
    /// </summary>
    private static ICollection<int> WithDependentGenerated(Table t, ICollection<int> assigned)
    {
        if (!t.HasGenerated) return assigned;
        var set = new HashSet<int>(assigned);
        for (bool grew = true; grew;)
        {
            grew = false;
            for (int g = 0; g < t.Columns.Count; g++)
            {
                if (set.Contains(g) || t.Columns[g].Generated is not { } e) continue;
                bool reads = false;
                Walk(e, x =>
                {
                    if (x is ColumnRef c && set.Contains(t.FindColumn(c.Column))) reads = true;
                    return !reads;
                });
                if (reads && set.Add(g)) grew = true;
            }
        }
        return set;
    }

    /// <summary>The parent's columns a foreign key names (its PRIMARY KEY when it names none); unknown names left out.</summary>
    private static IEnumerable<int> ParentColumnsByName(Table parent, ForeignKey fk) =>
        fk.ParentColumns.Length == 0 ? PrimaryKeyColumns(parent) : fk.ParentColumns.Select(parent.FindColumn).Where(c => c >= 0);

    private static TernException Mismatch(Table child, ForeignKey fk) => new(ResultCode.Error, $"foreign key mismatch - \"{child.Name}\" referencing \"{fk.ParentTable}\"");

    /// <summary>
    /// The parent key's columns, in the foreign key's order, and the UNIQUE index that holds them
    /// (null when the key is the rowid); false when the parent has no such key.
    /// </summary>
    private static bool TryParentKey(ForeignKey fk, Table parent, out int[] cols, out Index? ix)
    {
        ix = null;
        if (fk.ParentColumns.Length == 0)
        {
            cols = PrimaryKeyColumns(parent);
            if (cols.Length == 0 || cols.Length != fk.ChildColumns.Length) return false;
        }
        else
        {
            cols = fk.ParentColumns.Select(parent.FindColumn).ToArray();
            if (cols.Any(c => c < 0) || cols.Length != fk.ChildColumns.Length) return false;
        }
        if (cols.Length == 1 && cols[0] == parent.RowidAlias) return true;
        int[] want = cols;
        // A WITHOUT ROWID table's PRIMARY KEY is an index on its own b-tree.
        if (parent.PrimaryKey is { } pk && pk.Columns.Length == want.Length && pk.Columns.Order().SequenceEqual(want.Order()))
        {
            ix = pk;
            return true;
        }
        ix = parent.Indexes.Find(i => i.Unique && i.Where == null && i.Expressions == null && i.Columns.Length == want.Length && i.Columns.Order().SequenceEqual(want.Order()));
        return ix != null;
    }

    /// <summary>
    /// Counts the foreign-key violations a row of <paramref name="t"/> makes or repairs: the new
    /// row (<paramref name="old"/> false) or the old one, its columns in r[cols..] and its rowid in
    /// r[rowid]. <paramref name="assigned"/>: an UPDATE's assigned columns (only keys they touch
    /// count), null for INSERT and DELETE.
    /// </summary>
    private void ForeignKeyCheck(Table t, int cols, int rowid, bool old, ICollection<int>? assigned)
    {
        if (!ForeignKeysOn) return;
        int incr = old ? -1 : 1;
        // t as the child.
        for (int n = t.ForeignKeys.Count - 1; n >= 0; n--)
        {
            ForeignKey fk = t.ForeignKeys[n];
            if (assigned != null && !fk.ChildColumns.Any(assigned.Contains)) continue;
            Table? parent = _schemas[t.Db].FindTable(fk.ParentTable);
            if (parent == null)
            {
                if (!_foreignKeyIgnoreErrors) throw new TernException(ResultCode.Error, $"no such table: {_schemas.NameOf(t.Db)}.{fk.ParentTable}");
                // The parent is being dropped: a child row that leaves repairs a violation.
                if (old)
                {
                    int skip = NewLabel();
                    foreach (int c in fk.ChildColumns) Emit(Opcode.IsNull, RowRegister(t, cols, rowid, c), skip, 0);
                    Emit(Opcode.FkCounter, fk.IsDeferred ? 1 : 0, -1, 0);
                    Resolve(skip);
                }
                continue;
            }
            if (!TryParentKey(fk, parent, out int[] pcols, out Index? ix))
            {
                if (_foreignKeyIgnoreErrors) continue;
                throw Mismatch(t, fk);
            }
            LookupParent(t, fk, parent, pcols, ix, cols, rowid, incr);
        }
        // t as the parent.
        foreach ((Table child, ForeignKey fk) in ReferencesTo(t))
        {
            if (assigned != null && !ParentColumnsByName(t, fk).Any(assigned.Contains)) continue;
            // One new row cannot repair an immediate violation of the statement that writes it.
            if (!old && assigned == null && _foreignKeySingleRowInsert && !fk.IsDeferred && !DeferForeignKeysOn) continue;
            if (!TryParentKey(fk, t, out int[] pcols, out _))
            {
                if (_foreignKeyIgnoreErrors) continue;
                throw Mismatch(child, fk);
            }
            ScanChildren(t, child, fk, pcols, cols, rowid, -incr);
        }
    }

    /// <summary>The register of column <paramref name="c"/> of a row held as r[cols..] with its rowid in r[rowid].</summary>
    private static int RowRegister(Table t, int cols, int rowid, int c) => c == t.RowidAlias ? rowid : cols + c;

    /// <summary>A child row: when its key finds no parent row, the count moves by <paramref name="incr"/>.</summary>
    private void LookupParent(Table child, ForeignKey fk, Table parent, int[] pcols, Index? ix, int cols, int rowid, int incr)
    {
        int deferred = fk.IsDeferred ? 1 : 0;
        int ok = NewLabel(), missing = NewLabel();
        if (incr < 0) Emit(Opcode.FkIfZero, deferred, ok, 0);
        foreach (int c in fk.ChildColumns) Emit(Opcode.IsNull, RowRegister(child, cols, rowid, c), ok, 0);
        bool self = ReferenceEquals(parent, child) && incr > 0;
        int cursor = NewCursor();
        if (ix == null)
        {
            // The parent key is the rowid: a value that is no integer finds no row.
            int key = NewRegister();
            Emit(Opcode.SCopy, RowRegister(child, cols, rowid, fk.ChildColumns[0]), key, 0);
            Emit(Opcode.MustBeInt, key, missing, 0);
            if (self) Emit(Opcode.Eq, rowid, ok, key, null, 0);
            Emit(Opcode.OpenRead, cursor, (int)parent.RootPage, parent.Db, TableCursorInfo(parent));
            Emit(Opcode.NotExists, cursor, missing, key);
            Emit(Opcode.Goto, 0, ok, 0);
        }
        else
        {
            int n = ix.Columns.Length;
            int key = NewRegisters(n);
            var aff = new char[n];
            for (int k = 0; k < n; k++)
            {
                int childCol = fk.ChildColumns[Array.IndexOf(pcols, ix.Columns[k])];
                Emit(Opcode.SCopy, RowRegister(child, cols, rowid, childCol), key + k, 0);
                aff[k] = (char)parent.Columns[ix.Columns[k]].Affinity;
            }
            if (self)
            {
                // A row whose key equals its own parent key is its own parent.
                int notSelf = NewLabel();
                for (int k = 0; k < n; k++)
                    Emit(Opcode.Ne, key + k, notSelf, RowRegister(child, cols, rowid, ix.Columns[k]), null, P5Flags.JumpIfNull);
                Emit(Opcode.Goto, 0, ok, 0);
                Resolve(notSelf);
            }
            Emit(Opcode.Affinity, key, n, 0, new string(aff));
            Emit(Opcode.OpenRead, cursor, (int)ix.RootPage, ix.Db, ix.KeyInfo());
            Emit(Opcode.NoConflict, cursor, missing, key, n);
            Emit(Opcode.Goto, 0, ok, 0);
        }
        Resolve(missing);
        Emit(Opcode.FkCounter, deferred, incr, 0);
        Resolve(ok);
    }

    /// <summary>A parent row: each child row holding its key moves the count by <paramref name="incr"/>.</summary>
    private void ScanChildren(Table parent, Table child, ForeignKey fk, int[] pcols, int cols, int rowid, int incr)
    {
        int deferred = fk.IsDeferred ? 1 : 0;
        int skip = NewLabel();
        if (incr < 0) Emit(Opcode.FkIfZero, deferred, skip, 0);
        foreach (int c in pcols) Emit(Opcode.IsNull, RowRegister(parent, cols, rowid, c), skip, 0);
        ChildRowLoop(parent, child, fk, pcols, c => RowRegister(parent, cols, rowid, c), (scan, next) =>
        {
            if (ReferenceEquals(parent, child) && incr > 0)
            {
                // The row being removed does not count as its own child.
                int rid = NewRegister();
                Emit(Opcode.Rowid, scan, rid, 0);
                Emit(Opcode.Eq, rowid, next, rid, null, 0);
            }
            Emit(Opcode.FkCounter, deferred, incr, 0);
        });
        Resolve(skip);
    }

    /// <summary>
    /// A scan of <paramref name="child"/> running <paramref name="body"/> (with the scan cursor and
    /// the label of the next row) on each row whose key equals the parent key values: compared as
    /// SQLite compares parent.column = child.column (the parent column's collation).
    /// </summary>
    private void ChildRowLoop(Table parent, Table child, ForeignKey fk, int[] pcols, Func<int, int> parentValue, Action<int, int> body)
    {
        int scan = NewCursor();
        Emit(Opcode.OpenRead, scan, (int)child.RootPage, child.Db, TableCursorInfo(child));
        var src = new Source { Table = child, Cursor = scan, Name = child.Name };
        int done = NewLabel();
        Emit(Opcode.Rewind, scan, done, 0);
        int top = CurrentAddress, next = NewLabel();
        for (int k = 0; k < pcols.Length; k++)
        {
            int v = NewRegister();
            EmitColumn(src, fk.ChildColumns[k], v);
            Affinity aff = ComparisonAffinity(pcols[k] == parent.RowidAlias ? Affinity.Integer : parent.Columns[pcols[k]].Affinity, child.Columns[fk.ChildColumns[k]].Affinity);
            Collation? coll = pcols[k] == parent.RowidAlias ? null : parent.Columns[pcols[k]].Collation;
            Emit(Opcode.Ne, parentValue(pcols[k]), next, v, coll, (ushort)(P5Flags.JumpIfNull | (int)aff));
        }
        body(scan, next);
        Resolve(next);
        Emit(Opcode.Next, scan, top, 0);
        Resolve(done);
    }

    /// <summary>SQLite's comparison affinity of two column operands: numeric when either is, else none.</summary>
    private static Affinity ComparisonAffinity(Affinity a, Affinity b) =>
        a == Affinity.None ? b : b == Affinity.None ? a
        : Affinities.IsNumeric(a) || Affinities.IsNumeric(b) ? Affinity.Numeric : Affinity.Blob;

    /// <summary>
    /// The actions of the foreign keys naming <paramref name="parent"/>, after its row was deleted
    /// (<paramref name="newBlock"/> = -1) or updated; blocks hold (columns..., rowid).
    /// <paramref name="assigned"/>: an UPDATE's assigned columns (keys they do not touch do not act).
    /// </summary>
    private void ForeignKeyActions(Table parent, int oldBlock, int newBlock, ICollection<int>? assigned)
    {
        if (!ForeignKeysOn) return;
        // Actions are compiled inline, each inside the one that caused it, so a chain of
        // them (a self-referencing ON DELETE CASCADE tree) is compiled to a fixed depth;
        // past it, a row that would need one more action fails the statement instead of
        // being left behind (SQLite runs actions as sub-programs, up to 1,000 levels).
        int maxDepth = Math.Min(MaxInlineForeignKeyDepth, _inlineDepthCap);
        bool tooDeep = _foreignKeyDepth > maxDepth;
        int ncol = parent.Columns.Count;
        int Col(int block, int c) => block + (c == parent.RowidAlias ? ncol : c);
        foreach ((Table child, ForeignKey fk) in ReferencesTo(parent))
        {
            ForeignKeyActionKind action = newBlock < 0 ? fk.OnDelete : fk.OnUpdate;
            if (action == ForeignKeyActionKind.NoAction) continue;
            // RESTRICT is never deferred, except by PRAGMA defer_foreign_keys.
            if (action == ForeignKeyActionKind.Restrict && DeferForeignKeysOn) continue;
            if (newBlock >= 0 && assigned != null && !ParentColumnsByName(parent, fk).Any(assigned.Contains)) continue;
            if (!TryParentKey(fk, parent, out int[] pcols, out _))
            {
                if (_foreignKeyIgnoreErrors) continue;
                throw Mismatch(child, fk);
            }
            int skip = NewLabel();
            // A NULL in the old key matches no child; an update that keeps the key changes nothing.
            foreach (int c in pcols) Emit(Opcode.IsNull, Col(oldBlock, c), skip, 0);
            if (newBlock >= 0)
            {
                int changed = NewLabel();
                foreach (int c in pcols) Emit(Opcode.Ne, Col(oldBlock, c), changed, Col(newBlock, c), null, P5Flags.NullEq);
                Emit(Opcode.Goto, 0, skip, 0);
                Resolve(changed);
            }
            if (action == ForeignKeyActionKind.Restrict)
            {
                ChildRowLoop(parent, child, fk, pcols, c => Col(oldBlock, c), (_, _) =>
                    Emit(Opcode.Halt, (int)ResultCode.ConstraintForeignKey, 2, 0, "FOREIGN KEY constraint failed"));
                Resolve(skip);
                continue;
            }
            // Collect the children that hold the old key.
            int set = NewRegister();
            Emit(Opcode.Null, 0, set, 0);
            ChildRowLoop(parent, child, fk, pcols, c => Col(oldBlock, c), (scan, _) =>
            {
                int rid = NewRegister();
                Emit(Opcode.Rowid, scan, rid, 0);
                Emit(Opcode.RowSetAdd, set, rid, 0);
            });
            int done = NewLabel(), rowid = NewRegister();
            if (tooDeep)
            {
                Emit(Opcode.RowSetRead, set, done, rowid);
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
                // their triggers fire and their own foreign keys count and act.
                int oldChild = RowBlockFromCursor(child, target.Cursor, rowid);
                int childCols = child.Columns.Count;
                if (action == ForeignKeyActionKind.Cascade && newBlock < 0)
                {
                    FireTriggers(child, TriggerEvent.Delete, TriggerTime.Before, oldChild, -1, loop);
                    Emit(Opcode.NotExists, target.Cursor, loop, rowid);
                    ForeignKeyCheck(child, oldChild, oldChild + childCols, old: true, null);
                    DeleteRowCode(target, rowid, count: true);
                    ForeignKeyActions(child, oldChild, -1, null);
                    FireTriggers(child, TriggerEvent.Delete, TriggerTime.After, oldChild, -1, loop);
                }
                else
                {
                    int cols = NewRegisters(Math.Max(childCols, 1));
                    Emit(Opcode.Copy, oldChild, cols, childCols - 1);
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
                        Emit(Opcode.Affinity, cols, childCols, 0, AffinityString(child));
                        FireTriggers(child, TriggerEvent.Update, TriggerTime.Before, oldChild,
                            RowBlockFromRegisters(child, cols, rowidChanges ? cols + child.RowidAlias : rowid), loop, fk.ChildColumns);
                        Emit(Opcode.NotExists, target.Cursor, loop, rowid);
                    }
                    bool fkWork = ForeignKeyRequired(child, fk.ChildColumns);
                    WriteRow(target, newRowid, cols, rowidChanges ? cols + child.RowidAlias : -1, ConflictResolution.Abort, rowid, () =>
                    {
                        if (fkWork) ForeignKeyActions(child, oldChild, RowBlockFromRegisters(child, cols, newRowid), fk.ChildColumns);
                        FireTriggers(child, TriggerEvent.Update, TriggerTime.After, oldChild, RowBlockFromRegisters(child, cols, newRowid), loop, fk.ChildColumns);
                    }, fkOld: fkWork ? oldChild : -1);
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

    /// <summary>
    /// DROP TABLE's implicit DELETE, before the table goes: with foreign keys on, each row is
    /// deleted as DELETE FROM would (no triggers) so the keys naming the table count and act; an
    /// immediate violation left then fails the statement before the schema changes. A table that
    /// is only a child needs this only for a deferred key, and only while violations are counted.
    /// </summary>
    private void DropTableForeignKeys(Table t)
    {
        if (!ForeignKeysOn) return;
        bool childOnly = !IsReferenced(t);
        int skip = NewLabel();
        if (childOnly)
        {
            if (!t.ForeignKeys.Exists(fk => fk.IsDeferred) && !DeferForeignKeysOn) return;
            Emit(Opcode.FkIfZero, 1, skip, 0);
        }
        bool saved = _foreignKeyIgnoreErrors;
        _foreignKeyIgnoreErrors = true;
        _countsChanges = true;
        try
        {
            int ncol = t.Columns.Count;
            CollectThenChange(t, null, null, (target, rowid, _) =>
            {
                int oldRow = RowBlockFromCursor(t, target.Cursor, rowid);
                ForeignKeyCheck(t, oldRow, oldRow + ncol, old: true, null);
                DeleteRowCode(target, rowid, count: true);
                ForeignKeyActions(t, oldRow, -1, null);
            });
        }
        finally
        {
            _foreignKeyIgnoreErrors = saved;
        }
        if (!DeferForeignKeysOn)
        {
            int ok = NewLabel();
            Emit(Opcode.FkIfZero, 0, ok, 0);
            Emit(Opcode.Halt, (int)ResultCode.ConstraintForeignKey, 2, 0, "FOREIGN KEY constraint failed");
            Resolve(ok);
        }
        Resolve(skip);
    }

    /// <summary>
    /// PRAGMA foreign_key_check [table]: one row (table, rowid, parent, fkid) per child row whose
    /// key has no NULL and finds no parent row (every such row when the parent table is missing),
    /// the keys of each row tried newest first (fkid counts them so); tables in the order
    /// SQLite's schema lists them. A key that names no parent index is "foreign key mismatch".
    /// </summary>
    private void ForeignKeyCheckPragma(string? schema, string? tableName)
    {
        List<Table> tables;
        if (tableName != null)
        {
            Table t = FindTable(schema, tableName) ?? throw new TernException(ResultCode.Error, "no such table: " + (schema != null ? schema + "." : "") + tableName);
            tables = [t];
        }
        else
        {
            tables = _schemas[schema != null ? _schemas.IndexOf(schema) : DatabaseSchema.MainDb].Tables.ToList();
            tables.Reverse();
        }
        _columnNames = ["table", "rowid", "parent", "fkid"];
        _declaredTypes = new string?[4];
        foreach (Table t in tables)
        {
            if (t.ForeignKeys.Count == 0 || t.RootPage == 0) continue;
            // Every parent key must be usable before any row is read.
            var keys = new List<(ForeignKey Fk, Table? Parent, int[] Columns, Index? Index)>();
            for (int n = t.ForeignKeys.Count - 1; n >= 0; n--)
            {
                ForeignKey fk = t.ForeignKeys[n];
                Table? parent = _schemas[t.Db].FindTable(fk.ParentTable);
                if (parent == null)
                {
                    keys.Add((fk, null, [], null));
                    continue;
                }
                if (!TryParentKey(fk, parent, out int[] pcols, out Index? ix)) throw Mismatch(t, fk);
                keys.Add((fk, parent, pcols, ix));
            }
            int cursor = NewCursor();
            Emit(Opcode.OpenRead, cursor, (int)t.RootPage, t.Db, TableCursorInfo(t));
            var src = new Source { Table = t, Cursor = cursor, Name = t.Name };
            int done = NewLabel();
            Emit(Opcode.Rewind, cursor, done, 0);
            int top = CurrentAddress;
            for (int id = 0; id < keys.Count; id++)
            {
                (ForeignKey fk, Table? parent, int[] pcols, Index? ix) = keys[id];
                int ok = NewLabel();
                int n = fk.ChildColumns.Length;
                int key = NewRegisters(n);
                for (int k = 0; k < n; k++)
                {
                    // With an index, the key is read in the index's column order.
                    int childCol = ix == null ? fk.ChildColumns[k] : fk.ChildColumns[Array.IndexOf(pcols, ix.Columns[k])];
                    EmitColumn(src, childCol, key + k);
                    Emit(Opcode.IsNull, key + k, ok, 0);
                }
                if (parent != null)
                {
                    int pc = NewCursor();
                    if (ix == null)
                    {
                        Emit(Opcode.OpenRead, pc, (int)parent.RootPage, parent.Db, TableCursorInfo(parent));
                        int missing = NewLabel();
                        Emit(Opcode.SeekRowid, pc, missing, key);
                        Emit(Opcode.Goto, 0, ok, 0);
                        Resolve(missing);
                    }
                    else
                    {
                        Emit(Opcode.OpenRead, pc, (int)ix.RootPage, ix.Db, ix.KeyInfo());
                        Emit(Opcode.Affinity, key, n, 0, new string(ix.Columns.Select(c => (char)parent.Columns[c].Affinity).ToArray()));
                        int missing = NewLabel();
                        Emit(Opcode.NoConflict, pc, missing, key, n);
                        Emit(Opcode.Goto, 0, ok, 0);
                        Resolve(missing);
                    }
                }
                int row = NewRegisters(4);
                Emit(Opcode.String8, 0, row, 0, System.Text.Encoding.UTF8.GetBytes(t.Name));
                if (t.WithoutRowid) Emit(Opcode.Null, 0, row + 1, 0);
                else Emit(Opcode.Rowid, cursor, row + 1, 0);
                Emit(Opcode.String8, 0, row + 2, 0, System.Text.Encoding.UTF8.GetBytes(fk.ParentTable));
                Emit(Opcode.Integer, id, row + 3, 0);
                PragmaRow(row, 4);
                Resolve(ok);
            }
            Emit(Opcode.Next, cursor, top, 0);
            Resolve(done);
        }
    }

}
