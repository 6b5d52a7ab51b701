// SELECT: result columns, FROM as nested loops (a rowid or index seek where an equality
// term allows one), WHERE, GROUP BY/HAVING with aggregates, DISTINCT, ORDER BY through a
// sorter, LIMIT/OFFSET, and compound SELECTs. Rows are handed to a RowHandler, so the
// same code serves a top-level query (ResultRow), INSERT ... SELECT, and subqueries.
//
// Aggregate query with GROUP BY:
//   loop over rows:   sorter <- [group keys, aggregate arguments, bare columns]
//   sort; for each sorted row:
//       keys changed? -> Gosub output (finals, HAVING, emit); reset accumulators
//       AggStep each aggregate from the sorter's columns
//   after the last row: Gosub output
using System.Diagnostics;
using Tern.Functions;
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Sql.Ast;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Compiler;

/// <summary>Called while generating code, at the point where a result row sits in registers.</summary>
internal delegate void RowHandler(int start, int count);

internal sealed partial class CodeGenerator
{
    private sealed record ResultItem(Expr Expr, string Name, string? DeclaredType)
    {
        /// <summary>The affinity a column of a subquery, view or CTE built from this item has.</summary>
        public Vdbe.Affinity Affinity { get; init; }

        /// <summary>The collation such a column has.</summary>
        public Collation Collation { get; init; }

        /// <summary>Whether the name was given by AS.</summary>
        public bool Aliased { get; init; }

        /// <summary>The table column the item reads directly (a table in the FROM clause), if any.</summary>
        public (string Table, string Column)? Origin { get; init; }

        /// <summary>
        /// For an unaliased column name (or a double-quoted name read as a string): the name as
        /// written, which a subquery or CTE column built from the item takes (SQLite names those
        /// before resolving names, so <c>(SELECT A FROM t)</c> has a column A where t has a).
        /// </summary>
        public string? WrittenName { get; init; }
    }

    private void CompileTopSelect(SelectStatement s)
    {
        bool first = true;
        CompileSelect(s, null, (start, n) => Emit(Opcode.ResultRow, start, n, 0), names =>
        {
            if (!first) return;
            first = false;
            _columnNames = names.Select(x => x.Name).ToArray();
            _declaredTypes = names.Select(x => x.DeclaredType).ToArray();
            _columnOrigins = names.Select(x => x.Origin).ToArray();
        });
    }

    private void CompileSelect(SelectStatement s, Scope? outer, RowHandler emit) => CompileSelect(s, outer, emit, null);

    private void CompileSelect(SelectStatement s, Scope? outer, RowHandler emit, Action<List<ResultItem>>? names)
    {
        if (_expanded == 0)
        {
            CompileExpandedSelect(s, outer, emit, names);
            return;
        }
        CteEnv? savedCtes = _ctes;
        if (s.With != null) PushWith(s.With);
        try
        {
            if (s.Compounds.Count == 0) CompileCore(s.First, outer, s.OrderBy, s.Limit, emit, names);
            else CompileCompound(s, outer, emit, names);
        }
        finally
        {
            _ctes = savedCtes;
        }
    }

    private void CompileCompoundBody(SelectStatement s, Scope? outer, RowHandler emit, Action<List<ResultItem>>? names)
    {
        bool allUnionAll = s.Compounds.AsSpan().ToArray().All(c => c.Operator == CompoundOperator.UnionAll);
        int width = -1;
        void CheckWidth(int n, CompoundOperator op)
        {
            if (width < 0) width = n;
            else if (width != n)
            {
                string w = op switch
                {
                    CompoundOperator.UnionAll => "UNION ALL",
                    CompoundOperator.Union => "UNION",
                    CompoundOperator.Intersect => "INTERSECT",
                    _ => "EXCEPT",
                };
                throw new TernException(ResultCode.Error, $"SELECTs to the left and right of {w} do not have the same number of result columns");
            }
        }
        var cores = new List<(SelectCore Core, CompoundOperator Op)> { (s.First, CompoundOperator.UnionAll) };
        foreach (CompoundPart p in s.Compounds) cores.Add((p.Select, p.Operator));
        // Each core's result columns and scope, for the ORDER BY (SQLite matches its terms
        // against the cores' results from the left-most on).
        var members = _compoundMemberCapture ?? [];
        _compoundMemberCapture = null;
        // Every core's rows land in a collection; the final pass applies ORDER BY and LIMIT.
        var outStage = new OutputStage(this, s.OrderBy, s.Limit, emit);
        using PlanScope compoundNote = NoteScope("COMPOUND QUERY");
        if (allUnionAll && s.OrderBy.Count == 0)
        {
            outStage.Prepare(null);
            for (int i = 0; i < cores.Count; i++)
            {
                using PlanScope coreNote = NoteScope(i == 0 ? "LEFT-MOST SUBQUERY" : CompoundNote(cores[i].Op));
                _memberSink = members;
                _streamedInto = outStage;
                CompileCore(cores[i].Core, outer, default, null, (st, n) =>
                {
                    CheckWidth(n, cores[Math.Max(i, 1) - (i == 0 ? 1 : 0)].Op);
                    outStage.Row(st, n, null);
                }, i == 0 ? names : null);
            }
            outStage.Finish();
            if (names != null) SettleCompoundAffinities(members);
            return;
        }
        // The running result is either a list (duplicates kept, after UNION ALL) or a set.
        // Sets compare each column with the compound's collation for it: the first core's
        // column's, else the next core's (known once the cores are compiled; the opens are
        // patched then).
        var setOpens = new List<int>();
        var columnCollations = new List<Collation?[]>();
        // With ORDER BY SQLite merges co-routines (multiSelectOrderBy): LIMIT and OFFSET are
        // computed before either side runs (LIMIT 0 runs neither), the left side is pulled first,
        // and for INTERSECT and EXCEPT an empty left side ends the query before the right one
        // runs. Without ORDER BY (multiSelect) every side runs and LIMIT is computed after them.
        bool merged = s.OrderBy.Count > 0;
        if (merged) outStage.ComputeLimit();
        int current = NewCursor();
        bool currentIsList = cores.Count > 1 && cores[1].Op == CompoundOperator.UnionAll;
        int firstOpen = Emit(currentIsList ? Opcode.SorterOpen : Opcode.OpenEphemeral, current, 0, 0, new KeyInfo(0));
        if (!currentIsList) setOpens.Add(firstOpen);
        // Without ORDER BY a trailing run of UNION ALL streams (multiSelect hands its LIMIT to
        // the SELECT on its left): the rows before it are collected and sent out first, LIMIT
        // computed after them, then each UNION ALL core's rows follow; a LIMIT reached on the
        // way ends the query before the cores after it run.
        int streamFrom = cores.Count;
        if (!merged)
        {
            while (streamFrom > 1 && cores[streamFrom - 1].Op == CompoundOperator.UnionAll) streamFrom--;
            if (streamFrom == 1) streamFrom = cores.Count;
        }
        for (int i = 0; i < streamFrom; i++)
        {
            CompoundOperator op = i == 0 ? (currentIsList ? CompoundOperator.UnionAll : CompoundOperator.Union) : cores[i].Op;
            bool wantList = op == CompoundOperator.UnionAll;
            if (i > 0 && (wantList != currentIsList || op is CompoundOperator.Intersect or CompoundOperator.Except))
            {
                // Re-home the rows so far: a set for UNION/INTERSECT/EXCEPT, a list for UNION ALL.
                int next = NewCursor();
                int open = Emit(wantList ? Opcode.SorterOpen : Opcode.OpenEphemeral, next, 0, 0, new KeyInfo(0));
                if (!wantList) setOpens.Add(open);
                CopyRows(current, next, wantList, -1, keepFirst: merged);
                current = next;
                currentIsList = wantList;
            }
            // INTERSECT collects the right side's rows in a set of their own, then keeps the
            // rows of the left side found there (so the left side's values are the ones kept).
            int target = current;
            if (op == CompoundOperator.Intersect)
            {
                target = NewCursor();
                setOpens.Add(Emit(Opcode.OpenEphemeral, target, 0, 0, new KeyInfo(0)));
            }
            int cur = current, tgt = target;
            int leftEmpty = 0;
            bool skipWhenEmpty = merged && op is CompoundOperator.Intersect or CompoundOperator.Except;
            if (skipWhenEmpty)
            {
                leftEmpty = NewLabel();
                Emit(Opcode.Rewind, current, leftEmpty, 0);
            }
            // Which of equal rows (NOCASE 'a' and 'A', 1 and 1.0) a set keeps: without ORDER BY the
            // last inserted, as SQLite's ephemeral index does; with ORDER BY, as SQLite's merge of
            // stably sorted sides, a side's first, and for UNION the right side's over the left's
            // (the right side's rows gather in a set of their own, then replace the left's).
            int unionSide = -1;
            if (merged && op == CompoundOperator.Union && i > 0)
            {
                unionSide = NewCursor();
                setOpens.Add(Emit(Opcode.OpenEphemeral, unionSide, 0, 0, new KeyInfo(0)));
            }
            int side = unionSide;
            PlanScope partNote = NoteScope(i == 0 ? "LEFT-MOST SUBQUERY" : CompoundNote(op));
            _memberSink = members;
            _windowCallsAsColumns = s.OrderBy.Count == 0;
            CompileCore(cores[i].Core, outer, default, null, (st, n) =>
            {
                CheckWidth(n, op);
                int rec = NewRegister();
                Emit(Opcode.MakeRecord, st, n, rec, null, P5Flags.IntRealAsInteger);
                switch (op)
                {
                    case CompoundOperator.Except:
                        Emit(Opcode.IdxDelete, cur, st, n);
                        break;
                    case CompoundOperator.Intersect:
                        Emit(Opcode.IdxInsert, tgt, rec, 0);
                        break;
                    case CompoundOperator.UnionAll:
                        Emit(Opcode.SorterInsert, cur, rec, 0);
                        break;
                    default:
                        {
                            int into = side >= 0 ? side : cur, present = NewLabel();
                            if (merged) Emit(Opcode.Found, into, present, rec);
                            Emit(Opcode.IdxInsert, into, rec, 0);
                            Resolve(present);
                            break;
                        }
                }
            }, i == 0 ? names : null, columnCollations.Add);
            partNote.Dispose();
            if (unionSide >= 0) CopyRows(unionSide, current, false, -1, keepFirst: false);
            if (skipWhenEmpty) Resolve(leftEmpty);
            if (op == CompoundOperator.Intersect)
            {
                int kept = NewCursor();
                setOpens.Add(Emit(Opcode.OpenEphemeral, kept, 0, 0, new KeyInfo(0)));
                CopyRows(current, kept, false, target);
                target = kept;
            }
            current = target;
        }

        // Copies every row of `from` into `to` (a list, or a set), keeping only the rows
        // found in the set `onlyIfIn` when that is not -1.
        // keepFirst: into a set, a row equal to one already there is left out (else it replaces it).
        void CopyRows(int from, int to, bool toList, int onlyIfIn, bool keepFirst = false)
        {
            int copied = NewLabel(), skip = NewLabel();
            Emit(Opcode.Rewind, from, copied, 0);
            int top = CurrentAddress;
            int regs = NewRegisters(Math.Max(width, 1));
            for (int k = 0; k < width; k++) Emit(Opcode.Column, from, k, regs + k);
            int rec = NewRegister();
            Emit(Opcode.MakeRecord, regs, width, rec);
            if (onlyIfIn >= 0) Emit(Opcode.NotFound, onlyIfIn, skip, rec);
            if (keepFirst && !toList) Emit(Opcode.Found, to, skip, rec);
            Emit(toList ? Opcode.SorterInsert : Opcode.IdxInsert, to, rec, 0);
            Resolve(skip);
            Emit(Opcode.Next, from, top, 0);
            Resolve(copied);
        }

        // Each set compares with the compound's collation for each column (the first core's that
        // has one); the opens are patched once the cores are compiled.
        var collations = new Collation[Math.Max(width, 0)];
        void PatchSetCollations()
        {
            for (int k = 0; k < collations.Length; k++)
                collations[k] = columnCollations.Select(c => k < c.Length ? c[k] : null).FirstOrDefault(c => c != null) ?? Collation.Binary;
            foreach (int open in setOpens)
            {
                Instruction ins = _code[open];
                ins.P4 = new KeyInfo(new bool[collations.Length], collations);
                _code[open] = ins;
            }
        }
        PatchSetCollations();
        // Read the collection back.
        _compoundMembers = members;
        CheckCompoundOrderBy(s.OrderBy, width);
        outStage.Prepare(null, null, s.OrderBy.AsSpan().ToArray().Select(o => o.Expr is CollateExpr ce
            ? MemCompare.ParseCollation(ce.Collation) : collations[ResultColumnOf(o.Expr, width)]).ToArray());
        int done = NewLabel();
        int top = CurrentAddress;
        Emit(Opcode.Rewind, current, done, 0);
        int loop = CurrentAddress;
        int regs = NewRegisters(Math.Max(width, 1));
        for (int k = 0; k < width; k++) Emit(Opcode.Column, current, k, regs + k);
        outStage.Row(regs, width, null);
        Emit(Opcode.Next, current, loop, 0);
        Resolve(done);
        _ = top;
        for (int i = streamFrom; i < cores.Count; i++)
        {
            using PlanScope coreNote = NoteScope(CompoundNote(CompoundOperator.UnionAll));
            _memberSink = members;
            _streamedInto = outStage;
            CompileCore(cores[i].Core, outer, default, null, (st, n) =>
            {
                CheckWidth(n, CompoundOperator.UnionAll);
                outStage.Row(st, n, null);
            }, null, columnCollations.Add);
        }
        // The sets before the streamed cores compare with collations the later cores may supply.
        if (streamFrom < cores.Count) PatchSetCollations();
        outStage.Finish();
        if (names != null) SettleCompoundAffinities(members);
    }

