// SELECT: the query statement and the pieces it is made of (WITH, compound operators,
// result columns, FROM items and joins, ORDER BY terms, LIMIT, windows).
//
// A compound is kept flat: the first core, then (operator, core) pairs, left to right
// (SQLite evaluates compounds left-associatively). ORDER BY and LIMIT belong to the
// whole statement: SQLite's grammar lets only the last core carry them.
namespace Tern.Sql.Ast;

/// <summary>Compound operators.</summary>
public enum CompoundOperator
{
    /// <summary>UNION</summary>
    Union,
    /// <summary>UNION ALL</summary>
    UnionAll,
    /// <summary>INTERSECT</summary>
    Intersect,
    /// <summary>EXCEPT</summary>
    Except,
}

/// <summary>ASC / DESC.</summary>
public enum SortOrder
{
    /// <summary>Not written.</summary>
    Unspecified,
    /// <summary>ASC</summary>
    Asc,
    /// <summary>DESC</summary>
    Desc,
}

/// <summary>NULLS FIRST / NULLS LAST.</summary>
public enum NullsOrder
{
    /// <summary>Not written.</summary>
    Unspecified,
    /// <summary>NULLS FIRST</summary>
    First,
    /// <summary>NULLS LAST</summary>
    Last,
}

/// <summary>A CTE's materialization hint.</summary>
public enum Materialization
{
    /// <summary>No hint.</summary>
    Default,
    /// <summary>AS MATERIALIZED</summary>
    Materialized,
    /// <summary>AS NOT MATERIALIZED</summary>
    NotMaterialized,
}

/// <summary>Join flags, as SQLite computes them from the join keywords.</summary>
[Flags]
public enum JoinType
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>Inner join (also set for a plain JOIN and a comma).</summary>
    Inner = 1,
    /// <summary>CROSS JOIN.</summary>
    Cross = 2,
    /// <summary>NATURAL.</summary>
    Natural = 4,
    /// <summary>LEFT (with Right: FULL).</summary>
    Left = 8,
    /// <summary>RIGHT (with Left: FULL).</summary>
    Right = 16,
    /// <summary>An outer join.</summary>
    Outer = 32,
    /// <summary>Written as a comma.</summary>
    Comma = 64,
}

/// <summary>Frame units.</summary>
public enum FrameUnit
{
    /// <summary>RANGE</summary>
    Range,
    /// <summary>ROWS</summary>
    Rows,
    /// <summary>GROUPS</summary>
    Groups,
}

/// <summary>Frame boundary kinds.</summary>
public enum FrameBoundKind
{
    /// <summary>UNBOUNDED PRECEDING</summary>
    UnboundedPreceding,
    /// <summary>expr PRECEDING</summary>
    Preceding,
    /// <summary>CURRENT ROW</summary>
    CurrentRow,
    /// <summary>expr FOLLOWING</summary>
    Following,
    /// <summary>UNBOUNDED FOLLOWING</summary>
    UnboundedFollowing,
}

/// <summary>The EXCLUDE clause of a frame.</summary>
public enum FrameExclude
{
    /// <summary>Not written.</summary>
    None,
    /// <summary>EXCLUDE NO OTHERS</summary>
    NoOthers,
    /// <summary>EXCLUDE CURRENT ROW</summary>
    CurrentRow,
    /// <summary>EXCLUDE GROUP</summary>
    Group,
    /// <summary>EXCLUDE TIES</summary>
    Ties,
}

/// <summary>A SELECT statement (also used for subqueries, views and INSERT sources).</summary>
/// <param name="With">The WITH clause, or null.</param>
/// <param name="First">The first (or only) core.</param>
/// <param name="Compounds">Further cores joined by compound operators.</param>
/// <param name="OrderBy">ORDER BY of the whole statement.</param>
/// <param name="Limit">LIMIT of the whole statement, or null.</param>
public sealed record SelectStatement(
    WithClause? With, SelectCore First, NodeList<CompoundPart> Compounds,
    NodeList<OrderingTerm> OrderBy, LimitClause? Limit) : Statement;

