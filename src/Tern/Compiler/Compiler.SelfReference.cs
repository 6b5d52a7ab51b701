// Name resolution of the expressions a table or index carries in its definition: CHECK
// constraints, generated columns, index key expressions and partial-index WHERE clauses.
// They name columns of one table only, and CREATE TABLE / CREATE INDEX (and the schema
// loader, for a definition read from a file) refuse them as SQLite's resolver does:
//
//   what the expression holds        CHECK   generated   index expr   partial WHERE
//   unknown column                   error   error       error        error
//   T.col with T the table           ok      "." error   "." error    ok
//   rowid / oid / _rowid_            ok      error       error        ok
//   subquery, parameter              error   error       error        error
//   random(), CURRENT_TIME, ...      ok      error       error        error
//   aggregate / window function      error   error       error        error
//
// The walk follows SQLite's order and its way of keeping only the last message: a node is
// checked before its operands, and an error stops the walk at the next node visited,
// except that a function call records its own error and then still visits its first
// argument, whose error (say an unknown column) replaces the function's. A TRUE or FALSE
// that names no column is the keyword. Unknown functions pass while a schema is loaded
// (SQLite cannot know then which functions the application registers).
using System.Diagnostics;
using System.Text;
using Tern.Functions;
using Tern.Schema;
using Tern.Sql.Ast;
using Tern.Sql.Lexer;
using Tern.Vdbe;

namespace Tern.Compiler;

/// <summary>Where an expression stands in a table or index definition.</summary>
internal enum SelfReferenceKind
{
    /// <summary>A CHECK constraint.</summary>
    Check,

    /// <summary>A generated column's expression.</summary>
    GeneratedColumn,

    /// <summary>An expression key of an index.</summary>
    IndexExpression,

    /// <summary>The WHERE clause of a partial index.</summary>
    PartialIndex,
}

internal sealed partial class CodeGenerator
{
    /// <summary>
    /// Resolves a new or loaded table's CHECK constraints (in declaration order) and then
    /// its generated columns, as SQLite does when a CREATE TABLE ends; throws SQLite's error
    /// for the first that fails. <paramref name="sql"/> is the text the AST's offsets point
    /// into (for operator spellings in messages), if known.
    /// </summary>
    internal static void ResolveTableDefinition(Table t, byte[]? sql, bool loading, bool dqs = false)
    {
        foreach ((string? _, Expr e) in t.Checks) ResolveSelfReference(t, e, SelfReferenceKind.Check, sql, loading, dqs);
        foreach (Column c in t.Columns)
        {
            if (c.Generated is { } g) ResolveSelfReference(t, g, SelfReferenceKind.GeneratedColumn, sql, loading, dqs);
        }
        if (t.HasGenerated) GeneratedOrder(t);
    }

    /// <summary>
    /// Resolves one definition expression of <paramref name="t"/>; throws SQLite's error when it
    /// fails. A double-quoted name that names no column is a string while loading (SQLite's
    /// loader always allows it) or with <paramref name="dqs"/> (the DQS_DDL switch).
    /// </summary>
    internal static void ResolveSelfReference(Table t, Expr e, SelfReferenceKind kind, byte[]? sql, bool loading, bool dqs = false)
    {
        var walk = new ResolveWalk(t, kind, null, sql, loading) { DoubleQuotedStrings = loading || dqs };
        walk.Visit(e);
        if (walk.Error != null) throw new TernException(ResultCode.Error, walk.Error);
    }

    /// <summary>What looking a name up in a SELECT found.</summary>
    private enum NameLookup
    {
        /// <summary>The name resolves.</summary>
        Found,

        /// <summary>It names nothing (the walk records SQLite's message).</summary>
        Missing,

        /// <summary>The walk cannot tell what SQLite would do here and gives up.</summary>
        Unknown,
    }

    /// <summary>
    /// One resolution walk over expressions, after SQLite's resolveExprStep: the message SQLite
    /// would be left holding, if any. In a table or index definition (<c>kind</c> set) names
    /// are the table's columns; in a SELECT's clause a lookup function answers, and the walk
    /// gives up (<see cref="Abandoned"/>) where it cannot follow SQLite: subqueries, window
    /// functions, ordered aggregates.
    /// </summary>
    private sealed class ResolveWalk(Table? table, SelfReferenceKind? kind, Func<ColumnRef, (NameLookup, string?)>? lookup, byte[]? sql, bool loading)
    {
        public string? Error { get; set; }

        /// <summary>The walk met something it does not follow; <see cref="Error"/> means nothing then.</summary>
        public bool Abandoned { get; private set; }

        /// <summary>Whether a double-quoted name that names no column is a string literal (SQLite's DQS).</summary>
        public bool DoubleQuotedStrings { get; init; }