    /// <summary>
    /// The affinity of a compound's columns as a subquery, view, CTE or CREATE TABLE AS sees
    /// them (SQLite's rule, on the first core's result items, which the caller holds): the
    /// left-most core's expression affinity, else the first later core's that has one; a TEXT
    /// column that a later core may fill with a number, or a numeric one that a later core may
    /// fill with text, has no affinity (BLOB).
    /// </summary>
    private void SettleCompoundAffinities(List<(List<ResultItem> Results, Scope Scope)> members)
    {
        if (members.Count < 2 || members.Any(m => m.Results.Count != members[0].Results.Count)) return;
        SettleCompoundAffinities(members[0].Results, members.Count,
            (j, k) => members[j].Results[k].Affinity, (j, k) => MayProduce(members[j].Results[k].Expr, members[j].Scope));
    }

    /// <summary>
    /// The rule of <see cref="SettleCompoundAffinities(List{ValueTuple{List{ResultItem}, Scope}})"/> over
    /// <paramref name="count"/> cores, given each core's (index, column) affinity and the kinds of
    /// value it may give.
    /// </summary>
    private static void SettleCompoundAffinities(List<ResultItem> first, int count, Func<int, int, Affinity> affinity, Func<int, int, int> mayProduce)
    {
        for (int k = 0; k < first.Count; k++)
        {
            int j = 0, may = 0;
            Affinity aff = affinity(0, k);
            while (aff == Affinity.None && j + 1 < count)
            {
                may |= mayProduce(j, k);
                j++;
                aff = affinity(j, k);
            }
            if (aff == Affinity.None) continue;
            for (int i = j + 1; i < count; i++) may |= mayProduce(i, k);
            if ((aff == Affinity.Text && (may & MayBeNumber) != 0) || (aff >= Affinity.Numeric && (may & MayBeText) != 0)) aff = Affinity.Blob;
            if (aff != first[k].Affinity) first[k] = first[k] with { Affinity = aff };
        }
    }

    private const int MayBeNumber = 1, MayBeText = 2, MayBeBlob = 4;

    /// <summary>Which kinds of value (besides NULL) an expression may give, as SQLite judges it for a compound's column affinity.</summary>
    private int MayProduce(Expr e, Scope scope)
    {
        switch (e)
        {
            case CollateExpr c: return MayProduce(c.Operand, scope);
            case UnaryExpr { Operator: UnaryOperator.Plus } u: return MayProduce(u.Operand, scope);
            case Literal { Kind: LiteralKind.Null }: return 0;
            case Literal { Kind: LiteralKind.String }: return MayBeText;
            case Literal { Kind: LiteralKind.Blob }: return MayBeBlob;
            case BinaryExpr { Operator: BinaryOperator.Concat }: return MayBeText | MayBeBlob;
            case ParameterExpr or FunctionCall: return MayBeNumber | MayBeText | MayBeBlob;
            case ColumnRef or SubqueryExpr or CastExpr or RowValueExpr:
                {
                    Affinity aff = ExprAffinity(e, scope);
                    return aff >= Affinity.Numeric ? MayBeNumber | MayBeBlob : aff == Affinity.Text ? MayBeText | MayBeBlob : MayBeNumber | MayBeText | MayBeBlob;
                }
            case CaseExpr c:
                {
                    int may = 0;
                    foreach (CaseWhen w in c.Whens) may |= MayProduce(w.Result, scope);
                    if (c.Else != null) may |= MayProduce(c.Else, scope);
                    return may;
                }
            default: return MayBeNumber;
        }
    }

    /// <summary>
    /// The tail of a query: DISTINCT, then ORDER BY (rows go through a sorter), then OFFSET and
    /// LIMIT, then the row handler. Sort keys are computed by the caller when given as expressions
    /// over the FROM scope; otherwise they refer to result columns.
    /// </summary>
    /// <summary>
    /// Whether SQLite would take these ORDER BY (<paramref name="descending"/> given) or GROUP
    /// BY (null) terms from its loops instead of sorting, so that an integer marked real
    /// (Mem.IntReal) stays one, where Tern's own sorter must keep it. The shapes are those
    /// SQLite's planner takes without statistics: every term names a column of one table, whose
    /// rowid comes first, or whose columns are a prefix of a full index's (same collations; for
    /// ORDER BY in order and all in the index's directions or all against them, for GROUP BY in
    /// any order), and no WHERE term might pick another access path: terms without columns, on
    /// the ordering column, or on columns no index (nor the rowid) starts with. Other tables of
    /// a join must be tied by constant terms only (no LEFT or CROSS JOIN), so SQLite makes the
    /// ordered table the outer loop.
    /// </summary>
    private bool LoopsGiveOrder(Expr[] terms, bool[]? descending, Scope scope, List<Expr> whereTerms, NodeList<FromItem> from)
    {
        if (terms.Length == 0 || scope.LeftLevels.Count > 0 || scope.HasRightJoin) return false;
        if (scope.Sources.Count == 1 && OneRow(scope.Sources[0], scope, whereTerms)) return true;
        Source? table = null;
        var columns = new int[terms.Length];
        var collations = new Collation[terms.Length];
        for (int i = 0; i < terms.Length; i++)
        {
            Expr e = terms[i];
            while (e is CollateExpr ce) e = ce.Operand;
            if (e is not ColumnRef c) return false;
            (Source? src, int col) = TryResolveQuietly(c, scope);
            if (src == null || !scope.Sources.Contains(src) || src.Materialized || src.Flattened != null || (table != null && src != table)) return false;
            table = src;
            columns[i] = col == src.Table.RowidAlias ? -1 : col;
            collations[i] = ExprCollation(terms[i], scope) ?? Collation.Binary;
        }
        Debug.Assert(table != null);
        Table t = table!.Table;
        foreach (Source other in scope.Sources)
        {
            if (other != table && (other.Materialized || other.Recursive != null)) return false;
        }
        if (scope.Sources.Count > 1 && table != scope.Sources[0] && from.Any(fi => (fi.Join & JoinType.Cross) != 0)) return false;
        int leading;
        if (columns[0] < 0 && (descending == null ? columns.Length == 1 : true)) leading = -1;
        else if (OrderingIndex(t, table, columns, collations, descending) is Index ix) leading = ix.Columns[0];
        else return false;
        foreach (Expr w in whereTerms)
        {
            bool ok = true;
            Walk(w, x =>
            {
                if (x is ExistsExpr or SubqueryExpr or InSelectExpr) ok = false;
                return ok;
            });
            if (!ok || !TermLeavesOrder(w, table, leading, scope, whereTerms)) return false;
        }
        return true;
    }

    /// <summary>
    /// Whether a WHERE term fixes the table's rowid or a single-column UNIQUE index's key (an
    /// equality, or IN with one value, against no column of the table): SQLite's loop then
    /// reads at most one row, which is in any order.
    /// </summary>
    private bool OneRow(Source s, Scope scope, List<Expr> whereTerms)
    {
        if (s.Materialized || s.Flattened != null) return false;
        Table t = s.Table;
        foreach (Expr w in whereTerms)
        {
            (Expr? l, Expr? r) = w switch
            {
                BinaryExpr { Operator: BinaryOperator.Eq or BinaryOperator.Is } b => (b.Left, b.Right),
                InListExpr { Not: false, Items.Count: 1 } il => (il.Operand, il.Items[0]),
                _ => (null, null),
            };
            if (l == null || r == null) continue;
            if (KeyColumn(l, r) || KeyColumn(r, l)) return true;
        }
        return false;

        bool KeyColumn(Expr column, Expr value)
        {
            if (column is not ColumnRef c || TryResolveQuietly(c, scope) is not (Source cs, int col) || cs != s) return false;
            bool usesTable = false;
            Walk(value, x =>
            {
                if (x is ExistsExpr or SubqueryExpr or InSelectExpr) usesTable = true;
                if (x is ColumnRef vc && TryResolveQuietly(vc, scope) is (Source vs, _) && vs == s) usesTable = true;
                return !usesTable;
            });
            if (usesTable) return false;
            if (col < 0 || col == t.RowidAlias) return true;
            Collation coll = ExprCollation(column, scope) ?? Collation.Binary;
            return !s.NotIndexed && s.IndexedBy == null && t.Indexes.Any(ix => ix.Unique && ix.Where == null && ix.Columns.Length == 1 && ix.Columns[0] == col && ix.Collations[0] == coll);
        }
    }

