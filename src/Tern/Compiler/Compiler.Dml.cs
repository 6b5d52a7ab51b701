// INSERT, UPDATE and DELETE. A row write is: compute the column values, apply the
// column affinities, check NOT NULL and the rowid and UNIQUE indexes (ABORT/FAIL/
// ROLLBACK raise SQLite's constraint error, IGNORE skips the row, REPLACE deletes the
// conflicting row), then write the table record and one entry per index. UPDATE and
// DELETE first collect the rowids that match (a RowSet) and then change those rows, so
// the scan never sees its own changes.
using System.Diagnostics;
using System.Text;
using Tern.Functions;
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Sql.Ast;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    private sealed class WriteTarget
    {
        public required Table Table { get; init; }
        public required int Cursor { get; init; }
        public required int[] IndexCursors { get; init; }
    }

    private WriteTarget OpenForWrite(Table t)
    {
        _write = true;
        if (t.RootPage == 1) throw new TernException(ResultCode.Error, "table sqlite_master may not be modified");
        int cursor = NewCursor();
        Emit(Opcode.OpenWrite, cursor, (int)t.RootPage, t.Db, TableCursorInfo(t));
        var ix = new int[t.Indexes.Count];
        for (int i = 0; i < ix.Length; i++)
        {
            ix[i] = NewCursor();
            Emit(Opcode.OpenWrite, ix[i], (int)t.Indexes[i].RootPage, t.Indexes[i].Db, t.Indexes[i].KeyInfo());
        }
        return new WriteTarget { Table = t, Cursor = cursor, IndexCursors = ix };
    }

    private void CompileInsert(InsertStatement ins)
    {
        if (ins.With != null) PushWith(ins.With);
        Table t = RequireTable(ins.Table);
        int ncol = t.Columns.Count;
        int[] map;
        if (ins.Columns.IsEmpty)
        {
            map = t.HasGenerated ? InsertableColumns(t) : Enumerable.Range(0, ncol).ToArray();
        }
        else
        {
            map = new int[ins.Columns.Count];
            for (int i = 0; i < map.Length; i++)
            {
                int k = t.FindColumn(ins.Columns[i]);
                if (k < 0)
                {
                    if (IsRowidName(ins.Columns[i]) && !t.WithoutRowid) k = -1;
                    else throw new TernException(ResultCode.Error, $"table {t.Name} has no column named {ins.Columns[i]}");
                }
                RefuseGeneratedWrite(t, k, "INSERT into");
                map[i] = k;
            }
        }
        if (ins.Source is { First: ValuesClause values, Compounds.IsEmpty: true, OrderBy.IsEmpty: true, Limit: null }
            && !values.Rows.AsSpan().ToArray().All(r => r.Count == map.Length))
        {
            ValuesError(t, values, map.Length, ins.Columns.IsEmpty, ins.With != null);
        }
        WriteTarget target = OpenForWrite(t);
        ConflictResolution onError = EffectiveConflict(ins.OrConflict);
        ReturningState? returning = BeginReturning(ins.Returning, t, ins.Table.Alias);
        UpsertPlan? upsert = PlanUpsert(ins.Upserts, t);
        Action? endAutoIncrement = BeginAutoIncrement(t);
        // SQLite's single-row INSERT (no SELECT, no triggers, no REPLACE) cannot repair an
        // immediate violation, so it does not look for the new parent row's children.
        _foreignKeySingleRowInsert = !InTrigger && _foreignKeyDepth == 0 && !HasTriggers(t, TriggerEvent.Insert)
            && (ins.Source == null || ins.Source is { First: ValuesClause { Rows.Count: 1 }, Compounds.IsEmpty: true, OrderBy.IsEmpty: true, Limit: null })
            && onError != ConflictResolution.Replace
            && !(onError == ConflictResolution.Default && (t.RowidConflict == ConflictResolution.Replace || t.Indexes.Exists(ix => ix.Unique && ix.OnConflict == ConflictResolution.Replace)));
        void Row(int start, int n)
        {
            if (n != map.Length)
            {
                if (ins.Columns.IsEmpty) throw new TernException(ResultCode.Error, $"table {t.Name} has {map.Length} columns but {n} values were supplied");
                throw new TernException(ResultCode.Error, $"{n} values for {map.Length} columns");
            }
            int rowid = NewRegister();
            int cols = NewRegisters(Math.Max(ncol, 1));
            // Each VALUES row emits its own insert code, so its DO UPDATE code needs labels of its own.
            UpsertPlan? rowUpsert = upsert?.WithNewLabels(NewLabel);
            var given = new bool[ncol];
            int rowidFrom = -1;
            // As in SQLite, a column named twice takes its first value, but the rowid (named
            // as ROWID/OID/_ROWID_ or as its INTEGER PRIMARY KEY alias) takes its last.
            int rowidAt = -1;
            for (int i = 0; i < map.Length; i++)
            {
                if (map[i] < 0 || map[i] == t.RowidAlias) rowidAt = i;
            }
            for (int i = 0; i < map.Length; i++)
            {
                if (map[i] < 0 || given[map[i]]) continue;
                given[map[i]] = true;
                Emit(Opcode.SCopy, start + i, cols + map[i], 0);
            }
            if (rowidAt >= 0)
            {
                if (t.RowidAlias < 0) rowidFrom = start + rowidAt;
                else
                {
                    given[t.RowidAlias] = true;
                    Emit(Opcode.SCopy, start + rowidAt, cols + t.RowidAlias, 0);
                }
            }
            for (int k = 0; k < ncol; k++)
            {
                if (given[k]) continue;
                if (t.Columns[k].Default is { } d && !t.Columns[k].IsGenerated) ExprCode(d, new Scope(), cols + k);
                else Emit(Opcode.Null, 0, cols + k, 0);
            }
            if (t.RowidAlias >= 0) rowidFrom = cols + t.RowidAlias;
            int rowDone = NewLabel();
            if (HasTriggers(t, TriggerEvent.Insert))
            {
                // BEFORE INSERT sees the values with the columns' affinities applied, and
                // NEW.rowid as -1 when the rowid is not given yet.
                Emit(Opcode.Affinity, cols, ncol, 0, AffinityString(t));
                int newRowid = NewRegister();
                int known = NewLabel();
                Emit(Opcode.Integer, -1, newRowid, 0);
                if (rowidFrom >= 0)
                {
                    // A given rowid must be an integer before the triggers run (SQLite's
                    // MustBeInt comes first: "datatype mismatch" leaves the triggers unrun).
                    Emit(Opcode.IsNull, rowidFrom, known, 0);
                    Emit(Opcode.SCopy, rowidFrom, newRowid, 0);
                    Emit(Opcode.MustBeInt, newRowid, 0, 0);
                }
                Resolve(known);
                ComputeGeneratedColumns(t, cols);
                int block = RowBlockFromRegisters(t, cols, newRowid);
                if (t.RowidAlias >= 0) Emit(Opcode.SCopy, newRowid, block + t.RowidAlias, 0);
                FireTriggers(t, TriggerEvent.Insert, TriggerTime.Before, -1, block, rowDone, orconf: onError);
            }
            WriteRow(target, rowid, cols, rowidFrom, onError, null, () =>
            {
                // RETURNING is SQLite's first AFTER trigger: a RAISE(IGNORE) in another one does not drop its row.
                if (returning != null) ReturningRow(returning, t, RowBlockFromRegisters(t, cols, rowid));
                FireTriggers(t, TriggerEvent.Insert, TriggerTime.After, -1, RowBlockFromRegisters(t, cols, rowid), rowDone, orconf: onError);
            }, rowUpsert);
            if (rowUpsert != null) UpsertUpdates(rowUpsert, target, cols, ins.Table.Alias, returning, rowDone);
            Resolve(rowDone);
        }
        if (ins.Source == null)
        {
            if (!ins.Columns.IsEmpty) throw new TernException(ResultCode.Error, "DEFAULT VALUES with a column list");
            map = [];
            Row(NewRegister(), 0);
            endAutoIncrement?.Invoke();
            EndReturning(returning);
            return;
        }
        if (ins.Source.First is ValuesClause v && ins.Source.Compounds.IsEmpty && ins.Source.OrderBy.IsEmpty && ins.Source.Limit == null)
        {
            try
            {
                foreach (NodeList<Expr> row in v.Rows)
                {
                    int regs = NewRegisters(Math.Max(row.Count, 1));
                    for (int i = 0; i < row.Count; i++) ExprCode(row[i], new Scope(), regs + i);
                    Row(regs, row.Count);
                }
            }
            catch (TernException e) when (e.Code == ResultCode.Error && v.Rows.Count > 1
                && (IsResolveError(e.Message) || e.Message.StartsWith("no such table: ", StringComparison.Ordinal)))
            {
                // SQLite may meet another row's error first.
                ValuesError(t, v, map.Length, ins.Columns.IsEmpty, ins.With != null);
                throw;
            }
            endAutoIncrement?.Invoke();
            EndReturning(returning);
            return;
        }
        // INSERT ... SELECT: rows go through a sorter keyed by a sequence number first, so a
        // SELECT over the target table does not see the rows being inserted. SQLite takes a
        // temporary table only when the SELECT reads the target or the target has INSERT
        // triggers; otherwise its rows go straight in, and an integer marked real stays REAL.
        int sorter = NewCursor(), seq = NewRegister();
        int width = -1;
        Emit(Opcode.SorterOpen, sorter, 0, 0, new KeyInfo(1));
        Emit(Opcode.Integer, 0, seq, 0);
        int one = NewRegister();
        Emit(Opcode.Integer, 1, one, 0);
        int selectStart = CurrentAddress, makeRecord = -1;
        CompileSelect(ins.Source, null, (start, n) =>
        {
            width = n;
            int block = NewRegisters(n + 1);
            Emit(Opcode.Add, one, seq, seq);
            Emit(Opcode.SCopy, seq, block, 0);
            for (int i = 0; i < n; i++) Emit(Opcode.SCopy, start + i, block + 1 + i, 0);
            int rec = NewRegister();
            makeRecord = Emit(Opcode.MakeRecord, block, n + 1, rec, null, P5Flags.KeepIntReal);
            Emit(Opcode.SorterInsert, sorter, rec, 0);
        });
        bool keepIntReal = makeRecord >= 0 && !HasTriggers(t, TriggerEvent.Insert) && !ReadsTable(selectStart, t);
        if (makeRecord >= 0 && !keepIntReal)
        {
            Instruction mk = _code[makeRecord];
            mk.P5 = P5Flags.IntRealAsInteger;
            _code[makeRecord] = mk;
        }
        int done = NewLabel();
        int pseudo = NewCursor(), data = NewRegister();
        Emit(Opcode.OpenPseudo, pseudo, data, width + 1 + (keepIntReal ? 1 : 0));
        Emit(Opcode.SorterSort, sorter, done, 0);
        int loop = CurrentAddress;
        Emit(Opcode.SorterData, sorter, data, 0);
        int vals = NewRegisters(Math.Max(width, 1));
        for (int i = 0; i < width; i++) Emit(Opcode.Column, pseudo, i + 1, vals + i);
        if (keepIntReal) RestoreIntReal(pseudo, 1, width, vals);
        Row(vals, width);
        Emit(Opcode.SorterNext, sorter, loop, 0);
        Resolve(done);
        endAutoIncrement?.Invoke();
        EndReturning(returning);
    }

    /// <summary>
    /// The error SQLite reports for an INSERT ... VALUES that fails: its rows differ in width,
    /// do not fit the column count, or one does not compile. SQLite's parser gathers the rows
    /// left to right: a row of constants (no names, functions or subqueries) after another
    /// joins a co-routine, which starts with that row before it (compiled at once) and which
    /// refuses a row of another width at once; any other row extends a UNION ALL chain (whose last two rows must then
    /// agree in width) resolved the same way at the end. Only then are the values counted against the columns. The rows are compiled here
    /// only to find their errors; the statement fails either way.
    /// </summary>
    private void ValuesError(Table t, ValuesClause values, int columns, bool allColumns, bool withClause)
    {
        NodeList<NodeList<Expr>> rows = values.Rows;
        const string widthError = "all VALUES must have the same number of terms";
        // The chain still to be resolved: row indexes, or -1 for a finished co-routine.
        var chain = new List<int> { 0 };
        int coWidth = -1;
        bool coroutine = false;
        void ResolveChain()
        {
            // The chain is one compound SELECT: its rows are expanded, the last first, before any is resolved.
            if (chain.Count > 1 && FirstExpansionError(walk =>
                {
                    for (int j = chain.Count - 1; j >= 0; j--)
                    {
                        if (chain[j] < 0) continue;
                        foreach (Expr e in rows[chain[j]]) WalkExprForExpansion(e, walk);
                    }
                }) is { } missing)
            {
                throw new TernException(ResultCode.Error, missing);
            }
            int right = -1;
            for (int j = chain.Count - 1; j >= 0; j--)
            {
                int width = coWidth;
                if (chain[j] >= 0)
                {
                    NodeList<Expr> row = rows[chain[j]];
                    int regs = NewRegisters(Math.Max(row.Count, 1));
                    for (int k = 0; k < row.Count; k++) ExprCode(row[k], new Scope(), regs + k);
                    width = row.Count;
                }
                if (right >= 0 && width != right) throw new TernException(ResultCode.Error, widthError);
                right = width;
            }
        }
        for (int i = 1; i < rows.Count; i++)
        {
            bool constant = !withClause && rows[i].AsSpan().ToArray().All(IsParseTimeConstant);
            if (constant && (coroutine || (rows[i - 1].AsSpan().ToArray().All(IsParseTimeConstant) && !rows[i - 1].AsSpan().ToArray().Any(e => e is CastExpr))))
            {
                if (!coroutine)
                {
                    // The co-routine starts with the chain's last row, compiled now.
                    int first = NewRegisters(Math.Max(rows[i - 1].Count, 1));
                    for (int k = 0; k < rows[i - 1].Count; k++) ExprCode(rows[i - 1][k], new Scope(), first + k);
                    coWidth = rows[i - 1].Count;
                    coroutine = true;
                    chain[^1] = -1;
                }
                if (rows[i].Count != coWidth) throw new TernException(ResultCode.Error, widthError);
                int regs = NewRegisters(Math.Max(rows[i].Count, 1));
                for (int k = 0; k < rows[i].Count; k++) ExprCode(rows[i][k], new Scope(), regs + k);
            }
            else
            {
                coroutine = false;
                chain.Add(i);
            }
        }
        ResolveChain();
        int n = rows[^1].Count;
        if (n != columns)
            throw new TernException(ResultCode.Error, allColumns ? $"table {t.Name} has {columns} columns but {n} values were supplied" : $"{n} values for {columns} columns");
    }

    /// <summary>
    /// Whether SQLite's parser sees an expression as constant: no names but TRUE/FALSE, no
    /// subqueries or RAISE, and function calls only of deterministic scalar functions known
    /// with that many arguments (plain calls, no FILTER or OVER).
    /// </summary>
    private static bool IsParseTimeConstant(Expr e)
    {
        bool constant = true;
        Walk(e, x =>
        {
            switch (x)
            {
                case ColumnRef c:
                    if (!(c.Table == null && !c.IsDoubleQuoted
                        && (c.Column.Equals("true", StringComparison.OrdinalIgnoreCase) || c.Column.Equals("false", StringComparison.OrdinalIgnoreCase))))
                    {
                        constant = false;
                    }
                    break;
                case RaiseExpr or SubqueryExpr or ExistsExpr or InSelectExpr or InTableExpr:
                    constant = false;
                    break;
                case FunctionCall f:
                    if (f.Over != null || f.Filter != null || f.Distinct || !f.OrderBy.IsEmpty) constant = false;
                    else if (!IsInlineConditional(f)
                        && (FunctionCatalog.Find(f.Name, f.Star ? 0 : f.Arguments.Count, out _) is not ScalarFunction || NonDeterministicFunctions.Contains(f.Name)))
                    {
                        constant = false;
                    }
                    break;
                case LikeExpr like:
                    if (like.Operator is not (LikeOperator.Like or LikeOperator.Glob) || (like.Operator == LikeOperator.Glob && like.Escape != null)) constant = false;
                    break;
            }
            return constant;
        });
        return constant;
    }

    /// <summary>
    /// Writes one row: r[cols..] holds every column; the rowid comes from r[rowidFrom] (the
    /// INTEGER PRIMARY KEY's value or an explicit rowid) or a new one. <paramref name="oldRowid"/>
    /// is the row being updated (its own rowid and index entries do not conflict).
    /// </summary>
    /// <remarks>
    /// <paramref name="unchanged"/>: for an UPDATE, the indexes whose keys the new row cannot
    /// change (no assigned column in them, same rowid); their entries stay as they are and
    /// need no uniqueness check.
    /// </remarks>
    /// <remarks>
    /// <paramref name="fkOld"/>: for an UPDATE whose foreign keys need checking, the old row as
    /// a (columns..., rowid) block; the old row's violations are counted before it goes, the
    /// new row's before it is written, as SQLite orders them.
    /// </remarks>
    private void WriteRow(WriteTarget target, int rowid, int cols, int rowidFrom, ConflictResolution onError, int? oldRowid, Action? afterWrite = null,
        UpsertPlan? upsert = null, HashSet<Index>? unchanged = null, int fkOld = -1)
    {
        Table t = target.Table;
        int ncol = t.Columns.Count;
        int skip = NewLabel();
        // The rowid (a WITHOUT ROWID row's key is made from its columns below).
        if (t.WithoutRowid) Debug.Assert(rowidFrom < 0, "a WITHOUT ROWID table has no rowid to give");
        else if (rowidFrom >= 0 && oldRowid != null)
        {
            // UPDATE: a new rowid must be an integer; NULL is a datatype mismatch, not a new rowid.
            Emit(Opcode.SCopy, rowidFrom, rowid, 0);
            Emit(Opcode.MustBeInt, rowid, 0, 0);
        }
        else if (rowidFrom >= 0)
        {
            int haveRowid = NewLabel(), assigned = NewLabel();
            Emit(Opcode.NotNull, rowidFrom, haveRowid, 0);
            Emit(Opcode.NewRowid, target.Cursor, rowid, AutoIncrementRegister(t, oldRowid));
            Emit(Opcode.Goto, 0, assigned, 0);
            Resolve(haveRowid);
            Emit(Opcode.SCopy, rowidFrom, rowid, 0);
            Emit(Opcode.MustBeInt, rowid, 0, 0);
            Resolve(assigned);
        }
        else if (oldRowid != null) Emit(Opcode.SCopy, oldRowid.Value, rowid, 0);
        else Emit(Opcode.NewRowid, target.Cursor, rowid, AutoIncrementRegister(t, oldRowid));
        // AUTOINCREMENT remembers every new rowid as soon as it is known, so a row then ignored
        // (OR IGNORE, DO NOTHING) still moves sqlite_sequence on, as SQLite's autoIncStep does.
        if (AutoIncrementRegister(t, oldRowid) is int seen and > 0) Emit(Opcode.MemMax, seen, rowid, 0);
        if (t.RowidAlias >= 0) Emit(Opcode.SCopy, rowid, cols + t.RowidAlias, 0);
        ComputeGeneratedColumns(t, cols);

        // Affinities, then NOT NULL.
        Emit(Opcode.Affinity, cols, ncol, 0, AffinityString(t));
        NotNullChecks(t, cols, onError, skip);

        if (t.Strict) Emit(Opcode.TypeCheck, cols, ncol, 0, t);
        if (t.WithoutRowid) PrimaryKeyFromRegisters(t, cols, rowid);

        // CHECK constraints: a false result fails; NULL passes.
        if (t.Checks.Count > 0 && !IgnoreCheckConstraints) CheckConstraintsCode(t, cols, rowid, onError, skip, oldRowid != null ? _assignedColumns : null);

        // With recursive triggers on, a row REPLACE removes fires the DELETE triggers, which may
        // write rows of their own: every uniqueness check runs again (as ABORT) once any fired.
        int savedReplaceTriggers = _replaceTriggersFired;
        _replaceTriggersFired = RecursiveTriggersOn && HasTriggers(t, TriggerEvent.Delete) ? NewRegister() : 0;
        if (_replaceTriggersFired > 0) Emit(Opcode.Integer, 0, _replaceTriggersFired, 0);

        // Uniqueness, in SQLite's order: the rowid first; then the UNIQUE indexes newest first
        // (SQLite prepends each index it links to the table), with those whose own ON CONFLICT
        // is REPLACE after the others; an upsert's target indexes go before the rest, in clause
        // order. A rowid that is REPLACE by its own clause while indexes exist is checked last;
        // with an upsert whose first target is not the rowid, right after that target.
        List<int> order = UniqueCheckOrder(t, upsert, unchanged);
        // A WITHOUT ROWID table's PRIMARY KEY is checked where a rowid table's rowid is.
        bool keyCheck = rowidFrom >= 0 || t.WithoutRowid;
        int[] keyColumns = t.WithoutRowid ? t.PrimaryKey!.Columns : t.RowidAlias >= 0 ? [t.RowidAlias] : [];
        bool upsertFirstOther = keyCheck && upsert != null && upsert.Clauses.Count > 0 && upsert.Clauses[0].Columns is { } firstTarget
            && !(keyColumns.Length > 0 && upsert.Matches(keyColumns) == 0);
        bool rowidLast = keyCheck && !upsertFirstOther && onError == ConflictResolution.Default
            && t.RowidConflict == ConflictResolution.Replace && t.Indexes.Count > 0
            && (upsert == null || upsert.Matches(keyColumns) < 0);
        // A WITHOUT ROWID table's PRIMARY KEY is one of its indexes in SQLite's list: those made
        // after it (newest first) are checked before it.
        int keyAt = -1;
        if (keyCheck && !rowidLast && !upsertFirstOther)
        {
            keyAt = 0;
            while (t.WithoutRowid && upsert == null && keyAt < order.Count && t.Indexes[order[keyAt]].OnConflict != ConflictResolution.Replace
                && WithoutRowidLayout.MadeAfterPrimaryKey(t.Indexes[order[keyAt]])) keyAt++;
        }
        for (int n = 0; n < order.Count; n++)
        {
            if (n == keyAt) RowidCheck();
            IndexCheck(order[n]);
            if (n == 0 && upsertFirstOther) RowidCheck();
        }
        if (keyAt >= 0 && keyAt == order.Count) RowidCheck();
        if (keyCheck && (rowidLast || (upsertFirstOther && order.Count == 0))) RowidCheck();
        if (_replaceTriggersFired > 0) RecheckAfterReplaceTriggers();
        _replaceTriggersFired = savedReplaceTriggers;

        void RecheckAfterReplaceTriggers()
        {
            int done = NewLabel();
            Emit(Opcode.IfNot, _replaceTriggersFired, done, 0);
            if (keyCheck) RowidCheck(recheck: true);
            foreach (int i in order) IndexCheck(i, recheck: true);
            Resolve(done);
        }

        // recheck: after REPLACE's DELETE triggers ran, every conflict is an ABORT.
        void RowidCheck(bool recheck = false)
        {
            int ok = NewLabel();
            if (oldRowid != null) Emit(Opcode.Eq, oldRowid.Value, ok, rowid, null, 0);
            Emit(Opcode.NotExists, target.Cursor, ok, rowid);
            if (t.WithoutRowid && oldRowid != null)
            {
                // The key may equal the old one by its collations but not byte for byte: the row found is then the old row itself.
                int found = NewRegister();
                Emit(Opcode.Rowid, target.Cursor, found, 0);
                Emit(Opcode.Eq, oldRowid.Value, ok, found, null, 0);
            }
            string name = t.WithoutRowid ? string.Join(", ", keyColumns.Select(c => $"{t.Name}.{t.Columns[c].Name}"))
                : t.RowidAlias >= 0 ? $"{t.Name}.{t.Columns[t.RowidAlias].Name}" : $"{t.Name}.rowid";
            if (recheck || !UpsertAction(upsert, keyColumns, t.WithoutRowid ? FoundKey() : rowid, skip))
                ConflictAction(target, recheck ? ConflictResolution.Abort : EffectiveConflict(onError, t.RowidConflict), (int)ResultCode.ConstraintPrimaryKey, "UNIQUE constraint failed: " + name, skip);
            Resolve(ok);
        }

        // The key of the WITHOUT ROWID row the table cursor found (equal to the new key by its collations).
        int FoundKey()
        {
            int found = NewRegister();
            Emit(Opcode.Rowid, target.Cursor, found, 0);
            return found;
        }

        void IndexCheck(int i, bool recheck = false)
        {
            Index ix = t.Indexes[i];
            int notIndexed = NewLabel();
            PartialIndexFilter(ix, t, cols, rowid, notIndexed);
            int key = NewRegisters(ix.Columns.Length);
            IndexKeyFromRegisters(ix, t, cols, key);
            int ok = NewLabel();
            Emit(Opcode.NoConflict, target.IndexCursors[i], ok, key, ix.Columns.Length);
            if (oldRowid != null)
            {
                int other = NewRegister();
                Emit(Opcode.IdxRowid, target.IndexCursors[i], other, 0);
                Emit(Opcode.Eq, oldRowid.Value, ok, other, null, 0);
            }
            string cols2 = ix.Expressions != null ? $"index '{ix.Name}'" : string.Join(", ", ix.Columns.Select(c => t.Name + "." + t.Columns[c].Name));
            bool pk = ix.IsAuto && IsPrimaryKeyIndex(t, ix);
            ConflictResolution onConflict = recheck ? ConflictResolution.Abort : EffectiveConflict(onError, ix.OnConflict);
            if (!recheck && upsert != null && upsert.Matches(ix.Columns) >= 0)
            {
                int other = NewRegister();
                Emit(Opcode.IdxRowid, target.IndexCursors[i], other, 0);
                UpsertAction(upsert, ix.Columns, other, skip);
            }
            else if (onConflict == ConflictResolution.Replace)
            {
                int other = NewRegister();
                Emit(Opcode.IdxRowid, target.IndexCursors[i], other, 0);
                Emit(Opcode.NotExists, target.Cursor, ok, other);
                ReplaceDeleteCode(target, other);
            }
            else ConflictAction(target, onConflict, (int)(pk ? ResultCode.ConstraintPrimaryKey : ResultCode.ConstraintUnique), "UNIQUE constraint failed: " + cols2, skip);
            Resolve(ok);
            Resolve(notIndexed);
        }

        ICollection<int>? fkAssigned = oldRowid != null ? _assignedColumns : null;
        bool fkCheck = oldRowid == null ? ForeignKeyRequired(t, null) : fkOld >= 0;
        if (fkCheck && oldRowid != null) ForeignKeyCheck(t, fkOld, fkOld + ncol, old: true, fkAssigned);
        if (oldRowid != null)
        {
            // Remove the old row's index entries and the row itself (its rowid may change).
            int gone = NewLabel();
            Emit(Opcode.NotExists, target.Cursor, gone, oldRowid.Value);
            DeleteRowCode(target, oldRowid.Value, count: false, unchanged);
            Resolve(gone);
        }

        if (fkCheck) ForeignKeyCheck(t, cols, rowid, old: false, fkAssigned);

        // Write the record and the index entries.
        if (t.RowidAlias >= 0) Emit(Opcode.Null, 0, cols + t.RowidAlias, 0);
        int rec = NewRegister();
        MakeTableRecord(t, cols, rec);
        Emit(Opcode.Insert, target.Cursor, rec, rowid, t.Name, InTrigger || _foreignKeyDepth > 0 ? P5Flags.TotalChange : (ushort)(P5Flags.NChange | (oldRowid == null ? P5Flags.LastRowid : 0)));
        if (t.RowidAlias >= 0) Emit(Opcode.SCopy, rowid, cols + t.RowidAlias, 0);
        for (int i = 0; i < t.Indexes.Count; i++)
        {
            Index ix = t.Indexes[i];
            if (unchanged?.Contains(ix) == true) continue;
            int notIndexed = NewLabel();
            PartialIndexFilter(ix, t, cols, rowid, notIndexed);
            int width = IndexEntryWidth(ix);
            int key = NewRegisters(width);
            IndexKeyFromRegisters(ix, t, cols, key);
            if (t.WithoutRowid) IndexSuffixFromRegisters(ix, t, cols, key + ix.Columns.Length);
            else Emit(Opcode.SCopy, rowid, key + ix.Columns.Length, 0);
            int irec = NewRegister();
            Emit(Opcode.MakeRecord, key, width, irec);
            Emit(Opcode.IdxInsert, target.IndexCursors[i], irec, 0);
            Resolve(notIndexed);
        }
        afterWrite?.Invoke();
        Resolve(skip);
    }

    /// <summary>
    /// The positions in <c>t.Indexes</c> of the UNIQUE indexes to check, in SQLite's order:
    /// its table's index list has the newest index first, except that an index whose own ON
    /// CONFLICT is REPLACE goes after all the others (sqlite3CreateIndex); an upsert's target
    /// indexes come first, in the order of its clauses.
    /// </summary>
    private static List<int> UniqueCheckOrder(Table t, UpsertPlan? upsert, HashSet<Index>? unchanged)
    {
        var list = new List<int>();
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = t.Indexes.Count - 1; i >= 0; i--)
            {
                if ((t.Indexes[i].OnConflict == ConflictResolution.Replace) == (pass == 0)) continue;
                list.Add(i);
            }
        }
        if (upsert != null)
        {
            var front = new List<int>();
            foreach ((_, int[]? columns, _) in upsert.Clauses)
            {
                if (columns == null) break;
                int hit = list.FindIndex(i => t.Indexes[i].Unique && !front.Contains(i) && t.Indexes[i].Columns.Length == columns.Length
                    && t.Indexes[i].Columns.Order().SequenceEqual(columns.Order()));
                if (hit >= 0) front.Add(list[hit]);
            }
            list = [.. front, .. list.Where(i => !front.Contains(i))];
        }
        list.RemoveAll(i => !t.Indexes[i].Unique || unchanged?.Contains(t.Indexes[i]) == true);
        return list;
    }

    /// <summary>The INSERT's AUTOINCREMENT register for this table (0 when none applies).</summary>
    private int AutoIncrementRegister(Table t, int? oldRowid) =>
        oldRowid == null && _autoIncrement is { } a && a.Table == t ? a.Seen : 0;

    private (Table Table, int Seen)? _autoIncrement;

    /// <summary>
    /// For an INSERT into an AUTOINCREMENT table: loads the table's sqlite_sequence value
    /// (0 when it has no row yet) into a register that new rowids must exceed and that
    /// tracks the largest rowid written. Returns the code that stores it back at the end.
    /// </summary>
    private Action? BeginAutoIncrement(Table t)
    {
        if (!t.AutoIncrement || InTrigger || _schemas[t.Db].FindTable("sqlite_sequence") is not { } seq) return null;
        int cursor = NewCursor(), seen = NewRegister(), seqRowid = NewRegister(), name = NewRegister(), original = NewRegister();
        Emit(Opcode.OpenWrite, cursor, (int)seq.RootPage, seq.Db, 2);
        Emit(Opcode.Integer, 0, seen, 0);
        Emit(Opcode.Null, 0, seqRowid, 0);
        Emit(Opcode.Null, 0, original, 0);
        Emit(Opcode.String8, 0, name, 0, Encoding.UTF8.GetBytes(t.Name));
        int done = NewLabel();
        Emit(Opcode.Rewind, cursor, done, 0);
        int top = CurrentAddress;
        int v = NewRegister(), next = NewLabel();
        Emit(Opcode.Column, cursor, 0, v);
        Emit(Opcode.Ne, name, next, v, null, 0);
        Emit(Opcode.Rowid, cursor, seqRowid, 0);
        Emit(Opcode.Column, cursor, 1, seen);
        // The stored value is read as an integer ('5abc' is 5, NULL is 0), as SQLite's OP_AddImm makes it.
        int isInteger = NewLabel();
        Emit(Opcode.Cast, seen, (int)Affinity.Integer, 0);
        Emit(Opcode.NotNull, seen, isInteger, 0);
        Emit(Opcode.Integer, 0, seen, 0);
        Resolve(isInteger);
        Emit(Opcode.SCopy, seen, original, 0);
        Emit(Opcode.Goto, 0, done, 0);
        Resolve(next);
        Emit(Opcode.Next, cursor, top, 0);
        Resolve(done);
        _autoIncrement = (t, seen);
        return () =>
        {
            // The row is written when it is new or the largest rowid grew past it; otherwise the
            // stored value stays as it was (even text such as '5abc').
            int regs = NewRegisters(2), rec = NewRegister(), have = NewLabel(), unchanged = NewLabel();
            Emit(Opcode.Le, original, unchanged, seen);
            Emit(Opcode.SCopy, name, regs, 0);
            Emit(Opcode.SCopy, seen, regs + 1, 0);
            Emit(Opcode.MakeRecord, regs, 2, rec);
            Emit(Opcode.NotNull, seqRowid, have, 0);
            Emit(Opcode.NewRowid, cursor, seqRowid, 0);
            Resolve(have);
            Emit(Opcode.Insert, cursor, rec, seqRowid, "sqlite_sequence", 0);
            Resolve(unchanged);
            _autoIncrement = null;
        };
    }

    /// <summary>
    /// The name SQLite gives an unnamed CHECK constraint: the text between the CHECK's own
    /// parentheses (extra parentheses around the expression included), trimmed, and dequoted
    /// when it starts with a quote - so CHECK ((a > 0)) fails as "(a > 0)" and CHECK ('') as "".
    /// </summary>
    private static string CheckLabel(byte[] sql, int start, int end)
    {
        // Back to the nearest CHECK keyword before the expression, then to its matching ')'.
        int k = start - 5;
        while (k >= 0 && !(Encoding.ASCII.GetString(sql, k, 5).Equals("CHECK", StringComparison.OrdinalIgnoreCase)
            && (k == 0 || !IsWordByte(sql[k - 1])))) k--;
        if (k >= 0)
        {
            int open = k + 5;
            while (open < sql.Length && IsSpace(sql[open])) open++;
            int depth = 0, close = -1;
            byte quote = 0;
            for (int i = open; i < sql.Length && close < 0; i++)
            {
                byte b = sql[i];
                if (quote != 0) { if (b == quote) quote = 0; continue; }
                if (b is (byte)'\'' or (byte)'"' or (byte)'`') quote = b;
                else if (b == (byte)'[') quote = (byte)']';
                else if (b == (byte)'(') depth++;
                else if (b == (byte)')' && --depth == 0) close = i;
            }
            if (open < sql.Length && sql[open] == (byte)'(' && close > open && close >= end)
            {
                start = open + 1;
                end = close;
                while (start < end && IsSpace(sql[start])) start++;
                while (end > start && IsSpace(sql[end - 1])) end--;
            }
        }
        string text = Encoding.UTF8.GetString(sql, start, end - start);
        if (text.Length < 2 || text[0] is not ('\'' or '"' or '`' or '[')) return text;
        char endQuote = text[0] == '[' ? ']' : text[0];
        var sb = new StringBuilder();
        for (int i = 1; i < text.Length; i++)
        {
            if (text[i] == endQuote)
            {
                if (endQuote != ']' && i + 1 < text.Length && text[i + 1] == endQuote) { sb.Append(endQuote); i++; continue; }
                break;
            }
            sb.Append(text[i]);
        }
        return sb.ToString();

        static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f';
        static bool IsWordByte(byte b) => b == (byte)'_' || b >= 0x80 || char.IsAsciiLetterOrDigit((char)b);
    }

    /// <summary>PRAGMA ignore_check_constraints: writes skip CHECK constraints.</summary>
    private bool IgnoreCheckConstraints => _settings != null && _settings.TryGetValue("ignore_check_constraints", out long v) && v != 0;

    /// <summary>
    /// Tests the CHECK constraints on the row in r[cols..] whose rowid is r[rowid]. An UPDATE
    /// (<paramref name="assigned"/>: the columns it sets) tests only the constraints that name a
    /// column it changes, a generated column computed from one, or the rowid when it sets the
    /// INTEGER PRIMARY KEY, as SQLite does.
    /// </summary>
    private void CheckConstraintsCode(Table t, int cols, int rowid, ConflictResolution onError, int skip, ICollection<int>? assigned)
    {
        var checks = t.Checks.Where(c => assigned == null || CheckNamesChangedColumn(t, c.Expr, assigned)).ToList();
        if (checks.Count == 0) return;
        // The row as the constraints see it: its columns, then the rowid under each of its names.
        int ncol = t.Columns.Count;
        int block = NewRegisters(ncol + RowidNames.Length);
        Emit(Opcode.Copy, cols, block, ncol - 1);
        for (int i = 0; i < RowidNames.Length; i++) Emit(Opcode.SCopy, rowid, block + ncol + i, 0);
        var scope = new Scope { Definition = true };
        scope.Sources.Add(RowSource(t, t.Name, block, withRowid: true, RowidNames));
        byte[] savedSql = _sql;
        byte[] tableSql = t.Sql != null ? Encoding.UTF8.GetBytes(t.Sql) : savedSql;
        try
        {
            foreach ((string? name, Expr e) in checks)
            {
                _sql = tableSql;
                int r = NewRegister(), ok = NewLabel();
                ExprCode(e, scope, r);
                Emit(Opcode.If, r, ok, 1);
                string label = name ?? (e.End <= tableSql.Length ? CheckLabel(tableSql, e.Start, e.End) : "");
                if (onError == ConflictResolution.Ignore) Emit(Opcode.Goto, 0, skip, 0);
                else Emit(Opcode.Halt, (int)ResultCode.ConstraintCheck, HaltMode(EffectiveConflict(onError, ConflictResolution.Default)), 0, "CHECK constraint failed: " + label);
                Resolve(ok);
            }
        }
        finally
        {
            _sql = savedSql;
        }
    }

    /// <summary>The names the rowid answers to in a CHECK constraint (a column of the same name comes first).</summary>
    private static readonly string[] RowidNames = ["rowid", "oid", "_rowid_"];

    /// <summary>
    /// Whether a CHECK expression names a column an UPDATE assigning <paramref name="assigned"/>
    /// changes: one assigned, a generated column computed (perhaps through others) from one, or
    /// the rowid (by a rowid name or the INTEGER PRIMARY KEY) when the INTEGER PRIMARY KEY is assigned.
    /// </summary>
    private static bool CheckNamesChangedColumn(Table t, Expr check, ICollection<int> assigned)
    {
        var changed = new HashSet<int>(assigned);
        bool grew = true;
        while (grew)
        {
            grew = false;
            for (int k = 0; k < t.Columns.Count; k++)
            {
                if (t.Columns[k].Generated is { } g && !changed.Contains(k) && NamedColumns(t, g).Any(changed.Contains))
                {
                    changed.Add(k);
                    grew = true;
                }
            }
        }
        bool rowidChanged = t.RowidAlias >= 0 && changed.Contains(t.RowidAlias);
        foreach (int k in NamedColumns(t, check))
        {
            if (k < 0 || k == t.RowidAlias ? rowidChanged : changed.Contains(k)) return true;
        }
        return false;
    }

    /// <summary>The columns of <paramref name="t"/> a definition expression names (-1 for the rowid).</summary>
    private static List<int> NamedColumns(Table t, Expr e)
    {
        var found = new List<int>();
        Walk(e, x =>
        {
            if (x is ColumnRef c && (c.Table == null || c.Table.Equals(t.Name, StringComparison.OrdinalIgnoreCase)))
            {
                int k = t.FindColumn(c.Column);
                if (k >= 0) found.Add(k);
                else if (IsRowidName(c.Column)) found.Add(-1);
            }
            return true;
        });
        return found;
    }

    private static bool IsPrimaryKeyIndex(Table t, Index ix)
    {
        if (t.Sql == null) return false;
        return Tern.Sql.SqlParser.Parse(t.Sql) is CreateTableStatement ct
            && (ct.Constraints.AsSpan().ToArray().Any(c => c is PrimaryKeyTableConstraint p && p.Columns.Count == ix.Columns.Length
                    && p.Columns.AsSpan().ToArray().Select(x => x.Expr is ColumnRef c2 ? t.FindColumn(c2.Column) : -2).SequenceEqual(ix.Columns))
                || (ix.Columns.Length == 1 && ct.Columns[ix.Columns[0]].Constraints.AsSpan().ToArray().Any(c => c is PrimaryKeyConstraint)));
    }

    private void ConflictAction(WriteTarget target, ConflictResolution onError, int code, string message, int skip)
    {
        switch (onError)
        {
            case ConflictResolution.Ignore:
                Emit(Opcode.Goto, 0, skip, 0);
                break;
            case ConflictResolution.Replace:
                // The conflicting row (cursor positioned on it by NotExists) goes.
                {
                    int r = NewRegister();
                    Emit(Opcode.Rowid, target.Cursor, r, 0);
                    ReplaceDeleteCode(target, r);
                    break;
                }
            default:
                Emit(Opcode.Halt, code, HaltMode(onError), 0, message);
                break;
        }
    }

    /// <summary>
    /// For a partial index: jumps to <paramref name="notIndexed"/> when the row in r[cols..] (rowid in r[rowid])
    /// fails the index's WHERE clause (the row then has no entry in it and cannot conflict).
    /// </summary>
    private void PartialIndexFilter(Index ix, Table t, int cols, int rowid, int notIndexed)
    {
        if (ix.Where == null) return;
        // The WHERE may name the rowid, as SQLite allows: the row is seen as (columns..., rowid).
        int ncol = t.Columns.Count;
        int block = NewRegisters(ncol + 1);
        for (int k = 0; k < ncol; k++) Emit(Opcode.SCopy, k == t.RowidAlias ? rowid : cols + k, block + k, 0);
        Emit(Opcode.SCopy, rowid, block + ncol, 0);
        var scope = new Scope { Definition = true };
        scope.Sources.Add(RowSource(t, t.Name, block, withRowid: true));
        InPureContext("an index", () => JumpIfFalse(ix.Where, scope, notIndexed));
    }

    /// <summary>
    /// REPLACE removes the row in the way (the table cursor is on it, its rowid in r[rowid]);
    /// with foreign keys on, its children see a parent deleted (RESTRICT fails, CASCADE runs).
    /// </summary>
    private void ReplaceDeleteCode(WriteTarget target, int rowid)
    {
        Table t = target.Table;
        if (_replaceTriggersFired > 0)
        {
            // Recursive triggers on: the row goes as in a DELETE, its triggers (with REPLACE as
            // their OR algorithm) around it; RAISE(IGNORE) in them keeps the row.
            int gone = NewLabel();
            int old = RowBlockFromCursor(t, target.Cursor, rowid);
            FireTriggers(t, TriggerEvent.Delete, TriggerTime.Before, old, -1, gone, orconf: ConflictResolution.Replace);
            // A BEFORE trigger may have removed or moved the row.
            Emit(Opcode.NotExists, target.Cursor, gone, rowid);
            if (ForeignKeyRequired(t, null)) ForeignKeyCheck(t, old, old + t.Columns.Count, old: true, null);
            DeleteRowCode(target, rowid, count: false);
            if (ForeignKeyRequired(t, null)) ForeignKeyActions(t, old, -1, null);
            FireTriggers(t, TriggerEvent.Delete, TriggerTime.After, old, -1, gone, orconf: ConflictResolution.Replace);
            Resolve(gone);
            Emit(Opcode.Integer, 1, _replaceTriggersFired, 0);
            return;
        }
        if (!ForeignKeyRequired(t, null))
        {
            DeleteRowCode(target, rowid, count: false);
            return;
        }
        // With foreign keys the row goes as in a DELETE: its keys count, its children's actions run.
        int oldRow = RowBlockFromCursor(t, target.Cursor, rowid);
        ForeignKeyCheck(t, oldRow, oldRow + t.Columns.Count, old: true, null);
        DeleteRowCode(target, rowid, count: false);
        ForeignKeyActions(t, oldRow, -1, null);
    }

    /// <summary>
    /// How a constraint's violation is resolved: the statement's OR clause, else the
    /// constraint's ON CONFLICT clause, else ABORT.
    /// </summary>
    /// <summary>
    /// Whether the code from <paramref name="start"/> on opens <paramref name="t"/> or one of its
    /// indexes for reading (SQLite's readsTable, which decides on a temporary table).
    /// </summary>
    private bool ReadsTable(int start, Table t)
    {
        for (int a = start; a < _code.Count; a++)
        {
            Instruction i = _code[a];
            if (i.Op != Opcode.OpenRead || (i.P5 & 0x10) != 0) continue;
            if (i.P2 == (int)t.RootPage || t.Indexes.Any(ix => i.P2 == (int)ix.RootPage)) return true;
        }
        return false;
    }

    /// <summary>
    /// The NOT NULL constraints of a row in r[cols..], in SQLite's two passes. The first checks
    /// the ordinary columns, REPLACE putting a column's default in place of its NULL (ABORT when
    /// it has none). A second pass runs when the table has NOT NULL generated columns or a
    /// REPLACE default was coded: the generated columns are computed again from the defaults
    /// (when one was), then the generated columns are checked and the replaced columns checked
    /// again, REPLACE counting as ABORT (a default that is NULL fails).
    /// </summary>
    private void NotNullChecks(Table t, int cols, ConflictResolution onError, int skip)
    {
        int ncol = t.Columns.Count;
        int generated = 0, replaced = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            for (int k = 0; k < ncol; k++)
            {
                Column column = t.Columns[k];
                if (!column.NotNull || k == t.RowidAlias) continue;
                if (column.IsGenerated && pass == 0)
                {
                    generated++;
                    continue;
                }
                ConflictResolution e = EffectiveConflict(onError, column.NotNullConflict);
                if (e == ConflictResolution.Replace && (pass == 1 || column.Default == null)) e = ConflictResolution.Abort;
                else if (pass == 1 && !column.IsGenerated) continue;
                if (e == ConflictResolution.Ignore)
                {
                    Emit(Opcode.IsNull, cols + k, skip, 0);
                    continue;
                }
                if (e == ConflictResolution.Replace)
                {
                    Debug.Assert(pass == 0 && !column.IsGenerated && column.Default != null);
                    replaced++;
                    int present = NewLabel();
                    Emit(Opcode.NotNull, cols + k, present, 0);
                    ExprCode(column.Default!, new Scope(), cols + k);
                    Emit(Opcode.Affinity, cols + k, 1, 0, ((char)column.Affinity).ToString());
                    Resolve(present);
                    continue;
                }
                Emit(Opcode.HaltIfNull, (int)ResultCode.ConstraintNotNull, HaltMode(e), cols + k, $"NOT NULL constraint failed: {t.Name}.{column.Name}");
            }
            if (pass == 1 || (generated == 0 && replaced == 0)) return;
            if (replaced > 0) ComputeGeneratedColumns(t, cols);
        }
    }

    private static ConflictResolution EffectiveConflict(ConflictResolution statement, ConflictResolution constraint) =>
        statement != ConflictResolution.Default ? statement
        : constraint != ConflictResolution.Default ? constraint
        : ConflictResolution.Abort;

    /// <summary>
    /// P2 of a failing Halt, as SQLite numbers the algorithms: 1 ROLLBACK (the whole
    /// transaction is undone), 2 ABORT (the statement's changes are undone), 3 FAIL (the
    /// statement stops, its earlier changes stay). REPLACE and IGNORE fall back to ABORT.
    /// </summary>
    private static int HaltMode(ConflictResolution r) => r switch
    {
        ConflictResolution.Rollback => 1,
        ConflictResolution.Fail => 3,
        _ => 2,
    };

    /// <summary>
    /// Deletes the row the table cursor is on (rowid in r[rowid]) and its index entries (but
    /// those of the <paramref name="keep"/> indexes, whose entries an UPDATE leaves valid).
    /// </summary>
    private void DeleteRowCode(WriteTarget target, int rowid, bool count, HashSet<Index>? keep = null)
    {
        Table t = target.Table;
        for (int i = 0; i < t.Indexes.Count; i++)
        {
            Index ix = t.Indexes[i];
            if (keep?.Contains(ix) == true) continue;
            int width = IndexEntryWidth(ix);
            int key = NewRegisters(width);
            var src = new Source { Table = t, Cursor = target.Cursor, Name = t.Name };
            IndexKeyFromCursor(ix, src, key);
            if (t.WithoutRowid) IndexSuffixFromCursor(ix, src, key + ix.Columns.Length);
            else Emit(Opcode.SCopy, rowid, key + ix.Columns.Length, 0);
            Emit(Opcode.IdxDelete, target.IndexCursors[i], key, width);
        }
        Emit(Opcode.Delete, target.Cursor, 0, 0, t.Name, !count ? (ushort)0 : InTrigger || _foreignKeyDepth > 0 ? P5Flags.TotalChange : P5Flags.NChange);
    }

    /// <summary>An index key (without the rowid) from a row held in r[cols..]: columns copied, expressions computed.</summary>
    private void IndexKeyFromRegisters(Index ix, Table t, int cols, int key)
    {
        Scope? rowScope = null;
        for (int k = 0; k < ix.Columns.Length; k++)
        {
            if (!ix.IsExpression(k))
            {
                Emit(Opcode.SCopy, cols + ix.Columns[k], key + k, 0);
                continue;
            }
            if (rowScope == null)
            {
                rowScope = new Scope { Definition = true };
                rowScope.Sources.Add(RowSource(t, t.Name, cols, withRowid: false));
            }
            InPureContext("an index", () => ExprCode(ix.Expressions![k]!, rowScope, key + k));
        }
    }

    /// <summary>Compiles code with <see cref="_pureContext"/> set (date/time functions may not read the clock there).</summary>
    private void InPureContext(string context, Action code)
    {
        string? saved = _pureContext;
        _pureContext = context;
        try
        {
            code();
        }
        finally
        {
            _pureContext = saved;
        }
    }

    /// <summary>An index key (without the rowid) from the row a table cursor is on.</summary>
    private void IndexKeyFromCursor(Index ix, Source src, int key)
    {
        Scope? rowScope = null;
        for (int k = 0; k < ix.Columns.Length; k++)
        {
            if (!ix.IsExpression(k))
            {
                EmitColumnRaw(src, ix.Columns[k], key + k);
                continue;
            }
            if (rowScope == null)
            {
                rowScope = new Scope { Definition = true };
                rowScope.Sources.Add(src);
            }
            InPureContext("an index", () => ExprCode(ix.Expressions![k]!, rowScope, key + k));
        }
    }

    /// <summary>A column as stored (no REAL conversion), for index keys.</summary>
    private void EmitColumnRaw(Source s, int col, int target)
    {
        if (s.Table.Columns[col].IsRowidAlias) Emit(Opcode.Rowid, s.Cursor, target, 0);
        else TableColumnCode(s, col, target, ColumnDefault(s.Table.Columns[col]));
    }

    private static string AffinityString(Table t)
    {
        var chars = new char[t.Columns.Count];
        for (int i = 0; i < chars.Length; i++) chars[i] = (char)t.Columns[i].Affinity;
        return new string(chars);
    }

    private void CompileDelete(DeleteStatement d)
    {
        if (!d.OrderBy.IsEmpty && d.Limit == null) throw new TernException(ResultCode.Error, "ORDER BY without LIMIT on DELETE");
        if (d.With != null) PushWith(d.With);
        Table t = RequireTable(d.Table);
        ReturningState? returning = BeginReturning(d.Returning, t, d.Table.Alias);
        CollectThenChange(t, d.Table.Alias, d.Where, (target, rowid, _) =>
        {
            if (!HasTriggers(t, TriggerEvent.Delete))
            {
                if (returning != null) ReturningRow(returning, t, RowBlockFromCursor(t, target.Cursor, rowid));
                if (ForeignKeyRequired(t, null))
                {
                    // The row's keys count before it goes; its children's actions run after.
                    int oldRow = RowBlockFromCursor(t, target.Cursor, rowid);
                    ForeignKeyCheck(t, oldRow, oldRow + t.Columns.Count, old: true, null);
                    DeleteRowCode(target, rowid, count: true);
                    ForeignKeyActions(t, oldRow, -1, null);
                    return;
                }
                DeleteRowCode(target, rowid, count: true);
                return;
            }
            int rowDone = NewLabel();
            int old = RowBlockFromCursor(t, target.Cursor, rowid);
            FireTriggers(t, TriggerEvent.Delete, TriggerTime.Before, old, -1, rowDone);
            // A BEFORE trigger may have removed or moved the row.
            Emit(Opcode.NotExists, target.Cursor, rowDone, rowid);
            if (returning != null) ReturningRow(returning, t, RowBlockFromCursor(t, target.Cursor, rowid));
            bool fk = ForeignKeyRequired(t, null);
            if (fk) ForeignKeyCheck(t, old, old + t.Columns.Count, old: true, null);
            DeleteRowCode(target, rowid, count: true);
            if (fk) ForeignKeyActions(t, old, -1, null);
            FireTriggers(t, TriggerEvent.Delete, TriggerTime.After, old, -1, rowDone);
            Resolve(rowDone);
        }, d.OrderBy, d.Limit);
        EndReturning(returning);
    }

    private void CompileUpdate(UpdateStatement u)
    {
        if (!u.OrderBy.IsEmpty && u.Limit == null) throw new TernException(ResultCode.Error, "ORDER BY without LIMIT on UPDATE");
        if (u.With != null) PushWith(u.With);
        Table t = RequireTable(u.Table);
        CheckUpdateFromNames(u, t);
        try
        {
            CompileUpdateBody(u, t);
        }
        catch (TernException e) when (e.Code == ResultCode.Error && u.From.IsEmpty && !IsParseTimeError(e.Message))
        {
            string? first = FirstUpdateError(u, t);
            if (first != null && first != e.Message) throw new TernException(ResultCode.Error, first);
            throw;
        }
    }

    /// <summary>
    /// The first error SQLite meets in an UPDATE without FROM: each SET value (a subquery
    /// prepared when met), then that SET's column name, then WHERE. The pieces are compiled
    /// again, alone, into the program being thrown away; null when none fails.
    /// </summary>
    private string? FirstUpdateError(UpdateStatement u, Table t)
    {
        var scope = new Scope();
        scope.Sources.Add(new Source { Table = t, Cursor = NewCursor(), Name = u.Table.Alias ?? t.Name });
        string? Fails(Expr e)
        {
            try
            {
                ExprCode(e, scope, NewRegister());
                return null;
            }
            catch (TernException x) when (x.Code == ResultCode.Error)
            {
                return x.Message;
            }
        }
        foreach (SetClause sc in u.Set)
        {
            if (sc.Columns.Count != 1) return null;
            if (Fails(sc.Value) is { } error) return error;
            if (t.FindColumn(sc.Columns[0]) < 0 && (t.WithoutRowid || !IsRowidName(sc.Columns[0]))) return "no such column: " + sc.Columns[0];
        }
        return u.Where != null ? Fails(u.Where) : null;
    }

    private void CompileUpdateBody(UpdateStatement u, Table t)
    {
        var assignments = new Dictionary<int, Expr>();
        bool setsRowid = false;
        foreach ((string column, Expr value) in u.Set.AsSpan().ToArray().SelectMany(SetAssignments))
        {
            int k = t.FindColumn(column);
            if (k < 0)
            {
                if (IsRowidName(column) && !t.WithoutRowid) throw new TernException(ResultCode.Error, "assigning the rowid is not supported yet");
                throw new TernException(ResultCode.Error, "no such column: " + column);
            }
            RefuseGeneratedWrite(t, k, "UPDATE");
            if (k == t.RowidAlias) setsRowid = true;
            assignments[k] = value;
        }
        ReturningState? returning = BeginReturning(u.Returning, t, u.Table.Alias);
        ConflictResolution onError = EffectiveConflict(u.OrConflict);
        ICollection<int>? savedAssigned = _assignedColumns;
        ICollection<int> fkAssigned = WithDependentGenerated(t, assignments.Keys);
        _assignedColumns = fkAssigned;
        // With FROM, the new values are computed while the join runs (they may name the
        // FROM tables) and carried to the change pass.
        List<(int Column, Expr Value)> assignmentList = assignments.Select(kv => (kv.Key, kv.Value)).ToList();
        // Indexes none of whose key columns is assigned keep their entries (a partial index or
        // one on expressions is always rewritten: its predicate or keys may read any column;
        // so is every index when BEFORE triggers run, since they may have changed the row).
        // A WITHOUT ROWID row whose key changes moves: every index entry ends with the key.
        bool movesKey = setsRowid || (t.WithoutRowid && t.PrimaryKey!.Columns.Any(assignments.ContainsKey));
        HashSet<Index>? unchanged = movesKey ? null : t.Indexes
            .Where(ix => ix.Expressions == null && ix.Where == null && !ix.Columns.Any(c => assignments.ContainsKey(c) || t.Columns[c].IsGenerated)).ToHashSet();
        IReadOnlyList<Expr>? carried = u.From.IsEmpty ? null : assignmentList.Select(a => a.Value).ToList();
        CollectThenChange(t, u.Table.Alias, u.Where, (target, rowid, carriedValues) =>
        {
            int ncol = t.Columns.Count;
            int cols = NewRegisters(Math.Max(ncol, 1));
            var scope = new Scope();
            var src = new Source { Table = t, Cursor = target.Cursor, Name = u.Table.Alias ?? t.Name };
            scope.Sources.Add(src);
            for (int k = 0; k < ncol; k++)
            {
                if (k == t.RowidAlias) Emit(Opcode.SCopy, rowid, cols + k, 0);
                else EmitColumnRaw(src, k, cols + k);
            }
            // New values are computed from the old row, all before any is stored.
            var newRegs = new Dictionary<int, int>();
            SharingSetSubqueries(() =>
            {
                for (int i = 0; i < assignmentList.Count; i++)
                {
                    (int k, Expr e) = assignmentList[i];
                    if (carriedValues >= 0)
                    {
                        newRegs[k] = carriedValues + i;
                        continue;
                    }
                    int r = NewRegister();
                    ExprCode(e, scope, r);
                    newRegs[k] = r;
                }
            });
            foreach ((int k, int r) in newRegs) Emit(Opcode.SCopy, r, cols + k, 0);
            int newRowid = NewRegister();
            int fkOld = ForeignKeyRequired(t, fkAssigned) ? RowBlockFromCursor(t, target.Cursor, rowid) : -1;
            if (!HasTriggers(t, TriggerEvent.Update))
            {
                WriteRow(target, newRowid, cols, setsRowid ? cols + t.RowidAlias : -1, onError, rowid, () =>
                {
                    if (returning != null) ReturningRow(returning, t, RowBlockFromRegisters(t, cols, newRowid));
                    if (fkOld >= 0) ForeignKeyActions(t, fkOld, RowBlockFromRegisters(t, cols, newRowid), fkAssigned);
                }, unchanged: unchanged, fkOld: fkOld);
                return;
            }
            int rowDone = NewLabel();
            int old = RowBlockFromCursor(t, target.Cursor, rowid);
            ComputeGeneratedColumns(t, cols);
            int newBlockRowid = setsRowid ? cols + t.RowidAlias : rowid;
            // A new rowid must be an integer (NULL included) before the triggers run, as SQLite checks it first.
            if (setsRowid) Emit(Opcode.MustBeInt, cols + t.RowidAlias, 0, 0);
            Emit(Opcode.Affinity, cols, t.Columns.Count, 0, AffinityString(t)); // BEFORE UPDATE sees NEW with the affinities applied
            FireTriggers(t, TriggerEvent.Update, TriggerTime.Before, old, RowBlockFromRegisters(t, cols, newBlockRowid), rowDone, assignments.Keys, onError);
            Emit(Opcode.NotExists, target.Cursor, rowDone, rowid);
            // The BEFORE triggers may have changed the row: as in SQLite, the columns the
            // statement does not assign are read again (the assigned ones keep the values
            // computed before the triggers ran), and generated columns computed again.
            for (int k = 0; k < ncol; k++)
            {
                if (k != t.RowidAlias && !t.Columns[k].IsGenerated && !assignments.ContainsKey(k)) EmitColumnRaw(src, k, cols + k);
            }
            if (t.HasGenerated) ComputeGeneratedColumns(t, cols);
            WriteRow(target, newRowid, cols, setsRowid ? cols + t.RowidAlias : -1, onError, rowid,
                () =>
                {
                    if (fkOld >= 0) ForeignKeyActions(t, fkOld, RowBlockFromRegisters(t, cols, newRowid), fkAssigned);
                    if (returning != null) ReturningRow(returning, t, RowBlockFromRegisters(t, cols, newRowid));
                    FireTriggers(t, TriggerEvent.Update, TriggerTime.After, old, RowBlockFromRegisters(t, cols, newRowid), rowDone, assignments.Keys, onError);
                }, fkOld: fkOld);
            Resolve(rowDone);
        }, u.OrderBy, u.Limit, u.From, carried);
        _assignedColumns = savedAssigned;
        EndReturning(returning);
    }

    /// <summary>
    /// Pass 1 collects the rows WHERE selects; pass 2 positions on each and runs
    /// <paramref name="change"/> with the rowid's register and, when <paramref name="carried"/>
    /// is given, the first of registers holding those expressions' values computed in pass 1.
    /// </summary>
    /// <remarks>
    /// Plain statements collect rowids in a RowSet (pass 2 goes in rowid order). With FROM
    /// (UPDATE ... FROM), ORDER BY or LIMIT, pass 1 joins the target with the FROM items and
    /// writes (sort keys, rowid, carried values) to a sorter or a list; pass 2 reads it in
    /// ORDER BY order (else in the order found), skips OFFSET rows and stops after LIMIT.
    /// A target row that the join finds more than once is changed once, with the first match.
    /// </remarks>
    private void CollectThenChange(Table t, string? alias, Expr? where, Action<WriteTarget, int, int> change,
        NodeList<OrderingTerm> orderBy = default, LimitClause? limit = null, NodeList<FromItem> from = default, IReadOnlyList<Expr>? carried = null)
    {
        WriteTarget target = OpenForWrite(t);
        var scope = new Scope();
        var src = new Source { Table = t, Cursor = NewCursor(), Name = alias ?? t.Name };
        // SQLite joins the target with a FROM clause of several items as with one parenthesised
        // item: with a RIGHT or FULL join there, the target is inner-joined after them (the same
        // rows, and each target row meets its matches in the FROM clause's order).
        bool targetLast = HasRightJoin(from);
        if (!targetLast) scope.Sources.Add(src);
        var terms = new List<Expr>();
        if (!from.IsEmpty)
        {
            foreach (FromItem fi in from) AddSource(fi, scope, terms);
        }
        if (targetLast)
        {
            src.Join = JoinType.Inner;
            scope.Sources.Add(src);
        }
        SplitAnd(where, terms);
        int done = NewLabel();
        int rowid = NewRegister();
        if (from.IsEmpty && orderBy.IsEmpty && limit == null && t.WithoutRowid)
        {
            // The keys of a WITHOUT ROWID table's rows are collected in an index ordered as the
            // table is, so rows change in key order, as in SQLite.
            int[] pk = t.PrimaryKey!.Columns;
            int keys = NewCursor();
            Emit(Opcode.OpenEphemeral, keys, pk.Length, 0, WithoutRowidLayout.TableKeyInfo(t));
            EmitLoops(scope, terms, () =>
            {
                int regs = NewRegisters(pk.Length), rec = NewRegister();
                for (int i = 0; i < pk.Length; i++) EmitColumnRaw(src, pk[i], regs + i);
                Emit(Opcode.MakeRecord, regs, pk.Length, rec, null, P5Flags.IntRealAsInteger);
                Emit(Opcode.IdxInsert, keys, rec, 0);
            });
            int fields = NewRegisters(pk.Length);
            Emit(Opcode.Rewind, keys, done, 0);
            int keyTop = CurrentAddress;
            int keyNext = NewLabel();
            for (int i = 0; i < pk.Length; i++) Emit(Opcode.Column, keys, i, fields + i);
            Emit(Opcode.MakeRecord, fields, pk.Length, rowid, null, P5Flags.IntRealAsInteger);
            Emit(Opcode.NotExists, target.Cursor, keyNext, rowid);
            change(target, rowid, -1);
            Resolve(keyNext);
            Emit(Opcode.Next, keys, keyTop, 0);
            Resolve(done);
            return;
        }
        if (from.IsEmpty && orderBy.IsEmpty && limit == null)
        {
            int set = NewRegister();
            Emit(Opcode.Null, 0, set, 0);
            EmitLoops(scope, terms, () =>
            {
                int r = NewRegister();
                Emit(Opcode.Rowid, src.Cursor, r, 0);
                Emit(Opcode.RowSetAdd, set, r, 0);
            });
            int loop = CurrentAddress;
            Emit(Opcode.RowSetRead, set, done, rowid);
            Emit(Opcode.NotExists, target.Cursor, loop, rowid);
            change(target, rowid, -1);
            Emit(Opcode.Goto, 0, loop, 0);
            Resolve(done);
            return;
        }

        int nKeys = orderBy.Count, nCarried = carried?.Count ?? 0;
        int width = nKeys + 1 + nCarried;   // (sort keys..., rowid, carried...)
        KeyInfo orderKeys = nKeys == 0 ? new KeyInfo(0) : OrderKeyInfo(orderBy,
            orderBy.AsSpan().ToArray().Select(o => ExprCollation(o.Expr, scope) ?? Collation.Binary).ToArray());
        int rows = NewCursor();
        Emit(Opcode.SorterOpen, rows, width, 0, orderKeys);
        if (from.IsEmpty)
        {
            EmitLoops(scope, terms, () => Emit(Opcode.SorterInsert, rows, CollectedRecord(0), 0));
        }
        else
        {
            // A join may find a target row more than once; as in SQLite the last match is the
            // one used: (rowid, match number DESC, ...) sorted, then the first of each rowid kept.
            int matches = NewCursor(), seq = NewRegister();
            Emit(Opcode.SorterOpen, matches, width + 1, 0, new KeyInfo([false, true]));
            int one = NewRegister();
            Emit(Opcode.Integer, 0, seq, 0);
            Emit(Opcode.Integer, 1, one, 0);
            EmitLoops(scope, terms, () =>
            {
                Emit(Opcode.Add, one, seq, seq);
                Emit(Opcode.SorterInsert, matches, CollectedRecord(seq), 0);
            });
            int sorted = NewLabel();
            int mp = NewCursor(), mdata = NewRegister(), prev = NewRegister(), cur = NewRegister();
            Emit(Opcode.Null, 0, prev, 0);
            Emit(Opcode.OpenPseudo, mp, mdata, width + 1);
            Emit(Opcode.SorterSort, matches, sorted, 0);
            int mtop = CurrentAddress;
            Emit(Opcode.SorterData, matches, mdata, 0);
            Emit(Opcode.Column, mp, 0, cur);
            int mnext = NewLabel();
            Emit(Opcode.Eq, prev, mnext, cur, null, 0);
            Emit(Opcode.Copy, cur, prev, 0);
            int block = NewRegisters(width);
            for (int i = 0; i < nKeys; i++) Emit(Opcode.Column, mp, 2 + i, block + i);
            Emit(Opcode.SCopy, cur, block + nKeys, 0);
            for (int i = 0; i < nCarried; i++) Emit(Opcode.Column, mp, 2 + nKeys + i, block + nKeys + 1 + i);
            int rec = NewRegister();
            Emit(Opcode.MakeRecord, block, width, rec);
            Emit(Opcode.SorterInsert, rows, rec, 0);
            Resolve(mnext);
            Emit(Opcode.SorterNext, matches, mtop, 0);
            Resolve(sorted);
        }

        int limitReg = -1, offsetReg = -1;
        if (limit != null)
        {
            limitReg = NewRegister();
            ExprCode(limit.Limit, new Scope(), limitReg);
            Emit(Opcode.MustBeInt, limitReg, 0, 0);
            Emit(Opcode.IfNot, limitReg, done, 0);
            if (limit.Offset != null)
            {
                offsetReg = NewRegister();
                ExprCode(limit.Offset, new Scope(), offsetReg);
                Emit(Opcode.MustBeInt, offsetReg, 0, 0);
            }
        }
        int pseudo = NewCursor(), data = NewRegister();
        Emit(Opcode.OpenPseudo, pseudo, data, width);
        int values = NewRegisters(Math.Max(nCarried, 1));
        // Keyed rows come back sorted; a list (no ORDER BY) in the order they were added.
        Emit(nKeys > 0 ? Opcode.SorterSort : Opcode.Rewind, rows, done, 0);
        int top = CurrentAddress;
        Emit(Opcode.SorterData, rows, data, 0);
        int next = NewLabel();
        if (offsetReg >= 0) Emit(Opcode.IfPos, offsetReg, next, 1);
        Emit(Opcode.Column, pseudo, nKeys, rowid);
        for (int i = 0; i < nCarried; i++) Emit(Opcode.Column, pseudo, nKeys + 1 + i, values + i);
        Emit(Opcode.NotExists, target.Cursor, next, rowid);
        change(target, rowid, values);
        if (limitReg >= 0) Emit(Opcode.DecrJumpZero, limitReg, done, 0);
        Resolve(next);
        Emit(nKeys > 0 ? Opcode.SorterNext : Opcode.Next, rows, top, 0);
        Resolve(done);

        // The record pass 1 collects: (sort keys..., rowid, carried...), after the match
        // number when one is given (the FROM case).
        int CollectedRecord(int matchNumber)
        {
            int lead = matchNumber > 0 ? 2 : 0;
            int block = NewRegisters(width + (matchNumber > 0 ? 1 : 0));
            if (matchNumber > 0)
            {
                Emit(Opcode.Rowid, src.Cursor, block, 0);
                Emit(Opcode.SCopy, matchNumber, block + 1, 0);
                for (int i = 0; i < nKeys; i++) ExprCode(orderBy[i].Expr, scope, block + lead + i);
                SharingSetSubqueries(() =>
                {
                    for (int i = 0; i < nCarried; i++) ExprCode(carried![i], scope, block + lead + nKeys + i);
                });
            }
            else
            {
                for (int i = 0; i < nKeys; i++) ExprCode(orderBy[i].Expr, scope, block + i);
                Emit(Opcode.Rowid, src.Cursor, block + nKeys, 0);
                SharingSetSubqueries(() =>
                {
                    for (int i = 0; i < nCarried; i++) ExprCode(carried![i], scope, block + nKeys + 1 + i);
                });
            }
            int rec = NewRegister();
            Emit(Opcode.MakeRecord, block, width + (matchNumber > 0 ? 1 : 0), rec);
            return rec;
        }
    }
}
