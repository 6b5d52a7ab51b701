// SQLite's expansion pass, walked ahead of code generation so that a failing SELECT reports
// the error SQLite meets first. SQLite prepares a query in two passes: it first expands the
// FROM items of the whole statement (looking every table up, preparing every view it meets),
// and only then resolves names and checks functions. Tern finds both kinds of error while it
// generates code, in its own order. So before a query is compiled, this walk goes over it in
// SQLite's expansion order and notes the first table that is missing and the views it meets
// before it; if compiling then fails, the first of those views that does not compile on its
// own names the error, else the missing table does, else the compiler's error stands.
//
// The walk, for one SELECT (the same for a subquery, a view body, a CTE body):
//
//   compound       members from the right-most to the left-most; the statement's ORDER BY
//                  and LIMIT are walked with the right-most member's expressions
//   one member     FROM items in order:
//                    subquery / parenthesized join -> walked at once (its FROM, then its
//                                                     expressions: the ON terms as its WHERE)
//                    CTE name                      -> its body walked at once (a recursive
//                                                     one: the members before the recursive
//                                                     ones first, then those)
//                    view                          -> noted, its body walked at once
//                    table                         -> missing: the error, the walk ends
//                  "x.*" naming no FROM item: a soft error (the last one stands); the walk
//                    goes on, but ends where the next member's FROM items have been expanded
//                  then the expressions: result columns, WHERE, ON terms (FROM order),
//                    GROUP BY, HAVING, ORDER BY, LIMIT, OFFSET, WINDOW definitions
//   an expression  operands left to right (subqueries walked when met), except as SQLite
//                  builds its tree: x LIKE/GLOB y ESCAPE z is like(y, x, z); an aggregate's
//                  own ORDER BY comes before its arguments; a window's ORDER BY before its
//                  PARTITION BY, then FILTER and the frame bounds
//
// A statement that compiles is not affected: the walk's findings are used only to choose
// the message of a failure.
using Tern.Schema;
using Tern.Sql.Ast;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>While positive, the query being compiled has been walked by the expansion pass.</summary>
    private int _expanded;

    /// <summary>What the expansion walk of one query found.</summary>
    private sealed class ExpansionWalk
    {
        /// <summary>Views met before the first error, in the order SQLite prepares them.</summary>
        public List<View> Views { get; } = [];

        /// <summary>The first hard error met (a missing table); the walk stops there.</summary>
        public string? Error { get; set; }

        /// <summary>The last soft error met ("x.*" naming no FROM item).</summary>
        public string? Soft { get; set; }

        /// <summary>Views and CTEs whose bodies are being walked (guards against a cycle).</summary>
        public HashSet<object> Open { get; } = new(ReferenceEqualityComparer.Instance);

        /// <summary>Recursive CTEs whose recursive SELECTs are being walked (they read the CTE itself).</summary>
        public HashSet<CommonTableExpression> Recursing { get; } = new(ReferenceEqualityComparer.Instance);

        /// <summary>The recursive members being walked: their own FROM items may read the CTE.</summary>
        public HashSet<SelectCore> RecursiveMembers { get; } = new(ReferenceEqualityComparer.Instance);

        /// <summary>
        /// Whether <see cref="Error"/> is one SQLite raises whatever follows (a recursive CTE read
        /// again inside its recursive members), even where Tern's compiler would not meet it.
        /// </summary>
        public bool Certain { get; set; }

        /// <summary>The walk stopped where it could not follow SQLite (it has no verdict past that point).</summary>
        public bool Unknown { get; set; }

        /// <summary>The error the walk ends with, if any.</summary>
        public string? Verdict => Error ?? (Unknown ? null : Soft);
    }

    /// <summary>Thrown inside the walk to end it (an error was found).</summary>
    private sealed class ExpansionStop : Exception;

    /// <summary>
    /// Compiles a query SQLite prepares as a whole (a statement's SELECT, or a subquery of
    /// an UPDATE, DELETE or INSERT ... VALUES, which SQLite prepares when it meets it): walks
    /// it in SQLite's expansion order first, and when compiling fails reports the error that
    /// order meets first.
    /// </summary>
    private void CompileExpandedSelect(SelectStatement s, Scope? outer, RowHandler emit, Action<List<ResultItem>>? names)
    {
        var walk = new ExpansionWalk();
        int savedDepth = _bindDb;
        try
        {
            WalkSelectForExpansion(s, walk);
        }
        catch (ExpansionStop)
        {
        }
        finally
        {
            _bindDb = savedDepth;
        }

        // A recursive CTE read anywhere in its recursive members but their own FROM clauses
        // (a subquery, a nested CTE, an unused WINDOW definition) fails as SQLite expands it.
        if (walk.Certain && walk.Error != null) throw new TernException(ResultCode.Error, walk.Error);
        TernException? failure = null;
        _expanded++;
        try
        {
            CompileSelect(s, outer, emit, names);
        }
        catch (TernException e) when (e.Code == ResultCode.Error && !IsParseTimeError(e.Message))
        {
            failure = e;
        }
        finally
        {
            _expanded--;
        }
        if (failure == null) return;

        // The program is being thrown away: the views are compiled into it again, one by one.
        foreach (View v in walk.Views)
        {
            string? broken = ViewError(v);
            if (broken == null) continue;
            if (broken == failure.Message) throw failure;
            throw new TernException(ResultCode.Error, broken);
        }
        string? verdict = walk.Verdict;
        if (verdict != null && verdict != failure.Message) throw new TernException(ResultCode.Error, verdict);
        throw failure;
    }

    /// <summary>
    /// The error SQLite's expansion of some expressions meets first (a view met that does
    /// not compile, or a missing table), or null. Views are compiled into the current
    /// program: only for a statement that fails.
    /// </summary>
    private string? FirstExpansionError(Action<ExpansionWalk> body)
    {
        var walk = new ExpansionWalk();
        int savedDepth = _bindDb;
        try
        {
            body(walk);
        }
        catch (ExpansionStop)
        {
        }
        finally
        {
            _bindDb = savedDepth;
        }
        foreach (View v in walk.Views)
        {
            if (ViewError(v) is { } broken) return broken;
        }
        return walk.Verdict;
    }

    /// <summary>Errors SQLite's parser raises, before anything is expanded.</summary>
    private static bool IsParseTimeError(string message) =>
        message.StartsWith("duplicate WITH table name: ", StringComparison.Ordinal)
        || message.StartsWith("too many terms in compound SELECT", StringComparison.Ordinal)
        || message.Contains(" clause should come after ", StringComparison.Ordinal);

    /// <summary>The error compiling a view on its own raises (as SQLite prepares it to learn its columns), or null.</summary>
    private string? ViewError(View view)
    {
        if (_expandingViews.Contains(view.Name)) return null;
        _expandingViews.Add(view.Name);
        CteEnv? savedCtes = _ctes;
        byte[] savedSql = _sql;
        int savedDepth = _bindDb;
        List<ResultItem>? savedNames = _compoundNames;
        _ctes = null;
        _sql = view.SqlUtf8;
        _bindDb = ViewBinding(view);
        try
        {
            AddMaterializedSource(view.Select, view.Name, view.Columns, view.Name, new Scope(), view);
            return null;
        }
        catch (TernException e) when (e.Code == ResultCode.Error)
        {
            return e.Message;
        }
        finally
        {
            _ctes = savedCtes;
            _sql = savedSql;
            _bindDb = savedDepth;
            _compoundNames = savedNames;
            _expandingViews.Remove(view.Name);
        }
    }

    /// <summary>The database a view's unqualified names bind to while it is expanded (-1 for a TEMP view: any).</summary>
    private static int ViewBinding(View view) => view.Db == DatabaseSchema.TempDb ? -1 : view.Db;

    private void WalkSelectForExpansion(SelectStatement s, ExpansionWalk walk)
    {
        CteEnv? saved = _ctes;
        try
        {
            if (s.With != null) PushWith(s.With);
            var members = new List<SelectCore> { s.First };
            foreach (CompoundPart p in s.Compounds) members.Add(p.Select);
            for (int i = members.Count - 1; i >= 0; i--) WalkCoreForExpansion(members[i], i == members.Count - 1 ? s : null, walk);
        }
        finally
        {
            _ctes = saved;
        }
    }

    /// <summary>One member of a SELECT; <paramref name="head"/> (the right-most member's statement) brings ORDER BY and LIMIT.</summary>
    private void WalkCoreForExpansion(SelectCore core, SelectStatement? head, ExpansionWalk walk)
    {
        if (core is ValuesClause values)
        {
            // Rows that are not constant form a chain of SELECTs, the last row first.
            if (walk.Soft != null) throw new ExpansionStop();
            for (int r = values.Rows.Count - 1; r >= 0; r--)
            {
                foreach (Expr e in values.Rows[r]) WalkExprForExpansion(e, walk);
                if (r == values.Rows.Count - 1) WalkTailForExpansion(head, walk);
            }
            return;
        }
        var sc = (SelectClause)core;
        bool recursiveMember = walk.RecursiveMembers.Contains(core);
        foreach (FromItem fi in sc.From)
        {
            // A recursive member's own reference to its CTE (SQLite marks these as it expands).
            if (recursiveMember && fi.Source is NamedTable { Schema: null } self && FindCte(self.Name) is { } selfCte && walk.Recursing.Contains(selfCte.Cte)) continue;
            WalkFromItemForExpansion(fi, walk);
        }
        // SQLite stops here when an error is pending (before joining the ON terms to WHERE).
        if (walk.Soft != null) throw new ExpansionStop();
        CheckUsingForExpansion(sc.From, walk);
        foreach (ResultColumn rc in sc.Columns)
        {
            if (rc is TableStarColumn ts && !FromNames(sc.From).Any(n => string.Equals(n, ts.Table, StringComparison.OrdinalIgnoreCase)))
                walk.Soft = "no such table: " + ts.Table;
        }
        foreach (ResultColumn rc in sc.Columns)
        {
            if (rc is ExprColumn ec) WalkExprForExpansion(ec.Expr, walk);
        }
        WalkExprForExpansion(sc.Where, walk);
        foreach (FromItem fi in sc.From) WalkExprForExpansion(fi.On, walk);
        foreach (Expr g in sc.GroupBy) WalkExprForExpansion(g, walk);
        WalkExprForExpansion(sc.Having, walk);
        WalkTailForExpansion(head, walk);
        foreach (WindowDefinition w in sc.Windows) WalkWindowForExpansion(w.Window, null, walk);
    }

    /// <summary>A statement's ORDER BY and LIMIT (walked with its right-most member).</summary>
    private void WalkTailForExpansion(SelectStatement? head, ExpansionWalk walk)
    {
        if (head == null) return;
        foreach (OrderingTerm o in head.OrderBy) WalkExprForExpansion(o.Expr, walk);
        if (head.Limit != null)
        {
            WalkExprForExpansion(head.Limit.Limit, walk);
            WalkExprForExpansion(head.Limit.Offset, walk);
        }
    }

    /// <summary>
    /// USING columns must be in the table on the right and in one on the left (SQLite checks
    /// while joining the ON terms to WHERE, part of the expansion). Only tables' columns are
    /// known here: a USING join over anything else ends the walk without a verdict.
    /// </summary>
    private void CheckUsingForExpansion(NodeList<FromItem> from, ExpansionWalk walk)
    {
        for (int i = 1; i < from.Count; i++)
        {
            if (from[i].Using.IsEmpty) continue;
            var tables = new List<Table>();
            for (int k = 0; k <= i; k++)
            {
                Table? t = from[k].Source is NamedTable nt && (nt.Schema != null || (FindCte(nt.Name) == null && !_recursiveSources.ContainsKey(nt.Name)))
                    && LookupView(nt.Schema, nt.Name) == null ? FindTable(nt.Schema, nt.Name) : null;
                if (t == null)
                {
                    walk.Unknown = true;
                    throw new ExpansionStop();
                }
                tables.Add(t);
            }
            foreach (string name in from[i].Using)
            {
                if (tables[i].FindColumn(name) < 0 || !tables.Take(i).Any(t => t.FindColumn(name) >= 0))
                {
                    walk.Error = $"cannot join using column {name} - column not present in both tables";
                    throw new ExpansionStop();
                }
            }
        }
    }

    /// <summary>SQLite's error for an INDEXED BY naming no index of the table, or null.</summary>
    private static string? IndexedByError(Table t, string index) =>
        t.Indexes.Exists(i => string.Equals(i.Name, index, StringComparison.OrdinalIgnoreCase))
        || string.Equals(t.PrimaryKey?.Name, index, StringComparison.OrdinalIgnoreCase) ? null : "no such index: " + index;

    /// <summary>The names a FROM clause's items answer to ("x.*"), nested joins' included.</summary>
    private static IEnumerable<string> FromNames(NodeList<FromItem> from)
    {
        foreach (FromItem fi in from)
        {
            switch (fi.Source)
            {
                case NamedTable nt:
                    yield return nt.Alias ?? nt.Name;
                    break;
                case NestedJoin nj:
                    if (nj.Alias != null) yield return nj.Alias;
                    foreach (string n in FromNames(nj.Items)) yield return n;
                    break;
                case TableFunction tf:
                    yield return tf.Alias ?? tf.Name;
                    break;
                case TableSource other when other.Alias != null:
                    yield return other.Alias;
                    break;
            }
        }
    }

    private void WalkFromItemForExpansion(FromItem fi, ExpansionWalk walk)
    {
        switch (fi.Source)
        {
            case SubquerySource sq:
                WalkSelectForExpansion(sq.Select, walk);
                break;
            case NestedJoin nj:
                // SQLite makes it a subquery: its FROM items, then its ON terms (its WHERE).
                foreach (FromItem inner in nj.Items) WalkFromItemForExpansion(inner, walk);
                if (walk.Soft != null) throw new ExpansionStop();
                CheckUsingForExpansion(nj.Items, walk);
                foreach (FromItem inner in nj.Items) WalkExprForExpansion(inner.On, walk);
                break;
            case NamedTable nt:
                WalkNamedForExpansion(nt.Schema, nt.Name, walk, nt.IndexedBy);
                break;
        }
    }

    /// <summary>A table name in FROM (or after IN): a CTE, a view or a table.</summary>
    private void WalkNamedForExpansion(string? schema, string name, ExpansionWalk walk, string? indexedBy = null)
    {
        if (schema == null && _recursiveSources.ContainsKey(name)) return;
        if (schema == null && FindCte(name) is { } cte)
        {
            if (walk.Recursing.Contains(cte.Cte))
            {
                walk.Error = "multiple recursive references: " + cte.Cte.Name;
                walk.Certain = true;
                throw new ExpansionStop();
            }
            if (!walk.Open.Add(cte.Cte))
            {
                walk.Error = "circular reference: " + cte.Cte.Name;
                throw new ExpansionStop();
            }
            CteEnv? saved = _ctes;
            _ctes = cte.Frame.Top;
            try
            {
                WalkCteForExpansion(cte, walk);
            }
            finally
            {
                _ctes = saved;
                walk.Open.Remove(cte.Cte);
            }
            return;
        }
        View? view = LookupView(schema, name);
        if (view != null)
        {
            if (!walk.Open.Add(view)) return;
            if (walk.Soft == null && !walk.Views.Contains(view)) walk.Views.Add(view);
            CteEnv? saved = _ctes;
            int savedDepth = _bindDb;
            _ctes = null;
            _bindDb = ViewBinding(view);
            try
            {
                WalkSelectForExpansion(view.Select, walk);
            }
            finally
            {
                _ctes = saved;
                _bindDb = savedDepth;
                walk.Open.Remove(view);
            }
            return;
        }
        if (schema == null && FindTable(null, name) == null && IsTableFunctionName(name)) return;
        if (FindTable(schema, name) is { } t)
        {
            if (indexedBy == null || IndexedByError(t, indexedBy) is not { } noIndex) return;
            walk.Error = noIndex;
            throw new ExpansionStop();
        }
        walk.Error = "no such table: " + (schema != null ? schema + "." : _bindDb >= 0 ? _schemas.NameOf(_bindDb) + "." : "") + name;
        throw new ExpansionStop();
    }

    /// <summary>
    /// A CTE's body. For a recursive one SQLite first walks the members to the left of the
    /// recursive ones (the right-most of them first), then the recursive members.
    /// </summary>
    private void WalkCteForExpansion(CteEnv cte, ExpansionWalk walk)
    {
        SelectStatement s = cte.Cte.Select;
        if (!cte.Recursive || s.Compounds.Count == 0)
        {
            WalkSelectForExpansion(s, walk);
            CheckCteWidth(cte.Cte, walk);
            return;
        }
        var members = new List<(SelectCore Core, CompoundOperator Op)> { (s.First, CompoundOperator.UnionAll) };
        foreach (CompoundPart p in s.Compounds) members.Add((p.Select, p.Operator));
        CompoundOperator headOp = members[^1].Op;
        int firstRecursive = members.Count;
        while (firstRecursive > 1 && members[firstRecursive - 1].Op == headOp
            && headOp is CompoundOperator.Union or CompoundOperator.UnionAll
            && CoreReferences(members[firstRecursive - 1].Core, cte.Cte.Name))
        {
            firstRecursive--;
        }
        if (firstRecursive == members.Count)
        {
            WalkSelectForExpansion(s, walk);
            CheckCteWidth(cte.Cte, walk);
            return;
        }
        CteEnv? saved = _ctes;
        try
        {
            if (s.With != null) PushWith(s.With);
            for (int i = firstRecursive - 1; i >= 0; i--) WalkCoreForExpansion(members[i].Core, null, walk);
            CheckCteWidth(cte.Cte, walk);
            walk.Recursing.Add(cte.Cte);
            for (int i = firstRecursive; i < members.Count; i++) walk.RecursiveMembers.Add(members[i].Core);
            for (int i = members.Count - 1; i >= firstRecursive; i--) WalkCoreForExpansion(members[i].Core, i == members.Count - 1 ? s : null, walk);
        }
        finally
        {
            _ctes = saved;
            walk.Recursing.Remove(cte.Cte);
            for (int i = firstRecursive; i < members.Count; i++) walk.RecursiveMembers.Remove(members[i].Core);
        }
    }

    /// <summary>
    /// A CTE with column names must give as many values (counted in its left-most member,
    /// when that has no "*" to expand): SQLite checks this once the body is expanded.
    /// </summary>
    private static void CheckCteWidth(CommonTableExpression cte, ExpansionWalk walk)
    {
        if (cte.Columns.IsEmpty) return;
        int width = cte.Select.First switch
        {
            ValuesClause v => v.Rows[0].Count,
            SelectClause sc when sc.Columns.All(c => c is ExprColumn) => sc.Columns.Count,
            _ => -1,
        };
        if (width < 0 || width == cte.Columns.Count) return;
        walk.Error = $"table {cte.Name} has {width} values for {cte.Columns.Count} columns";
        throw new ExpansionStop();
    }

    /// <summary>A window: its ORDER BY, PARTITION BY, then the FILTER and the frame bounds.</summary>
    private void WalkWindowForExpansion(WindowSpec? w, Expr? filter, ExpansionWalk walk)
    {
        if (w != null)
        {
            foreach (OrderingTerm o in w.OrderBy) WalkExprForExpansion(o.Expr, walk);
            foreach (Expr p in w.PartitionBy) WalkExprForExpansion(p, walk);
        }
        WalkExprForExpansion(filter, walk);
        if (w?.Frame != null)
        {
            WalkExprForExpansion(w.Frame.StartBound.Offset, walk);
            WalkExprForExpansion(w.Frame.EndBound?.Offset, walk);
        }
    }

    private void WalkExprForExpansion(Expr? e, ExpansionWalk walk)
    {
        switch (e)
        {
            case null:
                return;
            case SubqueryExpr sq:
                WalkSelectForExpansion(sq.Select, walk);
                return;
            case ExistsExpr ex:
                WalkSelectForExpansion(ex.Select, walk);
                return;
            case InSelectExpr ins:
                WalkExprForExpansion(ins.Operand, walk);
                WalkSelectForExpansion(ins.Select, walk);
                return;
            case InTableExpr it:
                WalkExprForExpansion(it.Operand, walk);
                if (it.Arguments.Count == 0) WalkNamedForExpansion(it.Schema, it.Table, walk);
                return;
            case LikeExpr like:
                WalkExprForExpansion(like.Pattern, walk);
                WalkExprForExpansion(like.Left, walk);
                WalkExprForExpansion(like.Escape, walk);
                return;
            case FunctionCall f:
                foreach (OrderingTerm o in f.OrderBy) WalkExprForExpansion(o.Expr, walk);
                foreach (Expr a in f.Arguments) WalkExprForExpansion(a, walk);
                WalkWindowForExpansion(f.Over?.Window, f.Filter, walk);
                return;
            case RaiseExpr r:
                WalkExprForExpansion(r.Message, walk);
                return;
            default:
                foreach (Expr child in ExprChildren(e)) WalkExprForExpansion(child, walk);
                return;
        }
    }
}
