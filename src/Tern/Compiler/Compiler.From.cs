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
        /// <summary>
        /// For a non-recursive CTE whose rows name no enclosing query: the source of its first
        /// reference, whose list every later reference reads too (filled once, on first use).
        /// </summary>
        public Source? Shared { get; set; }
        /// <summary>The scope whose FROM clause holds <see cref="Shared"/>.</summary>
        public Scope? SharedIn { get; set; }
    }

    /// <summary>The environment once every name of one WITH clause is pushed.</summary>
    private sealed class WithFrame
    {
        public CteEnv? Top { get; set; }
    }

    private CteEnv? _ctes;

    /// <summary>While positive, CTEs are materialized for each reference (RETURNING values).</summary>
    private int _cteSharingOff;

    /// <summary>CTEs whose bodies are being compiled: reading one again is a circular reference.</summary>
    private readonly HashSet<CommonTableExpression> _openCtes = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _expandingViews = new(StringComparer.OrdinalIgnoreCase);

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

    /// <summary>
    /// Whether RETURNING reads a CTE through the statement's materialization of it. SQLite
    /// keeps the rows of a CTE read in several places when the statement reads it as one of
    /// several FROM items (a join, UPDATE ... FROM included) and cannot flatten it into that
    /// join (an aggregate, DISTINCT, LIMIT or compound body); RETURNING then reads those rows.
    /// Otherwise nothing is kept, and RETURNING computes the CTE anew.
    /// </summary>
    private static bool SharedByJoin(CteEnv cte)
    {
        if (cte.SharedIn is not { } scope || scope.Sources.Count(s => !s.Hidden) < 2) return false;
        SelectStatement body = cte.Cte.Select;
        if (!body.Compounds.IsEmpty || body.Limit != null) return true;
        if (body.First is ValuesClause v) return v.Rows.Count > 1;
        if (body.First is not SelectClause sc) return false;
        if (sc.Distinct || !sc.GroupBy.IsEmpty || sc.Having != null) return true;
        var aggregates = new List<FunctionCall>();
        foreach (ResultColumn rc in sc.Columns)
        {
            if (rc is ExprColumn ec) CollectAggregates(ec.Expr, aggregates, sc);
        }
        return aggregates.Count > 0;
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
                Table? t = string.Equals(nt.Name, cte.Name, StringComparison.OrdinalIgnoreCase) ? self : FindCte(nt.Name) == null ? FindTable(null, nt.Name) : null;
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
        TableFunction tf => tf.Schema == null && string.Equals(tf.Name, name, StringComparison.OrdinalIgnoreCase) ? 1 : 0,
        NestedJoin nj => nj.Items.AsSpan().ToArray().Sum(fi => FromReferenceCount(fi.Source, name)),
        _ => 0,
    };

    /// <summary>The recursive SELECT of a recursive CTE while it is compiled (null otherwise).</summary>
    private SelectCore? _recursiveStepCore;

    private void AddSource(FromItem fi, Scope scope, List<Expr> whereTerms)
    {
        bool first = scope.Sources.Count == 0;
        int before = scope.Sources.Count;
        FromItem original = fi;
        bool right = (fi.Join & JoinType.Right) != 0 && !first;
        if (right)
        {
            // RIGHT or FULL: the source must be one loop level whose rows can be found again
            // (a table, a materialized subquery, view or CTE, a table-valued function).
            if (fi.Source is NestedJoin) throw new TernException(ResultCode.Error, "this kind of FROM item is not supported yet");
            scope.RightLevels.Add(before);
        }
        if ((fi.Join & JoinType.Left) != 0 || right)
        {
            int level = scope.Sources.Count;
            if ((fi.Join & JoinType.Left) != 0) scope.LeftLevels.Add(level);
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
                && (first || nj.Items.AsSpan().ToArray().All(x => (x.Join & (JoinType.Left | JoinType.Right)) == 0)):
                // (a JOIN b ON ...) among inner joins is the same as its items written inline, and
                // so is any parenthesised join that comes first (joins associate to the left).
                foreach (FromItem inner in nj.Items) AddSource(inner, scope, whereTerms);
                break;
            case NamedTable nt:
                AddNamedSource(nt, scope, first && !left, whereTerms, left, original);
                break;
            case TableFunction tf:
                // The recursive table takes no arguments (SQLite checks them as a function's).
                if (tf.Schema == null && _recursiveSources.ContainsKey(tf.Name))
                    throw new TernException(ResultCode.Error, $"too many arguments on {tf.Name}() - max 0");
                if (FindCte(tf.Name) != null || FindTable(tf.Schema, tf.Name) != null || FindView(tf.Schema, tf.Name) != null)
                    throw new TernException(ResultCode.Error, $"'{tf.Name}' is not a function");
                if (!IsTableFunctionName(tf.Name)) throw new TernException(ResultCode.Error, "no such table: " + (tf.Schema != null ? tf.Schema + "." : "") + tf.Name);
                AddTableFunctionSource(tf.Name, tf.Arguments, tf.Alias, scope);
                break;
            default:
                throw new TernException(ResultCode.Error, "this kind of FROM item is not supported yet");
        }
        if ((fi.Join & JoinType.Natural) != 0 && (original.On != null || !fi.Using.IsEmpty))
            throw new TernException(ResultCode.Error, "a NATURAL join may not have an ON or USING clause");
        Debug.Assert(!right || (scope.Sources.Count == before + 1 && scope.Sources[before].Flattened == null),
            "the right side of a RIGHT or FULL join is one loop level (nothing is flattened beside a RIGHT join)");
        if (right && scope.Sources.Count != before + 1) throw new TernException(ResultCode.Error, "this kind of FROM item is not supported yet");
        if (scope.Sources.Count > before) scope.Sources[^1].Join = original.Join;
        int innerTerms = whereTerms.Count;
        SplitAnd(fi.On, whereTerms);
        // One FROM item adds one visible source (a flattened subquery also adds its hidden tables first).
        if (((fi.Join & JoinType.Natural) != 0 || !fi.Using.IsEmpty) && before > 0
            && scope.Sources.Count > before && scope.Sources.Skip(before).Count(x => !x.Hidden) == 1 && !scope.Sources[^1].Hidden)
            AddUsingTerms(fi, scope, whereTerms, scope.Sources.Count - 1, before);
        for (int k = innerTerms; k < whereTerms.Count; k++)
        {
            if (!scope.LeftJoinOn.ContainsKey(whereTerms[k])) scope.InnerJoinOn[whereTerms[k]] = before;
        }
    }

    /// <summary>Whether a FROM clause joins with RIGHT or FULL JOIN (its first item's join type means nothing).</summary>
    private static bool HasRightJoin(NodeList<FromItem> from)
    {
        for (int i = 1; i < from.Count; i++)
        {
            if ((from[i].Join & JoinType.Right) != 0) return true;
        }
        // A parenthesised join written first is taken inline.
        return from.Count > 0 && from[0].Source is NestedJoin { Alias: null } nj && HasRightJoin(nj.Items);
    }

    /// <summary>
    /// USING (cols) / NATURAL: each named column equals the same column of the first table
    /// to its left that has it; the right table's copy is left out of * and of unqualified names.
    /// When the FROM clause has a RIGHT or FULL join, the left side is, as in SQLite, the
    /// coalesce() of every table to the left that has the column (each after the first must
    /// have joined by USING that name), and unqualified names follow SQLite's lookup (see
    /// <see cref="SettleUsingName"/>).
    /// </summary>
    private void AddUsingTerms(FromItem fi, Scope scope, List<Expr> whereTerms, int rightIndex, int level)
    {
        Source right = scope.Sources[rightIndex];
        List<Source> lefts = scope.Sources.Take(level).Where(s => !s.Hidden && !s.UsingOnly).ToList();
        List<string> names = fi.Using.IsEmpty
            ? right.Table.Columns.Where(c => !c.IsHidden).Select(c => c.Name).Where(n => lefts.Any(s => s.Table.FindColumn(n) >= 0)).ToList()
            : fi.Using.AsSpan().ToArray().ToList();
        bool outer = (fi.Join & (JoinType.Left | JoinType.Right)) != 0;
        bool anyRight = scope.HasRightJoin || (_fromContext?.From is { } from && HasRightJoin(from));
        right.UsingNames = names;
        foreach (string name in names)
        {
            Source? l = lefts.FirstOrDefault(s => s.Table.FindColumn(name) >= 0 && !s.UsingColumns.Contains(name))
                ?? lefts.FirstOrDefault(s => s.Table.FindColumn(name) >= 0);
            if (l == null || right.Table.FindColumn(name) < 0)
                throw new TernException(ResultCode.Error, $"cannot join using column {name} - column not present in both tables");
            Expr leftSide = new ColumnRef(null, l.Name, name);
            if (anyRight)
            {
                List<Source> having = lefts.Where(s => s.Table.FindColumn(name) >= 0).ToList();
                foreach (Source other in having.Skip(1))
                {
                    if (other.UsingNames == null || !other.UsingNames.Contains(name, StringComparer.OrdinalIgnoreCase))
                        throw new TernException(ResultCode.Error, $"ambiguous reference to {name} in USING()");
                }
                leftSide = having.Count == 1 ? new ColumnRef(null, having[0].Name, name) : Coalesce(having, name);
            }
            var term = new BinaryExpr(BinaryOperator.Eq, leftSide, new ColumnRef(null, right.Name, name));
            if (outer) scope.LeftJoinOn[term] = level;
            whereTerms.Add(term);
            right.StarOmits.Add(name);
            if (!anyRight) right.UsingColumns.Add(name);
        }
        if (anyRight)
        {
            foreach (string name in names) SettleUsingName(scope, name);
        }
    }

    private static FunctionCall Coalesce(List<Source> sources, string name) =>
        new("coalesce", false, NodeList<Expr>.From(sources.Select(s => (Expr)new ColumnRef(null, s.Name, name))), false,
            NodeList<OrderingTerm>.Empty, null, null);

    private int _usingSources;

    /// <summary>
    /// Decides what an unqualified <paramref name="name"/> means among the sources so far, as
    /// SQLite's name lookup does in a FROM clause with RIGHT or FULL joins: the left-most table
    /// with the column, except that a later table joined by USING that name takes over when
    /// its join is a RIGHT JOIN, and joins in when it is a FULL JOIN (the name is then the
    /// coalesce() of the tables gathered, a source of its own that only unqualified names
    /// reach); a later table with the column but no such USING makes the name ambiguous.
    /// </summary>
    private void SettleUsingName(Scope scope, string name)
    {
        Source? match = null;
        List<Source>? full = null;
        int count = 0;
        foreach (Source s in scope.Sources)
        {
            if (s.Hidden || s.UsingOnly || s.Table.FindColumn(name) < 0) continue;
            if (count > 0)
            {
                bool usingHere = s.UsingNames != null && s.UsingNames.Contains(name, StringComparer.OrdinalIgnoreCase);
                if (!usingHere) full = null;
                else if ((s.Join & JoinType.Right) == 0) continue;
                else if ((s.Join & JoinType.Left) == 0)
                {
                    count = 0;
                    full = null;
                }
                else (full ??= []).Add(match!);
            }
            count++;
            match = s;
        }
        if (match == null) return;
        // Earlier decisions about the name give way to this one.
        foreach (Source s in scope.Sources)
        {
            if (s.UsingOnly && s.Table.FindColumn(name) >= 0) s.UsingColumns.Add(name);
        }
        if (full != null && full.Count == count - 1)
        {
            full.Add(match);
            foreach (Source s in scope.Sources)
            {
                if (!s.Hidden && s.Table.FindColumn(name) >= 0) s.UsingColumns.Add(name);
            }
            FunctionCall coalesce = Coalesce(full, name);
            var table = new Table
            {
                Name = name, RootPage = 0,
                Columns = [new Column { Name = name, Affinity = Affinity.None }],
            };
            scope.Sources.Add(new Source
            {
                Table = table, Cursor = -1, Name = $"\u0002{++_usingSources}.{name}", ColumnNames = [name],
                Flattened = [coalesce], UsingOnly = true,
            });
        }
        else if (count == 1)
        {
            foreach (Source s in scope.Sources)
            {
                if (s.Hidden || s.UsingOnly || s == match || s.Table.FindColumn(name) < 0) continue;
                s.UsingColumns.Add(name);
            }
            match.UsingColumns.Remove(name);
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
                else if ((_cteSharingOff == 0 || SharedByJoin(cte)) && cte.Shared is { } shared && cte.Cte.Materialized != Materialization.NotMaterialized)
                {
                    // Materialized once (SQLite's rule for a CTE read in several places, or
                    // MATERIALIZED): this reference reads the same rows through a cursor of its own.
                    string refName = nt.Alias ?? cte.Cte.Name;
                    scope.Sources.Add(new Source
                    {
                        Table = new Table { Name = refName, RootPage = 0, Columns = shared.Table.Columns }, Cursor = NewCursor(), Name = refName, Materialized = true, RestoresIntReal = true,
                        ColumnNames = shared.ColumnNames, Fill = shared.Fill, DupOf = shared.Cursor,
                    });
                }
                else
                {
                    AddMaterializedSource(cte.Cte.Select, nt.Alias ?? cte.Cte.Name, cte.Cte.Columns, cte.Cte.Name, scope, null);
                    Source added = scope.Sources[^1];
                    if (_cteSharingOff == 0 && !added.FillEveryTime && cte.Cte.Materialized != Materialization.NotMaterialized)
                    {
                        cte.Shared = added;
                        cte.SharedIn = scope;
                    }
                }
            }
            finally
            {
                _ctes = saved;
                _openCtes.Remove(cte.Cte);
            }
            return;
        }
        View? view = LookupView(nt.Schema, nt.Name);
        if (view != null)
        {
            if (!_expandingViews.Add(view.Name)) throw new TernException(ResultCode.Error, $"view {view.Name} is circularly defined");
            CteEnv? saved = _ctes;
            byte[] savedSql = _sql;
            _ctes = null;
            // Result names come from the view's own text, which the positions in its tree index.
            _sql = view.SqlUtf8;
            int savedDepth = _bindDb;
            _bindDb = ViewBinding(view);
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
                _bindDb = savedDepth;
                _expandingViews.Remove(view.Name);
            }
            return;
        }
        // SQLite names the schema of a missing table when the statement does, and "main" for
        // one a view of the main schema reads (it binds the view's tables to its schema).
        if (nt.Schema == null && FindTable(null, nt.Name) == null && IsTableFunctionName(nt.Name))
        {
            AddTableFunctionSource(nt.Name, NodeList<Expr>.Empty, nt.Alias, scope);
            return;
        }
        Table t = FindTable(nt.Schema, nt.Name) ?? throw new TernException(ResultCode.Error,
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
        // Several references to one CTE call this: the rows are made the first time only
        // (a correlated body is filled each time, so its flag is reset below).
        int filled = NewRegister();
        int fillDone = NewLabel();
        Emit(Opcode.IfPos, filled, fillDone, 0);
        Emit(Opcode.Integer, 1, filled, 0);
        Emit(Opcode.SorterOpen, cursor, 0, 0, new KeyInfo(0));
        List<ResultItem>? items = null;
        List<ResultItem>? saved = _compoundNames;
        _compoundNames = null;
        FromContext? savedFrom = _fromContext;
        _fromContext = null;
        _subqueryUse = use;
        var toReal = new List<(int At, int Column)>();
        // The rows may name columns of the queries around this one (not of its siblings in
        // FROM): then they are computed again each time the loop reaches them.
        Scope? outer = view == null ? scope.Outer : null;
        var correlation = new OnceFrame { Outer = outer ?? new Scope(), Address = -1 };
        _onceFrames.Add(correlation);
        using (NoteScope("MATERIALIZE " + (alias ?? $"(subquery-{cursor})")))
        {
            CompileSelect(select, outer, (start, n) =>
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
        _onceFrames.Remove(correlation);
        foreach ((int at, int column) in toReal)
        {
            if (items != null && column < items.Count && items[column].Affinity == Affinity.Real) _code[at] = new Instruction(Opcode.Noop, 0, 0, 0, null, 0);
        }
        _subqueryUse = null;
        _fromContext = savedFrom;
        if (correlation.Correlated) Emit(Opcode.Integer, 0, filled, 0);
        Resolve(fillDone);
        Emit(Opcode.Return, ret, 0, 0);
        Resolve(after);
        _compoundNames = saved;
        List<Column> cols = SourceColumns(items!, columns, objectName, view != null, asWritten: view == null);
        var table = new Table { Name = alias ?? $"(subquery-{cursor})", RootPage = 0, Columns = cols };
        scope.Sources.Add(new Source
        {
            Table = table, Cursor = cursor, Name = table.Name, Materialized = true, RestoresIntReal = true,
            ColumnNames = cols.Select(c => c.Name).ToArray(), Fill = (fill, ret), FillEveryTime = correlation.Correlated,
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
        // The body's WITH clause is seen by every SELECT of it.
        if (s.With != null) PushWith(s.With);
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
        for (int i = firstRecursive; i < cores.Count; i++)
        {
            // The CTE read with arguments, as a table-valued function: it takes none.
            if (cores[i].Core is SelectClause sc && sc.From.AsSpan().ToArray().Any(fi => fi.Source is TableFunction { Schema: null } tf && string.Equals(tf.Name, cte.Name, StringComparison.OrdinalIgnoreCase)))
                throw new TernException(ResultCode.Error, $"too many arguments on {cte.Name}() - max 0");
        }
        // The CTE may read columns of the queries around the one that reads it (a correlated
        // subquery): its code runs again each time that subquery does.
        Scope? outer = scope.Outer;
        var loop = new RecursiveLoop { Queue = NewCursor(), Current = NewCursor(), KeyCount = s.OrderBy.Count };
        loop.QueueOpen = Emit(Opcode.SorterOpen, loop.Queue, 0, 0, new KeyInfo(0), 1);
        if (op == CompoundOperator.Union)
        {
            loop.Set = NewCursor();
            loop.SetOpen = Emit(Opcode.OpenEphemeral, loop.Set, 0, 0, new KeyInfo(0));
        }
        // LIMIT and OFFSET count the rows taken from the queue (LIMIT 0 runs nothing, not even
        // the initial SELECTs); a negative LIMIT never reaches zero, a negative OFFSET skips none.
        int afterSetup = NewLabel();
        if (s.Limit != null)
        {
            loop.Limit = NewRegister();
            ExprCode(s.Limit.Limit, new Scope { Outer = outer }, loop.Limit);
            Emit(Opcode.MustBeInt, loop.Limit, 0, 0);
            Emit(Opcode.IfNot, loop.Limit, afterSetup, 0);
            if (s.Limit.Offset != null)
            {
                loop.Offset = NewRegister();
                ExprCode(s.Limit.Offset, new Scope { Outer = outer }, loop.Offset);
                Emit(Opcode.MustBeInt, loop.Offset, 0, 0);
            }
        }

        List<ResultItem>? items = null;
        List<ResultItem>? saved = _compoundNames;
        _compoundNames = null;
        // Every row of every SELECT goes to the queue through one subroutine, coded at the end
        // (its sort keys are known once every SELECT is resolved).
        void Append(int start, int n)
        {
            if (loop.Width < 0)
            {
                loop.Width = n;
                loop.Row = NewRegisters(Math.Max(n, 1));
            }
            else if (n != loop.Width)
                throw new TernException(ResultCode.Error, $"SELECTs to the left and right of {(op == CompoundOperator.Union ? "UNION" : "UNION ALL")} do not have the same number of result columns");
            for (int i = 0; i < n; i++) Emit(Opcode.Copy, start + i, loop.Row + i, 0);
            Emit(Opcode.Gosub, loop.AppendReturn, loop.AppendLabel, 0);
        }
        loop.AppendLabel = NewLabel();
        loop.AppendReturn = NewRegister();

        var anchors = new List<(List<ResultItem> Results, Scope Scope)>();
        var collations = new List<Collation?[]>();
        if (firstRecursive == 1 || cores.Take(firstRecursive).Skip(1).All(c => c.Op == CompoundOperator.UnionAll))
        {
            for (int i = 0; i < firstRecursive; i++)
            {
                _memberSink = anchors;
                CompileCore(cores[i].Core, outer, NodeList<OrderingTerm>.Empty, null, Append, i == 0 ? r => items ??= r : (Action<List<ResultItem>>?)null, collations.Add);
            }
        }
        else
        {
            // Initial SELECTs joined by other operators run as one compound of their own.
            var setup = new SelectStatement(null, s.First, new NodeList<CompoundPart>(s.Compounds.AsSpan()[..(firstRecursive - 1)].ToArray()), NodeList<OrderingTerm>.Empty, null);
            _compoundMemberCapture = anchors;
            CompileSelect(setup, outer, Append, r => items ??= r);
            _compoundMemberCapture = null;
            foreach ((List<ResultItem> results, Scope sc) in anchors) collations.Add(results.Select(r => ExprCollation(r.Expr, sc, strict: false)).ToArray());
        }
        Resolve(afterSetup);
        CteEnv? envAtDefinition = _ctes;
        _compoundNames = saved;
        SettleRecursiveCteAffinities(anchors, cores.Skip(firstRecursive).Select(c => c.Core).ToList(), cte);
        List<Column> cols = SourceColumns(items!, cte.Columns, cte.Name, false, asWritten: true);
        var table = new Table { Name = alias, RootPage = 0, Columns = cols };
        string[] names = cols.Select(c => c.Name).ToArray();
        var members = new List<(List<ResultItem> Results, Scope Scope)>(anchors);

        // The recursive SELECTs, run with the row just taken from the queue as the CTE.
        void Step()
        {
            // The step reads the queue row with no column affinity (only the CTE's readers
            // outside apply the affinity its first SELECT gives).
            var currentTable = new Table
            {
                Name = cte.Name,
                RootPage = 0,
                Columns = cols.Select(c => new Column { Name = c.Name, DeclaredType = null, Affinity = Affinity.Blob, Collation = c.Collation, Origin = c.Origin }).ToList(),
            };
            var recursiveSource = new Source { Table = currentTable, Cursor = loop.Current, Name = cte.Name, Materialized = true, ColumnNames = names };
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
                    _memberSink = members;
                    CompileCore(cores[i].Core, outer, NodeList<OrderingTerm>.Empty, null, Append, null, collations.Add);
                }
            }
            finally
            {
                _recursiveSources.Remove(cte.Name);
                _recursiveStepCore = savedStepCore;
                _compoundNames = savedNames;
                _ctes = savedEnv;
            }
            EmitRecursiveAppend(loop, s.OrderBy, members, collations);
        }
        loop.Step = Step;

        if (outermost)
        {
            // The consumer's outer loop takes the rows from the queue (RecursiveLoop.Top) and
            // runs the step after each (RecursiveLoop.Bottom), so its LIMIT ends the recursion.
            scope.Sources.Add(new Source { Table = table, Cursor = loop.Current, Name = alias, Materialized = true, ColumnNames = names, Recursive = loop });
            return;
        }
        int result = NewCursor();
        Emit(Opcode.SorterOpen, result, 0, 0, new KeyInfo(0));
        int brk = NewLabel(), cont = NewLabel();
        EmitRecursiveTop(loop, brk);
        Emit(Opcode.SorterInsert, result, loop.Payload, 0);
        EmitRecursiveBottom(loop, cont);
        Resolve(brk);
        scope.Sources.Add(new Source { Table = table, Cursor = result, Name = alias, Materialized = true, ColumnNames = names });
    }

    /// <summary>
    /// A recursive CTE's queue loop, as SQLite's generateWithRecursiveQuery runs it:
    ///
    ///     [LIMIT/OFFSET; initial SELECTs -> append]
    ///   top:
    ///     Rewind Queue brk              the next row: FIFO, or the smallest by ORDER BY
    ///     payload := its record; Delete Queue
    ///     Current := { payload }
    ///     IfPos Offset step             skipped rows still run the step
    ///     [the row: the consumer's loop body, or appended to the result list]
    ///   cont:
    ///     DecrJumpZero Limit brk
    ///   step:
    ///     [recursive SELECTs reading Current -> append]
    ///     Goto top
    ///   append:                         (a subroutine)
    ///     [UNION: Found Set -> skip; IdxInsert Set]
    ///     Queue += (sort keys..., payload) or payload
    ///   skip: Return
    ///   brk:
    /// </summary>
    internal sealed class RecursiveLoop
    {
        public int Queue, Current, QueueOpen, Set = -1, SetOpen = -1;
        public int KeyCount;
        public int Limit, Offset;
        public int Width = -1, Row;
        public int AppendLabel, AppendReturn;
        public int Top, StepLabel, Payload;
        public Action? Step;
    }

    /// <summary>Takes the next row from the queue into the current row (to <paramref name="brk"/> when none is left).</summary>
    private void EmitRecursiveTop(RecursiveLoop loop, int brk)
    {
        loop.StepLabel = NewLabel();
        loop.Top = CurrentAddress;
        Emit(Opcode.Rewind, loop.Queue, brk, 0);
        loop.Payload = NewRegister();
        // A keyed queue's record holds the sort keys, then the row's record.
        if (loop.KeyCount > 0) Emit(Opcode.Column, loop.Queue, loop.KeyCount, loop.Payload);
        else Emit(Opcode.SorterData, loop.Queue, loop.Payload, 0);
        Emit(Opcode.Delete, loop.Queue, 0, 0);
        Emit(Opcode.SorterOpen, loop.Current, 0, 0, new KeyInfo(0));
        Emit(Opcode.SorterInsert, loop.Current, loop.Payload, 0);
        Emit(Opcode.Rewind, loop.Current, brk, 0);
        if (loop.Offset != 0) Emit(Opcode.IfPos, loop.Offset, loop.StepLabel, 1);
    }

    /// <summary>After the row: counts it against LIMIT, runs the recursive step, and goes round again.</summary>
    private void EmitRecursiveBottom(RecursiveLoop loop, int cont)
    {
        Resolve(cont);
        int end = NewLabel();
        if (loop.Limit != 0) Emit(Opcode.DecrJumpZero, loop.Limit, end, 0);
        Resolve(loop.StepLabel);
        loop.Step!();
        Emit(Opcode.Goto, 0, loop.Top, 0);
        Resolve(end);
    }

    /// <summary>
    /// The subroutine that adds a row to a recursive CTE's queue, and the queue's and the
    /// UNION set's key descriptions: each column compares with the compound's collation for
    /// it (the left-most SELECT's that has one); an ORDER BY term names a result column
    /// (number, alias or expression, as a compound's ORDER BY), with its own COLLATE, else
    /// that column's collation.
    /// </summary>
    private void EmitRecursiveAppend(RecursiveLoop loop, NodeList<OrderingTerm> orderBy, List<(List<ResultItem> Results, Scope Scope)> members, List<Collation?[]> collations)
    {
        int width = Math.Max(loop.Width, 0);
        var columnCollations = new Collation[width];
        for (int k = 0; k < width; k++)
            columnCollations[k] = collations.Select(c => k < c.Length ? c[k] : null).FirstOrDefault(c => c != null) ?? Collation.Binary;
        int[] keyColumns = new int[orderBy.Count];
        if (orderBy.Count > 0)
        {
            List<(List<ResultItem> Results, Scope Scope)>? savedMembers = _compoundMembers;
            _compoundMembers = members;
            try
            {
                CheckCompoundOrderBy(orderBy, width);
                for (int i = 0; i < orderBy.Count; i++) keyColumns[i] = CompoundOrderColumn(orderBy[i].Expr, width, i)!.Value;
            }
            finally
            {
                _compoundMembers = savedMembers;
            }
            var descending = new bool[orderBy.Count];
            var keyCollations = new Collation[orderBy.Count];
            var nullsLarge = new bool[orderBy.Count];
            for (int i = 0; i < orderBy.Count; i++)
            {
                OrderingTerm t = orderBy[i];
                descending[i] = t.Order == SortOrder.Desc;
                keyCollations[i] = t.Expr is CollateExpr ce ? MemCompare.ParseCollation(ce.Collation) : columnCollations[keyColumns[i]];
                nullsLarge[i] = descending[i] ? t.Nulls == NullsOrder.First : t.Nulls == NullsOrder.Last;
            }
            Instruction open = _code[loop.QueueOpen];
            open.P4 = new KeyInfo(descending, keyCollations, nullsLarge);
            _code[loop.QueueOpen] = open;
        }
        if (loop.SetOpen >= 0)
        {
            Instruction open = _code[loop.SetOpen];
            open.P4 = new KeyInfo(new bool[width], columnCollations);
            _code[loop.SetOpen] = open;
        }
        int after = NewLabel(), skip = NewLabel();
        Emit(Opcode.Goto, 0, after, 0);
        Resolve(loop.AppendLabel);
        int keys = orderBy.Count;
        int regs = NewRegisters(keys + 1);
        Emit(Opcode.MakeRecord, loop.Row, width, regs + keys);
        if (loop.Set >= 0)
        {
            Emit(Opcode.Found, loop.Set, skip, regs + keys);
            Emit(Opcode.IdxInsert, loop.Set, regs + keys, 0);
        }
        if (keys > 0)
        {
            for (int i = 0; i < keys; i++) Emit(Opcode.Copy, loop.Row + keyColumns[i], regs + i, 0);
            int rec = NewRegister();
            Emit(Opcode.MakeRecord, regs, keys + 1, rec);
            Emit(Opcode.SorterInsert, loop.Queue, rec, 0);
        }
        else Emit(Opcode.SorterInsert, loop.Queue, regs, 0);
        Resolve(skip);
        Emit(Opcode.Return, loop.AppendReturn, 0, 0);
        Resolve(after);
    }

    /// <summary>While a recursive step is compiled, the CTE's own name reads the current queue row.</summary>
    private readonly Dictionary<string, Source> _recursiveSources = new(StringComparer.OrdinalIgnoreCase);
}