        /// <summary>Whether aggregate functions may stand here (SQLite's NC_AllowAgg).</summary>
        public bool AllowAggregates { get; set; }

        /// <summary>Whether an aggregate call was accepted since this was last cleared.</summary>
        public bool FoundAggregate { get; set; }

        /// <summary>
        /// In a SELECT's clause, resolves a subquery as SQLite does when its walk meets one (the
        /// subquery whole, at once): its error, or null; without it the walk gives up there.
        /// </summary>
        public Func<SelectStatement, string?>? Subquery { get; init; }

        private string Where => kind switch
        {
            SelfReferenceKind.Check => "CHECK constraints",
            SelfReferenceKind.GeneratedColumn => "generated columns",
            SelfReferenceKind.IndexExpression => "index expressions",
            _ => "partial index WHERE clauses",
        };

        /// <summary>
        /// Visits a node; false stops the walk. A name is looked up even after an error (a
        /// failed lookup replaces the message and stops the walk, a good one lets it go on); a
        /// function call checks itself and its arguments and lets the walk go on; any other
        /// node stops a walk that holds an error.
        /// </summary>
        public bool Visit(Expr e)
        {
            if (Abandoned) return false;
            switch (e)
            {
                case ColumnRef c:
                    return Column(c);
                case ParameterExpr:
                    if (kind == null) return Error == null;
                    Error = $"parameters prohibited in {Where}";
                    return false;
                case SubqueryExpr or ExistsExpr or InSelectExpr or InTableExpr:
                    if (kind == null)
                    {
                        if (Subquery == null)
                        {
                            Abandoned = true;
                            return false;
                        }
                        return SubqueryStep(e);
                    }
                    Error = $"subqueries prohibited in {Where}";
                    return false;
                case Literal { Kind: LiteralKind.CurrentTime or LiteralKind.CurrentDate or LiteralKind.CurrentTimestamp }:
                    // CURRENT_TIME and friends are function calls in SQLite.
                    if (kind is { } k && k != SelfReferenceKind.Check) Error = $"non-deterministic functions prohibited in {Where}";
                    return true;
                case FunctionCall f:
                    Function(f);
                    return !Abandoned;
                case LikeExpr like:
                    Like(like);
                    return !Abandoned;
            }
            if (Error != null) return false;
            // Operands left to right, as SQLite's walker visits them (calls, LIKE and
            // subqueries are handled above).
            foreach (Expr child in ExprChildren(e))
            {
                if (!Visit(child)) return false;
            }
            return true;
        }

        /// <summary>
        /// A subquery. SQLite resolves an IN's subquery when it meets the IN, before the left
        /// operand (which it skips when the subquery fails); a table after IN was looked up
        /// while expanding.
        /// </summary>
        private bool SubqueryStep(Expr e)
        {
            if (Error != null) return false;
            switch (e)
            {
                case InTableExpr it:
                    return Visit(it.Operand);
                case InSelectExpr ins:
                    Error = Subquery!(ins.Select);
                    return Error == null && Visit(ins.Operand);
            }
            Error = Subquery!(e is SubqueryExpr sq ? sq.Select : ((ExistsExpr)e).Select);
            return Error == null;
        }

        /// <summary>Looks a name up; false (with the message recorded) when it names nothing.</summary>
        private bool Column(ColumnRef c)
        {
            if (lookup != null)
            {
                (NameLookup answer, string? message) = lookup(c);
                if (answer == NameLookup.Unknown) Abandoned = true;
                else if (answer == NameLookup.Missing) Error = message;
                return answer == NameLookup.Found;
            }
            Debug.Assert(table != null);
            if (c.Table == null)
            {
                if (table.FindColumn(c.Column) >= 0) return true;
                if (IsRowidName(c.Column) && !table.WithoutRowid && kind is SelfReferenceKind.Check or SelfReferenceKind.PartialIndex) return true;
                if (!c.IsDoubleQuoted && (c.Column.Equals("true", StringComparison.OrdinalIgnoreCase) || c.Column.Equals("false", StringComparison.OrdinalIgnoreCase))) return true;
                if (c.IsDoubleQuoted && DoubleQuotedStrings) return true;
                Error = c.IsDoubleQuoted
                    ? $"no such column: \"{c.Column}\" - should this be a string literal in single-quotes?"
                    : "no such column: " + c.Column;
                return false;
            }
            bool ownTable = c.Table.Equals(table.Name, StringComparison.OrdinalIgnoreCase)
                && (c.Schema == null || c.Schema.Equals("main", StringComparison.OrdinalIgnoreCase));
            bool found = ownTable && (table.FindColumn(c.Column) >= 0
                || (IsRowidName(c.Column) && !table.WithoutRowid && kind is SelfReferenceKind.Check or SelfReferenceKind.PartialIndex));
            if (!found)
            {
                // CHECK and partial-index messages leave the schema name out; the others keep it.
                string schema = c.Schema != null && kind is SelfReferenceKind.GeneratedColumn or SelfReferenceKind.IndexExpression ? c.Schema + "." : "";
                Error = $"no such column: {schema}{c.Table}.{c.Column}";
                return false;
            }
            if (kind is SelfReferenceKind.Check or SelfReferenceKind.PartialIndex) return true;
            Error = $"the \".\" operator prohibited in {Where}";
            return false;
        }