    /// <summary>
    /// Whether a WHERE term (split at AND and OR) cannot offer SQLite another access path than
    /// the ordering one: every comparison, BETWEEN, IN or NULL test whose operand is a column
    /// compares it with no column of another table, and names, on the ordered table, its
    /// leading ordering column or a column that neither the rowid nor an index starts with; on
    /// another table, such a column, or one bounded by a single range term (x > 1, x IS NOT
    /// NULL). Columns used as values (truth values, function arguments) offer no path.
    /// </summary>
    private static bool TermLeavesOrder(Expr w, Source ordered, int leading, Scope scope, List<Expr> whereTerms)
    {
        while (w is CollateExpr c) w = c.Operand;
        switch (w)
        {
            case BinaryExpr { Operator: BinaryOperator.And or BinaryOperator.Or } b:
                return TermLeavesOrder(b.Left, ordered, leading, scope, whereTerms) && TermLeavesOrder(b.Right, ordered, leading, scope, whereTerms);
            case BinaryExpr { Operator: BinaryOperator.Eq or BinaryOperator.Is } b:
                return OperandLeavesOrder(b.Left, b.Right, false) && OperandLeavesOrder(b.Right, b.Left, false);
            case BinaryExpr { Operator: BinaryOperator.Lt or BinaryOperator.Le or BinaryOperator.Gt or BinaryOperator.Ge } b:
                return OperandLeavesOrder(b.Left, b.Right, true) && OperandLeavesOrder(b.Right, b.Left, true);
            case BetweenExpr { Not: false } be:
                return OperandLeavesOrder(be.Operand, be.Low, false) && OperandLeavesOrder(be.Operand, be.High, false);
            case InListExpr { Not: false } il:
                return il.Items.All(item => OperandLeavesOrder(il.Operand, item, false));
            case NullTestExpr nt:
                return OperandLeavesOrder(nt.Operand, null, nt.NotNull);
            default:
                return true;
        }

        // A single bound (one range term on the column) does not outweigh the saved sort.
        bool SingleBound(Source rs, int k)
        {
            int bounds = 0;
            foreach (Expr t in whereTerms)
            {
                if (t is not BinaryExpr { Operator: BinaryOperator.Lt or BinaryOperator.Le or BinaryOperator.Gt or BinaryOperator.Ge } rb) continue;
                foreach (Expr side in new[] { rb.Left, rb.Right })
                {
                    Expr e = side;
                    while (e is CollateExpr c) e = c.Operand;
                    if (e is ColumnRef bc && TryResolveQuietly(bc, scope) is (Source bs, int bcol) && bs == rs && (bcol == rs.Table.RowidAlias ? -1 : bcol) == k) bounds++;
                }
            }
            return bounds <= 1;
        }

        bool OperandLeavesOrder(Expr operand, Expr? other, bool range)
        {
            while (operand is CollateExpr c) operand = c.Operand;
            if (operand is not ColumnRef rc) return true;
            (Source? rs, int rcol) = TryResolveQuietly(rc, scope);
            if (rs == null || !scope.Sources.Contains(rs)) return true;
            Table t = rs.Table;
            int k = rcol == t.RowidAlias ? -1 : rcol;
            bool joins = false;
            if (other != null)
            {
                Walk(other, x =>
                {
                    if (x is ColumnRef oc && TryResolveQuietly(oc, scope) is (Source os, _) && os != null && os != rs && scope.Sources.Contains(os)) joins = true;
                    return !joins;
                });
            }
            if (joins) return false;
            bool pathStart = k < 0 || t.Indexes.Any(ix => ix.Columns[0] == k);
            if (rs == ordered && k == leading) return true;
            return !pathStart || (range && SingleBound(rs, k));
        }
    }

    /// <summary>
    /// Whether every ORDER BY term names a column that a GROUP BY term names, and the GROUP BY
    /// terms come from the loops too (so SQLite reads the groups in the ORDER BY's order).
    /// </summary>
    private bool OrderNamesGroupTerms(Expr[] orderExprs, SelectClause core, List<ResultItem> results, Scope scope)
    {
        var groupExprs = new Expr[core.GroupBy.Count];
        try
        {
            for (int i = 0; i < groupExprs.Length; i++) groupExprs[i] = ResolveGroupTerm(core.GroupBy[i], results, scope);
        }
        catch (TernException)
        {
            return false;
        }
        if (groupExprs.Length != orderExprs.Length) return false;
        var named = new HashSet<(Source, int)>();
        foreach (Expr g in groupExprs)
        {
            Expr e = g;
            while (e is CollateExpr ce) e = ce.Operand;
            if (e is not ColumnRef c || TryResolveQuietly(c, scope) is not (Source s, int col) || s == null) return false;
            named.Add((s, col));
        }
        foreach (Expr o in orderExprs)
        {
            Expr e = o;
            while (e is CollateExpr ce) e = ce.Operand;
            if (e is not ColumnRef c || TryResolveQuietly(c, scope) is not (Source s, int col) || s == null || !named.Contains((s, col))) return false;
        }
        return true;
    }

    /// <summary>A full index of <paramref name="t"/> whose leading columns give the terms' order (see <see cref="LoopsGiveOrder"/>).</summary>
    private static Index? OrderingIndex(Table t, Source s, int[] columns, Collation[] collations, bool[]? descending)
    {
        if (s.NotIndexed) return null;
        foreach (Index ix in t.Indexes)
        {
            if (ix.Where != null || (s.IndexedBy != null && !string.Equals(ix.Name, s.IndexedBy, StringComparison.OrdinalIgnoreCase))) continue;
            if (descending == null)
            {
                // GROUP BY: the terms name the index's first columns in any order (the rowid may follow them).
                int n = columns.Count(c => c >= 0);
                if (n == 0 || n > ix.Columns.Length || columns.Length - n > 1) continue;
                bool all = true;
                for (int j = 0; j < n && all; j++)
                {
                    int k = Array.IndexOf(columns, ix.Columns[j]);
                    all = k >= 0 && collations[k] == ix.Collations[j];
                }
                if (all) return ix;
                continue;
            }
            bool match = true;
            bool? reversed = null;
            for (int j = 0; j < columns.Length && match; j++)
            {
                if (j == ix.Columns.Length)
                {
                    // Past the index's columns comes the rowid, which ends the order.
                    match = columns[j] < 0 && (reversed ?? descending[j]) == descending[j];
                    break;
                }
                if (columns[j] < 0 || ix.Columns[j] != columns[j] || collations[j] != ix.Collations[j]) match = false;
                else
                {
                    bool rev = descending[j] != ix.Descending[j];
                    if (reversed != null && reversed != rev) match = false;
                    reversed = rev;
                }
            }
            if (match) return ix;
        }
        return null;
    }

    /// <summary>
    /// After reading fields first..first+n-1 of a record made with <see cref="P5Flags.KeepIntReal"/>
    /// into r[regs..]: marks again the integers that were marked real. The mask is the record's
    /// last field, <paramref name="width"/> (by default the field after those read).
    /// </summary>
    private void RestoreIntReal(int cursor, int first, int n, int regs, int width = -1)
    {
        int mask = NewRegister();
        Emit(Opcode.Column, cursor, width >= 0 ? width : first + n, mask);
        Emit(Opcode.Affinity, regs, n, mask, first, 4);
    }

    private sealed class OutputStage(CodeGenerator g, NodeList<OrderingTerm> orderBy, LimitClause? limit, RowHandler emit)
    {
        private int _limitReg = -1, _offsetReg = -1, _sorter = -1, _distinct = -1;
        private int _end;
        private bool _limitComputed;

        /// <summary>The sorter keeps integers marked real as REAL (where SQLite would not sort).</summary>
        public bool KeepIntReal { get; init; }

        public bool Sorted => orderBy.Count > 0;

        /// <summary>
        /// Opens what the stage needs. <paramref name="distinctCollations"/> (one per result column)
        /// and <paramref name="orderCollations"/> (one per ORDER BY term) say how text compares
        /// for DISTINCT and for sorting; null means BINARY throughout.
        /// </summary>
        public void Prepare(int? distinctWidth, Collation[]? distinctCollations = null, Collation[]? orderCollations = null)
        {
            ComputeLimit();
            if (distinctWidth != null)
            {
                _distinct = g.NewCursor();
                g.Emit(Opcode.OpenEphemeral, _distinct, distinctWidth.Value, 0,
                    distinctCollations == null ? new KeyInfo(0) : new KeyInfo(new bool[distinctCollations.Length], distinctCollations));
            }
            if (Sorted)
            {
                _sorter = g.NewCursor();
                g.Emit(Opcode.SorterOpen, _sorter, orderBy.Count, 0, OrderKeyInfo(orderBy, orderCollations));
            }
        }

        /// <summary>
        /// Evaluates LIMIT (a zero one jumps to the end at once, before OFFSET is looked at) and
        /// OFFSET, as SQLite's computeLimitRegisters; called by <see cref="Prepare"/> unless done earlier.
        /// </summary>
        public void ComputeLimit()
        {
            if (_limitComputed) return;
            _limitComputed = true;
            _end = g.NewLabel();
            if (limit == null) return;
            _limitReg = g.NewRegister();
            g.ExprCode(limit.Limit, new Scope(), _limitReg);
            g.Emit(Opcode.MustBeInt, _limitReg, 0, 0);
            g.Emit(Opcode.IfNot, _limitReg, _end, 0);
            if (limit.Offset != null)
            {
                _offsetReg = g.NewRegister();
                g.ExprCode(limit.Offset, new Scope(), _offsetReg);
                g.Emit(Opcode.MustBeInt, _offsetReg, 0, 0);
            }
        }