/// <summary>One compound step: an operator and the core to its right.</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Select">The right-hand core.</param>
public sealed record CompoundPart(CompoundOperator Operator, SelectCore Select) : SqlNode;

/// <summary>A simple SELECT or a VALUES list.</summary>
public abstract record SelectCore : SqlNode;

/// <summary><c>SELECT [DISTINCT] columns [FROM ...] [WHERE ...] [GROUP BY ...] [HAVING ...] [WINDOW ...]</c>.</summary>
/// <param name="Distinct">True for SELECT DISTINCT.</param>
/// <param name="Columns">Result columns.</param>
/// <param name="From">FROM items (empty when there is no FROM).</param>
/// <param name="Where">WHERE, or null.</param>
/// <param name="GroupBy">GROUP BY terms.</param>
/// <param name="Having">HAVING, or null.</param>
/// <param name="Windows">WINDOW definitions.</param>
public sealed record SelectClause(
    bool Distinct, NodeList<ResultColumn> Columns, NodeList<FromItem> From, Expr? Where,
    NodeList<Expr> GroupBy, Expr? Having, NodeList<WindowDefinition> Windows) : SelectCore;

/// <summary><c>VALUES (...), (...)</c>.</summary>
/// <param name="Rows">The rows.</param>
public sealed record ValuesClause(NodeList<NodeList<Expr>> Rows) : SelectCore;

/// <summary>A result column.</summary>
public abstract record ResultColumn : SqlNode;

/// <summary><c>expr [[AS] alias]</c>.</summary>
/// <param name="Expr">The expression.</param>
/// <param name="Alias">The alias, or null.</param>
public sealed record ExprColumn(Expr Expr, string? Alias) : ResultColumn;

/// <summary><c>*</c>.</summary>
public sealed record StarColumn : ResultColumn;

/// <summary><c>table.*</c>.</summary>
/// <param name="Table">The table name.</param>
public sealed record TableStarColumn(string Table) : ResultColumn;

/// <summary>One item of a FROM clause and how it joins to the items before it.</summary>
/// <param name="Join">Join flags to the previous item (None for the first).</param>
/// <param name="Source">The table, subquery, function or nested join.</param>
/// <param name="On">ON expression, or null.</param>
/// <param name="Using">USING columns (empty when none).</param>
public sealed record FromItem(JoinType Join, TableSource Source, Expr? On, NodeList<string> Using) : SqlNode;

/// <summary>Something a FROM item reads from.</summary>
public abstract record TableSource : SqlNode
{
    /// <summary>The alias, or null.</summary>
    public abstract string? Alias { get; }
}

/// <summary><c>[schema.]table [[AS] alias] [INDEXED BY idx | NOT INDEXED]</c>.</summary>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Name">Table name.</param>
/// <param name="Alias">Alias, or null.</param>
/// <param name="IndexedBy">INDEXED BY index name, or null.</param>
/// <param name="NotIndexed">True for NOT INDEXED.</param>
public sealed record NamedTable(string? Schema, string Name, string? Alias, string? IndexedBy = null, bool NotIndexed = false) : TableSource
{
    /// <inheritdoc/>
    public override string? Alias { get; } = Alias;
}

/// <summary>A table-valued function <c>[schema.]f(args) [[AS] alias]</c>.</summary>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Name">Function name.</param>
/// <param name="Arguments">Arguments.</param>
/// <param name="Alias">Alias, or null.</param>
public sealed record TableFunction(string? Schema, string Name, NodeList<Expr> Arguments, string? Alias) : TableSource
{
    /// <inheritdoc/>
    public override string? Alias { get; } = Alias;
}

