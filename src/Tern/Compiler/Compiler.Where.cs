// The FROM/WHERE loop nest. Each FROM source becomes one loop level, outermost first.
// A level seeks instead of scanning when an equality term pins its rowid (SeekRowid) or
// the first column of one of its indexes (SeekGE + IdxGT + IdxRowid + SeekRowid), using
// only values available from outer levels. Each WHERE term is tested at the first level
// where every source it names is positioned.
//
//   level i (scan)            level i (index seek)           level i (rowid seek)
//     Rewind  c  brk            key := expr                    key := expr
//   top:                        SeekGE  ix brk key             SeekRowid c brk key
//     <terms, inner levels>   top: IdxGT ix brk key              <terms, inner levels>
//   cont:                       IdxRowid ix r; SeekRowid c..   cont/brk:
//     Next    c  top            <terms, inner levels>
//   brk:                      cont: Next ix top
//                             brk:
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Sql.Ast;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    private void EmitLoops(Scope scope, List<Expr> terms, Action body) => EmitLoops(scope, terms, body, write: false);

    private void EmitLoops(Scope scope, List<Expr> terms, Action body, bool write)
    {
        int nSrc = scope.Sources.Count;
        if (scope.Sources.Count(x => x.Flattened == null) > Limits.MaxJoinTables) throw new TernException(ResultCode.Error, "at most 64 tables in a join");
        PlanJoinOrder(scope, terms);
        var done = new bool[terms.Count];
        var masks = new UInt128[terms.Count];
        for (int j = 0; j < terms.Count; j++) masks[j] = SourceMask(terms[j], scope, subqueries: true);
        // An outer join's ON clause may read only its own table and those before it; an inner
        // join's neither, when the query has a RIGHT or FULL join (SQLite's exprAnalyze).
        for (int j = 0; j < terms.Count; j++)
        {
            int joinLevel = scope.LeftJoinOn.TryGetValue(terms[j], out int outerLevel) ? outerLevel
                : scope.HasRightJoin && scope.InnerJoinOn.TryGetValue(terms[j], out int innerLevel) ? innerLevel : -1;
            if (joinLevel >= 0 && joinLevel < 127 && masks[j] != UInt128.MaxValue && (masks[j] >> (joinLevel + 1)) != 0)
                throw new TernException(ResultCode.Error, "ON clause references tables to its right");
        }
        var ends = new List<Action>();
        int skipAll = NewLabel();
        if (nSrc == 0)
        {
            for (int j = 0; j < terms.Count; j++) JumpIfFalse(terms[j], scope, skipAll);
            body();
            Resolve(skipAll);
            return;
        }
        // As in SQLite's sqlite3WhereBegin, a term that reads none of this query's tables, holds
        // no subquery and calls no volatile function is tested once, in the terms' order, before
        // the first loop opens: a false one ends the query before any row (or materialized
        // subquery) is read, and one that fails raises its error even when no row would come.
        // Inner-join ON terms count; a LEFT JOIN's ON terms stay at their level.
        for (int j = 0; j < terms.Count; j++)
        {
            if (masks[j] != 0 || scope.LeftJoinOn.ContainsKey(terms[j]) || !IsConstantTermQuietly(terms[j], scope)) continue;
            if (scope.HasRightJoin && scope.InnerJoinOn.TryGetValue(terms[j], out int innerLevel) && innerLevel > 0 && innerLevel < scope.RightLevels.Max()) continue;
            done[j] = true;
            JumpIfFalse(terms[j], scope, skipAll);
        }
        // RIGHT and FULL joins: WHERE terms wait for the last one (lastRight); each right level
        // keeps the set of its rows that matched, and its interior is a subroutine that the pass
        // over its unmatched rows calls again after the loops (RightJoinPass).
        int lastRight = scope.HasRightJoin ? scope.RightLevels.Max() : -1;
        var rightJoins = new List<RightJoinLevel>();
        for (int i = 0; i < nSrc; i++)
        {
            if (!scope.RightLevels.Contains(i)) continue;
            var level = new RightJoinLevel(i, NewCursor(), NewRegister(), NewLabel());
            Emit(Opcode.OpenEphemeral, level.Matched, 1, 0, new KeyInfo([false], [Collation.Binary]));
            if (scope.Sources[i].Materialized && scope.Sources[i].Fill != null)
            {
                level.FillFlag = NewRegister();
                Emit(Opcode.Integer, 0, level.FillFlag, 0);
            }
            rightJoins.Add(level);
        }
        for (int i = 0; i < nSrc; i++)
        {
            Source s = scope.Sources[i];
            UInt128 available = (UInt128.One << i) - 1;
            int brk = NewLabel(), cont = NewLabel();
            int matchFlag = -1;
            if (scope.LeftLevels.Contains(i))
            {
                matchFlag = NewRegister();
                Emit(Opcode.Integer, 0, matchFlag, 0);
            }
            RightJoinLevel? rj = rightJoins.Find(r => r.Level == i);
            // Where the level's own terms jump when they fail: past the subroutine's Return for
            // the WHERE terms of a right level (they run inside it), else the level's next row.
            int termFail = rj?.Continue ?? cont;
            int[] matchSetAddress = [-1];
            int endsBefore = ends.Count;
            int noteMark = _plan.Count;
            if (s.Flattened != null)
            {
                // A flattened subquery has no loop (its tables are levels of their own); a term
                // tested here that fails goes on with the enclosing level.
                ends.Add(() =>
                {
                    Resolve(cont);
                    Resolve(brk);
                });
                EmitTermsAt(i);
                continue;
            }
            if (s.Function != null)
            {
                ends.Add(FunctionLoop(s, i, scope, terms, done, available, brk, cont));
                EmitTermsAt(i);
                AddNullRowPass();
                continue;
            }
            if (s.Recursive is { } recursive)
            {
                LoopNote(s, null, rowid: false);
                EmitRecursiveTop(recursive, brk);
                ends.Add(() =>
                {
                    EmitRecursiveBottom(recursive, cont);
                    Resolve(brk);
                });
                EmitTermsAt(i);
                continue;
            }
            if (s.Materialized)
            {
                LoopNote(s, null, rowid: false);
                if (s.Fill is { } fill)
                {
                    int filled = NewLabel();
                    if (!s.FillEveryTime) Emit(Opcode.Once, 0, filled, 0);
                    if (rj is { FillFlag: >= 0 and int flag })
                    {
                        Emit(Opcode.IfPos, flag, filled, 0);
                        Emit(Opcode.Integer, 1, flag, 0);
                    }
                    Emit(Opcode.Gosub, fill.Return, fill.Label, 0);
                    Resolve(filled);
                    if (s.DupOf >= 0) Emit(Opcode.OpenDup, s.Cursor, s.DupOf, 0);
                }
                Emit(Opcode.Rewind, s.Cursor, brk, 0);
                int mtop = CurrentAddress;
                ends.Add(() =>
                {
                    Resolve(cont);
                    Emit(Opcode.Next, s.Cursor, mtop, 0);
                    Resolve(brk);
                });
                EmitTermsAt(i);
                AddNullRowPass();
                continue;
            }
            int openAddress = Emit(write ? Opcode.OpenWrite : Opcode.OpenRead, s.Cursor, (int)s.Table.RootPage, s.Table.Db, TableCursorInfo(s.Table));
            (int term, int column, Expr other)? pick = null;
            Index? pickIndex = null;
            (int Term, int Column, Expr Other, Collation Collation)? autoCandidate = null;
            for (int j = 0; j < terms.Count && pick == null; j++)
            {
                if (terms[j] is not BinaryExpr { Operator: BinaryOperator.Eq } b || !CanDriveSeek(terms[j], scope, i)) continue;
                foreach ((Expr side, Expr other) in new[] { (b.Left, b.Right), (b.Right, b.Left) })
                {
                    if (side is not ColumnRef c) continue;
                    (Source? src, int col) = TryResolveLocal(c, scope);
                    if (src != s) continue;
                    UInt128 om = SourceMask(other, scope);
                    if ((om & ~available) != 0) continue;
                    if (col < 0 || s.Table.Columns[col].IsRowidAlias)
                    {
                        pick = (j, -1, other);
                        pickIndex = null;
                        break;
                    }
                    Column column = s.Table.Columns[col];
                    Affinity oa = ExprAffinity(other, scope);
                    bool affinityOk = oa == Affinity.None || oa == column.Affinity || (Affinities.IsNumeric(oa) && Affinities.IsNumeric(column.Affinity));
                    if (!affinityOk) continue;
                    // The index can answer the term only if its keys order by the term's collation.
                    Collation termCollation = ComparisonFlags(b.Left, b.Right, scope).Collation;
                    foreach (Index ix in SeekableIndexes(s.Table))
                    {
                        if (ix.Columns[0] == col && ix.RootPage != 0 && ix.Collations[0] == termCollation && ix.Where == null)
                        {
                            pick = (j, col, other);
                            pickIndex = ix;
                            break;
                        }
                    }
                    if (pick != null) break;
                    autoCandidate ??= (j, col, other, termCollation);
                }
            }
            // No equality seek: a range (<, <=, >, >=, BETWEEN) on the rowid or on an index's
            // first column bounds the loop.
            RangePlan? range = pick == null ? FindRange(s, terms.Where(t => CanDriveSeek(t, scope, i)).ToList(), scope, available) : null;
            // No index fits, but an equality ties this table to the outer loops: build an
            // automatic index on that column once, then seek it for every outer row.
            bool useAutoIndex = pick == null && range == null && autoCandidate != null && i > 0 && !write && !InTrigger && i > lastRight
                && !s.Table.WithoutRowid
                && !(_settings != null && _settings.TryGetValue("automatic_index", out long automatic) && automatic == 0);
            if (useAutoIndex) Note($"SEARCH {s.PlanName ?? s.Name} USING AUTOMATIC INDEX ({s.Table.Columns[autoCandidate!.Value.Column].Name}=?)");
            else if (range != null) Note(RangeNote(s, range));
            else LoopNote(s, pickIndex, rowid: pick is { column: < 0 });
            if (range != null)
            {
                ends.Add(RangeLoop(s, range, scope, brk, cont));
            }
            else if (useAutoIndex)
            {
                (int _, int acol, Expr aother, Collation acoll) = autoCandidate!.Value;
                // As in SQLite, the terms on this table alone make the index partial: they are
                // tested on every row while the index is built (on the right of a LEFT JOIN
                // only its own ON terms, the WHERE applies to the NULL row too).
                var partial = new List<Expr>();
                bool leftLevel = scope.LeftLevels.Contains(i);
                for (int j = 0; j < terms.Count; j++)
                {
                    bool isOn = scope.LeftJoinOn.TryGetValue(terms[j], out int onLevel);
                    if (masks[j] == (UInt128.One << i) && (leftLevel ? isOn && onLevel == i : !isOn) && IsDeterministicTree(terms[j]))
                        partial.Add(terms[j]);
                }
                ends.Add(IndexEqualityLoop(s, AutomaticIndexCode(s, acol, acoll, partial, scope), acol, aother, scope, brk, cont));
            }
            else if (pick is { } p && p.column < 0)
            {
                int key = NewRegister();
                ExprCode(p.other, scope, key);
                Emit(Opcode.SeekRowid, s.Cursor, brk, key);
                ends.Add(() =>
                {
                    Resolve(cont);
                    Resolve(brk);
                });
            }
            else if (pick is { } q && pickIndex != null)
            {
                // A WITHOUT ROWID table's PRIMARY KEY is sought on the table's own cursor.
                int ixCursor = pickIndex == s.Table.PrimaryKey ? s.Cursor : NewCursor();
                if (ixCursor != s.Cursor) Emit(Opcode.OpenRead, ixCursor, (int)pickIndex.RootPage, pickIndex.Db, pickIndex.KeyInfo());
                ends.Add(IndexEqualityLoop(s, ixCursor, q.column, q.other, scope, brk, cont));
            }
            else
            {
                if (!write && !scope.SortsRows && rj == null) NoteScanCandidate(s, openAddress);
                Emit(Opcode.Rewind, s.Cursor, brk, 0);
                int top = CurrentAddress;
                ends.Add(() =>
                {
                    Resolve(cont);
                    Emit(Opcode.Next, s.Cursor, top, 0);
                    Resolve(brk);
                });
            }
            EmitTermsAt(i);
            AddNullRowPass();

            // As SQLite's plan lines, the loop of a LEFT (or FULL) JOIN's right table says so.
            void MarkLeftJoinNote()
            {
                if (matchFlag < 0) return;
                PlanNote? note = _plan.Skip(noteMark).FirstOrDefault(p => p.Parent == _planParent
                    && (p.Detail.StartsWith("SCAN ", StringComparison.Ordinal) || p.Detail.StartsWith("SEARCH ", StringComparison.Ordinal)));
                if (note != null) note.Detail += " LEFT-JOIN";
            }

            void AddNullRowPass()
            {
                MarkLeftJoinNote();
                if (rj != null && ends.Count > endsBefore)
                {
                    // The end of the right level's subroutine: inline (r[Return] NULL) it falls
                    // through to the level's next row; called from the unmatched pass, it returns.
                    Action loopEnd = ends[^1];
                    RightJoinLevel level = rj;
                    ends[^1] = () =>
                    {
                        Resolve(level.Continue);
                        Emit(Opcode.Return, level.Return, level.SubroutineStart, 1);
                        loopEnd();
                    };
                }
                if (matchFlag < 0 || ends.Count == endsBefore) return;
                Action inner = ends[^1];
                int flag = matchFlag, cursor = s.Cursor;
                ends[^1] = () =>
                {
                    inner();
                    // Nothing matched: run the inner levels once with this source as a row of NULLs.
                    int matched = NewLabel();
                    Emit(Opcode.IfPos, flag, matched, 0);
                    Emit(Opcode.NullRow, cursor, 0, 0);
                    Emit(Opcode.Goto, 0, matchSetAddress[0], 0);
                    Resolve(matched);
                };
            }

            void EmitTermsAt(int level)
            {
                // A LEFT JOIN's ON terms belong to its level and come first; then the level
                // is marked as matched (a NULL row is produced below when nothing matched).
                for (int j = 0; j < terms.Count; j++)
                {
                    if (done[j] || !scope.LeftJoinOn.TryGetValue(terms[j], out int onLevel) || onLevel != level) continue;
                    done[j] = true;
                    JumpIfFalse(terms[j], scope, cont, outerOn: true);
                }
                if (rj != null)
                {
                    // This row of the right table matched: note its rowid.
                    int key = NewRegister(), rec = NewRegister(), noted = NewLabel();
                    Emit(Opcode.Rowid, s.Cursor, key, 0);
                    Emit(Opcode.MakeRecord, key, 1, rec);
                    Emit(Opcode.Found, rj.Matched, noted, rec);
                    Emit(Opcode.IdxInsert, rj.Matched, rec, 0);
                    Resolve(noted);
                }
                if (matchFlag >= 0)
                {
                    matchSetAddress[0] = CurrentAddress;
                    Emit(Opcode.Integer, 1, matchFlag, 0);
                }
                if (rj != null)
                {
                    Emit(Opcode.Null, 0, rj.Return, 0);
                    rj.SubroutineStart = CurrentAddress;
                }
                UInt128 now = (UInt128.One << (level + 1)) - 1;
                for (int j = 0; j < terms.Count; j++)
                {
                    if (done[j] || scope.LeftJoinOn.ContainsKey(terms[j]) || (level < nSrc - 1 && (masks[j] & ~now) != 0)) continue;
                    if (level < lastRight)
                    {
                        // Left of a RIGHT JOIN only inner-join ON terms whose join is reached run;
                        // the WHERE applies to the rows the RIGHT JOIN makes too.
                        if (!scope.InnerJoinOn.TryGetValue(terms[j], out int joinLevel) || joinLevel > level) continue;
                    }
                    done[j] = true;
                    JumpIfFalse(terms[j], scope, termFail);
                }
            }
        }
        body();
        for (int i = ends.Count - 1; i >= 0; i--) ends[i]();
        foreach (RightJoinLevel rj in rightJoins) RightJoinPass(rj, scope, terms, done);
        Resolve(skipAll);
    }

    /// <summary>The state of one RIGHT or FULL join's right level while its loops are generated.</summary>
    private sealed class RightJoinLevel(int level, int matched, int ret, int cont)
    {
        /// <summary>The level of the right table.</summary>
        public int Level { get; } = level;
        /// <summary>Ephemeral index of the rowids of the right table's rows that matched.</summary>
        public int Matched { get; } = matched;
        /// <summary>The subroutine's return register (NULL when its code runs inline).</summary>
        public int Return { get; } = ret;
        /// <summary>The label of the subroutine's Return.</summary>
        public int Continue { get; } = cont;
        /// <summary>The address where the subroutine (WHERE terms, inner levels, the row's code) starts.</summary>
        public int SubroutineStart { get; set; } = -1;
        /// <summary>For a materialized right source: set once its rows are written (else -1).</summary>
        public int FillFlag { get; set; } = -1;
    }

    /// <summary>
    /// After the loops: every row of a RIGHT or FULL join's right table that no row matched is
    /// produced once more with every source to its left on its NULL row, by calling the
    /// level's subroutine (its WHERE terms, inner levels and the row's code):
    ///
    ///     NullRow  (each cursor left of the right table)
    ///     Rewind   t done                (a table is opened again: its loop may never have run)
    ///   top:
    ///     Rowid t r; MakeRecord r; Found matched next
    ///     Gosub    ret subroutine
    ///   next:
    ///     Next     t top
    ///   done:
    /// </summary>
    private void RightJoinPass(RightJoinLevel rj, Scope scope, List<Expr> terms, bool[] done)
    {
        Source s = scope.Sources[rj.Level];
        System.Diagnostics.Debug.Assert(rj.SubroutineStart >= 0, "the right level's subroutine was generated");
        using PlanScope note = NoteScope("RIGHT-JOIN " + (s.PlanName ?? s.Name));
        for (int k = 0; k < rj.Level; k++)
        {
            Source left = scope.Sources[k];
            if (left.Flattened == null && left.Cursor >= 0) Emit(Opcode.NullRow, left.Cursor, 0, 0);
        }
        int brk = NewLabel(), next = NewLabel();
        Action close;
        if (s.Function != null)
        {
            // The function runs again with its written arguments only.
            var used = new bool[done.Length];
            Array.Fill(used, true);
            close = FunctionLoop(s, rj.Level, scope, terms, used, (UInt128.One << rj.Level) - 1, brk, next);
        }
        else
        {
            if (s.Materialized)
            {
                LoopNote(s, null, rowid: false);
                if (s.Fill is { } fill)
                {
                    int filled = NewLabel();
                    Emit(Opcode.IfPos, rj.FillFlag, filled, 0);
                    Emit(Opcode.Integer, 1, rj.FillFlag, 0);
                    Emit(Opcode.Gosub, fill.Return, fill.Label, 0);
                    Resolve(filled);
                }
            }
            else
            {
                LoopNote(s, null, rowid: false);
                Emit(Opcode.OpenRead, s.Cursor, (int)s.Table.RootPage, s.Table.Db, TableCursorInfo(s.Table));
            }
            Emit(Opcode.Rewind, s.Cursor, brk, 0);
            int top = CurrentAddress;
            close = () =>
            {
                Resolve(next);
                Emit(Opcode.Next, s.Cursor, top, 0);
                Resolve(brk);
            };
        }
        int key = NewRegister(), rec = NewRegister();
        Emit(Opcode.Rowid, s.Cursor, key, 0);
        Emit(Opcode.MakeRecord, key, 1, rec);
        Emit(Opcode.Found, rj.Matched, next, rec);
        Emit(Opcode.Gosub, rj.Return, rj.SubroutineStart, 0);
        close();
    }

    // ------------------------------------------------------------ join order
    //
    // Inner joins may run in any order. How well a table is reached once some others are
    // positioned (by the WHERE/ON terms that then apply to it):
    //
    //   3  an equality pins its rowid          (SeekRowid)
    //   2  an equality pins an index's first column
    //   1  some other term filters it or ties it to the placed tables
    //   0  nothing: every row of it joins every row above (a cross product)
    //
    // With up to 8 tables, each one is tried as the outermost loop with the others placed
    // greedily after it (each time the best-reached one, ties to the earlier FROM item);
    // the order with the highest total score wins, the FROM order on a tie, so sensible
    // queries keep their plan and row order while `FROM t, u WHERE t.rowid = u.x` seeks t.
    // With more tables, the FROM order is kept when every table in it scores at least 1 at
    // its place, else the greedy order from the best-reached first table is taken.
    // LEFT JOINs and a streamed recursive CTE keep the FROM order.

    private void PlanJoinOrder(Scope scope, List<Expr> terms)
    {
        int n = scope.Sources.Count;
        if (scope.Sources.Exists(x => x.Function != null))
        {
            OrderFunctionsAfterTheirArguments(scope, terms);
            return;
        }
        if (n < 2 || scope.LeftLevels.Count > 0 || scope.HasRightJoin || scope.Sources.Exists(x => x.Recursive != null)) return;
        var masks = new UInt128[terms.Count];
        for (int j = 0; j < terms.Count; j++) masks[j] = SourceMask(terms[j], scope);
        // For each term, the sides of an equality that could drive a seek: which source the
        // column belongs to, what kind of seek, and which sources the other side needs.
        var seeks = new List<(int Source, bool Rowid, bool Indexed, UInt128 OtherMask)>[terms.Count];
        for (int j = 0; j < terms.Count; j++)
        {
            seeks[j] = [];
            if (terms[j] is not BinaryExpr { Operator: BinaryOperator.Eq } b) continue;
            foreach ((Expr side, Expr other) in new[] { (b.Left, b.Right), (b.Right, b.Left) })
            {
                if (side is not ColumnRef c) continue;
                (Source? src, int col) = TryResolveLocal(c, scope);
                if (src == null) continue;
                bool rowid = col < 0 || src.Table.Columns[col].IsRowidAlias;
                bool indexed = !rowid && !src.Materialized && src.Table.Indexes.Exists(ix => ix.Columns[0] == col && ix.Where == null);
                seeks[j].Add((scope.Sources.IndexOf(src), rowid, indexed, SourceMask(other, scope)));
            }
        }

        int fromTotal = 0;
        bool fromOrderIsSensible = true;
        for (int i = 0; i < n; i++)
        {
            int r = Reach(i, (UInt128.One << i) - 1);
            fromOrderIsSensible &= r > 0 || scope.Sources[i].Flattened != null;
            fromTotal += r;
        }
        List<int> order;
        if (n <= 8)
        {
            // Few tables: try each as the outermost loop, place the rest greedily, and keep
            // the order whose tables are reached best in total (the FROM order on a tie).
            order = [];
            int bestTotal = fromTotal;
            for (int first = 0; first < n; first++)
            {
                List<int> candidate = Greedy(first, out int total);
                if (total > bestTotal)
                {
                    order = candidate;
                    bestTotal = total;
                }
            }
            if (order.Count == 0) return;
        }
        else
        {
            if (fromOrderIsSensible) return;
            order = Greedy(-1, out _);
        }
        var reordered = order.Select(i => scope.Sources[i]).ToList();
        scope.Sources.Clear();
        scope.Sources.AddRange(reordered);

        // Places the tables one by one, each time the best-reached one (ties: earlier in FROM),
        // starting with `first` when it is not -1; `total` sums the scores at placement.
        List<int> Greedy(int first, out int total)
        {
            var result = new List<int>(n);
            UInt128 placed = 0;
            var used = new bool[n];
            total = 0;
            for (int step = 0; step < n; step++)
            {
                int best = -1, bestScore = -1;
                for (int i = 0; i < n; i++)
                {
                    if (used[i] || (step == 0 && first >= 0 && i != first)) continue;
                    int score = Reach(i, placed);
                    if (score > bestScore)
                    {
                        best = i;
                        bestScore = score;
                    }
                }
                used[best] = true;
                result.Add(best);
                total += bestScore;
                placed |= UInt128.One << best;
            }
            return result;
        }

        int Reach(int i, UInt128 placedMask)
        {
            UInt128 self = UInt128.One << i;
            int score = 0;
            for (int j = 0; j < terms.Count && score < 3; j++)
            {
                UInt128 m = masks[j];
                if ((m & self) == 0 || (m & ~(placedMask | self)) != 0) continue;
                score = Math.Max(score, 1);
                foreach ((int source, bool isRowid, bool isIndexed, UInt128 otherMask) in seeks[j])
                {
                    if (source != i || (otherMask & ~placedMask) != 0) continue;
                    if (isRowid) score = 3;
                    else if (isIndexed) score = Math.Max(score, 2);
                }
            }
            return score;
        }
    }

    /// <summary>
    /// A range scan: the rowid or an index's first column bounded below by <see cref="Lower"/>
    /// (strictly when <see cref="LowerStrict"/>) and above by the terms in <see cref="Upper"/>.
    /// </summary>
    private sealed class RangePlan
    {
        public Index? Index { get; init; }
        public int Column { get; init; }
        public Expr? Lower { get; set; }
        public bool LowerStrict { get; set; }
        public List<Expr> Upper { get; } = [];
    }

    /// <summary>
    /// Whether a term may bound the loop of <paramref name="level"/> (a seek or a range), as
    /// SQLite's constraintCompatibleWithOuterJoin decides. An outer join's ON term decides only
    /// whether its own level matches, so it bounds only that level's loop. A level that is the
    /// right side of a RIGHT or FULL join, or stands to the left of one, is bounded only by its
    /// own ON terms (inner-join ON terms too, unless the level is itself an outer join's right
    /// side): a WHERE term there would hide rows from the loop that the unmatched-row pass then
    /// takes for unmatched ones.
    /// </summary>
    private static bool CanDriveSeek(Expr term, Scope scope, int level)
    {
        if (scope.LeftJoinOn.TryGetValue(term, out int onLevel)) return onLevel == level;
        if (!scope.HasRightJoin) return true;
        int lastRight = scope.RightLevels.Max();
        if (level > lastRight) return true;
        return !scope.RightLevels.Contains(level) && !scope.LeftLevels.Contains(level)
            && scope.InnerJoinOn.TryGetValue(term, out int innerLevel) && innerLevel == level;
    }

    /// <summary>
    /// Finds the bounds that WHERE terms put on the rowid (preferred) or on the first column
    /// of an index of <paramref name="s"/>, given the sources positioned before it; null when
    /// there are none. A bound is usable when comparing with it orders values as the key does
    /// (the same affinity and collation rules as an equality seek).
    /// </summary>
    private RangePlan? FindRange(Source s, List<Expr> terms, Scope scope, UInt128 available)
    {
        RangePlan? best = null;
        foreach (Expr term in terms)
        {
            // Each bound keeps the comparison's own operands: its collation comes from them in
            // their written order (the left operand's first), whichever side the column is on.
            var bounds = new List<(Expr Column, Expr Other, bool Lower, bool Strict, Expr Term, Expr CompareLeft, Expr CompareRight)>();
            switch (term)
            {
                case BinaryExpr { Operator: BinaryOperator.Lt or BinaryOperator.Le or BinaryOperator.Gt or BinaryOperator.Ge } b:
                    {
                        bool strict = b.Operator is BinaryOperator.Lt or BinaryOperator.Gt;
                        bool leftIsLower = b.Operator is BinaryOperator.Gt or BinaryOperator.Ge; // col > x: x is a lower bound
                        bounds.Add((b.Left, b.Right, leftIsLower, strict, term, b.Left, b.Right));
                        bounds.Add((b.Right, b.Left, !leftIsLower, strict, term, b.Left, b.Right));
                        break;
                    }
                case BetweenExpr { Not: false } be:
                    // As an upper bound only its upper half may end the loop: a row below
                    // Low fails the BETWEEN but later keys may still pass it.
                    bounds.Add((be.Operand, be.Low, true, false, term, be.Operand, be.Low));
                    bounds.Add((be.Operand, be.High, false, false, new BinaryExpr(BinaryOperator.Le, be.Operand, be.High), be.Operand, be.High));
                    break;
            }
            foreach ((Expr side, Expr other, bool lower, bool strict, Expr t, Expr compareLeft, Expr compareRight) in bounds)
            {
                if (side is not ColumnRef c) continue;
                (Source? src, int col) = TryResolveLocal(c, scope);
                if (src != s || (SourceMask(other, scope) & ~available) != 0) continue;
                Index? index = null;
                bool rowid = col < 0 || s.Table.Columns[col].IsRowidAlias;
                if (!rowid)
                {
                    Column column = s.Table.Columns[col];
                    Affinity oa = ExprAffinity(other, scope);
                    if (!(oa == Affinity.None || oa == column.Affinity || (Affinities.IsNumeric(oa) && Affinities.IsNumeric(column.Affinity)))) continue;
                    Collation coll = ComparisonFlags(compareLeft, compareRight, scope).Collation;
                    // A WITHOUT ROWID table ranges over its PRIMARY KEY's first column in key order (a DESC one is scanned whole).
                    if (s.Table.PrimaryKey is { } pk && pk.Columns[0] == col && pk.Collations[0] == coll && pk.Descending[0]) continue;
                    index = SeekableIndexes(s.Table).FirstOrDefault(ix => ix.Columns[0] == col && ix.RootPage != 0 && ix.Collations[0] == coll && ix.Where == null && !ix.Descending[0]);
                    if (index == null) continue;
                }
                if (best != null && (best.Index != index || (index != null && best.Column != col))) continue;
                best ??= new RangePlan { Index = index, Column = rowid ? -1 : col };
                if (lower)
                {
                    if (best.Lower != null) continue;
                    best.Lower = other;
                    best.LowerStrict = strict;
                }
                else best.Upper.Add(t);
            }
        }
        return best;
    }

    private static string RangeNote(Source s, RangePlan r)
    {
        string name = r.Index == null ? "rowid" : s.Table.Columns[r.Column].Name;
        var parts = new List<string>();
        if (r.Lower != null) parts.Add(name + (r.LowerStrict ? ">?" : ">=?"));
        if (r.Upper.Count > 0) parts.Add(name + "<?");
        string bounds = string.Join(" AND ", parts);
        return r.Index == null
            ? $"SEARCH {s.PlanName ?? s.Name} USING INTEGER PRIMARY KEY ({bounds})"
            : r.Index == s.Table.PrimaryKey ? $"SEARCH {s.PlanName ?? s.Name} USING PRIMARY KEY ({bounds})"
            : $"SEARCH {s.PlanName ?? s.Name} USING INDEX {r.Index.Name} ({bounds})";
    }

    /// <summary>
    /// The loop of a range scan: a seek to the lower bound (past the NULLs of an index when
    /// there is none), then rows in key order until an upper-bound term fails (the terms are
    /// still tested as WHERE terms too; failing one here ends the loop, since every later
    /// key is larger). Returns the code that closes the loop.
    /// </summary>
    private Action RangeLoop(Source s, RangePlan r, Scope scope, int brk, int cont)
    {
        int cursor = s.Cursor;
        if (r.Index != null && r.Index != s.Table.PrimaryKey)
        {
            cursor = NewCursor();
            Emit(Opcode.OpenRead, cursor, (int)r.Index.RootPage, r.Index.Db, r.Index.KeyInfo());
        }
        int key = NewRegister();
        if (r.Lower != null)
        {
            ExprCode(r.Lower, scope, key);
            if (r.Index != null)
            {
                Affinity ca = IndexKeyAffinity(s.Table.Columns[r.Column].Affinity);
                if (ca != Affinity.Blob) Emit(Opcode.Affinity, key, 1, 0, ((char)ca).ToString());
            }
            Emit(Opcode.IsNull, key, brk, 0);
            Emit(r.LowerStrict ? Opcode.SeekGT : Opcode.SeekGE, cursor, brk, key, 1);
        }
        else if (r.Index != null)
        {
            // Index keys start with the NULLs, which no bound accepts.
            Emit(Opcode.Null, 0, key, 0);
            Emit(Opcode.SeekGT, cursor, brk, key, 1);
        }
        else Emit(Opcode.Rewind, cursor, brk, 0);
        int top = CurrentAddress;
        if (r.Index != null && cursor != s.Cursor)
        {
            int rowid = NewRegister();
            Emit(Opcode.IdxRowid, cursor, rowid, 0);
            Emit(Opcode.SeekRowid, s.Cursor, cont, rowid);
        }
        foreach (Expr upper in r.Upper) JumpIfFalse(upper, scope, brk);
        return () =>
        {
            Resolve(cont);
            Emit(Opcode.Next, cursor, top, 0);
            Resolve(brk);
        };
    }

    /// <summary>The indexes a loop may seek: a WITHOUT ROWID table's PRIMARY KEY (its own b-tree) first, then its indexes.</summary>
    private static IEnumerable<Index> SeekableIndexes(Table t) => t.PrimaryKey != null ? t.Indexes.Prepend(t.PrimaryKey) : t.Indexes;

    /// <summary>
    /// The loop over the index entries whose first column equals <paramref name="other"/>
    /// (given the column's affinity; NULL matches nothing), each positioning the table cursor
    /// on its row. Returns the code that closes the loop.
    /// </summary>
    private Action IndexEqualityLoop(Source s, int ixCursor, int column, Expr other, Scope scope, int brk, int cont)
    {
        int key = NewRegister();
        ExprCode(other, scope, key);
        Affinity ca = IndexKeyAffinity(s.Table.Columns[column].Affinity);
        if (ca != Affinity.Blob) Emit(Opcode.Affinity, key, 1, 0, ((char)ca).ToString());
        Emit(Opcode.IsNull, key, brk, 0);
        Emit(Opcode.SeekGE, ixCursor, brk, key, 1);
        int top = CurrentAddress;
        Emit(Opcode.IdxGT, ixCursor, brk, key, 1);
        if (ixCursor != s.Cursor)
        {
            int rowid = NewRegister();
            Emit(Opcode.IdxRowid, ixCursor, rowid, 0);
            Emit(Opcode.SeekRowid, s.Cursor, cont, rowid);
        }
        return () =>
        {
            Resolve(cont);
            Emit(Opcode.Next, ixCursor, top, 0);
            Resolve(brk);
        };
    }

    /// <summary>
    /// Builds, the first time the statement gets here, a transient index on column
    /// <paramref name="column"/> of <paramref name="s"/> (key: the value with the column's
    /// affinity, then the rowid; text ordered by <paramref name="collation"/>), and returns
    /// its cursor. The table cursor is left unpositioned for the loop to seek.
    /// </summary>
    private int AutomaticIndexCode(Source s, int column, Collation collation, List<Expr> partial, Scope scope)
    {
        int ix = NewCursor();
        int built = NewLabel();
        Emit(Opcode.Once, 0, built, 0);
        Emit(Opcode.OpenEphemeral, ix, 2, 0, new KeyInfo([false, false], [collation, Collation.Binary]), P5AutoIndex);
        int scanned = NewLabel();
        Emit(Opcode.Rewind, s.Cursor, scanned, 0);
        int top = CurrentAddress;
        int skip = NewLabel();
        foreach (Expr term in partial) JumpIfFalse(term, scope, skip);
        int regs = NewRegisters(2), rec = NewRegister();
        EmitColumnRaw(s, column, regs);
        Emit(Opcode.Rowid, s.Cursor, regs + 1, 0);
        Emit(Opcode.MakeRecord, regs, 2, rec);
        Emit(Opcode.IdxInsert, ix, rec, 0);
        Resolve(skip);
        Emit(Opcode.Next, s.Cursor, top, 0);
        Resolve(scanned);
        Resolve(built);
        return ix;
    }

    /// <summary>Whether an expression calls no function whose result may change between calls (random() and the like).</summary>
    private static bool IsDeterministicTree(Expr e)
    {
        bool ok = true;
        Walk(e, x =>
        {
            if (x is FunctionCall f && NonDeterministicFunctions.Contains(f.Name)) ok = false;
            return ok;
        });
        return ok;
    }

    /// <summary>
    /// The affinity a seek key gets for an index column of affinity <paramref name="column"/>:
    /// INTEGER and REAL count as NUMERIC, as in SQLite's index affinity strings, so an integer
    /// key stays an integer (REAL would round 9223372036854775807 up to 2^63) and is compared
    /// with the index's reals exactly.
    /// </summary>
    private static Affinity IndexKeyAffinity(Affinity column) =>
        column is Affinity.Integer or Affinity.Real ? Affinity.Numeric : column;

    /// <summary>Functions SQLite marks neither constant nor slow-changing: a term calling one is evaluated per row.</summary>
    private static readonly HashSet<string> VolatileFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "random", "randomblob", "changes", "total_changes", "last_insert_rowid",
    };

    /// <summary>As <see cref="IsConstantTerm"/>; a name that fails to resolve leaves the term in the loops, where its error is raised.</summary>
    private bool IsConstantTermQuietly(Expr term, Scope scope)
    {
        try
        {
            return IsConstantTerm(term, scope, 0);
        }
        catch (TernException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether a WHERE term whose own source mask is empty is constant as SQLite's
    /// exprIsDeterministic sees it: no subquery (nor IN table), no volatile function, and a
    /// result-column alias it names (WHERE may name one) stands for such an expression too.
    /// </summary>
    private bool IsConstantTerm(Expr term, Scope scope, int depth)
    {
        if (depth > 8) return false;
        bool ok = true;
        Walk(term, x =>
        {
            if (!ok) return false;
            switch (x)
            {
                case ExistsExpr or SubqueryExpr or InSelectExpr or InTableExpr:
                    ok = false;
                    break;
                case FunctionCall f when VolatileFunctions.Contains(f.Name):
                    ok = false;
                    break;
                case ColumnRef c when TryResolveLocal(c, scope) is { Source.Flattened: { } flat, Column: >= 0 and var col }:
                    // A flattened subquery's column stands for its expression.
                    if (!IsConstantTerm(flat[col], scope, depth + 1)) ok = false;
                    break;
                case ColumnRef c when c.Table == null && TryResolve(c, scope).Source == null
                    && _aliasScopes.TryGetValue(scope, out List<ResultItem>? items):
                    foreach (ResultItem item in items)
                    {
                        if (!string.Equals(item.Name, c.Column, StringComparison.OrdinalIgnoreCase)) continue;
                        if (SourceMask(item.Expr, scope) != 0 || !IsConstantTerm(item.Expr, scope, depth + 1)) ok = false;
                        break;
                    }
                    break;
            }
            return ok;
        });
        return ok;
    }

    /// <summary>OpenEphemeral's P5 for a transient index b-tree that Seek/IdxGT/IdxRowid can use.</summary>
    private const ushort P5AutoIndex = 1;

    /// <summary>Resolves a column reference against the scope's own sources only.</summary>
    private static (Source? Source, int Column) TryResolveLocal(ColumnRef c, Scope scope)
    {
        var local = new Scope();
        local.Sources.AddRange(scope.Sources);
        return TryResolve(c, local);
    }

    /// <summary>
    /// Which of the scope's sources an expression reads (bit i = source i); subqueries count as
    /// all, or with <paramref name="subqueries"/> as the sources they name (where a term is tested).
    /// </summary>
    private static UInt128 SourceMask(Expr e, Scope scope, bool subqueries = false)
    {
        UInt128 mask = 0;
        Walk(e, x =>
        {
            switch (x)
            {
                case ColumnRef c:
                    {
                        (Source? s, int col) = TryResolveLocal(c, scope);
                        if (s?.Flattened != null)
                        {
                            // What a flattened column stands for reads the subquery's tables.
                            if (col >= 0) mask |= SourceMask(s.Flattened[col], scope, subqueries);
                            int n = s.NullRowSource == null ? -1 : scope.Sources.IndexOf(s.NullRowSource);
                            if (n >= 0) mask |= n >= 127 ? UInt128.MaxValue : UInt128.One << n;
                        }
                        else if (s != null)
                        {
                            int i = scope.Sources.IndexOf(s);
                            mask |= i >= 127 ? UInt128.MaxValue : UInt128.One << i;
                        }
                        break;
                    }
                case ExistsExpr or SubqueryExpr or InSelectExpr when subqueries:
                    mask |= SubqueryMask(x, scope);
                    break;
                case ExistsExpr or SubqueryExpr or InSelectExpr:
                    mask = UInt128.MaxValue;
                    break;
            }
            return true;
        });
        return mask;
    }
}
