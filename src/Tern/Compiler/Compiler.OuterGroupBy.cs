// GROUP BY of a subquery sees only its own FROM clause. SQLite resolves a subquery's GROUP BY
// terms with the outer queries cut off, so a name there that only an outer query answers to is
// "no such column", also inside a scalar function or a nested subquery of the term:
//
//     SELECT d FROM t2 WHERE EXISTS (SELECT 1 FROM t1 GROUP BY abs(t2.d))   -- no such column: t2.d
//
// An AS alias of the subquery's own result columns and a column number still count.
//
// An aggregate in a subquery whose arguments name only columns of outer queries belongs, in
// SQLite, to the innermost outer query those columns come from (which becomes an aggregate
// query). That is not done yet: such a query is refused when prepared rather than counted at
// the wrong level.
using Tern.Sql.Ast;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>
    /// Refuses a GROUP BY term of a subquery (a core whose scope has an outer scope) that names
    /// a column of an outer query.
    /// </summary>
    private void RejectOuterReferencesInGroupBy(SelectClause core, Scope scope)
    {
        if (scope.Outer == null || core.GroupBy.Count == 0) return;
        var cut = new Scope();
        cut.Sources.AddRange(scope.Sources);
        foreach (Expr term in core.GroupBy)
        {
            if (term is Literal) continue;
            CheckTerm(term, cut, scope, core);
        }
    }

    /// <summary>
    /// Throws when a column reference of <paramref name="e"/> resolves only through an outer
    /// scope of <paramref name="full"/>, that is not in <paramref name="cut"/> (the same
    /// sources with the outer queries cut off). Nested subqueries are followed when their FROM
    /// clauses name tables only.
    /// </summary>
    private void CheckTerm(Expr e, Scope cut, Scope full, SelectClause? aliasCore)
    {
        Walk(e, x =>
        {
            switch (x)
            {
                case ColumnRef c:
                    if (TryResolve(c, cut).Source != null) break;
                    if (c.Table == null && aliasCore != null && HasAlias(aliasCore, c.Column)) break;
                    if (TryResolve(c, full).Source != null)
                        throw new TernException(ResultCode.Error, "no such column: " + (c.Schema != null ? c.Schema + "." : "") + (c.Table != null ? c.Table + "." : "") + c.Column) { Position = c.Start };
                    break;
                case ExistsExpr ex: CheckNested(ex.Select, cut, full); break;
                case SubqueryExpr sq: CheckNested(sq.Select, cut, full); break;
                case InSelectExpr ins: CheckNested(ins.Select, cut, full); break;
            }
            return true;
        });
    }

    private static bool HasAlias(SelectClause core, string name)
    {
        foreach (ResultColumn rc in core.Columns)
        {
            if (rc is ExprColumn { Alias: { } a } && string.Equals(a, name, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private void CheckNested(SelectStatement s, Scope cut, Scope full)
    {
        if (s.With != null || s.Compounds.Count > 0 || s.First is not SelectClause sc) return;
        var innerCut = new Scope { Outer = cut };
        var innerFull = new Scope { Outer = full };
        foreach (FromItem fi in sc.From)
        {
            // Only table names are followed; anything else leaves the check to the compiler.
            if (fi.Source is not NamedTable nt || fi.On != null || fi.Using.Count > 0 || FindTable(nt.Schema, nt.Name) is not { } t) return;
            var src = new Source { Table = t, Cursor = -1, Name = nt.Alias ?? t.Name };
            innerCut.Sources.Add(src);
            innerFull.Sources.Add(src);
        }
        foreach (ResultColumn rc in sc.Columns)
        {
            if (rc is ExprColumn ec) CheckTerm(ec.Expr, innerCut, innerFull, null);
        }
        if (sc.Where != null) CheckTerm(sc.Where, innerCut, innerFull, null);
    }

    /// <summary>
    /// Refuses an aggregate of a subquery whose arguments name columns, none of them of the
    /// subquery's own FROM clause (SQLite evaluates it in the outer query).
    /// </summary>
    private static void RefuseAggregatesOfOuterColumns(List<FunctionCall> aggregates, Scope scope)
    {
        if (scope.Outer == null) return;
        var cut = new Scope();
        cut.Sources.AddRange(scope.Sources);
        foreach (FunctionCall f in aggregates)
        {
            bool local = false, outer = false;
            foreach (Expr a in f.Arguments)
            {
                Walk(a, x =>
                {
                    if (x is ColumnRef c)
                    {
                        if (TryResolve(c, cut).Source != null) local = true;
                        else if (TryResolve(c, scope).Source != null) outer = true;
                    }
                    return true;
                });
            }
            if (outer && !local)
                throw new TernException(ResultCode.Error, $"aggregate {f.Name}() of an outer query's columns in a subquery is not supported") { Position = f.Start };
        }
    }
}