        /// <summary>
        /// A row is ready in r[start..start+n-1]. <paramref name="keys"/> computes the sort keys into
        /// consecutive registers (when null, ORDER BY terms must name result columns).
        /// </summary>
        public void Row(int start, int n, Func<int>? keys)
        {
            _width = n;
            if (_distinct >= 0)
            {
                int rec = g.NewRegister();
                int skip = g.NewLabel();
                g.Emit(Opcode.MakeRecord, start, n, rec);
                g.Emit(Opcode.Found, _distinct, skip, rec);
                g.Emit(Opcode.IdxInsert, _distinct, rec, 0);
                RowAfterDistinct(start, n, keys);
                g.Resolve(skip);
                return;
            }
            RowAfterDistinct(start, n, keys);
        }

        private int _width;

        private void RowAfterDistinct(int start, int n, Func<int>? keys)
        {
            if (!Sorted)
            {
                Final(start, n);
                return;
            }
            int k = orderBy.Count;
            int block = g.NewRegisters(k + n);
            if (keys != null)
            {
                int kr = keys();
                for (int i = 0; i < k; i++) g.Emit(Opcode.SCopy, kr + i, block + i, 0);
            }
            else
            {
                for (int i = 0; i < k; i++)
                {
                    int col = g.ResultColumnOf(orderBy[i].Expr, n);
                    g.Emit(Opcode.SCopy, start + col, block + i, 0);
                }
            }
            for (int i = 0; i < n; i++) g.Emit(Opcode.SCopy, start + i, block + k + i, 0);
            int rec = g.NewRegister();
            g.Emit(Opcode.MakeRecord, block, k + n, rec, null, KeepIntReal ? P5Flags.KeepIntReal : P5Flags.IntRealAsInteger);
            g.Emit(Opcode.SorterInsert, _sorter, rec, 0);
        }

        private bool _offsetTested;

        /// <summary>
        /// Tests OFFSET before the caller computes the row, as SQLite's selectInnerLoop does when
        /// no sorter or DISTINCT comes first (a skipped row's result columns are never evaluated).
        /// Returns the label to resolve after the row, or null when the test stays in the tail.
        /// </summary>
        public int? OffsetBeforeRow()
        {
            if (_offsetReg < 0 || Sorted || _distinct >= 0) return null;
            _offsetTested = true;
            int skip = g.NewLabel();
            g.Emit(Opcode.IfPos, _offsetReg, skip, 1);
            return skip;
        }

        private void Final(int start, int n)
        {
            int skip = g.NewLabel();
            if (_offsetReg >= 0 && !_offsetTested) g.Emit(Opcode.IfPos, _offsetReg, skip, 1);
            _offsetTested = false;
            emit(start, n);
            if (_limitReg >= 0) g.Emit(Opcode.DecrJumpZero, _limitReg, _end, 0);
            g.Resolve(skip);
        }

        public void Finish()
        {
            if (_distinct >= 0) g.Note("USE TEMP B-TREE FOR DISTINCT");
            if (Sorted) g.Note("USE TEMP B-TREE FOR ORDER BY");
            if (Sorted)
            {
                int done = g.NewLabel();
                int pseudo = g.NewCursor();
                int data = g.NewRegister();
                int k = orderBy.Count;
                g.Emit(Opcode.OpenPseudo, pseudo, data, k + _width + (KeepIntReal ? 1 : 0));
                g.Emit(Opcode.SorterSort, _sorter, done, 0);
                int loop = g.CurrentAddress;
                g.Emit(Opcode.SorterData, _sorter, data, 0);
                int regs = g.NewRegisters(Math.Max(_width, 1));
                for (int i = 0; i < _width; i++) g.Emit(Opcode.Column, pseudo, k + i, regs + i);
                if (KeepIntReal) g.RestoreIntReal(pseudo, k, _width, regs);
                Final(regs, _width);
                g.Emit(Opcode.SorterNext, _sorter, loop, 0);
                g.Resolve(done);
            }
            g.Resolve(_end);
        }
    }

    /// <summary>The result column an ORDER BY term of a compound names (1-based number, alias, or same expression).</summary>
    /// <summary>
    /// The result column a compound's ORDER BY term names, as SQLite finds it: a number; else,
    /// core by core from the left-most, a result column's name, or a result expression the
    /// term equals (a column reference compared by the column it names in that core).
    /// </summary>
    private int ResultColumnOf(Expr e, int width) =>
        CompoundOrderColumn(e, width, 0) ?? throw new TernException(ResultCode.Error, "1st ORDER BY term does not match any column in the result set");

