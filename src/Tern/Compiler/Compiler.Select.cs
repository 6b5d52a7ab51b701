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

        /// <summary>The table column the item reads directly (a table in the FROM clause), if any.</summary>
        public (string Table, string Column)? Origin { get; init; }
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
        var members = new List<(List<ResultItem> Results, Scope Scope)>();
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
                CopyRows(current, next, wantList, -1);
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
            PlanScope partNote = NoteScope(i == 0 ? "LEFT-MOST SUBQUERY" : CompoundNote(op));
            _memberSink = members;
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
                        Emit(Opcode.IdxInsert, cur, rec, 0);
                        break;
                }
            }, i == 0 ? names : null, columnCollations.Add);
            partNote.Dispose();
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
        void CopyRows(int from, int to, bool toList, int onlyIfIn)
        {
            int copied = NewLabel(), skip = NewLabel();
            Emit(Opcode.Rewind, from, copied, 0);
            int top = CurrentAddress;
            int regs = NewRegisters(Math.Max(width, 1));
            for (int k = 0; k < width; k++) Emit(Opcode.Column, from, k, regs + k);
            int rec = NewRegister();
            Emit(Opcode.MakeRecord, regs, width, rec);
            if (onlyIfIn >= 0) Emit(Opcode.NotFound, onlyIfIn, skip, rec);
            Emit(toList ? Opcode.SorterInsert : Opcode.IdxInsert, to, rec, 0);
            Resolve(skip);
            Emit(Opcode.Next, from, top, 0);
            Resolve(copied);
        }

        var collations = new Collation[Math.Max(width, 0)];
        for (int k = 0; k < collations.Length; k++)
        {
            collations[k] = columnCollations.Select(c => k < c.Length ? c[k] : null).FirstOrDefault(c => c != null) ?? Collation.Binary;
        }
        foreach (int open in setOpens)
        {
            Instruction ins = _code[open];
            ins.P4 = new KeyInfo(new bool[collations.Length], collations);
            _code[open] = ins;
        }
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
        if (streamFrom < cores.Count)
        {
            // The sets before the streamed cores compare with collations the later cores may supply.
            for (int k = 0; k < collations.Length; k++)
                collations[k] = columnCollations.Select(c => k < c.Length ? c[k] : null).FirstOrDefault(c => c != null) ?? Collation.Binary;
            foreach (int open in setOpens)
            {
                Instruction ins = _code[open];
                ins.P4 = new KeyInfo(new bool[collations.Length], collations);
                _code[open] = ins;
            }
        }
        outStage.Finish();
    }

    /// <summary>
    /// The tail of a query: DISTINCT, then ORDER BY (rows go through a sorter), then OFFSET and
    /// LIMIT, then the row handler. Sort keys are computed by the caller when given as expressions
    /// over the FROM scope; otherwise they refer to result columns.
    /// </summary>
    /// <summary>
    /// Whether the query reads one table and orders by its rowid alone: SQLite then scans in
    /// rowid order without a sorter, so its rows keep integers marked real (Mem.IntReal) as
    /// REAL, and Tern's sorter must not store them as integers.
    /// </summary>
    private static bool OrdersByRowid(Expr[] orderExprs, Scope scope, bool isAggregate)
    {
        if (isAggregate || orderExprs.Length != 1 || scope.Sources.Count != 1 || scope.Sources[0].Materialized) return false;
        if (orderExprs[0] is not ColumnRef c) return false;
        (Source? src, int col) = TryResolve(c, scope);
        return src == scope.Sources[0] && (col < 0 || col == src.Table.RowidAlias);
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
            g.Emit(Opcode.MakeRecord, block, k + n, rec, null, KeepIntReal ? (ushort)0 : P5Flags.IntRealAsInteger);
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
                g.Emit(Opcode.OpenPseudo, pseudo, data, k + _width);
                g.Emit(Opcode.SorterSort, _sorter, done, 0);
                int loop = g.CurrentAddress;
                g.Emit(Opcode.SorterData, _sorter, data, 0);
                int regs = g.NewRegisters(Math.Max(_width, 1));
                for (int i = 0; i < _width; i++) g.Emit(Opcode.Column, pseudo, k + i, regs + i);
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
        if (e is Literal { Kind: LiteralKind.Integer } l && int.TryParse(l.Value, out int k))
        {
            if (k < 1 || k > width) throw new TernException(ResultCode.Error, $"{Ordinal(termIndex + 1)} ORDER BY term out of range - should be between 1 and {width}");
            return k - 1;
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

    /// <summary>Where the next core compiled records its results and scope (a compound's member list), taken by that core only.</summary>
    private List<(List<ResultItem> Results, Scope Scope)>? _memberSink;

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
        OutputStage? streamedInto = _streamedInto;
        _streamedInto = null;
        if (coreNode is ValuesClause values)
        {
            var stage = new OutputStage(this, orderBy, limit, emit);
            stage.Prepare(null);
            int width = values.Rows[0].Count;
            var items = new List<ResultItem>();
            for (int i = 0; i < width; i++) items.Add(new ResultItem(values.Rows[0][i], "column" + (i + 1), null));
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
        // Set for the core of an EXISTS subquery only (not for what it contains).
        bool resultsUnused = _existsResultsUnused;
        _existsResultsUnused = false;
        var scope = new Scope { Outer = outer };
        var whereTerms = new List<Expr>();
        // Terms in SQLite's order: the WHERE clauses of flattened subqueries (the last
        // flattened first), the query's own WHERE, then the ON and USING terms of its joins.
        var fromTerms = new List<Expr>();
        var flattenedWhere = new List<Expr>();
        FlattenContext? savedFlatten = _flattenContext;
        _flattenContext = FlattenContextFor(core, orderBy, flattenedWhere);
        try
        {
            foreach (FromItem fi in core.From) AddSource(fi, scope, fromTerms);
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
        }
        if (core.From.Count == 0) Note("SCAN CONSTANT ROW");
        whereTerms.AddRange(flattenedWhere);
        SplitAnd(core.Where, whereTerms);
        whereTerms.AddRange(fromTerms);
        SimplifyLeftJoins(scope, whereTerms);

        List<ResultItem> results = ExpandResults(core, scope);
        names?.Invoke(results);
        _compoundNames ??= results;
        NoteCoreResolution(core, scope, results, orderBy);
        memberSink?.Add((results, scope));
        int n = results.Count;

        var aggregates = new List<FunctionCall>();
        foreach (ResultItem r in results) CollectAggregates(r.Expr, aggregates, core);
        // As in SQLite, only GROUP BY or an aggregate among the result columns makes a query an
        // aggregate query; an aggregate in HAVING, WHERE or ORDER BY of any other is misused.
        bool isAggregate = aggregates.Count > 0 || core.GroupBy.Count > 0;
        if (core.Having != null && !isAggregate) throw new TernException(ResultCode.Error, "HAVING clause on a non-aggregate query");
        foreach (Expr w in whereTerms)
        {
            var tmp = new List<FunctionCall>();
            CollectAggregates(w, tmp);
            if (tmp.Count > 0) throw new TernException(ResultCode.Error, isAggregate ? $"misuse of aggregate: {tmp[0].Name}()" : $"misuse of aggregate function {tmp[0].Name}()");
        }
        var havingAggregates = new List<FunctionCall>();
        if (core.Having != null) CollectAggregates(core.Having, havingAggregates, core);
        var orderAggregates = new List<FunctionCall>();
        foreach (OrderingTerm t in orderBy) CollectAggregates(t.Expr, orderAggregates, core);
        if (!isAggregate && orderAggregates.Count > 0)
        {
            if (core.From.Count > 0) throw new TernException(ResultCode.Error, $"misuse of aggregate: {orderAggregates[0].Name}()");
            // Without FROM there is one row and SQLite drops the ORDER BY before it would fail;
            // computing its aggregates over that row gives the same row.
            isAggregate = true;
        }
        // Stepped in SQLite's order (result columns, ORDER BY, HAVING): with several min()/max(),
        // the last one stepped decides which row the bare columns come from.
        aggregates.AddRange(orderAggregates);
        aggregates.AddRange(havingAggregates);

        // ORDER BY terms: a number or an alias of a result column means that column's expression.
        var orderExprs = new Expr[orderBy.Count];
        for (int i = 0; i < orderBy.Count; i++) orderExprs[i] = ResolveOrderTerm(orderBy[i].Expr, results, i);

        collations?.Invoke(results.Select(r => ExprCollation(r.Expr, scope, strict: false)).ToArray());
        var stageOut = new OutputStage(this, orderBy, limit, emit) { KeepIntReal = OrdersByRowid(orderExprs, scope, isAggregate) };
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
            EmitLoops(scope, whereTerms, () =>
            {
                _aliasScopes.Remove(scope);
                int regs = NewRegisters(Math.Max(n, 1));
                int? offsetSkip = stageOut.OffsetBeforeRow() ?? (distinct ? null : streamedInto?.OffsetBeforeRow());
                // EXISTS looks only at whether a row comes: as in SQLite, the result columns are
                // resolved (their errors are reported) but never evaluated.
                int skip = resultsUnused ? NewLabel() : -1;
                if (resultsUnused) Emit(Opcode.Goto, 0, skip, 0);
                for (int i = 0; i < n; i++) ExprCode(results[i].Expr, scope, regs + i);
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
            EmitLoops(scope, whereTerms, () =>
            {
                _aliasScopes.Remove(scope);
                int block = NewRegisters(Math.Max(width, 1));
                for (int i = 0; i < g; i++) ExprCode(groupExprs[i], scope, block + i);
                for (int i = 0; i < argExprs.Count; i++) ExprCode(argExprs[i], scope, block + g + i);
                for (int i = 0; i < bare.Count; i++) ExprCode(bare[i], scope, block + g + argExprs.Count + i);
                int rec = NewRegister();
                Emit(Opcode.MakeRecord, block, width, rec);
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
            Emit(Opcode.OpenPseudo, pseudo, data, width);
            int sortedDone = NewLabel();
            Emit(Opcode.SorterSort, sorter, sortedDone, 0);
            int loop = CurrentAddress;
            Emit(Opcode.SorterData, sorter, data, 0);
            for (int i = 0; i < g; i++) Emit(Opcode.Column, pseudo, i, keys + i);
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
                argCol += na;
                AggStepCode(aggregates[i], scope, accumulators + i, args, distinctSets, bareFlag);
            }
            LoadBareColumns(minMax, bareFlag, () =>
            {
                for (int i = 0; i < bare.Count; i++) Emit(Opcode.Column, pseudo, g + argExprs.Count + i, bareRegs + i);
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
        if (e is Literal { Kind: LiteralKind.Integer } l && long.TryParse(l.Value, out long k))
        {
            if (k < 1 || k > results.Count)
                throw new TernException(ResultCode.Error, $"{Ordinal(termIndex + 1)} ORDER BY term out of range - should be between 1 and {results.Count}");
            return results[(int)k - 1].Expr;
        }
        if (e is ColumnRef { Table: null } c)
        {
            foreach (ResultItem r in results)
            {
                if (r.Expr is not ColumnRef && string.Equals(r.Name, c.Column, StringComparison.OrdinalIgnoreCase)) return r.Expr;
            }
        }
        return e;
    }

    private static Expr ResolveGroupTerm(Expr e, List<ResultItem> results, Scope scope)
    {
        if (e is Literal { Kind: LiteralKind.Integer } l && long.TryParse(l.Value, out long k))
        {
            if (k < 1 || k > results.Count) throw new TernException(ResultCode.Error, $"1st GROUP BY term out of range - should be between 1 and {results.Count}");
            return results[(int)k - 1].Expr;
        }
        // A name that is no column of the FROM clause may be a result column's alias.
        if (e is ColumnRef { Table: null } c && TryResolveLocal(c, scope).Source == null)
        {
            foreach (ResultItem r in results)
            {
                if (r.Expr is not ColumnRef && string.Equals(r.Name, c.Column, StringComparison.OrdinalIgnoreCase)) return r.Expr;
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
                    foreach (Source s in scope.Sources)
                    {
                        if (!s.Hidden) AddAll(s, skipUsing: true);
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
                        string name = ec.Alias ?? (ec.Expr is ColumnRef ? DefaultName(ec.Expr, scope) : SourceText(ec));
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
                        });
                        break;
                    }
            }
        }
        if (list.Count > Limits.MaxColumns) throw new TernException(ResultCode.Error, "too many columns in result set");
        return list;

        void AddAll(Source s, bool skipUsing = false)
        {
            foreach (Column c in s.Table.Columns.Where(c => !skipUsing || !s.UsingColumns.Contains(c.Name)))
                list.Add(new ResultItem(new ColumnRef(null, s.Name, c.Name), c.Name, c.DeclaredType)
                {
                    Affinity = c.Affinity, Collation = c.Collation, Origin = OriginOf(s, s.Table.Columns.IndexOf(c)),
                });
        }
    }

    /// <summary>The (table, column) a source's column comes from: a table's own column, or what a view's, subquery's or CTE's column reads.</summary>
    private static (string, string)? OriginOf(Source s, int col)
    {
        if (s.Materialized || s.ColumnNames != null) return col >= 0 ? s.Table.Columns[col].Origin : null;
        if (col < 0) col = s.Table.RowidAlias;
        return (s.Table.Name, col < 0 ? "rowid" : s.Table.Columns[col].Name);
    }

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
