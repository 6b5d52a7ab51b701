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
using Tern.Vdbe;

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

internal sealed partial class CodeGenerator
{
    /// <summary>
    /// SQLite's omit-noop-join (where.c): in a SELECT DISTINCT that is not an aggregate, a
    /// LEFT JOIN's right table that nothing but its own ON clause reads (not the result
    /// columns, the ORDER BY, the WHERE or another join's terms) cannot change the distinct
    /// rows, so its loop is left out and its ON terms never run. Tried from the last table
    /// back. References through subqueries, or names this scope cannot resolve, count as
    /// reading every table.
    /// </summary>
    private Scope OmitNoopLeftJoins(Scope original, List<Expr> terms, IEnumerable<Expr> used)
    {
        if (original.LeftLevels.Count == 0 || original.HasRightJoin) return original;
        // The loops run over a copy of the scope; the query's own scope keeps every source (the
        // result columns and the resolution-order walk see them all).
        var scope = new Scope
        {
            Outer = original.Outer, Overrides = original.Overrides, ColumnRegisters = original.ColumnRegisters,
            SortsRows = original.SortsRows, AggregatesAllowed = original.AggregatesAllowed,
        };
        scope.Sources.AddRange(original.Sources);
        foreach (KeyValuePair<Expr, int> kv in original.LeftJoinOn) scope.LeftJoinOn[kv.Key] = kv.Value;
        foreach (int l in original.LeftLevels) scope.LeftLevels.Add(l);
        bool any = false;
        // Terms of a table left out still count as reading the tables before it (as in SQLite,
        // whose terms stay in the WHERE clause marked coded), by reference to the source.
        var readers = terms.Select(t => (Term: t, Own: scope.LeftJoinOn.TryGetValue(t, out int l) ? scope.Sources[l] : null,
            Reads: SourcesRead(t, scope))).ToList();
        UInt128 usedMask = 0;
        foreach (Expr e in used) usedMask |= UsageMask(e, scope);
        for (int i = scope.Sources.Count - 1; i >= 1; i--)
        {
            if (!scope.LeftLevels.Contains(i) || scope.Sources[i].Flattened != null || i >= 127) continue;
            UInt128 self = UInt128.One << i;
            if ((usedMask & self) != 0) continue;
            Source candidate = scope.Sources[i];
            if (readers.Exists(r => (r.Reads == null || r.Reads.Contains(candidate)) && r.Own != candidate)) continue;
            // Leave the level out: its own ON terms, the flattened columns whose NULL row it
            // decides, and the level numbers after it move down.
            Source gone = scope.Sources[i];
            // Its ON terms never run, but are compiled (out of the way) for the errors they hold.
            int skip = NewLabel();
            Emit(Opcode.Goto, 0, skip, 0);
            int scratch = NewRegister();
            foreach (Expr t in terms.Where(t => scope.LeftJoinOn.TryGetValue(t, out int level) && level == i)) ExprCode(t, original, scratch);
            Resolve(skip);
            any = true;
            terms.RemoveAll(t => scope.LeftJoinOn.TryGetValue(t, out int level) && level == i);
            var removed = new List<int> { i };
            for (int k = 0; k < scope.Sources.Count; k++)
            {
                if (scope.Sources[k].Flattened != null && scope.Sources[k].NullRowSource == gone) removed.Add(k);
            }
            removed.Sort();
            int Renumber(int level) => level - removed.Count(r => r < level);
            var lefts = scope.LeftLevels.Where(l => !removed.Contains(l)).Select(Renumber).ToList();
            scope.LeftLevels.Clear();
            foreach (int l in lefts) scope.LeftLevels.Add(l);
            foreach (Expr key in scope.LeftJoinOn.Keys.ToList())
            {
                int level = scope.LeftJoinOn[key];
                if (removed.Contains(level)) scope.LeftJoinOn.Remove(key);
                else scope.LeftJoinOn[key] = Renumber(level);
            }
            for (int r = removed.Count - 1; r >= 0; r--) scope.Sources.RemoveAt(removed[r]);
            usedMask = 0;
            foreach (Expr e in used) usedMask |= UsageMask(e, scope);
        }
        return any ? scope : original;
    }