    /// <summary>A compound ORDER BY term's result column, or null when no core has it; numbers out of range fail.</summary>
    private int? CompoundOrderColumn(Expr e, int width, int termIndex)
    {
        if (e is CollateExpr collate) e = collate.Operand;
        if (IsIntegerTerm(e, out long k))
        {
            if (k < 1 || k > width) throw new TernException(ResultCode.Error, $"{Ordinal(termIndex + 1)} ORDER BY term out of range - should be between 1 and {width}");
            return (int)k - 1;
        }
        IEnumerable<(List<ResultItem> Results, Scope? Scope)> members = _compoundMembers != null
            ? _compoundMembers.Select(m => (m.Results, (Scope?)m.Scope))
            : _compoundNames != null ? [(_compoundNames, null)] : [];
        foreach ((List<ResultItem> results, Scope? scope) in members)
        {
            string? name = e is ColumnRef { Table: null } c ? c.Column : null;
            for (int i = 0; i < results.Count && i < width; i++)
            {
                if (name != null && string.Equals(results[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
                if (results[i].Expr.Equals(e)) return i;
            }
            if (scope == null || e is not ColumnRef term) continue;
            (Source? source, int column) = TryResolveQuietly(term, scope);
            if (source == null) continue;
            for (int i = 0; i < results.Count && i < width; i++)
            {
                if (results[i].Expr is ColumnRef rc && TryResolveQuietly(rc, scope) is (Source rs, int rcol) && rs == source && rcol == column) return i;
            }
        }
        return null;
    }

    /// <summary>A column reference's source and column, or (null, 0) when it names none or more than one.</summary>
    private static (Source? Source, int Column) TryResolveQuietly(ColumnRef c, Scope scope)
    {
        try
        {
            return TryResolve(c, scope);
        }
        catch (TernException)
        {
            return (null, 0);
        }
    }

    /// <summary>
    /// A compound's ORDER BY as SQLite checks it once every core is resolved: every number in
    /// range first, then each term matched against the cores; the first term none matches is
    /// named in the error.
    /// </summary>
    private void CheckCompoundOrderBy(NodeList<OrderingTerm> orderBy, int width)
    {
        for (int i = 0; i < orderBy.Count; i++)
        {
            Expr e = orderBy[i].Expr is CollateExpr ce ? ce.Operand : orderBy[i].Expr;
            if (e is Literal { Kind: LiteralKind.Integer }) CompoundOrderColumn(e, width, i);
        }
        for (int i = 0; i < orderBy.Count; i++)
        {
            if (CompoundOrderColumn(orderBy[i].Expr, width, i) == null)
                throw new TernException(ResultCode.Error, $"{Ordinal(i + 1)} ORDER BY term does not match any column in the result set");
        }
    }

    /// <summary>The cores of the compound whose ORDER BY is being resolved (null outside one).</summary>
    private List<(List<ResultItem> Results, Scope Scope)>? _compoundMembers;

    /// <summary>Where the next compound compiled records its cores' results and scopes (taken by that compound only).</summary>
    private List<(List<ResultItem> Results, Scope Scope)>? _compoundMemberCapture;

    /// <summary>Where the next core compiled records its results and scope (a compound's member list), taken by that core only.</summary>
    private List<(List<ResultItem> Results, Scope Scope)>? _memberSink;

    /// <summary>
    /// Set by a compound without ORDER BY for the core compiled next: SQLite picks that
    /// compound's collations after rewriting window queries, so a window call over another
    /// window than the first call's counts as a column (see ResultCollations).
    /// </summary>
    private bool _windowCallsAsColumns;

    private List<ResultItem>? _compoundNames;

    /// <summary>
    /// The compound's output stage that the next core compiled streams its rows into (UNION ALL),
    /// taken by that core only: its OFFSET is tested before the core computes a row.
    /// </summary>
    private OutputStage? _streamedInto;

    /// <summary>
    /// Compiles one SELECT or VALUES core. <paramref name="names"/> receives the result columns;
    /// <paramref name="collations"/> the collation each result column carries (null where none).
    /// </summary>
    private void CompileCoreBody(SelectCore coreNode, Scope? outer, NodeList<OrderingTerm> orderBy, LimitClause? limit, RowHandler emit,
        Action<List<ResultItem>>? names, Action<Collation?[]>? collations)
    {
        List<(List<ResultItem> Results, Scope Scope)>? memberSink = _memberSink;
        _memberSink = null;
        bool windowCallsAsColumns = _windowCallsAsColumns;
        _windowCallsAsColumns = false;
        OutputStage? streamedInto = _streamedInto;
        _streamedInto = null;
        if (coreNode is ValuesClause values)
        {
            var stage = new OutputStage(this, orderBy, limit, emit);
            stage.Prepare(null);
            int width = values.Rows[0].Count;
            var items = new List<ResultItem>();
            for (int i = 0; i < width; i++)
            {
                Expr first = values.Rows[0][i];
                string? written = first is ColumnRef w && NamesDqsString(w, new Scope { Outer = outer }) ? w.Column : null;
                items.Add(new ResultItem(first, "column" + (i + 1), null) { WrittenName = written });
            }
            names?.Invoke(items);
            memberSink?.Add((items, new Scope { Outer = outer }));
            collations?.Invoke(items.Select(r => ExprCollation(r.Expr, new Scope { Outer = outer }, strict: false)).ToArray());
            _compoundNames ??= items;
            foreach (NodeList<Expr> row in values.Rows)
            {
                if (row.Count != width) throw new TernException(ResultCode.Error, "all VALUES must have the same number of terms");
                int regs = NewRegisters(width);
                for (int i = 0; i < width; i++) ExprCode(row[i], new Scope { Outer = outer }, regs + i);
                stage.Row(regs, width, null);
            }
            stage.Finish();
            return;
        }
        var core = (SelectClause)coreNode;
        CheckWindowDefinitions(core);
        // Set for the core of an EXISTS subquery only (not for what it contains).
        bool resultsUnused = _existsResultsUnused;
        _existsResultsUnused = false;
        SubqueryUse? subqueryUse = _subqueryUse;
        _subqueryUse = null;
        var scope = new Scope { Outer = outer };
        var whereTerms = new List<Expr>();
        // Terms in SQLite's order: the WHERE clauses of flattened subqueries (the last
        // flattened first), the query's own WHERE, then the ON and USING terms of its joins.
        var fromTerms = new List<Expr>();
        var flattenedWhere = new List<Expr>();
        FlattenContext? savedFlatten = _flattenContext;
        FromContext? savedFrom = _fromContext;
        _flattenContext = FlattenContextFor(core, orderBy, flattenedWhere);
        // A LEFT JOIN whose right table the WHERE needs non-NULL is an inner join (SQLite's
        // join simplification, before anything else looks at the FROM clause).
        NodeList<FromItem> from = SimplifyLeftJoins(core);
        _fromContext = new FromContext(core, orderBy, PushDown: true, from);
        try
        {
            foreach (FromItem fi in from) AddSource(fi, scope, fromTerms);
        }
        catch (TernException e) when (e.Message.StartsWith("no such table: ", StringComparison.Ordinal))
        {
            // A missing table: SQLite finds these while expanding FROM, before resolving any name.
            _expandErrors.Add(e);
            throw;
        }
        finally
        {
            _flattenContext = savedFlatten;
            _fromContext = savedFrom;
        }
        if (core.From.Count == 0) Note("SCAN CONSTANT ROW");
        whereTerms.AddRange(flattenedWhere);
        SplitAnd(core.Where, whereTerms);
        whereTerms.AddRange(fromTerms);
        core = MoveHavingToWhere(core, scope, whereTerms);

        RejectOuterReferencesInGroupBy(core, scope);
        List<ResultItem> results = ExpandResults(core, scope);
        names?.Invoke(results);
        _compoundNames ??= results;
        NoteCoreResolution(core, scope, results, orderBy, limit);
        memberSink?.Add((results, scope));
        int n = results.Count;

        var aggregates = new List<FunctionCall>();
        foreach (ResultItem r in results) CollectAggregates(r.Expr, aggregates, core);
        // As in SQLite, only GROUP BY or an aggregate among the result columns makes a query an
        // aggregate query; an aggregate in HAVING, WHERE or ORDER BY of any other is misused.
        bool isAggregate = aggregates.Count > 0 || core.GroupBy.Count > 0;
        if (core.Having != null && !isAggregate) throw new TernException(ResultCode.Error, "HAVING clause on a non-aggregate query");
        if (ReferenceEquals(coreNode, _recursiveStepCore))
        {
            // A recursive step reads one queue row at a time: nothing in it may look at all of them.
            var stepWindows = new List<FunctionCall>();
            foreach (ResultItem r in results) CollectWindowCalls(r.Expr, stepWindows);
            if (stepWindows.Count > 0) throw new TernException(ResultCode.Error, "cannot use window functions in recursive queries");
            if (isAggregate) throw new TernException(ResultCode.Error, "recursive aggregate queries not supported");
        }
        foreach (Expr w in whereTerms)
        {
            var tmp = new List<FunctionCall>();
            CollectAggregates(w, tmp);
            if (tmp.Count > 0) throw new TernException(ResultCode.Error, isAggregate ? $"misuse of aggregate: {tmp[0].Name}()" : $"misuse of aggregate function {tmp[0].Name}()") { Position = tmp[0].Start };
        }
        var havingAggregates = new List<FunctionCall>();
        if (core.Having != null) CollectAggregates(core.Having, havingAggregates, core);
        var orderAggregates = new List<FunctionCall>();
        foreach (OrderingTerm t in orderBy) CollectAggregates(t.Expr, orderAggregates, core);
        RefuseAggregatesOfOuterColumns(aggregates, scope);
        RefuseAggregatesOfOuterColumns(havingAggregates, scope);
        RefuseAggregatesOfOuterColumns(orderAggregates, scope);
        if (!isAggregate && orderAggregates.Count > 0)
        {
            if (core.From.Count > 0) throw new TernException(ResultCode.Error, $"misuse of aggregate: {orderAggregates[0].Name}()") { Position = orderAggregates[0].Start };
            // Without FROM there is one row and SQLite drops the ORDER BY before it would fail;
            // computing its aggregates over that row gives the same row.
            isAggregate = true;
        }
        // Stepped in SQLite's order (result columns, ORDER BY, HAVING): with several min()/max(),
        // the last one stepped decides which row the bare columns come from.
        aggregates.AddRange(orderAggregates);
        aggregates.AddRange(havingAggregates);
        // A materialized FROM subquery: terms pushed down from the query around it, and the
        // result columns that query never reads.
        bool[]? nullColumns = subqueryUse == null ? null : ApplySubqueryUse(subqueryUse, core, orderBy, results, scope, whereTerms, isAggregate);

        // ORDER BY terms: a number or an alias of a result column means that column's expression.
        var orderExprs = new Expr[orderBy.Count];
        for (int i = 0; i < orderBy.Count; i++) orderExprs[i] = ResolveOrderTerm(orderBy[i].Expr, results, i);
        var orderWindows = new List<FunctionCall>();
        foreach (Expr oe in orderExprs) CollectWindowCalls(oe, orderWindows);
        if (resultsUnused && orderBy.Count > 0 && !isAggregate && orderWindows.Count == 0)
        {
            // EXISTS drops the ORDER BY: its terms are resolved (their errors are reported)
            // but never evaluated, and the rows are not sorted.
            int skipOrder = NewLabel();
            Emit(Opcode.Goto, 0, skipOrder, 0);
            int orderRegs = NewRegisters(orderExprs.Length);
            for (int i = 0; i < orderExprs.Length; i++) ExprCode(orderExprs[i], scope, orderRegs + i);
            Resolve(skipOrder);
            orderBy = NodeList<OrderingTerm>.Empty;
            orderExprs = [];
        }

        collations?.Invoke(ResultCollations(core, results, scope, windowCallsAsColumns));
        var windowed = new List<FunctionCall>();
        foreach (ResultItem r in results) CollectWindowCalls(r.Expr, windowed);
        foreach (Expr oe in orderExprs) CollectWindowCalls(oe, windowed);
        // An aggregate query's ORDER BY comes from the loops when it names GROUP BY terms that do.
        bool[] orderDesc = orderBy.Select(o => o.Order == SortOrder.Desc).ToArray();
        bool loopsOrder = windowed.Count == 0 && LoopsGiveOrder(orderExprs, orderDesc, scope, whereTerms, core.From)
            && (!isAggregate || (core.GroupBy.Count > 0 && OrderNamesGroupTerms(orderExprs, core, results, scope)));
        var stageOut = new OutputStage(this, orderBy, limit, emit) { KeepIntReal = loopsOrder };
        bool distinct = core.Distinct && !resultsUnused;
        stageOut.Prepare(distinct ? n : null,
            distinct ? results.Select(r => ExprCollation(r.Expr, scope) ?? Collation.Binary).ToArray() : null,
            orderExprs.Select(e => ExprCollation(e, scope) ?? Collation.Binary).ToArray());

        var windowCalls = new List<FunctionCall>();
        foreach (ResultItem r in results) CollectWindowCalls(r.Expr, windowCalls);
        foreach (Expr oe in orderExprs) CollectWindowCalls(oe, windowCalls);
        // A query that sorts may have SQLite read a table through an index that saves the sort
        // rather than a covering one; only unsorted queries take covering-index scans.
        scope.SortsRows = core.GroupBy.Count > 0 || orderBy.Count > 0 || distinct || windowCalls.Count > 0;
        // WHERE (and HAVING below) may name a result column's alias, as SQLite allows;
        // result columns themselves may not, so the aliases go away when the row is built.
        _aliasScopes[scope] = results;
        WindowState? windows = null;
        if (windowCalls.Count > 0)
        {
            windows = BeginWindows(core, windowCalls, WindowCarriedLeaves(results, orderExprs, scope, isAggregate ? aggregates : null), scope);
            if (isAggregate) OrderWindowedAggregates(aggregates, results, orderExprs, windows, core);
            if (!isAggregate)
            {
                EmitLoops(scope, whereTerms, () =>
                {
                    _aliasScopes.Remove(scope);
                    WindowRow(windows, scope);
                });
                FinishWindows(windows, outer ?? new Scope(), scope, results, orderExprs, orderBy, stageOut);
                return;
            }
        }
        if (!isAggregate)
        {
            Scope loops = distinct ? OmitNoopLeftJoins(scope, whereTerms, results.Select(r => r.Expr).Concat(orderExprs)) : scope;
            if (loops != scope) _aliasScopes[loops] = results;
            EmitLoops(loops, whereTerms, () =>
            {
                _aliasScopes.Remove(scope);
                _aliasScopes.Remove(loops);
                int regs = NewRegisters(Math.Max(n, 1));
                int? offsetSkip = stageOut.OffsetBeforeRow() ?? (distinct ? null : streamedInto?.OffsetBeforeRow());
                // EXISTS looks only at whether a row comes: as in SQLite, the result columns are
                // resolved (their errors are reported) but never evaluated.
                int skip = resultsUnused ? NewLabel() : -1;
                if (resultsUnused) Emit(Opcode.Goto, 0, skip, 0);
                for (int i = 0; i < n; i++)
                {
                    if (nullColumns != null && nullColumns[i]) UnusedColumnCode(results[i].Expr, scope, regs + i);
                    else ExprCode(results[i].Expr, scope, regs + i);
                }
                if (resultsUnused) Resolve(skip);
                stageOut.Row(regs, n, orderBy.Count == 0 ? null : () => SortKeys(orderExprs, scope));
                if (offsetSkip is { } os) Resolve(os);
            });
            stageOut.Finish();
            return;
        }

        // ---- aggregate query
        var bare = new List<ColumnRef>();
        foreach (ResultItem r in results) CollectBareColumns(r.Expr, bare, core);
        if (core.Having != null) CollectBareColumns(core.Having, bare, core);
        foreach (Expr oe in orderExprs) CollectBareColumns(oe, bare, core);
        // Columns named inside subqueries of the output (correlated ones) are carried too, so
        // the subquery reads the group's value rather than a cursor the loop has left.
        var inSubqueries = new List<ColumnRef>();
        foreach (ResultItem r in results) CollectSubqueryColumns(r.Expr, inSubqueries);
        if (core.Having != null) CollectSubqueryColumns(core.Having, inSubqueries);
        foreach (Expr oe in orderExprs) CollectSubqueryColumns(oe, inSubqueries);
        foreach (FunctionCall wf in windowCalls)
        {
            foreach (Expr x in WindowCallInputs(wf, core)) CollectSubqueryColumns(x, inSubqueries);
        }
        foreach (ColumnRef c in inSubqueries)
        {
            if (c.Table != null && !bare.Contains(c) && scope.Sources.Exists(x => string.Equals(x.Name, c.Table, StringComparison.OrdinalIgnoreCase))) bare.Add(c);
        }
        // Only this query's own columns vary by row; outer and trigger references are constant here.
        bare.RemoveAll(c => TryResolveLocal(c, scope).Source == null);
        int accumulators = NewRegisters(aggregates.Count);
        int finals = NewRegisters(aggregates.Count);
        int bareRegs = NewRegisters(bare.Count);
        var overrides = new Dictionary<Expr, int>();
        for (int i = 0; i < aggregates.Count; i++) overrides[aggregates[i]] = finals + i;
        for (int i = 0; i < bare.Count; i++) overrides.TryAdd(bare[i], bareRegs + i);
        var columnRegisters = new Dictionary<(Source, int), int>();
        for (int i = 0; i < bare.Count; i++)
        {
            (Source? bs, int bc) = TryResolveLocal(bare[i], scope);
            if (bs != null) columnRegisters.TryAdd((bs, bc), bareRegs + i);
        }
        var outScope = new Scope { Outer = outer, Overrides = overrides, ColumnRegisters = columnRegisters };
        outScope.Sources.AddRange(scope.Sources);

        int outputSub = NewLabel();
        int returnReg = NewRegister();
        int afterSub = NewLabel();
        Emit(Opcode.Null, 0, accumulators, accumulators + Math.Max(aggregates.Count, 1) - 1);
        Emit(Opcode.Null, 0, bareRegs, bareRegs + Math.Max(bare.Count, 1) - 1);

        Dictionary<FunctionCall, int> distinctSets = OpenDistinctSets(aggregates, scope);
        bool minMax = aggregates.Exists(IsMinMax);
        // r[bareFlag]: skip loading the bare columns for this row (min/max) or they are loaded
        // (otherwise); r[bareFlag + 1]: with min/max, whether the group's row loaded them yet.
        int bareFlag = NewRegisters(2);
        if (core.GroupBy.Count == 0)
        {
            Emit(Opcode.Integer, 0, bareFlag, 0);
            Emit(Opcode.Integer, 0, bareFlag + 1, 0);
            EmitLoops(scope, whereTerms, () =>
            {
                _aliasScopes.Remove(scope);
                if (minMax) Emit(Opcode.Integer, 0, bareFlag, 0);
                for (int i = 0; i < aggregates.Count; i++) AggStepCode(aggregates[i], scope, accumulators + i, null, distinctSets, bareFlag);
                LoadBareColumns(minMax, bareFlag, () =>
                {
                    for (int i = 0; i < bare.Count; i++) ExprCode(bare[i], scope, bareRegs + i);
                });
            });
            Emit(Opcode.Gosub, returnReg, outputSub, 0);
            Emit(Opcode.Goto, 0, afterSub, 0);
        }
        else
        {
            int g = core.GroupBy.Count;
            var groupExprs = new Expr[g];
            for (int i = 0; i < g; i++)
            {
                groupExprs[i] = ResolveGroupTerm(core.GroupBy[i], results, scope);
                var inGroup = new List<FunctionCall>();
                CollectAggregates(groupExprs[i], inGroup);
                if (inGroup.Count > 0) throw new TernException(ResultCode.Error, "aggregate functions are not allowed in the GROUP BY clause");
            }
            var argExprs = new List<Expr>();
            foreach (FunctionCall f in aggregates) argExprs.AddRange(StepInputs(f));
            int width = g + argExprs.Count + bare.Count;
            int sorter = NewCursor();
            // Groups only need to come together, so, as in SQLite, when the query's ORDER BY has
            // as many terms as GROUP BY, the groups are sorted in its directions (which shows as
            // the order of ORDER BY ties). A windowed query's ORDER BY here is the innermost
            // pass's PARTITION BY and ORDER BY.
            bool[] groupDesc = new bool[g];
            bool[]? sortDesc = windows != null ? InnermostWindowSortDirections(windows, core) : orderBy.Select(o => o.Order == SortOrder.Desc).ToArray();
            if (sortDesc != null && sortDesc.Length == g) groupDesc = sortDesc;
            var groupKeys = new KeyInfo(groupDesc, groupExprs.Select(e => ExprCollation(e, scope) ?? Collation.Binary).ToArray());
            Emit(Opcode.SorterOpen, sorter, width, 0, groupKeys);
            // Where SQLite's loops give the groups in order, an integer marked real stays one
            // (KeepIntReal); where it sorts, it reads REAL columns back as REAL (a plain REAL here).
            bool loopsGroup = windows == null && LoopsGiveOrder(groupExprs, null, scope, whereTerms, core.From);
            EmitLoops(scope, whereTerms, () =>
            {
                _aliasScopes.Remove(scope);
                int block = NewRegisters(Math.Max(width, 1));
                for (int i = 0; i < g; i++) ExprCode(groupExprs[i], scope, block + i);
                for (int i = 0; i < argExprs.Count; i++) ExprCode(argExprs[i], scope, block + g + i);
                for (int i = 0; i < bare.Count; i++) ExprCode(bare[i], scope, block + g + argExprs.Count + i);
                int rec = NewRegister();
                Emit(Opcode.MakeRecord, block, width, rec, null, loopsGroup ? P5Flags.KeepIntReal : (ushort)0);
                Emit(Opcode.SorterInsert, sorter, rec, 0);
            });
            Note("USE TEMP B-TREE FOR GROUP BY");
            int keys = NewRegisters(g), prev = NewRegisters(g);
            int pseudo = NewCursor(), data = NewRegister(), any = NewRegister();
            // The output subroutine runs before the new group's keys are copied to prev.
            // A result column that is a GROUP BY term shows the group's first row's value
            // (which differs from the last one's when the term's collation folds case).
            for (int i = 0; i < g; i++) overrides[groupExprs[i]] = prev + i;
            Emit(Opcode.Integer, 0, any, 0);
            Emit(Opcode.OpenPseudo, pseudo, data, width + (loopsGroup ? 1 : 0));
            int sortedDone = NewLabel();
            Emit(Opcode.SorterSort, sorter, sortedDone, 0);
            int loop = CurrentAddress;
            Emit(Opcode.SorterData, sorter, data, 0);
            for (int i = 0; i < g; i++) Emit(Opcode.Column, pseudo, i, keys + i);
            if (loopsGroup) RestoreIntReal(pseudo, 0, g, keys, width);
            int same = NewLabel(), changed = NewLabel();
            int first = NewLabel();
            Emit(Opcode.IfNot, any, first, 0);
            Emit(Opcode.Compare, prev, keys, g, groupKeys);
            Emit(Opcode.Jump, changed, same, changed);
            Resolve(changed);
            Emit(Opcode.Gosub, returnReg, outputSub, 0);
            Emit(Opcode.Null, 0, accumulators, accumulators + Math.Max(aggregates.Count, 1) - 1);
            OpenDistinctSets(aggregates, scope, distinctSets);
            Resolve(first);
            Emit(Opcode.Integer, 0, bareFlag, 0);
            Emit(Opcode.Integer, 0, bareFlag + 1, 0);
            Emit(Opcode.Copy, keys, prev, g - 1);
            Emit(Opcode.Integer, 1, any, 0);
            Resolve(same);
            int argCol = g;
            if (minMax) Emit(Opcode.Integer, 0, bareFlag, 0);
            for (int i = 0; i < aggregates.Count; i++)
            {
                int na = StepInputs(aggregates[i]).Count;
                int args = NewRegisters(Math.Max(na, 1));
                for (int k = 0; k < na; k++) Emit(Opcode.Column, pseudo, argCol + k, args + k);
                if (loopsGroup && na > 0) RestoreIntReal(pseudo, argCol, na, args, width);
                argCol += na;
                AggStepCode(aggregates[i], scope, accumulators + i, args, distinctSets, bareFlag);
            }
            LoadBareColumns(minMax, bareFlag, () =>
            {
                for (int i = 0; i < bare.Count; i++) Emit(Opcode.Column, pseudo, g + argExprs.Count + i, bareRegs + i);
                if (loopsGroup && bare.Count > 0) RestoreIntReal(pseudo, g + argExprs.Count, bare.Count, bareRegs, width);
            });
            Emit(Opcode.SorterNext, sorter, loop, 0);
            Emit(Opcode.IfNot, any, sortedDone, 0);
            Emit(Opcode.Gosub, returnReg, outputSub, 0);
            Resolve(sortedDone);
            Emit(Opcode.Goto, 0, afterSub, 0);
        }

        // Output subroutine: finals, HAVING, the result row.
        Resolve(outputSub);
        int subEnd = NewLabel();
        for (int i = 0; i < aggregates.Count; i++)
        {
            ReplayOrderedAggregate(aggregates[i], scope, accumulators + i);
            Emit(Opcode.Copy, accumulators + i, finals + i, 0);
            Emit(Opcode.AggFinal, finals + i, aggregates[i].Star ? 0 : aggregates[i].Arguments.Count, 0, AggregateDef(aggregates[i], scope));
        }
        if (core.Having != null)
        {
            _aliasScopes[outScope] = results;
            JumpIfFalse(core.Having, outScope, subEnd);
            _aliasScopes.Remove(outScope);
        }
        if (windows != null) WindowRow(windows, outScope);
        else
        {
            int outRegs = NewRegisters(Math.Max(n, 1));
            for (int i = 0; i < n; i++) ExprCode(results[i].Expr, outScope, outRegs + i);
            stageOut.Row(outRegs, n, orderBy.Count == 0 ? null : () => SortKeys(orderExprs, outScope));
        }
        Resolve(subEnd);
        Emit(Opcode.Return, returnReg, 0, 0);
        Resolve(afterSub);
        if (windows != null)
        {
            FinishWindows(windows, outer ?? new Scope(), scope, results, orderExprs, orderBy, stageOut);
            return;
        }
        stageOut.Finish();
    }

    /// <summary>
    /// The sort order of ORDER BY terms: DESC, the collations (BINARY when null), and NULLS
    /// FIRST/LAST where they move NULLs from their usual end (first ascending, last descending).
    /// </summary>
    private static KeyInfo OrderKeyInfo(IReadOnlyList<OrderingTerm> terms, Collation[]? collations)
    {
        var desc = new bool[terms.Count];
        var nullsLarge = new bool[terms.Count];
        for (int i = 0; i < terms.Count; i++)
        {
            desc[i] = terms[i].Order == SortOrder.Desc;
            nullsLarge[i] = desc[i] ? terms[i].Nulls == NullsOrder.First : terms[i].Nulls == NullsOrder.Last;
        }
        return new KeyInfo(desc, collations ?? Enumerable.Repeat(Collation.Binary, terms.Count).ToArray(), nullsLarge);
    }

    private int SortKeys(Expr[] exprs, Scope scope)
    {
        int regs = NewRegisters(Math.Max(exprs.Length, 1));
        for (int i = 0; i < exprs.Length; i++) ExprCode(exprs[i], scope, regs + i);
        return regs;
    }

    /// <summary>
    /// Opens one ephemeral set per DISTINCT aggregate (again at each new group, which empties
    /// it); AggStepCode skips a value already in the set.
    /// </summary>
    private Dictionary<FunctionCall, int> OpenDistinctSets(List<FunctionCall> aggregates, Scope scope, Dictionary<FunctionCall, int>? existing = null)
    {
        var sets = existing ?? new Dictionary<FunctionCall, int>(ReferenceEqualityComparer.Instance);
        foreach (FunctionCall f in aggregates)
        {
            if (!f.Distinct) continue;
            if (f.Star || f.Arguments.Count != 1)
            {
                RequireFunction(f);
                throw new TernException(ResultCode.Error, $"DISTINCT aggregates must have exactly one argument");
            }
            if (!sets.TryGetValue(f, out int cursor))
            {
                cursor = NewCursor();
                sets[f] = cursor;
            }
            Emit(Opcode.OpenEphemeral, cursor, 1, 0, new KeyInfo([false], [ExprCollation(f.Arguments[0], scope) ?? Collation.Binary]));
        }
        foreach (FunctionCall f in aggregates)
        {
            if (!IsOrderedAggregate(f)) continue;
            if (!_orderedAggregates.TryGetValue(f, out (int Cursor, int Sequence) table))
            {
                table = (NewCursor(), NewRegister());
                _orderedAggregates[f] = table;
                Emit(Opcode.Integer, 0, table.Sequence, 0);
            }
            Emit(Opcode.OpenEphemeral, table.Cursor, f.OrderBy.Count + 1 + f.Arguments.Count, 0,
                OrderKeyInfo(f.OrderBy, f.OrderBy.AsSpan().ToArray().Select(o => ExprCollation(o.Expr, scope) ?? Collation.Binary).ToArray()));
        }
        return sets;
    }

    /// <summary>
    /// Per aggregate with its own ORDER BY, the table its group's rows wait in and a counter
    /// that keeps rows with equal sort keys in arrival order. Record layout:
    ///
    ///   | ORDER BY keys ... | sequence | arguments ... |
    /// </summary>
    private readonly Dictionary<FunctionCall, (int Cursor, int Sequence)> _orderedAggregates = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Whether an aggregate call's ORDER BY decides anything: count(), min() and max() give the
    /// same answer in any order, so theirs is ignored (as SQLite ignores it).
    /// </summary>
    private static bool IsOrderedAggregate(FunctionCall f) =>
        !f.OrderBy.IsEmpty && f.Over == null && !f.Star
        && !(f.Name.Equals("count", StringComparison.OrdinalIgnoreCase) || f.Name.Equals("min", StringComparison.OrdinalIgnoreCase)
             || f.Name.Equals("max", StringComparison.OrdinalIgnoreCase));

    /// <summary>What an aggregate step reads per row: the arguments, the ORDER BY keys (when they matter), the FILTER condition.</summary>
    private static List<Expr> StepInputs(FunctionCall f)
    {
        var inputs = new List<Expr>(f.Arguments);
        if (IsOrderedAggregate(f)) inputs.AddRange(f.OrderBy.Select(o => o.Expr));
        if (f.Filter != null) inputs.Add(f.Filter);
        return inputs;
    }

    /// <summary>
    /// At the end of a group, steps an aggregate with its own ORDER BY over the rows it set
    /// aside, in that order.
    /// </summary>
    private void ReplayOrderedAggregate(FunctionCall f, Scope scope, int accumulator)
    {
        if (!IsOrderedAggregate(f) || !_orderedAggregates.TryGetValue(f, out (int Cursor, int Sequence) table)) return;
        int n = f.Arguments.Count, k = f.OrderBy.Count;
        int args = NewRegisters(Math.Max(n, 1));
        int done = NewLabel();
        Emit(Opcode.Rewind, table.Cursor, done, 0);
        int loop = CurrentAddress;
        for (int j = 0; j < n; j++) Emit(Opcode.Column, table.Cursor, k + 1 + j, args + j);
        Emit(Opcode.AggStep, 0, args, accumulator, AggregateDef(f, scope), (ushort)n);
        Emit(Opcode.Next, table.Cursor, loop, 0);
        Resolve(done);
    }

    /// <remarks><paramref name="skipBare"/>: for min()/max(), the register the step sets to 1 when the row must not load the bare columns.</remarks>
    private void AggStepCode(FunctionCall f, Scope scope, int accumulator, int? argRegs, Dictionary<FunctionCall, int>? distinctSets = null, int skipBare = -1)
    {
        AggregateFunction def = AggregateDef(f, scope);
        int n = f.Star ? 0 : f.Arguments.Count;
        List<Expr> inputs = StepInputs(f);
        int args = argRegs ?? NewRegisters(Math.Max(inputs.Count, 1));
        if (argRegs == null)
        {
            for (int i = 0; i < inputs.Count; i++) ExprCode(inputs[i], scope, args + i);
        }
        int skip = NewLabel();
        // FILTER first (a NULL condition skips the row too), then DISTINCT, then the step or,
        // with an ORDER BY of its own, the row set aside until the group ends.
        if (f.Filter != null && skipBare >= 0 && IsMinMax(f))
        {
            // min()/max() with bare columns: a filtered-out row loads them only when no row of
            // the group has yet (r[skipBare] = whether one has).
            int pass = NewLabel();
            Emit(Opcode.If, args + inputs.Count - 1, pass, 0);
            Emit(Opcode.IfNot, skipBare + 1, skip, 0);
            Emit(Opcode.Integer, 1, skipBare, 0);
            Emit(Opcode.Goto, 0, skip, 0);
            Resolve(pass);
        }
        else if (f.Filter != null) Emit(Opcode.IfNot, args + inputs.Count - 1, skip, 1);
        if (f.Distinct && distinctSets != null && distinctSets.TryGetValue(f, out int set))
        {
            int rec = NewRegister();
            Emit(Opcode.MakeRecord, args, 1, rec);
            Emit(Opcode.Found, set, skip, rec);
            Emit(Opcode.IdxInsert, set, rec, 0);
        }
        if (IsOrderedAggregate(f) && _orderedAggregates.TryGetValue(f, out (int Cursor, int Sequence) table))
        {
            int k = f.OrderBy.Count;
            int block = NewRegisters(k + 1 + n), one = NewRegister(), rec = NewRegister();
            for (int i = 0; i < k; i++) Emit(Opcode.SCopy, args + n + i, block + i, 0);
            Emit(Opcode.Integer, 1, one, 0);
            Emit(Opcode.Add, one, table.Sequence, table.Sequence);
            Emit(Opcode.SCopy, table.Sequence, block + k, 0);
            for (int i = 0; i < n; i++) Emit(Opcode.SCopy, args + i, block + k + 1 + i, 0);
            Emit(Opcode.MakeRecord, block, k + 1 + n, rec, null, P5Flags.IntRealAsInteger);
            Emit(Opcode.IdxInsert, table.Cursor, rec, 0);
        }
        else if (skipBare >= 0 && IsMinMax(f))
        {
            // Each min()/max() step decides afresh, so with several the last one stepped rules.
            Emit(Opcode.Integer, 0, skipBare, 0);
            Emit(Opcode.AggStep, skipBare + 1, args, accumulator, def, (ushort)n);
        }
        else Emit(Opcode.AggStep, 0, args, accumulator, def, (ushort)n);
        Resolve(skip);
    }

    /// <summary>The aggregate a call runs; min() and max() compare text with their argument's collation.</summary>
    private AggregateFunction AggregateDef(FunctionCall f, Scope scope)
    {
        var def = (AggregateFunction)RequireFunction(f);
        if (def is MinMaxAggregate mm && f.Arguments.Count == 1 && ExprCollation(f.Arguments[0], scope) is { } coll) return mm.WithCollation(coll);
        return def;
    }

    /// <summary>Whether a call is the aggregate min() or max() (one argument, not DISTINCT).</summary>
    private static bool IsMinMax(FunctionCall f) =>
        !f.Distinct && f.Arguments.Count == 1 && f.Over == null
        && (f.Name.Equals("min", StringComparison.OrdinalIgnoreCase) || f.Name.Equals("max", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Loads the bare columns (non-aggregate column references of an aggregate query) for the
    /// row the aggregate steps just saw, as SQLite does: with min()/max(), when the row holds
    /// the new extreme (r[skip] stays 0); otherwise only for a group's first row (r[loaded] is 0).
    /// </summary>
    private void LoadBareColumns(bool minMax, int flag, Action load)
    {
        int after = NewLabel();
        Emit(Opcode.If, flag, after, 0);
        load();
        Emit(Opcode.Integer, 1, minMax ? flag + 1 : flag, 0);
        Resolve(after);
    }

    private static Expr ResolveOrderTerm(Expr e, List<ResultItem> results, int termIndex)
    {
        // "ORDER BY 2 COLLATE NOCASE" still names result column 2, compared with that collation.
        if (e is CollateExpr collate)
        {
            Expr inner = ResolveOrderTerm(collate.Operand, results, termIndex);
            if (ReferenceEquals(inner, collate.Operand) && inner is ColumnRef { Table: null } alias)
                inner = results.FirstOrDefault(r => string.Equals(r.Name, alias.Column, StringComparison.OrdinalIgnoreCase))?.Expr ?? inner;
            return ReferenceEquals(inner, collate.Operand) ? e : collate with { Operand = inner };
        }
        if (IsIntegerTerm(e, out long k))
        {
            if (k < 1 || k > results.Count)
                throw new TernException(ResultCode.Error, $"{Ordinal(termIndex + 1)} ORDER BY term out of range - should be between 1 and {results.Count}");
            return results[(int)k - 1].Expr;
        }
        if (e is ColumnRef { Table: null } c)
        {
            foreach (ResultItem r in results)
            {
                if (IsAliasOf(r, c.Column)) return r.Expr;
            }
        }
        return e;
    }

    /// <summary>
    /// Whether an ORDER BY / GROUP BY name means this result column: a name given by AS
    /// (`t.x AS qq ... ORDER BY qq`, `a.x AS x`), or the name of an expression; a bare column's
    /// own name is no alias (`SELECT a.x FROM a, b ORDER BY x` is an ambiguous x in SQLite).
    /// </summary>
    private static bool IsAliasOf(ResultItem r, string name) =>
        string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase) && (r.Aliased || r.Expr is not ColumnRef);

    /// <summary>
    /// Whether an ORDER BY or GROUP BY term is an integer constant, which names a result column
    /// (SQLite's sqlite3ExprIsInteger: a literal that fits 32 bits, with unary plus or minus, so
    /// "ORDER BY -1" is out of range rather than a constant to sort by, and 3000000000 is a constant).
    /// </summary>
    private static bool IsIntegerTerm(Expr e, out long k)
    {
        switch (e)
        {
            case Literal { Kind: LiteralKind.Integer } l when int.TryParse(l.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int small):
                k = small;
                return true;
            case UnaryExpr { Operator: UnaryOperator.Plus } plus:
                return IsIntegerTerm(plus.Operand, out k);
            case UnaryExpr { Operator: UnaryOperator.Negate } minus when IsIntegerTerm(minus.Operand, out long v) && v != long.MinValue:
                k = -v;
                return true;
            default:
                k = 0;
                return false;
        }
    }

    private static Expr ResolveGroupTerm(Expr e, List<ResultItem> results, Scope scope)
    {
        if (IsIntegerTerm(e, out long k))
        {
            if (k < 1 || k > results.Count) throw new TernException(ResultCode.Error, $"1st GROUP BY term out of range - should be between 1 and {results.Count}");
            return results[(int)k - 1].Expr;
        }
        // A name that is no column of the FROM clause may be a result column's alias.
        if (e is ColumnRef { Table: null } c && TryResolveLocal(c, scope).Source == null)
        {
            foreach (ResultItem r in results)
            {
                if (IsAliasOf(r, c.Column)) return r.Expr;
            }
        }
        return e;
    }

    private static string Ordinal(int n) => n switch
    {
        1 => "1st",
        2 => "2nd",
        3 => "3rd",
        _ => n + "th",
    };

    private List<ResultItem> ExpandResults(SelectClause core, Scope scope)
    {
        var list = new List<ResultItem>();
        foreach (ResultColumn rc in core.Columns)
        {
            switch (rc)
            {
                case StarColumn:
                    if (scope.Sources.Count == 0) throw new TernException(ResultCode.Error, "no tables specified");
                    for (int i = 0; i < scope.Sources.Count; i++)
                    {
                        if (!scope.Sources[i].Hidden && !scope.Sources[i].UsingOnly) AddAll(scope.Sources[i], skipUsing: true, i);
                    }
                    break;
                case TableStarColumn ts:
                    {
                        Source? s = scope.Sources.Find(x => string.Equals(x.Name, ts.Table, StringComparison.OrdinalIgnoreCase));
                        if (s == null) throw new TernException(ResultCode.Error, "no such table: " + ts.Table);
                        AddAll(s);
                        break;
                    }
                case ExprColumn ec:
                    {
                        // An expression is named by its whole source text, opening parentheses included.
                        // A double-quoted name read as a string is named by its text too, quotes included.
                        string name = ec.Alias ?? (ec.Expr is ColumnRef named && !NamesDqsString(named, scope) ? DefaultName(ec.Expr, scope) : SourceText(ec));
                        string? type = null;
                        (string, string)? origin = null;
                        if (ec.Expr is ColumnRef c)
                        {
                            (Source? src, int col) = TryResolve(c, scope, seeThrough: false);
                            if (src != null) type = col < 0 ? "INTEGER" : src.Table.Columns[col].DeclaredType;
                            if (src != null) origin = OriginOf(src, col);
                        }
                        list.Add(new ResultItem(ec.Expr, name, type)
                        {
                            Affinity = ExprAffinity(ec.Expr, scope), Collation = ExprCollation(ec.Expr, scope, strict: false) ?? Collation.Binary, Origin = origin,
                            Aliased = ec.Alias != null, WrittenName = ec.Alias == null && ec.Expr is ColumnRef w ? w.Column : null,
                        });
                        break;
                    }
            }
        }
        if (list.Count > Limits.MaxColumns) throw new TernException(ResultCode.Error, "too many columns in result set");
        return list;

        void AddAll(Source s, bool skipUsing = false, int position = -1)
        {
            // On the left of a RIGHT or FULL join, a column that a later USING names is written
            // as the bare name (SQLite's expansion), which then means the right table's column
            // or the coalesce() of the joined ones.
            bool leftOfRightJoin = position >= 0 && scope.Sources.Skip(position + 1).Any(x => (x.Join & JoinType.Right) != 0);
            foreach (Column c in s.Table.Columns.Where(c => !c.IsHidden && (!skipUsing || !s.StarOmits.Contains(c.Name))))
            {
                if (leftOfRightJoin && scope.Sources.Skip(position + 1).Any(x => x.UsingNames != null && x.UsingNames.Contains(c.Name, StringComparer.OrdinalIgnoreCase)))
                {
                    var bare = new ColumnRef(null, null, c.Name);
                    (Source? src, int col) = TryResolve(bare, scope, seeThrough: false);
                    list.Add(new ResultItem(bare, c.Name, src == null || src.UsingOnly ? null : col < 0 ? "INTEGER" : src.Table.Columns[col].DeclaredType)
                    {
                        Affinity = ExprAffinity(bare, scope), Collation = ExprCollation(bare, scope, strict: false) ?? Collation.Binary,
                        Origin = src == null || src.UsingOnly ? null : OriginOf(src, col),
                    });
                    continue;
                }
                list.Add(new ResultItem(new ColumnRef(null, s.Name, c.Name), c.Name, c.DeclaredType)
                {
                    Affinity = c.Affinity, Collation = c.Collation, Origin = OriginOf(s, s.Table.Columns.IndexOf(c)),
                });
            }
        }
    }

    /// <summary>The (table, column) a source's column comes from: a table's own column, or what a view's, subquery's or CTE's column reads.</summary>
    private static (string, string)? OriginOf(Source s, int col)
    {
        if (s.Materialized || s.ColumnNames != null) return col >= 0 ? s.Table.Columns[col].Origin : null;
        if (col < 0) col = s.Table.RowidAlias;
        return (s.Table.Name, col < 0 ? "rowid" : s.Table.Columns[col].Name);
    }

    /// <summary>Whether a column reference is a double-quoted name that, naming nothing, reads as a string.</summary>
    private bool NamesDqsString(ColumnRef c, Scope scope) =>
        IsDqsString(c, scope) && TryResolve(c, scope, seeThrough: false).Source == null
        && (_triggerSources.Count == 0 || ResolveTriggerColumn(c).Source == null);

    private string DefaultName(Expr e, Scope scope)
    {
        if (e is ColumnRef c)
        {
            (Source? s, int col) = TryResolve(c, scope, seeThrough: false);
            if (s != null && col >= 0) return s.Table.Columns[col].Name;
            return c.Column;
        }
        return SourceText(e);
    }

    private static void CollectAggregates(Expr e, List<FunctionCall> into, SelectClause? core = null)
    {
        Walk(e, x =>
        {
            if (x is FunctionCall { Over: not null } wf)
            {
                // The window call itself is not an aggregate of this query; aggregates in its
                // arguments, FILTER or window are (they are computed per group first).
                foreach (Expr a in WindowCallInputs(wf, core)) CollectAggregates(a, into, core);
                return false;
            }
            if (x is FunctionCall f && FunctionCatalog.Find(f.Name, f.Star ? 0 : f.Arguments.Count, out _) is AggregateFunction)
            {
                if (!into.Contains(f)) into.Add(f);
                return false;
            }
            return true;
        });
    }

    private static void CollectBareColumns(Expr e, List<ColumnRef> into, SelectClause core)
    {
        Walk(e, x =>
        {
            if (x is FunctionCall { Over: not null } wf)
            {
                // A window call's inputs are computed per group, from the group's values.
                foreach (Expr a in WindowCallInputs(wf, core)) CollectBareColumns(a, into, core);
                return false;
            }
            if (x is FunctionCall f && FunctionCatalog.Find(f.Name, f.Star ? 0 : f.Arguments.Count, out _) is AggregateFunction) return false;
            if (x is ColumnRef c && !into.Contains(c)) into.Add(c);
            return true;
        });
    }

    /// <summary>The qualified column references inside the subqueries of an expression (at any depth).</summary>
    private static void CollectSubqueryColumns(Expr e, List<ColumnRef> into)
    {
        Walk(e, x =>
        {
            switch (x)
            {
                case ExistsExpr ex: CollectColumns(ex.Select, into); break;
                case SubqueryExpr sq: CollectColumns(sq.Select, into); break;
                case InSelectExpr ins: CollectColumns(ins.Select, into); break;
            }
            return true;
        });

        static void CollectColumns(SelectStatement s, List<ColumnRef> into)
        {
            var cores = new List<SelectCore> { s.First };
            foreach (CompoundPart p in s.Compounds) cores.Add(p.Select);
            var exprs = new List<Expr>();
            foreach (SelectCore core in cores)
            {
                if (core is ValuesClause v)
                {
                    foreach (NodeList<Expr> row in v.Rows) exprs.AddRange(row);
                    continue;
                }
                var sc = (SelectClause)core;
                foreach (ResultColumn rc in sc.Columns)
                {
                    if (rc is ExprColumn ec) exprs.Add(ec.Expr);
                }
                foreach (FromItem fi in sc.From)
                {
                    if (fi.On != null) exprs.Add(fi.On);
                    if (fi.Source is SubquerySource sub) CollectColumns(sub.Select, into);
                }
                if (sc.Where != null) exprs.Add(sc.Where);
                exprs.AddRange(sc.GroupBy);
                if (sc.Having != null) exprs.Add(sc.Having);
            }
            foreach (OrderingTerm o in s.OrderBy) exprs.Add(o.Expr);
            foreach (Expr x in exprs)
            {
                Walk(x, y =>
                {
                    if (y is ColumnRef c && c.Table != null && !into.Contains(c)) into.Add(c);
                    return true;
                });
                CollectSubqueryColumns(x, into);
            }
        }
    }

    /// <summary>Visits an expression tree (not descending into subqueries); the visitor returns false to skip children.</summary>
    private static void Walk(Expr e, Func<Expr, bool> visit)
    {
        if (!visit(e)) return;
        switch (e)
        {
            case UnaryExpr u: Walk(u.Operand, visit); break;
            case BinaryExpr b: Walk(b.Left, visit); Walk(b.Right, visit); break;
            case LikeExpr l: Walk(l.Left, visit); Walk(l.Pattern, visit); if (l.Escape != null) Walk(l.Escape, visit); break;
            case BetweenExpr be: Walk(be.Operand, visit); Walk(be.Low, visit); Walk(be.High, visit); break;
            case InListExpr il: Walk(il.Operand, visit); foreach (Expr x in il.Items) Walk(x, visit); break;
            case InSelectExpr ins: Walk(ins.Operand, visit); break;
            case RowValueExpr r: foreach (Expr x in r.Items) Walk(x, visit); break;
            case NullTestExpr nt: Walk(nt.Operand, visit); break;
            case CollateExpr ce: Walk(ce.Operand, visit); break;
            case CastExpr ca: Walk(ca.Operand, visit); break;
            case FunctionCall f: foreach (Expr x in f.Arguments) Walk(x, visit); break;
            case CaseExpr c:
                if (c.Operand != null) Walk(c.Operand, visit);
                foreach (CaseWhen w in c.Whens) { Walk(w.Condition, visit); Walk(w.Result, visit); }
                if (c.Else != null) Walk(c.Else, visit);
                break;
        }
    }
}
