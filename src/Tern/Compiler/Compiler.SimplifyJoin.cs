// LEFT JOIN simplification (SQLite's, in sqlite3Select before flattening): when the WHERE
// clause cannot be true on the NULL row of a LEFT JOIN's right table, the join is an inner
// join, and its ON terms become ordinary terms (tested where SQLite tests inner-join terms,
// pushed into subqueries, and no NULL row is made).
//
//   SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y > 5      ==>  a JOIN b ON a.x = b.x
//   SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IS NULL  stays a LEFT JOIN
//
// Whether a term rules out the NULL row (sqlite3ExprImpliesNonNullRow) is judged on its
// syntax: one of the AND-ed terms (or the operand of NOT NULL) must hold a column of the
// table where a NULL makes the whole term NULL: under operators and comparisons, both sides
// of AND/OR, the operand of BETWEEN (or both bounds), the left side of IN (list); not inside
// functions (LIKE, GLOB and coalesce among them), CASE, IS, IS NULL, row values or
// subqueries. Terms of the WHERE and of inner joins' ON clauses count (also those of LEFT
// JOINs simplified before, in FROM order); a LEFT JOIN's own ON terms do not. Columns count
// when qualified with the table's name or alias.
using Tern.Sql.Ast;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>The FROM items of <paramref name="core"/> with the LEFT JOINs its WHERE makes inner joins turned into inner joins.</summary>
    private static NodeList<FromItem> SimplifyLeftJoins(SelectClause core)
    {
        NodeList<FromItem> from = core.From;
        if (core.Where == null && from.AsSpan().ToArray().All(f => f.On == null || (f.Join & JoinType.Left) != 0)) return from;
        FromItem[] items = from.AsSpan().ToArray();
        bool changed = false;
        for (int i = 1; i < items.Length; i++)
        {
            FromItem fi = items[i];
            if ((fi.Join & JoinType.Left) == 0 || (fi.Join & JoinType.Right) != 0) continue;
            string? name = fi.Source switch
            {
                NamedTable nt => nt.Alias ?? nt.Name,
                SubquerySource sub => sub.Alias,
                _ => null,
            };
            if (name == null || items.Count(x => SourceName(x) is { } n && string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) != 1) continue;
            var terms = new List<Expr>();
            SplitAnd(core.Where, terms);
            foreach (FromItem other in items)
            {
                if ((other.Join & JoinType.Left) == 0) SplitAnd(other.On, terms);
            }
            if (!terms.Exists(t => ImpliesNonNullRow(t, name))) continue;
            items[i] = fi with { Join = fi.Join & ~(JoinType.Left | JoinType.Outer) };
            changed = true;
        }
        return changed ? NodeList<FromItem>.From(items) : from;

        static string? SourceName(FromItem f) => f.Source switch
        {
            NamedTable nt => nt.Alias ?? nt.Name,
            SubquerySource sub => sub.Alias,
            _ => null,
        };
    }

    /// <summary>Whether <paramref name="e"/> cannot be true when the table <paramref name="table"/> is on its NULL row.</summary>
    private static bool ImpliesNonNullRow(Expr e, string table)
    {
        e = SkipCollateAndLikely(e);
        if (e is NullTestExpr { NotNull: true } nn) return NullMakesNull(nn.Operand, table);
        while (e is BinaryExpr { Operator: BinaryOperator.And } and)
        {
            if (ImpliesNonNullRow(and.Left, table)) return true;
            e = SkipCollateAndLikely(and.Right);
        }
        return NullMakesNull(e, table);
    }

    private static Expr SkipCollateAndLikely(Expr e)
    {
        while (true)
        {
            switch (e)
            {
                case CollateExpr c: e = c.Operand; continue;
                case FunctionCall { Over: null } f when f.Arguments.Count >= 1
                    && (f.Name.Equals("likely", StringComparison.OrdinalIgnoreCase) || f.Name.Equals("unlikely", StringComparison.OrdinalIgnoreCase)
                        || f.Name.Equals("likelihood", StringComparison.OrdinalIgnoreCase)):
                    e = f.Arguments[0];
                    continue;
            }
            return e;
        }
    }

    /// <summary>SQLite's impliesNotNullRow walk: whether a column of <paramref name="table"/> inside <paramref name="e"/> makes it NULL or false on the NULL row.</summary>
    private static bool NullMakesNull(Expr e, string table)
    {
        switch (e)
        {
            case ColumnRef c:
                return c.Schema == null && c.Table != null && string.Equals(c.Table, table, StringComparison.OrdinalIgnoreCase);
            case BinaryExpr { Operator: BinaryOperator.And or BinaryOperator.Or } b:
                return NullMakesNull(b.Left, table) && NullMakesNull(b.Right, table);
            case BinaryExpr { Operator: BinaryOperator.Is or BinaryOperator.IsNot }:
            case NullTestExpr or FunctionCall or LikeExpr or CaseExpr or RowValueExpr or InSelectExpr or InTableExpr
                or ExistsExpr or SubqueryExpr or RaiseExpr:
                return false;
            case InListExpr il:
                return il.Items.Count > 0 && NullMakesNull(il.Operand, table);
            case BetweenExpr be:
                return NullMakesNull(be.Operand, table) || (NullMakesNull(be.Low, table) && NullMakesNull(be.High, table));
        }
        foreach (Expr child in ExprChildren(e))
        {
            if (NullMakesNull(child, table)) return true;
        }
        return false;
    }
}
