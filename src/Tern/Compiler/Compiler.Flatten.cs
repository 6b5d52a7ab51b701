// Query flattening: a FROM subquery or view that is a plain SELECT is merged into the query
// that reads it instead of being materialized, as SQLite's flattener does (select.c). Its
// tables become loop levels of the outer query and its WHERE joins the outer WHERE (or the
// ON clause, on the right of a LEFT JOIN); a reference to one of its columns compiles the
// column's expression at the point of use. So the expression runs only for the rows the
// outer query reaches, and the rows come in the order of the outer plan.
//
//   SELECT a.c + 1 FROM (SELECT abs(x) AS c FROM t WHERE y > 0) AS a WHERE a.c < 9
//
//   outer scope:  [ t' (hidden: loop level, reached only as "t'.col") | a (flattened: no loop) ]
//   a.c  ==>  abs(t'.x)       terms: t'.y > 0, abs(t'.x) < 9
//
// Each source of the subquery is re-added to the outer scope under a name of its own that
// no SQL text can spell (`Source.Hidden`), and every column reference inside the
// subquery's expressions is rewritten to name that source, so the outer query's names
// never reach the subquery's tables and the subquery's never reach the outer tables.
// A column that stands for a plain column resolves straight to it (seeks, affinity,
// collation and the LEFT JOIN NULL row all behave as for the table itself); any other
// keeps the subquery column's affinity and collation (as SQLite's implicit COLLATE
// wrapper does) and, on the right of a LEFT JOIN, reads NULL on the NULL row
// (`IfNullRow`, SQLite's TK_IF_NULL_ROW).
//
// Which subqueries are flattened (a subset of SQLite's restrictions, the rest stay
// materialized): a single SELECT with a FROM clause and no DISTINCT, GROUP BY, HAVING,
// aggregate, window, LIMIT or WITH, and no ORDER BY unless SQLite drops it (the outer query
// has an ORDER BY or more than one FROM item); only tables, views and subqueries in its FROM
// (no CTE names, table functions or RIGHT joins); no subqueries or RAISE in its
// expressions; an outer query without window functions (25); on the right of a LEFT JOIN
// a single table (3a) under an outer query that is not DISTINCT (3d). Only SELECT cores
// flatten; UPDATE ... FROM and trigger programs keep materializing.
using System.Diagnostics;
using Tern.Functions;
using Tern.Schema;
using Tern.Sql.Ast;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>
    /// What the query whose FROM items are being added allows (null: no flattening here), and
    /// where the WHERE terms of the subqueries flattened into it go.
    /// </summary>
    private sealed record FlattenContext(bool OuterDistinct, List<Expr> Where, bool DropsOrderBy = false);

    private FlattenContext? _flattenContext;
    private int _flattenNames;

    /// <summary>The flattening context for a SELECT core's FROM items (null when the core uses window functions).</summary>
    private static FlattenContext? FlattenContextFor(SelectClause core, NodeList<OrderingTerm> orderBy, List<Expr> where)
    {
        bool windows = false;
        void Look(Expr e) => Walk(e, x =>
        {
            if (x is FunctionCall { Over: not null }) windows = true;
            return !windows;
        });
        foreach (ResultColumn rc in core.Columns)
        {
            if (rc is ExprColumn ec) Look(ec.Expr);
        }
        foreach (OrderingTerm t in orderBy) Look(t.Expr);
        // Beside a RIGHT or FULL join nothing is flattened (SQLite flattens a subquery there only
        // as it would on the right of a LEFT JOIN, and never on the right of a RIGHT JOIN).
        return windows || HasRightJoin(core.From) ? null : new FlattenContext(core.Distinct, where, !orderBy.IsEmpty || core.From.Count > 1);
    }

    /// <summary>
    /// Flattens <paramref name="select"/> into <paramref name="scope"/> as the source
    /// <paramref name="alias"/> when the rules allow; returns false (having emitted nothing)
    /// when it must be materialized instead.
    /// </summary>
    private bool TryFlatten(SelectStatement select, string? alias, NodeList<string> columns, string? objectName, View? view,
        Scope scope, List<Expr> whereTerms, bool left)
    {
        FlattenContext? context = _flattenContext;
        if (context == null || _triggerSources.Count > 0 || select.First is not SelectClause sc || !IsFlattenable(select, sc, left, context))
            return false;

        // The subquery's own FROM items, in a scope of their own (a FROM subquery does not
        // see the enclosing query). Under a LEFT JOIN the single item is never flattened
        // further, so exactly one loop stands for the subquery.
        var inner = new Scope();
        var innerTerms = new List<Expr>();
        var innerFromTerms = new List<Expr>();
        _flattenContext = left ? null : new FlattenContext(false, innerTerms, sc.From.Count > 1);
        FromContext? savedFrom = _fromContext;
        _fromContext = new FromContext(sc, select.OrderBy, PushDown: false, sc.From);
        try
        {
            foreach (FromItem fi in sc.From) AddSource(fi, inner, innerFromTerms);
        }
        finally
        {
            _flattenContext = context;
            _fromContext = savedFrom;
        }
        SplitAnd(sc.Where, innerTerms);
        innerTerms.AddRange(innerFromTerms);
        List<ResultItem> items = ExpandResults(sc, inner);
        List<Column> cols = SourceColumns(items, columns, objectName, view != null, asWritten: view == null);

        // Resolve (and report the errors of) the result columns and the WHERE/ON terms now,
        // before anything of the outer query, as SQLite resolves a subquery before flattening
        // it: code that never runs, the values are computed where the outer query uses them.
        // A name error is the one SQLite's resolution order meets first in this core.
        int skip = NewLabel();
        Emit(Opcode.Goto, 0, skip, 0);
        int scratch = NewRegister();
        try
        {
            foreach (ResultItem item in items) ExprCode(item.Expr, inner, scratch);
            foreach (Expr t in innerTerms) ExprCode(WithAliases(t, []), inner, scratch);
        }
        catch (TernException e) when (e.Code == ResultCode.Error && (IsResolveError(e.Message) || IsLateResolveError(e.Message)))
        {
            string? first = FirstResolveError(new CoreResolution(sc, inner, items, select.OrderBy, select.Limit));
            if (first != null && first != e.Message) throw new TernException(ResultCode.Error, first);
            throw;
        }
        Resolve(skip);

        // WHERE may name a result column by its alias (not itself, through other aliases).
        Expr WithAliases(Expr e, HashSet<string> aliasesInUse) => MapColumns(e, c =>
        {
            if (c.Table != null || TryResolve(c, inner, seeThrough: false).Source != null || aliasesInUse.Contains(c.Column)
                || items.Find(i => string.Equals(i.Name, c.Column, StringComparison.OrdinalIgnoreCase)) is not { } aliased)
                return c;
            var inUse = new HashSet<string>(aliasesInUse, StringComparer.OrdinalIgnoreCase) { c.Column };
            return WithAliases(aliased.Expr, inUse);
        });

        // The subquery's sources join the outer scope under names only the rewritten
        // expressions use.
        var renamed = new Dictionary<Source, Source>(ReferenceEqualityComparer.Instance);
        int level = scope.Sources.Count;
        foreach (Source s in inner.Sources)
        {
            Source r = s.Hidden ? s : new Source
            {
                Table = s.Table, Cursor = s.Cursor, Name = $"\u0001{++_flattenNames}.{s.Name}", Materialized = s.Materialized,
                ColumnNames = s.ColumnNames, Fill = s.Fill, FillEveryTime = s.FillEveryTime, DupOf = s.DupOf, Hidden = true, PlanName = s.PlanName ?? s.Name, Flattened = s.Flattened,
                NullRowSource = s.NullRowSource, Function = s.Function,
            };
            Debug.Assert(s.Recursive == null, "streamed sources are never flattened");
            renamed[s] = r;
            scope.Sources.Add(r);
        }
        foreach (int k in inner.LeftLevels) scope.LeftLevels.Add(level + k);

        Expr Rewrite(Expr e, HashSet<string>? aliasesInUse) => MapColumns(e, c =>
        {
            (Source? s, int col) = TryResolve(c, inner, seeThrough: false);
            if (s == null)
            {
                // WHERE may name a result column by its alias (not itself, through other aliases).
                if (aliasesInUse != null && c.Table == null && !aliasesInUse.Contains(c.Column)
                    && items.Find(i => string.Equals(i.Name, c.Column, StringComparison.OrdinalIgnoreCase)) is { } aliased)
                {
                    var inUse = new HashSet<string>(aliasesInUse, StringComparer.OrdinalIgnoreCase) { c.Column };
                    return Rewrite(aliased.Expr, inUse);
                }
                // A double-quoted name that names nothing is the string it spells (as SQLite
                // resolves the subquery before flattening it); TRUE/FALSE stay keywords.
                if (IsDqsString(c, inner)) return new Literal(LiteralKind.String, c.Column) { Start = c.Start, End = c.End };
                return c;
            }
            Source target = renamed[s];
            string name = col >= 0 ? target.Table.Columns[col].Name : RowidName(target.Table);
            return new ColumnRef(null, target.Name, name) { Start = c.Start, End = c.End };
        });

        // The subquery's terms: its LEFT JOINs' ON terms stay with their levels; the rest
        // join the ON clause (on the right of a LEFT JOIN) or go in front of the outer WHERE.
        var inWhere = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var block = new List<Expr>();
        foreach (Expr t in innerTerms)
        {
            Expr r = Rewrite(t, inWhere);
            if (inner.LeftJoinOn.TryGetValue(t, out int k)) scope.LeftJoinOn[r] = level + k;
            else if (left) scope.LeftJoinOn[r] = level;
            else
            {
                block.Add(r);
                continue;
            }
            whereTerms.Add(r);
        }
        context.Where.InsertRange(0, block);
        Expr[] exprs = items.Select(i => Rewrite(i.Expr, null)).ToArray();
        Source? nullRowSource = left ? renamed[inner.Sources.Single(x => x.Flattened == null)] : null;
        string tableName = alias ?? $"(subquery-{NewCursor()})";
        var table = new Table { Name = tableName, RootPage = 0, Columns = cols };
        scope.Sources.Add(new Source
        {
            Table = table, Cursor = -1, Name = tableName, ColumnNames = cols.Select(c => c.Name).ToArray(),
            Flattened = exprs, NullRowSource = nullRowSource,
        });
        return true;
    }

    /// <summary>A name that reads a table's rowid (one its columns do not take).</summary>
    private static string RowidName(Table t) =>
        new[] { "rowid", "oid", "_rowid_" }.FirstOrDefault(n => t.FindColumn(n) < 0) ?? "rowid";

    /// <summary>The syntactic part of the flattening rules (see the file header).</summary>
    private bool IsFlattenable(SelectStatement select, SelectClause sc, bool left, FlattenContext context)
    {
        // A subquery's ORDER BY without LIMIT is dropped (and the subquery flattened) when the
        // outer query sorts anyway or joins it with other items; otherwise it stays materialized.
        if (select.With != null || !select.Compounds.IsEmpty || select.Limit != null) return false;
        if (!select.OrderBy.IsEmpty && !context.DropsOrderBy) return false;
        if (sc.Distinct || !sc.GroupBy.IsEmpty || sc.Having != null || !sc.Windows.IsEmpty || sc.From.IsEmpty) return false;
        if (left && (context.OuterDistinct || sc.From.Count != 1 || sc.From[0].Source is NestedJoin)) return false;
        if (!FromFlattenable(sc.From)) return false;
        foreach (ResultColumn rc in sc.Columns)
        {
            if (rc is ExprColumn ec && !ExprFlattenable(ec.Expr)) return false;
        }
        return sc.Where == null || ExprFlattenable(sc.Where);

        bool FromFlattenable(NodeList<FromItem> from)
        {
            foreach (FromItem fi in from)
            {
                if ((fi.Join & JoinType.Right) != 0) return false;
                if (fi.On != null && !ExprFlattenable(fi.On)) return false;
                switch (fi.Source)
                {
                    case NamedTable nt:
                        if (nt.Schema == null && (FindCte(nt.Name) != null || _recursiveSources.ContainsKey(nt.Name))) return false;
                        break;
                    case SubquerySource:
                        break;
                    case TableFunction tf:
                        // Only with arguments that read no column of the subquery's own FROM items:
                        // they are computed where the loop reaches the function, in the outer query
                        // once flattened (where an enclosing query's columns mean the same).
                        if (tf.Arguments.AsSpan().ToArray().Any(a => !ExprFlattenable(a) || ReadsColumns(a, FromNames(sc.From).ToList()))) return false;
                        break;
                    case NestedJoin nj:
                        if (!FromFlattenable(nj.Items)) return false;
                        break;
                    default:
                        return false;
                }
            }
            return true;
        }
    }

    /// <summary>Whether an expression may name a column of the given FROM items: unqualified or qualified by one of their names (or in a subquery).</summary>
    private static bool ReadsColumns(Expr e, List<string> names)
    {
        bool reads = false;
        Walk(e, x =>
        {
            if (x is ColumnRef c && (c.Table == null || names.Any(n => string.Equals(n, c.Table, StringComparison.OrdinalIgnoreCase)))) reads = true;
            if (x is ExistsExpr or SubqueryExpr or InSelectExpr or InTableExpr) reads = true;
            return !reads;
        });
        return reads;
    }

    /// <summary>Whether an expression of a subquery may move into the outer query (no subqueries, aggregates, windows, RAISE).</summary>
    private static bool ExprFlattenable(Expr e)
    {
        switch (e)
        {
            case ExistsExpr or SubqueryExpr or InSelectExpr or InTableExpr or RaiseExpr:
                return false;
            case FunctionCall f:
                if (f.Over != null || f.Filter != null || !f.OrderBy.IsEmpty) return false;
                if (FunctionCatalog.Find(f.Name, f.Star ? 0 : f.Arguments.Count, out _) is AggregateFunction) return false;
                break;
        }
        foreach (Expr child in ExprChildren(e))
        {
            if (!ExprFlattenable(child)) return false;
        }
        return true;
    }

    /// <summary>A copy of an expression with each column reference replaced by <paramref name="map"/>'s result.</summary>
    private static Expr MapColumns(Expr e, Func<ColumnRef, Expr> map)
    {
        Expr M(Expr x) => MapColumns(x, map);
        NodeList<Expr> L(NodeList<Expr> xs) => NodeList<Expr>.From(xs.AsSpan().ToArray().Select(M));
        return e switch
        {
            ColumnRef c => map(c),
            Literal or ParameterExpr => e,
            UnaryExpr u => u with { Operand = M(u.Operand) },
            BinaryExpr b => b with { Left = M(b.Left), Right = M(b.Right) },
            LikeExpr l => l with { Left = M(l.Left), Pattern = M(l.Pattern), Escape = l.Escape == null ? null : M(l.Escape) },
            BetweenExpr b => b with { Operand = M(b.Operand), Low = M(b.Low), High = M(b.High) },
            InListExpr il => il with { Operand = M(il.Operand), Items = L(il.Items) },
            NullTestExpr n => n with { Operand = M(n.Operand) },
            CollateExpr c => c with { Operand = M(c.Operand) },
            CastExpr c => c with { Operand = M(c.Operand) },
            FunctionCall f => f with { Arguments = L(f.Arguments) },
            CaseExpr c => c with
            {
                Operand = c.Operand == null ? null : M(c.Operand),
                Whens = NodeList<CaseWhen>.From(c.Whens.AsSpan().ToArray().Select(w => w with { Condition = M(w.Condition), Result = M(w.Result) })),
                Else = c.Else == null ? null : M(c.Else),
            },
            RowValueExpr r => r with { Items = L(r.Items) },
            _ => throw new TernException(ResultCode.Internal, "not a flattenable expression: " + e.GetType().Name),
        };
    }

    /// <summary>A column of a flattened subquery that is not a plain column: its expression, computed here.</summary>
    private void FlattenedColumnCode(Source s, int col, Scope scope, int target)
    {
        Scope? home = scope;
        while (home != null && !home.Sources.Contains(s)) home = home.Outer;
        Debug.Assert(home != null, "a flattened source is found in the scope chain it was resolved in");
        Expr e = s.Flattened![col];
        // On the right of a LEFT JOIN: NULL when the subquery's table is on its NULL row.
        int done = NewLabel();
        if (s.NullRowSource != null) Emit(Opcode.IfNullRow, s.NullRowSource.Cursor, done, target);
        ExprCode(e, home ?? scope, target);
        // A JSON value does not keep its mark across the subquery boundary (as when stored).
        Emit(Opcode.ClrSubtype, target, 0, 0);
        Resolve(done);
    }
}