/// <summary><c>(SELECT ...) [[AS] alias]</c>.</summary>
/// <param name="Select">The subquery.</param>
/// <param name="Alias">Alias, or null.</param>
public sealed record SubquerySource(SelectStatement Select, string? Alias) : TableSource
{
    /// <inheritdoc/>
    public override string? Alias { get; } = Alias;
}

/// <summary>A parenthesized FROM list <c>(a JOIN b ...) [[AS] alias]</c>.</summary>
/// <param name="Items">The nested items.</param>
/// <param name="Alias">Alias, or null.</param>
public sealed record NestedJoin(NodeList<FromItem> Items, string? Alias) : TableSource
{
    /// <inheritdoc/>
    public override string? Alias { get; } = Alias;
}

/// <summary><c>WITH [RECURSIVE] cte, ...</c>.</summary>
/// <param name="Recursive">True for WITH RECURSIVE.</param>
/// <param name="Tables">The common table expressions.</param>
public sealed record WithClause(bool Recursive, NodeList<CommonTableExpression> Tables) : SqlNode;

/// <summary><c>name [(columns)] AS [[NOT] MATERIALIZED] (select)</c>.</summary>
/// <param name="Name">The CTE name.</param>
/// <param name="Columns">Column names (empty when none).</param>
/// <param name="Materialized">The materialization hint.</param>
/// <param name="Select">The query.</param>
public sealed record CommonTableExpression(string Name, NodeList<string> Columns, Materialization Materialized, SelectStatement Select) : SqlNode;

/// <summary>An ORDER BY term (also index columns and upsert targets).</summary>
/// <param name="Expr">The expression (COLLATE, if any, is part of it).</param>
/// <param name="Order">ASC/DESC.</param>
/// <param name="Nulls">NULLS FIRST/LAST.</param>
public sealed record OrderingTerm(Expr Expr, SortOrder Order = SortOrder.Unspecified, NullsOrder Nulls = NullsOrder.Unspecified) : SqlNode;

/// <summary>LIMIT and OFFSET (<c>LIMIT a, b</c> is stored as Limit = b, Offset = a).</summary>
/// <param name="Limit">The limit.</param>
/// <param name="Offset">The offset, or null.</param>
public sealed record LimitClause(Expr Limit, Expr? Offset) : SqlNode;

/// <summary><c>name AS (window)</c> in a WINDOW clause.</summary>
/// <param name="Name">The window name.</param>
/// <param name="Window">The definition.</param>
public sealed record WindowDefinition(string Name, WindowSpec Window) : SqlNode;

/// <summary>A window: <c>[base] [PARTITION BY ...] [ORDER BY ...] [frame]</c>.</summary>
/// <param name="BaseName">Name of the window this one extends, or null.</param>
/// <param name="PartitionBy">PARTITION BY terms.</param>
/// <param name="OrderBy">ORDER BY terms.</param>
/// <param name="Frame">The frame, or null for the default.</param>
public sealed record WindowSpec(string? BaseName, NodeList<Expr> PartitionBy, NodeList<OrderingTerm> OrderBy, FrameSpec? Frame) : SqlNode;

/// <summary><c>RANGE|ROWS|GROUPS start</c> or <c>... BETWEEN start AND end</c>, with EXCLUDE.</summary>
/// <param name="Unit">The unit.</param>
/// <param name="StartBound">The start bound.</param>
/// <param name="EndBound">The end bound (null when BETWEEN was not used: CURRENT ROW).</param>
/// <param name="Exclude">The EXCLUDE clause.</param>
public sealed record FrameSpec(FrameUnit Unit, FrameBound StartBound, FrameBound? EndBound, FrameExclude Exclude) : SqlNode;

/// <summary>A frame bound.</summary>
/// <param name="Kind">The bound kind.</param>
/// <param name="Offset">The offset for <c>expr PRECEDING/FOLLOWING</c>.</param>
public sealed record FrameBound(FrameBoundKind Kind, Expr? Offset) : SqlNode;