    /// <summary>The sources of the scope an expression reads (null: possibly any).</summary>
    private static HashSet<Source>? SourcesRead(Expr e, Scope scope)
    {
        UInt128 mask = UsageMask(e, scope);
        if (mask == UInt128.MaxValue) return null;
        var set = new HashSet<Source>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < scope.Sources.Count && i < 127; i++)
        {
            if ((mask & (UInt128.One << i)) != 0) set.Add(scope.Sources[i]);
        }
        return set;
    }

    /// <summary>The sources an expression reads, every one when it holds a subquery or a name the scope does not resolve.</summary>
    private static UInt128 UsageMask(Expr e, Scope scope)
    {
        bool unknown = false;
        Walk(e, x =>
        {
            if (x is ColumnRef c && TryResolveLocal(c, scope).Source == null) unknown = true;
            return !unknown;
        });
        return unknown ? UInt128.MaxValue : SourceMask(e, scope);
    }
}

internal sealed partial class CodeGenerator
{
    /// <summary>
    /// SQLite's havingToWhere: each AND-ed HAVING term that reads nothing but GROUP BY columns
    /// (and constants; no aggregate, subquery or non-deterministic function, and not the
    /// constant 0) is tested in the WHERE clause instead, after its other terms, so it filters
    /// rows before they are grouped (which row of equal keys, 0 or 0.0, stands for a group can
    /// change). Returns the core with those HAVING terms replaced by 1. GROUP BY terms count
    /// when they are plain column names.
    /// </summary>
    private static SelectClause MoveHavingToWhere(SelectClause core, Scope scope, List<Expr> whereTerms)
    {
        if (core.Having == null || core.GroupBy.IsEmpty) return core;
        var keys = new List<(Source Source, int Column)>();
        foreach (Expr g in core.GroupBy)
        {
            if (g is ColumnRef c && TryResolveLocalOrNull(c, scope) is { } k) keys.Add(k);
        }
        var moved = new List<Expr>();
        Expr Visit(Expr e)
        {
            if (e is BinaryExpr { Operator: BinaryOperator.And } and)
            {
                Expr l = Visit(and.Left), r = Visit(and.Right);
                return ReferenceEquals(l, and.Left) && ReferenceEquals(r, and.Right) ? e : and with { Left = l, Right = r };
            }
            if (e is Literal { Kind: LiteralKind.Integer } lit && long.TryParse(lit.Value, out long v) && v == 0) return e;
            bool ok = true;
            Walk(e, x =>
            {
                switch (x)
                {
                    case ColumnRef c:
                        if (TryResolveLocalOrNull(c, scope) is not { } k || !keys.Contains(k)) ok = false;
                        break;
                    case ExistsExpr or SubqueryExpr or InSelectExpr or InTableExpr or RaiseExpr:
                        ok = false;
                        break;
                    case FunctionCall f:
                        if (f.Over != null || f.Filter != null || !f.OrderBy.IsEmpty || f.Distinct || f.Star || NonDeterministicFunctions.Contains(f.Name)
                            || Functions.FunctionCatalog.Find(f.Name, f.Star ? 0 : f.Arguments.Count, out _) is not Functions.ScalarFunction)
                            ok = false;
                        break;
                }
                return ok;
            });
            if (!ok) return e;
            moved.Add(e);
            return new Literal(LiteralKind.Integer, "1");
        }
        Expr having = Visit(core.Having);
        if (moved.Count == 0) return core;
        whereTerms.AddRange(moved);
        return core with { Having = having };
    }

    private static (Source Source, int Column)? TryResolveLocalOrNull(ColumnRef c, Scope scope)
    {
        try
        {
            (Source? s, int col) = TryResolveLocal(c, scope);
            return s == null ? null : (s, col);
        }
        catch (TernException)
        {
            return null;
        }
    }
}
