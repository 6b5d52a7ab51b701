// FROM items: tables, views, subqueries, common table expressions (WITH) and
// parenthesised joins, each bound to a cursor as one Source of the scope.
//
// A view, a FROM subquery and a non-recursive CTE are materialized: their rows are
// written, in order, into a list cursor that the loop nest reads with Rewind/Next.
// Names resolve innermost first: a WITH name, then a view or table of the schema.
//
// A recursive CTE  name AS (anchor UNION [ALL] recursive)  runs as a queue that is also
// its result list; the recursive part reads the CTE's name as a one-row table holding
// the row just taken from the queue:
//
//     Q := [], L := LIMIT (or "no limit")
//     anchor rows ------------------------> append(row)
//     Rewind Q done                         append(row): [UNION: skip if already in set D]
//   top:                                                 IfPos L -> Q += row, L -= 1
//     CUR := { Q's current row }
//     recursive rows (reading CUR) -------> append(row)
//     Next Q top                            (rows appended during the walk are reached too)
//   done:
//
// When the CTE is the first FROM item of a query, the walk over Q is the query's own
// outer loop (the recursive step runs just before its Next), so a consumer's LIMIT ends
// an otherwise endless recursion, as in SQLite.
using System.Diagnostics;
using Tern.Schema;
using Tern.Sql.Ast;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>
    /// One WITH name, visible to everything compiled after it (a linked environment). As in
    /// SQLite, a CTE's body sees every name of its WITH clause, later ones and itself
    /// included: reading itself makes it recursive when its right-most SELECT does so (UNION
    /// or UNION ALL), and is a circular reference anywhere else; the RECURSIVE keyword
    /// changes nothing.
    /// </summary>
    private sealed class CteEnv
    {
        public required CommonTableExpression Cte { get; init; }
        public required bool Recursive { get; init; }
        /// <summary>The names pushed before this one.</summary>
        public required CteEnv? Parent { get; init; }
        /// <summary>The WITH clause this name belongs to: its body sees <see cref="WithFrame.Top"/>.</summary>
        public required WithFrame Frame { get; init; }
    }

    /// <summary>The environment once every name of one WITH clause is pushed.</summary>
    private sealed class WithFrame
    {
        public CteEnv? Top { get; set; }
    }

    private CteEnv? _ctes;

    /// <summary>CTEs whose bodies are being compiled: reading one again is a circular reference.</summary>
    private readonly HashSet<CommonTableExpression> _openCtes = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _expandingViews = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many views of the main schema are being expanded, innermost not a TEMP view (0 otherwise).</summary>
    private int _mainViewDepth;
    private int _sourceDepth;

    private void PushWith(WithClause with)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (CommonTableExpression cte in with.Tables)
        {
            // Checked even for tables nothing references (SQLite does so while parsing).
            if (!names.Add(cte.Name)) throw new TernException(ResultCode.Error, "duplicate WITH table name: " + cte.Name);
        }
        var frame = new WithFrame();
        foreach (CommonTableExpression cte in with.Tables)
        {
            _ctes = new CteEnv { Cte = cte, Recursive = IsRecursiveCte(cte), Parent = _ctes, Frame = frame };
        }
        frame.Top = _ctes;
    }

    /// <summary>SQLite's test: a compound whose right-most SELECT, joined by UNION or UNION ALL, reads the CTE in its FROM clause.</summary>
    private static bool IsRecursiveCte(CommonTableExpression cte)
    {
        SelectStatement s = cte.Select;
        if (s.Compounds.IsEmpty) return false;
        CompoundPart last = s.Compounds[s.Compounds.Count - 1];
        return last.Operator is CompoundOperator.Union or CompoundOperator.UnionAll && CoreReferences(last.Select, cte.Name);
    }

    private CteEnv? FindCte(string name)
    {
        for (CteEnv? e = _ctes; e != null; e = e.Parent)
        {
            if (string.Equals(e.Cte.Name, name, StringComparison.OrdinalIgnoreCase)) return e;
        }
        return null;
    }

    private static bool CoreReferences(SelectCore core, string name) =>
        core is SelectClause sc && sc.From.AsSpan().ToArray().Any(fi => FromReferences(fi.Source, name));

    private static bool FromReferences(TableSource src, string name) => FromReferenceCount(src, name) > 0;

    /// <summary>
    /// The column affinities of a recursive CTE as its readers outside see them: the compound
    /// rule over the initial SELECTs and the recursive ones. The recursive SELECTs are not
    /// compiled yet, so their result expressions are judged over their FROM tables (the CTE
    /// itself with the initial SELECTs' affinities); one with a table this cannot see leaves
    /// the affinities as the initial SELECTs give them.
    /// </summary>
    private void SettleRecursiveCteAffinities(List<(List<ResultItem> Results, Scope Scope)> anchors, List<SelectCore> steps, CommonTableExpression cte)
    {
        if (anchors.Count == 0 || anchors.Any(a => a.Results.Count != anchors[0].Results.Count)) return;
        List<ResultItem> first = anchors[0].Results;
        var self = new Table
        {
            Name = cte.Name,
            RootPage = 0,
            Columns = first.Select((r, i) => new Column { Name = cte.Columns.IsEmpty ? r.Name : i < cte.Columns.Count ? cte.Columns[i] : r.Name, Affinity = r.Affinity }).ToList(),
        };
        var stepExprs = new List<(Expr[] Exprs, Scope Scope)>();
        foreach (SelectCore core in steps)
        {
            if (core is not SelectClause sc || sc.Columns.Count != first.Count || sc.Columns.AsSpan().ToArray().Any(c => c is not ExprColumn)) return;
            var scope = new Scope();
            foreach (FromItem fi in sc.From)
            {
                if (fi.Source is not NamedTable nt || nt.Schema != null) return;
                Table? t = string.Equals(nt.Name, cte.Name, StringComparison.OrdinalIgnoreCase) ? self : FindCte(nt.Name) == null ? _schema.FindTable(nt.Name) : null;
                if (t == null) return;
                scope.Sources.Add(new Source { Table = t, Cursor = -1, Name = nt.Alias ?? t.Name });
            }
            stepExprs.Add((sc.Columns.AsSpan().ToArray().Select(c => ((ExprColumn)c).Expr).ToArray(), scope));
        }
        int n = anchors.Count;
        SettleCompoundAffinities(first, n + stepExprs.Count,
            (j, k) => j < n ? anchors[j].Results[k].Affinity : ExprAffinity(stepExprs[j - n].Exprs[k], stepExprs[j - n].Scope),
            (j, k) => j < n ? MayProduce(anchors[j].Results[k].Expr, anchors[j].Scope) : MayProduce(stepExprs[j - n].Exprs[k], stepExprs[j - n].Scope));
    }

    private static int FromReferenceCount(TableSource src, string name) => src switch
    {
        NamedTable nt => nt.Schema == null && string.Equals(nt.Name, name, StringComparison.OrdinalIgnoreCase) ? 1 : 0,
        NestedJoin nj => nj.Items.AsSpan().ToArray().Sum(fi => FromReferenceCount(fi.Source, name)),
        _ => 0,
    };

    /// <summary>The recursive SELECT of a recursive CTE while it is compiled (null otherwise).</summary>
    private SelectCore? _recursiveStepCore;

    private void AddSource(FromItem fi, Scope scope, List<Expr> whereTerms)
    {
        if ((fi.Join & JoinType.Right) != 0)
            throw new TernException(ResultCode.Error, "RIGHT and FULL joins are not supported yet");
        bool first = scope.Sources.Count == 0;
        int before = scope.Sources.Count;
        FromItem original = fi;
        if ((fi.Join & JoinType.Left) != 0)
        {
            int level = scope.Sources.Count;
            scope.LeftLevels.Add(level);
            var on = new List<Expr>();
            SplitAnd(fi.On, on);
            foreach (Expr e in on) scope.LeftJoinOn[e] = level;
            fi = fi with { On = null };
            whereTerms.AddRange(on);
        }
        bool left = (fi.Join & JoinType.Left) != 0;
        switch (fi.Source)
        {
            case SubquerySource sub:
                if (!TryFlatten(sub.Select, sub.Alias, NodeList<string>.Empty, null, null, scope, whereTerms, left))
                    AddMaterializedSource(sub.Select, sub.Alias, NodeList<string>.Empty, null, scope, null,
                        PlanSubqueryUse(original, sub.Select, sub.Alias, NodeList<string>.Empty));
                break;
            case NestedJoin nj when nj.Alias == null && (fi.Join & JoinType.Left) == 0
                && nj.Items.AsSpan().ToArray().All(x => (x.Join & (JoinType.Left | JoinType.Right)) == 0):
                // (a JOIN b ON ...) among inner joins is the same as its items written inline.
                foreach (FromItem inner in nj.Items) AddSource(inner, scope, whereTerms);
                break;
            case NamedTable nt:
                AddNamedSource(nt, scope, first && !left, whereTerms, left, original);
                break;
            case TableFunction tf:
                if (FindCte(tf.Name) != null || _schema.FindTable(tf.Name) != null || _schema.FindView(tf.Name) != null || _tempViews.ContainsKey(tf.Name))
                    throw new TernException(ResultCode.Error, $"'{tf.Name}' is not a function");
                if (!IsTableFunctionName(tf.Name)) throw new TernException(ResultCode.Error, "no such table: " + (tf.Schema != null ? tf.Schema + "." : "") + tf.Name);
                AddTableFunctionSource(tf.Name, tf.Arguments, tf.Alias, scope);
                break;
            default:
                throw new TernException(ResultCode.Error, "this kind of FROM item is not supported yet");
        }
        if ((fi.Join & JoinType.Natural) != 0 && (original.On != null || !fi.Using.IsEmpty))
            throw new TernException(ResultCode.Error, "a NATURAL join may not have an ON or USING clause");
        SplitAnd(fi.On, whereTerms);
        // One FROM item adds one visible source (a flattened subquery also adds its hidden tables first).
        if (((fi.Join & JoinType.Natural) != 0 || !fi.Using.IsEmpty) && before > 0
            && scope.Sources.Count > before && scope.Sources.Skip(before).Count(x => !x.Hidden) == 1 && !scope.Sources[^1].Hidden)
            AddUsingTerms(fi, scope, whereTerms, scope.Sources.Count - 1, before);
    }

    /// <summary>
    /// USING (cols) / NATURAL: each named column equals the same column of the first table
    /// to its left that has it; the right table's copy is left out of * and of unqualified names.
    /// </summary>
    private static void AddUsingTerms(FromItem fi, Scope scope, List<Expr> whereTerms, int rightIndex, int level)
    {
        Source right = scope.Sources[rightIndex];
        List<Source> lefts = scope.Sources.Take(level).Where(s => !s.Hidden).ToList();
        IEnumerable<string> names = fi.Using.IsEmpty
            ? right.Table.Columns.Where(c => !c.IsHidden).Select(c => c.Name).Where(n => lefts.Any(s => s.Table.FindColumn(n) >= 0)).ToList()
            : fi.Using;
        bool left = (fi.Join & JoinType.Left) != 0;
        foreach (string name in names)
        {
            Source? l = lefts.FirstOrDefault(s => s.Table.FindColumn(name) >= 0 && !s.UsingColumns.Contains(name))
                ?? lefts.FirstOrDefault(s => s.Table.FindColumn(name) >= 0);
            if (l == null || right.Table.FindColumn(name) < 0)
                throw new TernException(ResultCode.Error, $"cannot join using column {name} - column not present in both tables");
            var term = new BinaryExpr(BinaryOperator.Eq, new ColumnRef(null, l.Name, name), new ColumnRef(null, right.Name, name));
            if (left) scope.LeftJoinOn[term] = level;
            whereTerms.Add(term);
            right.UsingColumns.Add(name);
        }
    }

    private void AddNamedSource(NamedTable nt, Scope scope, bool outermost, List<Expr>? whereTerms = null, bool left = false, FromItem? item = null)
    {
        if (++_sourceDepth > 200)
        {
            _sourceDepth = 0;
            throw new TernException(ResultCode.Error, "too many levels of nesting in FROM");
        }
        try
        {
            AddNamedSourceCore(nt, scope, outermost, whereTerms, left, item);
        }
        finally
        {
            if (_sourceDepth > 0) _sourceDepth--;
        }
    }

    private void AddNamedSourceCore(NamedTable nt, Scope scope, bool outermost, List<Expr>? whereTerms, bool left, FromItem? item)
    {
        if (nt.Schema == null && _recursiveSources.TryGetValue(nt.Name, out Source? current))
        {
            // Only the recursive SELECT's own FROM clause may read the current row.
            if (_fromContext != null && !ReferenceEquals(_fromContext.Core, _recursiveStepCore))
                throw new TernException(ResultCode.Error, "multiple recursive references: " + current.Name);
            scope.Sources.Add(new Source
            {
                Table = current.Table, Cursor = current.Cursor, Name = nt.Alias ?? current.Name, Materialized = true,
                ColumnNames = current.ColumnNames,
            });
            return;
        }
        if (nt.Schema == null && FindCte(nt.Name) is { } cte)
        {
            if (!_openCtes.Add(cte.Cte)) throw new TernException(ResultCode.Error, "circular reference: " + cte.Cte.Name);
            CteEnv? saved = _ctes;
            _ctes = cte.Frame.Top;
            try
            {
                if (cte.Recursive) AddRecursiveCte(cte, nt.Alias ?? cte.Cte.Name, scope, outermost);
                else AddMaterializedSource(cte.Cte.Select, nt.Alias ?? cte.Cte.Name, cte.Cte.Columns, cte.Cte.Name, scope, null);
            }
            finally
            {
                _ctes = saved;
                _openCtes.Remove(cte.Cte);
            }
            return;
        }
        bool tempSchema = string.Equals(nt.Schema, "temp", StringComparison.OrdinalIgnoreCase);
        View? view = (nt.Schema == null || tempSchema) && _tempViews.TryGetValue(nt.Name, out View? tv) ? tv
            : tempSchema ? null : _schema.FindView(nt.Name);
        if (view != null)
        {
            if (!_expandingViews.Add(view.Name)) throw new TernException(ResultCode.Error, $"view {view.Name} is circularly defined");
            CteEnv? saved = _ctes;
            byte[] savedSql = _sql;
            _ctes = null;
            // Result names come from the view's own text, which the positions in its tree index.
            _sql = view.SqlUtf8;
            bool mainView = !(_tempViews.TryGetValue(view.Name, out View? asTemp) && asTemp == view);
            int savedDepth = _mainViewDepth;
            _mainViewDepth = mainView ? _mainViewDepth + 1 : 0;
            try
            {
                if (whereTerms == null || !TryFlatten(view.Select, nt.Alias ?? view.Name, view.Columns, view.Name, view, scope, whereTerms, left))
                    AddMaterializedSource(view.Select, nt.Alias ?? view.Name, view.Columns, view.Name, scope, view,
                        item == null ? null : PlanSubqueryUse(item, view.Select, nt.Alias ?? view.Name, view.Columns));
            }
            catch (TernException e)
            {
                // A view that does not compile fails while SQLite expands FROM, before resolving names.
                _expandErrors.Add(e);
                throw;
            }
            finally
            {
                _ctes = saved;
                _sql = savedSql;
                _mainViewDepth = savedDepth;
                _expandingViews.Remove(view.Name);
            }
            return;
        }
        // SQLite names the schema of a missing table when the statement does, and "main" for
        // one a view of the main schema reads (it binds the view's tables to its schema).
        if (_schema.FindTable(nt.Name) == null && IsTableFunctionName(nt.Name))
        {
            AddTableFunctionSource(nt.Name, NodeList<Expr>.Empty, nt.Alias, scope);
            return;
        }
        Table t = _schema.FindTable(nt.Name) ?? throw new TernException(ResultCode.Error,
            "no such table: " + MissingTableName(nt.Schema, nt.Name));
        if (nt.IndexedBy != null && IndexedByError(t, nt.IndexedBy) is { } noIndex) throw new TernException(ResultCode.Error, noIndex);
        string name = nt.Alias ?? t.Name;
        scope.Sources.Add(new Source { Table = t, Cursor = NewCursor(), Name = name, NotIndexed = nt.NotIndexed, IndexedBy = nt.IndexedBy });
    }

    /// <summary>
    /// Writes a query's rows into a list cursor and adds it as a source named
    /// <paramref name="alias"/>, with <paramref name="columns"/> as column names when given.
    /// </summary>
    private void AddMaterializedSource(SelectStatement select, string? alias, NodeList<string> columns, string? objectName, Scope scope, View? view,
        SubqueryUse? use = null)
    {
        // The rows are written by a subroutine that the loop calls the first time it gets
        // there, so a query whose outer loops produce nothing never runs it (as in SQLite).
        int cursor = NewCursor();
        int after = NewLabel(), fill = NewLabel(), ret = NewRegister();
        Emit(Opcode.Goto, 0, after, 0);
        Resolve(fill);
        Emit(Opcode.SorterOpen, cursor, 0, 0, new KeyInfo(0));
        List<ResultItem>? items = null;
        List<ResultItem>? saved = _compoundNames;
        _compoundNames = null;
        FromContext? savedFrom = _fromContext;
        _fromContext = null;
        _subqueryUse = use;
        var toReal = new List<(int At, int Column)>();
        using (NoteScope("MATERIALIZE " + (alias ?? $"(subquery-{cursor})")))
        {
            CompileSelect(select, null, (start, n) =>
            {
                int rec = NewRegister();
                // An integer marked real is stored as its integer and marked again when read
                // (RestoresIntReal) in a REAL-affinity column; in any other it stays a REAL.
                // (A compound's column affinity is known once every core is compiled: the
                // conversions are made no-ops then where the column is REAL.)
                for (int i = 0; i < n; i++) toReal.Add((Emit(Opcode.Affinity, start + i, 1, 0, "E", 3), i));
                Emit(Opcode.MakeRecord, start, n, rec, null, P5Flags.IntRealAsInteger);
                Emit(Opcode.SorterInsert, cursor, rec, 0);
            }, r => items ??= r);
        }
        foreach ((int at, int column) in toReal)
        {
            if (items != null && column < items.Count && items[column].Affinity == Affinity.Real) _code[at] = new Instruction(Opcode.Noop, 0, 0, 0, null, 0);
        }
        _subqueryUse = null;
        _fromContext = savedFrom;
        Emit(Opcode.Return, ret, 0, 0);
        Resolve(after);
        _compoundNames = saved;
        List<Column> cols = SourceColumns(items!, columns, objectName, view != null, asWritten: view == null);
        var table = new Table { Name = alias ?? $"(subquery-{cursor})", RootPage = 0, Columns = cols };
        scope.Sources.Add(new Source
        {
            Table = table, Cursor = cursor, Name = table.Name, Materialized = true, RestoresIntReal = true,
            ColumnNames = cols.Select(c => c.Name).ToArray(), Fill = (fill, ret),
        });
    }

    /// <summary>
    /// The columns of a materialized source; explicit names must match the query's width. With
    /// <paramref name="asWritten"/> (a subquery or CTE, named before its names are resolved) an
    /// unaliased column name gives its column the name as written.
    /// </summary>
    private static List<Column> SourceColumns(List<ResultItem> items, NodeList<string> names, string? objectName, bool isView, bool asWritten = false)
    {
        if (!names.IsEmpty && names.Count != items.Count)
        {
            throw new TernException(ResultCode.Error, isView
                ? $"expected {names.Count} columns for '{objectName}' but got {items.Count}"
                : $"table {objectName} has {items.Count} values for {names.Count} columns");
        }
        var cols = new List<Column>(items.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < items.Count; i++)
        {
            string name = names.IsEmpty ? (asWritten ? items[i].WrittenName : null) ?? items[i].Name : names[i];
            if (names.IsEmpty)
            {
                // Duplicate result names become name:1, name:2, ... as SQLite names them.
                string baseName = name;
                for (int k = 1; !seen.Add(name); k++) name = baseName + ":" + k;
            }
            cols.Add(new Column { Name = name, DeclaredType = items[i].DeclaredType, Affinity = items[i].Affinity, Collation = items[i].Collation, Origin = items[i].Origin });
        }
        return cols;
    }

    private void AddRecursiveCte(CteEnv env, string alias, Scope scope, bool outermost)
    {
        CommonTableExpression cte = env.Cte;
        SelectStatement s = cte.Select;
        var cores = new List<(SelectCore Core, CompoundOperator Op)> { (s.First, CompoundOperator.UnionAll) };
        foreach (CompoundPart p in s.Compounds) cores.Add((p.Select, p.Operator));
        // The recursive SELECTs: those reading the CTE, from the right-most one leftward, joined
        // by the right-most one's operator; the ones to their left run first (reading the CTE
        // there is a circular reference).
        CompoundOperator op = cores[^1].Op;
        int firstRecursive = cores.Count;
        while (firstRecursive > 1 && cores[firstRecursive - 1].Op == op && CoreReferences(cores[firstRecursive - 1].Core, cte.Name)) firstRecursive--;
        Debug.Assert(firstRecursive < cores.Count && op is CompoundOperator.Union or CompoundOperator.UnionAll);
        for (int i = firstRecursive; i < cores.Count; i++)
        {
            if (cores[i].Core is SelectClause sc && sc.From.AsSpan().ToArray().Sum(fi => FromReferenceCount(fi.Source, cte.Name)) > 1)
                throw new TernException(ResultCode.Error, "multiple references to recursive table: " + cte.Name);
        }
        if (!s.OrderBy.IsEmpty) throw new TernException(ResultCode.Error, "ORDER BY in a recursive common table expression is not supported yet");

        int queue = NewCursor();
        Emit(Opcode.SorterOpen, queue, 0, 0, new KeyInfo(0));
        int set = -1;
        if (op == CompoundOperator.Union)
        {
            set = NewCursor();
            Emit(Opcode.OpenEphemeral, set, 0, 0, new KeyInfo(0));
        }
        int remaining = NewRegister();
        Emit(Opcode.Int64, 0, remaining, 0, long.MaxValue);
        if (s.Limit != null)
        {
            // A negative LIMIT means no limit.
            int noLimit = NewLabel();
            int lim = NewRegister();
            ExprCode(s.Limit.Limit, new Scope(), lim);
            Emit(Opcode.MustBeInt, lim, 0, 0);
            int zero = NewRegister();
            Emit(Opcode.Integer, 0, zero, 0);
            Emit(Opcode.Lt, zero, noLimit, lim, null, 0);
            Emit(Opcode.Copy, lim, remaining, 0);
            Resolve(noLimit);
        }

        List<ResultItem>? items = null;
        List<ResultItem>? saved = _compoundNames;
        _compoundNames = null;
        int width = -1;
        void Append(int start, int n)
        {
            if (width < 0) width = n;
            else if (n != width)
                throw new TernException(ResultCode.Error, $"SELECTs to the left and right of {(op == CompoundOperator.Union ? "UNION" : "UNION ALL")} do not have the same number of result columns");
            int skip = NewLabel(), add = NewLabel();
            int rec = NewRegister();
            Emit(Opcode.MakeRecord, start, n, rec);
            if (set >= 0)
            {
                Emit(Opcode.Found, set, skip, rec);
                Emit(Opcode.IdxInsert, set, rec, 0);
            }
            Emit(Opcode.IfPos, remaining, add, 1);
            Emit(Opcode.Goto, 0, skip, 0);
            Resolve(add);
            Emit(Opcode.SorterInsert, queue, rec, 0);
            Resolve(skip);
        }

        var anchors = new List<(List<ResultItem> Results, Scope Scope)>();
        for (int i = 0; i < firstRecursive; i++)
        {
            _memberSink = anchors;
            CompileCore(cores[i].Core, null, NodeList<OrderingTerm>.Empty, null, Append, i == 0 ? r => items ??= r : (Action<List<ResultItem>>?)null);
        }
        CteEnv? envAtDefinition = _ctes;
        _compoundNames = saved;
        SettleRecursiveCteAffinities(anchors, cores.Skip(firstRecursive).Select(c => c.Core).ToList(), cte);
        List<Column> cols = SourceColumns(items!, cte.Columns, cte.Name, false, asWritten: true);
        var table = new Table { Name = alias, RootPage = 0, Columns = cols };
        string[] names = cols.Select(c => c.Name).ToArray();

        // The recursive step, run with the queue on its current row.
        void Step()
        {
            int current = NewCursor();
            Emit(Opcode.SorterOpen, current, 0, 0, new KeyInfo(0));
            int row = NewRegister();
            Emit(Opcode.SorterData, queue, row, 0);
            Emit(Opcode.SorterInsert, current, row, 0);
            // The step reads the queue row with no column affinity (only the CTE's readers
            // outside apply the affinity its first SELECT gives).
            var currentTable = new Table
            {
                Name = cte.Name,
                RootPage = 0,
                Columns = cols.Select(c => new Column { Name = c.Name, DeclaredType = null, Affinity = Affinity.Blob, Collation = c.Collation, Origin = c.Origin }).ToList(),
            };
            var recursiveSource = new Source { Table = currentTable, Cursor = current, Name = cte.Name, Materialized = true, ColumnNames = names };
            List<ResultItem>? savedNames = _compoundNames;
            CteEnv? savedEnv = _ctes;
            SelectCore? savedStepCore = _recursiveStepCore;
            _compoundNames = null;
            _ctes = envAtDefinition;
            _recursiveSources.Add(cte.Name, recursiveSource);
            try
            {
                for (int i = firstRecursive; i < cores.Count; i++)
                {
                    _recursiveStepCore = cores[i].Core;
                    CompileCore(cores[i].Core, null, NodeList<OrderingTerm>.Empty, null, Append, null);
                }
            }
            finally
            {
                _recursiveSources.Remove(cte.Name);
                _recursiveStepCore = savedStepCore;
                _compoundNames = savedNames;
                _ctes = savedEnv;
            }
        }

        var source = new Source { Table = table, Cursor = queue, Name = alias, Materialized = true, ColumnNames = names };
        if (outermost)
        {
            // The consumer's outer loop walks the queue and runs the step before each Next.
            source.BeforeNext = Step;
        }
        else
        {
            int done = NewLabel();
            Emit(Opcode.Rewind, queue, done, 0);
            int top = CurrentAddress;
            Step();
            Emit(Opcode.Next, queue, top, 0);
            Resolve(done);
        }
        scope.Sources.Add(source);
    }

    /// <summary>While a recursive step is compiled, the CTE's own name reads the current queue row.</summary>
    private readonly Dictionary<string, Source> _recursiveSources = new(StringComparer.OrdinalIgnoreCase);
}
