// What the query around a materialized FROM subquery or view tells its code, as SQLite's
// sqlite3Select does before it codes such a subquery (select.c):
//
//  * WHERE push-down (pushDownWhereTerms): a term of the outer WHERE (or of an inner join's
//    ON clause; on the right of a LEFT JOIN, a term of that join's own ON clause) that names
//    no table but the subquery is copied into the subquery's WHERE, each column standing for
//    the subquery's result expression. The copy runs before DISTINCT picks a row out of equal
//    ones (0 and 0.0), and on every row the subquery reads. The outer term stays in place.
//
//      SELECT * FROM (SELECT DISTINCT x FROM t) AS s WHERE s.x NOT GLOB '0'
//      ==> the subquery runs as   SELECT DISTINCT x FROM t WHERE x NOT GLOB '0'
//
//    Terms are appended after the subquery's own terms in the reverse of the outer order
//    (SQLite walks the AND tree right side first).
//
//  * Unused result columns (disableUnusedSubqueryResultColumns): a result column the outer
//    query never names is computed as NULL, unless the subquery is DISTINCT, an aggregate,
//    uses window functions or its ORDER BY names the column. The expression is still
//    resolved (its errors are reported) but never evaluated.
//
// The outer query's use is read from its syntax before the subquery is compiled: a column
// counts as used when any name in the outer core could mean it (over-counting only keeps a
// column computed). Handled here: single-SELECT subqueries and views, not CTEs, compounds,
// aggregate or window subqueries, terms holding subqueries, or sources of a flattened
// subquery (SQLite pushes into more of these).
using Tern.Sql.Ast;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>The SELECT core whose FROM items are being added (null where no outer query applies).</summary>
    private sealed record FromContext(SelectClause Core, NodeList<OrderingTerm> OrderBy, bool PushDown, NodeList<FromItem> From);

    /// <summary>
    /// What the outer query asks of one materialized subquery: the terms it may push down
    /// (already in push order, over the subquery's alias), the names the outer core may read
    /// (null: every column), and the view's explicit column names.
    /// </summary>
    private sealed record SubqueryUse(string? Alias, bool SingleSource, List<Expr> Terms, HashSet<string>? UsedNames, NodeList<string> ViewColumns,
        bool HasLimit);

    private FromContext? _fromContext;

    /// <summary>Taken by the next SELECT core compiled: the subquery's own core.</summary>
    private SubqueryUse? _subqueryUse;

    private int _pushDownNames;

    /// <summary>What the query around <paramref name="fi"/> asks of it, when it is a subquery or view that gets materialized.</summary>
    private SubqueryUse? PlanSubqueryUse(FromItem fi, SelectStatement select, string? alias, NodeList<string> viewColumns)
    {
        if (_fromContext is not { } ctx || !select.Compounds.IsEmpty || select.First is not SelectClause) return null;
        SelectClause core = ctx.Core;
        bool left = (fi.Join & JoinType.Left) != 0;
        var terms = new List<Expr>();
        // WHERE terms apply after a RIGHT JOIN makes its NULL rows: none moves into a subquery there.
        if (ctx.PushDown && !HasRightJoin(ctx.From))
        {
            var candidates = new List<Expr>();
            if (left) SplitAnd(fi.On, candidates);
            else
            {
                SplitAnd(core.Where, candidates);
                foreach (FromItem item in ctx.From)
                {
                    if ((item.Join & JoinType.Left) == 0) SplitAnd(item.On, candidates);
                }
            }
            for (int i = candidates.Count - 1; i >= 0; i--)
            {
                if (ExprFlattenable(candidates[i]) && CompilesCleanly(candidates[i])) terms.Add(candidates[i]);
            }
        }
        return new SubqueryUse(alias, core.From.Count == 1 && core.From[0].Source is not NestedJoin, terms,
            UsedNames(ctx, alias), viewColumns, select.Limit != null);
    }

    /// <summary>
    /// Whether a term has no call that fails to compile (an unknown function, a wrong argument
    /// count, GLOB with ESCAPE): such a term reports its error from the outer query, not from
    /// inside the subquery (whose text the message would quote).
    /// </summary>
    private static bool CompilesCleanly(Expr term)
    {
        bool ok = true;
        Walk(term, x =>
        {
            if (x is FunctionCall f && Functions.FunctionCatalog.Find(f.Name, f.Star ? 0 : f.Arguments.Count, out _) == null) ok = false;
            if (x is LikeExpr l && (l.Operator != LikeOperator.Like && (l.Operator != LikeOperator.Glob || l.Escape != null))) ok = false;
            return ok;
        });
        return ok;
    }

    /// <summary>The column names the outer core may read from the source <paramref name="alias"/> (null: all of them).</summary>
    private static HashSet<string>? UsedNames(FromContext ctx, string? alias)
    {
        var walk = new NameWalk(alias);
        walk.Core(ctx.Core);
        foreach (OrderingTerm t in ctx.OrderBy) walk.Expr(t.Expr);
        return walk.All ? null : walk.Names;
    }

    /// <summary>
    /// Collects every column name written in a core and everything inside it (subqueries
    /// included) that could name a column of the source <c>alias</c>; a star or NATURAL join
    /// that could take all of its columns sets <see cref="All"/>.
    /// </summary>
    private sealed class NameWalk(string? alias)
    {
        public HashSet<string> Names { get; } = new(StringComparer.OrdinalIgnoreCase);
        public bool All { get; private set; }
        /// <summary>Every column reference met, wherever it stands.</summary>
        public List<ColumnRef> Refs { get; } = [];

        public void Select(SelectStatement s)
        {
            if (s.With != null)
            {
                foreach (CommonTableExpression cte in s.With.Tables) Select(cte.Select);
            }
            SelectCore(s.First);
            foreach (CompoundPart p in s.Compounds) SelectCore(p.Select);
            Ordering(s.OrderBy);
            if (s.Limit != null)
            {
                Expr(s.Limit.Limit);
                Expr(s.Limit.Offset);
            }
        }

        private void SelectCore(SelectCore core)
        {
            if (core is SelectClause sc) Core(sc);
            else if (core is ValuesClause v)
            {
                foreach (NodeList<Expr> row in v.Rows)
                {
                    foreach (Expr e in row) Expr(e);
                }
            }
        }

        public void Core(SelectClause core)
        {
            foreach (ResultColumn rc in core.Columns)
            {
                switch (rc)
                {
                    case StarColumn: All = true; break;
                    case TableStarColumn ts when string.Equals(ts.Table, alias, StringComparison.OrdinalIgnoreCase): All = true; break;
                    case ExprColumn ec: Expr(ec.Expr); break;
                }
            }
            From(core.From);
            Expr(core.Where);
            foreach (Expr g in core.GroupBy) Expr(g);
            Expr(core.Having);
            foreach (WindowDefinition w in core.Windows) Window(w.Window);
        }

        private void From(NodeList<FromItem> from)
        {
            foreach (FromItem fi in from)
            {
                if ((fi.Join & JoinType.Natural) != 0) All = true;
                foreach (string u in fi.Using) Names.Add(u);
                Expr(fi.On);
                switch (fi.Source)
                {
                    case SubquerySource sub: Select(sub.Select); break;
                    case NestedJoin nj: From(nj.Items); break;
                    case TableFunction tf:
                        foreach (Expr a in tf.Arguments) Expr(a);
                        break;
                }
            }
        }

        private void Ordering(NodeList<OrderingTerm> terms)
        {
            foreach (OrderingTerm t in terms) Expr(t.Expr);
        }

        private void Window(WindowSpec? w)
        {
            if (w == null) return;
            foreach (Expr p in w.PartitionBy) Expr(p);
            Ordering(w.OrderBy);
            if (w.Frame != null)
            {
                Expr(w.Frame.StartBound.Offset);
                Expr(w.Frame.EndBound?.Offset);
            }
        }

        public void Expr(Expr? e)
        {
            switch (e)
            {
                case null:
                    return;
                case ColumnRef c:
                    Refs.Add(c);
                    if (c.Table == null || string.Equals(c.Table, alias, StringComparison.OrdinalIgnoreCase)) Names.Add(c.Column);
                    return;
                case ExistsExpr x: Select(x.Select); return;
                case SubqueryExpr x: Select(x.Select); return;
                case InSelectExpr x:
                    Expr(x.Operand);
                    Select(x.Select);
                    return;
                case InTableExpr x:
                    Expr(x.Operand);
                    foreach (Expr a in x.Arguments) Expr(a);
                    return;
                case RaiseExpr x: Expr(x.Message); return;
                case FunctionCall f:
                    foreach (Expr a in f.Arguments) Expr(a);
                    Ordering(f.OrderBy);
                    Expr(f.Filter);
                    Window(f.Over?.Window);
                    return;
            }
            foreach (Expr child in ExprChildren(e)) Expr(child);
        }
    }

    /// <summary>
    /// In the subquery's own core, once its result columns are known: adds the pushed-down
    /// terms (over a hidden source whose columns are the result expressions) and returns which
    /// result columns are computed as NULL (null: none).
    /// </summary>
    private bool[]? ApplySubqueryUse(SubqueryUse use, SelectClause core, NodeList<OrderingTerm> orderBy, List<ResultItem> results, Scope scope,
        List<Expr> whereTerms, bool aggregate)
    {
        if (!use.ViewColumns.IsEmpty && use.ViewColumns.Count != results.Count) return null;
        List<Schema.Column> cols = SourceColumns(results, use.ViewColumns, null, false, asWritten: true);
        bool windows = false;
        foreach (ResultItem r in results)
        {
            Walk(r.Expr, x =>
            {
                if (x is FunctionCall { Over: not null }) windows = true;
                return !windows;
            });
        }
        if (windows || !core.Windows.IsEmpty) return null;

        if (!aggregate && use.Terms.Count > 0 && !use.HasLimit)
        {
            string name = $"\u0002{++_pushDownNames}.{use.Alias}";
            var pushed = new List<Expr>();
            foreach (Expr t in use.Terms)
            {
                bool ok = true;
                Expr r = MapColumns(t, c =>
                {
                    bool ours = c.Schema == null && (c.Table == null ? use.SingleSource
                        : use.Alias != null && string.Equals(c.Table, use.Alias, StringComparison.OrdinalIgnoreCase));
                    int k = ours ? cols.FindIndex(x => string.Equals(x.Name, c.Column, StringComparison.OrdinalIgnoreCase)) : -1;
                    if (k >= 0) return new ColumnRef(null, name, cols[k].Name) { Start = c.Start, End = c.End };
                    // TRUE and FALSE that name no column stay keywords; any other name is not the subquery's.
                    if (c.Table != null || !(c.Column.Equals("true", StringComparison.OrdinalIgnoreCase) || c.Column.Equals("false", StringComparison.OrdinalIgnoreCase)))
                        ok = false;
                    return c;
                });
                if (ok) pushed.Add(r);
            }
            if (pushed.Count > 0)
            {
                var table = new Schema.Table { Name = name, RootPage = 0, Columns = cols };
                scope.Sources.Add(new Source
                {
                    Table = table, Cursor = -1, Name = name, Hidden = true, ColumnNames = cols.Select(c => c.Name).ToArray(),
                    Flattened = results.Select(x => DqsAsLiterals(x.Expr, scope)).ToArray(),
                });
                whereTerms.AddRange(pushed);
            }
        }

        if (aggregate || core.Distinct || use.UsedNames == null) return null;
        var unused = new bool[results.Count];
        for (int i = 0; i < results.Count; i++)
        {
            unused[i] = !use.UsedNames.Contains(cols[i].Name) && results[i].Expr is not Literal { Kind: LiteralKind.Null };
        }
        // The subquery's ORDER BY keeps the result columns it names (by number or name); any
        // other term might match a result column's expression, so then all are kept.
        foreach (OrderingTerm t in orderBy)
        {
            if (t.Expr is Literal { Kind: LiteralKind.Integer } n && int.TryParse(n.Value, out int k) && k >= 1 && k <= results.Count)
                unused[k - 1] = false;
            else if (t.Expr is ColumnRef { Table: null } c && results.FindIndex(x => string.Equals(x.Name, c.Column, StringComparison.OrdinalIgnoreCase)) is var j and >= 0)
                unused[j] = false;
            else
                return null;
        }
        return unused.Contains(true) ? unused : null;
    }

    /// <summary>A result column the outer query never reads: resolved (errors reported) but computed as NULL.</summary>
    private void UnusedColumnCode(Expr e, Scope scope, int target)
    {
        int skip = NewLabel();
        Emit(Opcode.Goto, 0, skip, 0);
        ExprCode(e, scope, target);
        Resolve(skip);
        Emit(Opcode.Null, 0, target, 0);
    }

    /// <summary>
    /// Which of the scope's sources a subquery reads (SQLite's exprSelectUsage): those its
    /// column references may name from outside itself. A qualified name counts for the source
    /// of that name, a bare one for every source having such a column (a name the subquery
    /// resolves itself may so count too: a term waits for more tables than it needs, never fewer).
    /// </summary>
    private static UInt128 SubqueryMask(Expr subquery, Scope scope)
    {
        var walk = new NameWalk(null);
        walk.Select(subquery switch
        {
            ExistsExpr x => x.Select,
            SubqueryExpr x => x.Select,
            _ => ((InSelectExpr)subquery).Select,
        });
        UInt128 mask = 0;
        foreach (ColumnRef c in walk.Refs)
        {
            if (c.Schema != null) continue;
            foreach (Source s in scope.Sources)
            {
                if (s.Hidden ? !string.Equals(c.Table, s.Name, StringComparison.Ordinal)
                    : c.Table != null && !string.Equals(c.Table, s.Name, StringComparison.OrdinalIgnoreCase)) continue;
                int k = s.Table.FindColumn(c.Column);
                if (k < 0 && !(s.ColumnNames == null && !s.Table.WithoutRowid && IsRowidName(c.Column))) continue;
                int i = scope.Sources.IndexOf(s);
                if (s.Flattened != null)
                {
                    if (k >= 0) mask |= SourceMask(s.Flattened[k], scope, subqueries: true);
                    int n = s.NullRowSource == null ? -1 : scope.Sources.IndexOf(s.NullRowSource);
                    if (n >= 0) mask |= n >= 127 ? UInt128.MaxValue : UInt128.One << n;
                }
                else mask |= i >= 127 ? UInt128.MaxValue : UInt128.One << i;
            }
        }
        return mask;
    }

    /// <summary>
    /// The expression with each double-quoted name that names nothing in <paramref name="scope"/>
    /// written as the string it reads as, so the expression means the same in another scope.
    /// </summary>
    private Expr DqsAsLiterals(Expr e, Scope scope) => MapColumns(e, c =>
        NamesDqsString(c, scope) ? new Literal(LiteralKind.String, c.Column) { Start = c.Start, End = c.End } : c);
}
