// Which error a failing SELECT reports. Tern finds name errors while it generates code, in
// the order code is generated (FROM, then WHERE inside the loops, then the result row ...);
// SQLite finds them in its resolution pass, in this order:
//
//   whole statement: every FROM item of every SELECT expanded ("no such table" ...)
//   a compound: its SELECTs from the right-most to the left-most, then its ORDER BY
//   one SELECT:  LIMIT/OFFSET -> FROM subqueries -> result columns -> HAVING (or "HAVING
//                clause on a non-aggregate query") -> WHERE -> ON terms -> ORDER BY -> GROUP BY
//
// Valid statements pay nothing for this: only when compiling a SELECT core fails with a
// name-resolution error does the walk below look, in SQLite's order, for an error SQLite
// would have met first; it follows SQLite's expression walk (ResolveWalk), resolving a
// subquery whole where it meets one (compiled alone), and gives up where it cannot follow it
// (window functions), leaving the original error.
// Likewise a compound whose compilation fails (a name error, or SELECTs of different
// widths, which SQLite finds only after resolving them) has its SELECTs compiled again from
// the right-most, and the first error met is the one reported; when a FROM clause failed
// to expand (a missing table, a broken view), the right-most core whose FROM fails names it.
using Tern.Sql.Ast;
using Tern.Storage.Record;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>A SELECT core being compiled, kept so that a failure can be resolved again in SQLite's order.</summary>
    private sealed record CoreResolution(SelectClause Core, Scope Scope, List<ResultItem> Results, NodeList<OrderingTerm> OrderBy, LimitClause? Limit);

    /// <summary>The cores being compiled, innermost last.</summary>
    private readonly List<CoreResolution> _coreResolutions = [];

    /// <summary>Errors raised while a core's FROM items were expanded (SQLite's expansion pass comes before name resolution).</summary>
    private readonly HashSet<TernException> _expandErrors = new(ReferenceEqualityComparer.Instance);

    /// <summary>While positive, compound SELECTs are being compiled again to find the error SQLite reports first.</summary>
    private int _recheckingCompound;

    /// <summary>Messages of the errors SQLite raises while resolving names (the ones whose order the walk decides).</summary>
    private static bool IsResolveError(string message) =>
        (message.StartsWith("no such column: ", StringComparison.Ordinal)
        || message.StartsWith("no such function: ", StringComparison.Ordinal)
        || message.StartsWith("wrong number of arguments to function ", StringComparison.Ordinal)
        || (message.StartsWith("misuse of ", StringComparison.Ordinal) && !IsLateResolveError(message))
        || message.StartsWith("FILTER may not be used with non-aggregate ", StringComparison.Ordinal)
        || message.StartsWith("ambiguous column name: ", StringComparison.Ordinal)
        || message.StartsWith("second argument to likelihood() must be", StringComparison.Ordinal)
        || message.StartsWith("HAVING clause on a non-aggregate query", StringComparison.Ordinal)
        || message.StartsWith("aggregate functions are not allowed in the GROUP BY clause", StringComparison.Ordinal)
        || message.Contains(" ORDER BY term out of range", StringComparison.Ordinal)
        || message.Contains(" GROUP BY term out of range", StringComparison.Ordinal));

    /// <summary>
    /// Compiles a SELECT core; when that fails with a name-resolution error, reports instead
    /// the first error SQLite's resolution order meets in this core, if the walk finds one.
    /// </summary>
    private void CompileCore(SelectCore coreNode, Scope? outer, NodeList<OrderingTerm> orderBy, LimitClause? limit, RowHandler emit,
        Action<List<ResultItem>>? names, Action<Collation?[]>? collations = null)
    {
        int depth = _coreResolutions.Count;
        try
        {
            CompileCoreBody(coreNode, outer, orderBy, limit, emit, names, collations);
        }
        catch (TernException e) when (e.Code == ResultCode.Error && (IsResolveError(e.Message) || IsLateResolveError(e.Message)))
        {
            // (Checked here, not in the filter: a filter runs before the inner cores' finally blocks.)
            if (_coreResolutions.Count <= depth) throw;
            string? first = FirstResolveError(_coreResolutions[depth]);
            if (first != null && first != e.Message) throw new TernException(ResultCode.Error, first);
            throw;
        }
        finally
        {
            if (_coreResolutions.Count > depth) _coreResolutions.RemoveRange(depth, _coreResolutions.Count - depth);
        }
    }

    /// <summary>Notes a core whose FROM items and result columns are known (called by the core's compilation).</summary>
    private void NoteCoreResolution(SelectClause core, Scope scope, List<ResultItem> results, NodeList<OrderingTerm> orderBy, LimitClause? limit) =>
        _coreResolutions.Add(new CoreResolution(core, scope, results, orderBy, limit));

    /// <summary>
    /// Compiles a compound SELECT; when that fails with a name-resolution error (or SELECTs of
    /// different widths, or a misused aggregate), its cores are compiled again (into code
    /// thrown away with the failed statement) as SQLite resolves them: from the right-most,
    /// each followed by the check of its width against the core to its right. The first
    /// error met is reported; errors SQLite raises only after resolving (a misused aggregate)
    /// give way to any other.
    /// </summary>
    private void CompileCompound(SelectStatement s, Scope? outer, RowHandler emit, Action<List<ResultItem>>? names)
    {
        List<(List<ResultItem> Results, Scope Scope)>? savedMembers = _compoundMembers;
        try
        {
            CompileCompoundBody(s, outer, emit, names);
        }
        catch (TernException e) when (e.Code == ResultCode.Error && _recheckingCompound == 0 && _expandErrors.Contains(e))
        {
            // SQLite expands the FROM items of every core, the right-most first, before it
            // resolves a name: the right-most core whose FROM fails to expand names the error.
            _recheckingCompound++;
            try
            {
                var cores = new List<SelectCore> { s.First };
                foreach (CompoundPart p in s.Compounds) cores.Add(p.Select);
                for (int i = cores.Count - 1; i >= 0; i--)
                {
                    try
                    {
                        CompileCore(cores[i], outer, default, null, (_, _) => { }, null);
                    }
                    catch (TernException again) when (again.Code == ResultCode.Error && _expandErrors.Contains(again))
                    {
                        if (again.Message == e.Message) throw;
                        throw new TernException(ResultCode.Error, again.Message);
                    }
                    catch (TernException again) when (again.Code == ResultCode.Error)
                    {
                        // A name error: resolution comes after every core's expansion.
                    }
                }
            }
            finally
            {
                _recheckingCompound--;
            }
            throw;
        }
        catch (TernException e) when (e.Code == ResultCode.Error && _recheckingCompound == 0
            && (IsResolveError(e.Message) || IsLateResolveError(e.Message) || e.Message.StartsWith("SELECTs to the left and right of ", StringComparison.Ordinal)))
        {
            var cores = new List<(SelectCore Core, CompoundOperator Op)> { (s.First, CompoundOperator.UnionAll) };
            foreach (CompoundPart p in s.Compounds) cores.Add((p.Select, p.Operator));
            _recheckingCompound++;
            try
            {
                int rightWidth = -1;
                for (int i = cores.Count - 1; i >= 0; i--)
                {
                    int width = -1;
                    try
                    {
                        CompileCore(cores[i].Core, outer, default, null, (_, _) => { }, items => width = items.Count);
                    }
                    catch (TernException again) when (again.Code == ResultCode.Error && !IsLateResolveError(again.Message))
                    {
                        if (again.Message == e.Message) throw;
                        throw new TernException(ResultCode.Error, again.Message);
                    }
                    catch (TernException again) when (again.Code == ResultCode.Error)
                    {
                        // Raised after resolution in SQLite: the other cores come first.
                    }
                    if (width >= 0 && rightWidth >= 0 && width != rightWidth)
                        throw new TernException(ResultCode.Error, CompoundWidthError(cores[i + 1].Op));
                    rightWidth = width;
                }
            }
            finally
            {
                _recheckingCompound--;
            }
            throw;
        }
        finally
        {
            _compoundMembers = savedMembers;
        }
    }

    /// <summary>SQLite's message for compound SELECTs of different widths around <paramref name="op"/>.</summary>
    private static string CompoundWidthError(CompoundOperator op)
    {
        string w = op switch
        {
            CompoundOperator.UnionAll => "UNION ALL",
            CompoundOperator.Union => "UNION",
            CompoundOperator.Intersect => "INTERSECT",
            _ => "EXCEPT",
        };
        return $"SELECTs to the left and right of {w} do not have the same number of result columns";
    }

    /// <summary>Errors SQLite raises after resolving names (while generating code): any resolution error comes first.</summary>
    private static bool IsLateResolveError(string message) => message.StartsWith("misuse of aggregate: ", StringComparison.Ordinal);

    /// <summary>
    /// The first error SQLite's resolution of one core meets: result columns, HAVING, WHERE,
    /// ON terms, ORDER BY, GROUP BY. Null when there is none the walk can see, or when it
    /// meets something it does not follow before one.
    /// </summary>
    private string? FirstResolveError(CoreResolution r)
    {
        bool aliases = false;
        var walk = new ResolveWalk(null, null, c => LookupForResolve(c, r, aliases), _sql, loading: false)
        {
            AllowAggregates = true,
            Subquery = select => SubqueryError(select, r.Scope),
        };
        bool Stopped(Expr? e)
        {
            if (e == null) return false;
            walk.Visit(e);
            return walk.Abandoned || walk.Error != null;
        }
        string? Verdict() => walk.Abandoned ? null : walk.Error;

        // LIMIT and OFFSET come first, resolved where no name is visible.
        if (r.Limit != null)
        {
            var nothing = new CoreResolution(r.Core, new Scope(), [], default, null);
            var limitWalk = new ResolveWalk(null, null, c => LookupForResolve(c, nothing, false), _sql, loading: false)
            {
                Subquery = select => SubqueryError(select, new Scope()),
            };
            if (!limitWalk.Visit(r.Limit.Limit) || (r.Limit.Offset != null && !limitWalk.Visit(r.Limit.Offset)) || limitWalk.Error != null)
                return limitWalk.Abandoned ? null : limitWalk.Error;
        }
        foreach (ResultItem item in r.Results)
        {
            if (Stopped(item.Expr)) return Verdict();
        }
        bool aggregate = r.Core.GroupBy.Count > 0 || walk.FoundAggregate;
        aliases = true;
        if (r.Core.Having != null)
        {
            if (!aggregate) return "HAVING clause on a non-aggregate query";
            if (Stopped(r.Core.Having)) return Verdict();
        }
        // In an aggregate query an aggregate in WHERE passes resolution (it fails later).
        // SQLite has joined the ON terms to the WHERE clause (WHERE AND on1 AND on2 ...) and
        // walks them as one expression: an error in one part does not stop a function call or
        // a name in the next from being looked at.
        walk.AllowAggregates = aggregate;
        bool go = r.Core.Where == null || walk.Visit(r.Core.Where);
        foreach (Expr on in OnTerms(r.Core.From))
        {
            if (!go) break;
            go = walk.Visit(on);
        }
        if (walk.Abandoned || walk.Error != null) return Verdict();
        walk.AllowAggregates = true;
        for (int i = 0; i < r.OrderBy.Count; i++)
        {
            Expr term = r.OrderBy[i].Expr;
            Expr resolved;
            try
            {
                resolved = ResolveOrderTerm(term, r.Results, i);
            }
            catch (TernException e)
            {
                return e.Message;
            }
            if (ReferenceEquals(resolved, term) && Stopped(term)) return Verdict();
        }
        walk.FoundAggregate = false;
        foreach (Expr term in r.Core.GroupBy)
        {
            Expr resolved;
            try
            {
                resolved = ResolveGroupTerm(term, r.Results, r.Scope);
            }
            catch (TernException e)
            {
                return e.Message;
            }
            if (ReferenceEquals(resolved, term))
            {
                if (Stopped(term)) return Verdict();
            }
            else
            {
                var inResult = new List<FunctionCall>();
                CollectAggregates(resolved, inResult);
                if (inResult.Count > 0) walk.FoundAggregate = true;
            }
        }
        if (walk.FoundAggregate) return "aggregate functions are not allowed in the GROUP BY clause";
        return null;
    }

    /// <summary>
    /// The error a subquery of a failing core raises compiled alone (into the program being
    /// thrown away) in the core's scope, or null.
    /// </summary>
    private string? SubqueryError(SelectStatement select, Scope scope)
    {
        try
        {
            CompileSelect(select, scope, (_, _) => { });
            return null;
        }
        catch (TernException e) when (e.Code == ResultCode.Error)
        {
            return e.Message;
        }
    }

    /// <summary>The ON expressions of a FROM clause, nested joins included, in order.</summary>
    private static IEnumerable<Expr> OnTerms(NodeList<FromItem> from)
    {
        foreach (FromItem fi in from)
        {
            if (fi.Source is NestedJoin nj)
            {
                foreach (Expr e in OnTerms(nj.Items)) yield return e;
            }
            if (fi.On != null) yield return fi.On;
        }
    }

    /// <summary>
    /// Looks a name up for the resolution walk: a column of the core's FROM items or of an
    /// enclosing query's, a trigger's OLD/NEW, a result column's alias (outside the result
    /// columns), or TRUE/FALSE; otherwise the message code generation would give.
    /// </summary>
    private (NameLookup, string?) LookupForResolve(ColumnRef c, CoreResolution r, bool aliases)
    {
        try
        {
            if (TryResolve(c, r.Scope).Source != null) return (NameLookup.Found, null);
            if (_triggerSources.Count > 0 && ResolveTriggerColumn(c).Source != null) return (NameLookup.Found, null);
        }
        catch (TernException e) when (e.Code == ResultCode.Error)
        {
            return (NameLookup.Missing, e.Message);
        }
        if (c.Table == null && aliases)
        {
            foreach (ResultItem item in r.Results)
            {
                if (!string.Equals(item.Name, c.Column, StringComparison.OrdinalIgnoreCase)) continue;
                var aggs = new List<FunctionCall>();
                CollectAggregates(item.Expr, aggs);
                return (aggs.Count > 0 ? NameLookup.Unknown : NameLookup.Found, null);
            }
        }
        if (c.Table == null && !c.IsDoubleQuoted
            && (c.Column.Equals("true", StringComparison.OrdinalIgnoreCase) || c.Column.Equals("false", StringComparison.OrdinalIgnoreCase)))
        {
            return (NameLookup.Found, null);
        }
        if (c.Table == null && c.IsDoubleQuoted && DqsInDml) return (NameLookup.Found, null);
        if (c.Table == null && c.IsDoubleQuoted)
            return (NameLookup.Missing, $"no such column: \"{c.Column}\" - should this be a string literal in single-quotes?");
        return (NameLookup.Missing, "no such column: " + (c.Schema != null ? c.Schema + "." : "") + (c.Table != null ? c.Table + "." : "") + c.Column);
    }
}