        /// <summary>
        /// A function call: its own error (non-deterministic, window misuse, aggregate, unknown,
        /// argument count, FILTER), then its arguments, the first of which may replace it; an
        /// accepted aggregate's arguments may not hold aggregates, and its FILTER is walked last.
        /// </summary>
        private void Function(FunctionCall f)
        {
            string? own = null;
            int n = f.Star ? 0 : f.Arguments.Count;
            string lower = f.Name.ToLowerInvariant();
            bool aggregate = false;
            if (kind == null && (f.Over != null || !f.OrderBy.IsEmpty))
            {
                Abandoned = true;
                return;
            }
            if (IsInlineConditional(f))
            {
                if (n < 2) own = $"wrong number of arguments to function {f.Name}()";
            }
            else if (WindowOnlyFunctions.Contains(lower))
            {
                own = $"misuse of window function {f.Name}()";
            }
            else
            {
                FunctionDef? def = FunctionCatalog.Find(f.Name, n, out bool wrongCount);
                if (def != null)
                {
                    if (lower == "likelihood"
                        && !(f.Arguments[1] is Literal { Kind: LiteralKind.Float } p && NumericText.ParseReal(p.Value) is >= 0.0 and <= 1.0))
                    {
                        own = "second argument to likelihood() must be a constant between 0.0 and 1.0";
                    }
                    if (NonDeterministicFunctions.Contains(lower) && kind is { } k && k != SelfReferenceKind.Check)
                        own = $"non-deterministic functions prohibited in {Where}";
                }
                aggregate = def is AggregateFunction;
                if (def != null && !aggregate && f.Over != null) own = $"{f.Name}() may not be used as a window function";
                else if (aggregate && (kind != null || !AllowAggregates))
                {
                    own = $"misuse of {(f.Over != null ? "window" : "aggregate")} function {f.Name}()";
                    aggregate = false;
                }
                else if (def == null && !wrongCount && !loading) own = "no such function: " + f.Name;
                else if (wrongCount) own = $"wrong number of arguments to function {f.Name}()";
                else if (def != null && !aggregate && f.Filter != null) own = $"FILTER may not be used with non-aggregate {f.Name}()";
            }
            if (own != null) Error = own;
            bool saved = AllowAggregates;
            if (aggregate)
            {
                FoundAggregate = true;
                AllowAggregates = false;
            }
            try
            {
                foreach (Expr arg in f.Arguments)
                {
                    if (!Visit(arg)) break;
                }
                if (aggregate && f.Filter != null && !Abandoned) Visit(f.Filter);
            }
            finally
            {
                AllowAggregates = saved;
            }
        }

        /// <summary>LIKE/GLOB: the function like() or glob() with the pattern first.</summary>
        private void Like(LikeExpr like)
        {
            string? own = null;
            if (like.Operator is not (LikeOperator.Like or LikeOperator.Glob))
            {
                if (!loading) own = "no such function: " + like.Operator.ToString().ToUpperInvariant();
            }
            else if (like.Operator == LikeOperator.Glob && like.Escape != null)
            {
                own = $"wrong number of arguments to function {LikeOperatorText(sql, like, "glob")}()";
            }
            if (own != null) Error = own;
            if (!Visit(like.Pattern)) return;
            if (!Visit(like.Left)) return;
            if (like.Escape != null) Visit(like.Escape);
        }
    }

    /// <summary>The LIKE/GLOB keyword as <paramref name="sql"/> spells it, else <paramref name="fallback"/> in capitals.</summary>
    private static string LikeOperatorText(byte[]? sql, LikeExpr like, string fallback)
    {
        int pos = like.Left.End, end = like.Pattern.Start;
        if (sql == null || pos < 0 || end > sql.Length || pos >= end) return fallback.ToUpperInvariant();
        while (pos < end)
        {
            Token tk = SqlLexer.Next(sql, pos);
            if (tk.Length <= 0) break;
            if (tk.Kind is TokenKind.Like or TokenKind.Glob) return Encoding.UTF8.GetString(sql, tk.Start, tk.Length);
            pos = tk.End;
        }
        return fallback.ToUpperInvariant();
    }
}
