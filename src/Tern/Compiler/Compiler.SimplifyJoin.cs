// LEFT JOIN strength reduction, as SQLite's sqlite3Select does before it plans a query: a
// LEFT JOIN whose right-hand table must be a real row for the WHERE clause to hold (a term
// that is false or NULL whenever every column of that table is NULL) returns no NULL-row
// result that the WHERE would keep, so it is run as an inner join. Its ON terms become
// ordinary terms (a constant one is then tested before the loops, an erroring one raises),
// and the WHERE is never evaluated on a NULL row.
//
//   term                           implies a real row of T when
//   ---------------------------    -------------------------------------------------
//   a AND b (top level)            either conjunct does
//   x IS [NOT] NULL at top         NOT NULL: x does (IS NULL: never)
//   a AND b, a OR b (nested)       both a and b do
//   x [NOT] BETWEEN y AND z        x does, or both y and z do
//   x [NOT] IN (list)              the list is not empty and x does
//   IS, IS NOT, IS NULL, function,
//   CASE, LIKE/GLOB, IN (SELECT)   never (they can be true on NULLs)
//   column of T                    always
//   other operators                any operand does
using Tern.Sql.Ast;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>
    /// Turns each LEFT JOIN whose right-hand source the terms (other than LEFT JOIN ON terms)
    /// require to be a real row into an inner join: its level stops being a LEFT level and its
    /// ON terms become ordinary terms, in their place among <paramref name="terms"/>.
    /// </summary>
    private static void SimplifyLeftJoins(Scope scope, List<Expr> terms)
    {
        foreach (int level in scope.LeftLevels.Order().ToList())
        {
            Source target = scope.Sources[level];
            bool required = false;
            foreach (Expr t in terms)
            {
                if (scope.LeftJoinOn.ContainsKey(t)) continue;
                if (ImpliesRealRow(t, target, scope))
                {
                    required = true;
                    break;
                }
            }
            if (!required) continue;
            scope.LeftLevels.Remove(level);
            foreach (Expr on in scope.LeftJoinOn.Where(kv => kv.Value == level).Select(kv => kv.Key).ToList()) scope.LeftJoinOn.Remove(on);
        }
    }

    /// <summary>Whether a WHERE term is false or NULL whenever <paramref name="target"/> reads as a row of NULLs (SQLite's sqlite3ExprImpliesNonNullRow).</summary>
    private static bool ImpliesRealRow(Expr e, Source target, Scope scope)
    {
        while (true)
        {
            if (e is CollateExpr ce) e = ce.Operand;
            else if (e is FunctionCall { Arguments.Count: > 0 } f && f.Name.ToLowerInvariant() is "likely" or "unlikely" or "likelihood") e = f.Arguments[0];
            else break;
        }
        if (e is NullTestExpr { NotNull: true } nn) return NullRowReaches(nn.Operand, target, scope);
        while (e is BinaryExpr { Operator: BinaryOperator.And } and)
        {
            if (ImpliesRealRow(and.Left, target, scope)) return true;
            e = and.Right;
        }
        return NullRowReaches(e, target, scope);
    }

    /// <summary>The walk behind <see cref="ImpliesRealRow"/>: whether a NULL row of the target makes the expression NULL (or false).</summary>
    private static bool NullRowReaches(Expr e, Source target, Scope scope)
    {
        switch (e)
        {
            case ColumnRef c:
                {
                    Source? s;
                    try
                    {
                        (s, _) = TryResolveLocal(c, scope);
                    }
                    catch (TernException)
                    {
                        // An ambiguous or bad name: the error is reported where SQLite's order meets it.
                        return false;
                    }
                    return s != null && (s == target || (s.Flattened != null && s.NullRowSource == target));
                }
            case NullTestExpr or FunctionCall or CaseExpr or LikeExpr or InSelectExpr or InTableExpr or ExistsExpr or SubqueryExpr
                or RowValueExpr or RaiseExpr or Literal or ParameterExpr:
                return false;
            case BinaryExpr { Operator: BinaryOperator.Is or BinaryOperator.IsNot }:
                return false;
            case BinaryExpr { Operator: BinaryOperator.And or BinaryOperator.Or } b:
                return NullRowReaches(b.Left, target, scope) && NullRowReaches(b.Right, target, scope);
            case BinaryExpr b:
                return NullRowReaches(b.Left, target, scope) || NullRowReaches(b.Right, target, scope);
            case InListExpr il:
                return il.Items.Count > 0 && NullRowReaches(il.Operand, target, scope);
            case BetweenExpr be:
                return NullRowReaches(be.Operand, target, scope)
                    || (NullRowReaches(be.Low, target, scope) && NullRowReaches(be.High, target, scope));
            case UnaryExpr u:
                return NullRowReaches(u.Operand, target, scope);
            case CollateExpr ce:
                return NullRowReaches(ce.Operand, target, scope);
            case CastExpr ca:
                return NullRowReaches(ca.Operand, target, scope);
            default:
                return false;
        }
    }
}
