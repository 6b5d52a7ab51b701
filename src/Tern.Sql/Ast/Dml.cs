// INSERT, UPDATE and DELETE, with the clauses they share: the target table, SET
// assignments, the upsert (ON CONFLICT) clauses and RETURNING.
namespace Tern.Sql.Ast;

/// <summary>Conflict resolution algorithms (<c>OR ...</c>, <c>ON CONFLICT ...</c>).</summary>
public enum ConflictResolution
{
    /// <summary>Not written (the default, ABORT).</summary>
    Default,
    /// <summary>ROLLBACK</summary>
    Rollback,
    /// <summary>ABORT</summary>
    Abort,
    /// <summary>FAIL</summary>
    Fail,
    /// <summary>IGNORE</summary>
    Ignore,
    /// <summary>REPLACE</summary>
    Replace,
}

/// <summary>The table an INSERT, UPDATE or DELETE writes: <c>[schema.]name [AS alias] [INDEXED BY i | NOT INDEXED]</c>.</summary>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Name">Table name.</param>
/// <param name="Alias">Alias, or null.</param>
/// <param name="IndexedBy">INDEXED BY index, or null.</param>
/// <param name="NotIndexed">True for NOT INDEXED.</param>
public sealed record QualifiedTableName(string? Schema, string Name, string? Alias, string? IndexedBy = null, bool NotIndexed = false) : SqlNode;

/// <summary><c>column = expr</c> or <c>(c1, c2) = expr</c>.</summary>
/// <param name="Columns">The column(s).</param>
/// <param name="IsRow">True for the parenthesized form.</param>
/// <param name="Value">The value.</param>
public sealed record SetClause(NodeList<string> Columns, bool IsRow, Expr Value) : SqlNode;

/// <summary><c>ON CONFLICT [(target) [WHERE ...]] DO NOTHING | DO UPDATE SET ... [WHERE ...]</c>.</summary>
/// <param name="Target">Conflict target terms (empty when none).</param>
/// <param name="TargetWhere">WHERE of the target, or null.</param>
/// <param name="DoNothing">True for DO NOTHING.</param>
/// <param name="Set">DO UPDATE assignments.</param>
/// <param name="Where">DO UPDATE's WHERE, or null.</param>
public sealed record UpsertClause(NodeList<OrderingTerm> Target, Expr? TargetWhere, bool DoNothing, NodeList<SetClause> Set, Expr? Where) : SqlNode;

/// <summary>INSERT or REPLACE.</summary>
/// <param name="With">WITH clause, or null.</param>
/// <param name="OrConflict">The OR algorithm (REPLACE INTO is Replace).</param>
/// <param name="Table">The target.</param>
/// <param name="Columns">Column list (empty when none).</param>
/// <param name="Source">The rows: a SELECT or VALUES; null for DEFAULT VALUES.</param>
/// <param name="Upserts">ON CONFLICT clauses.</param>
/// <param name="Returning">RETURNING columns.</param>
public sealed record InsertStatement(
    WithClause? With, ConflictResolution OrConflict, QualifiedTableName Table, NodeList<string> Columns,
    SelectStatement? Source, NodeList<UpsertClause> Upserts, NodeList<ResultColumn> Returning) : Statement;

/// <summary>UPDATE.</summary>
/// <param name="With">WITH clause, or null.</param>
/// <param name="OrConflict">The OR algorithm.</param>
/// <param name="Table">The target.</param>
/// <param name="Set">Assignments.</param>
/// <param name="From">FROM items (empty when none).</param>
/// <param name="Where">WHERE, or null.</param>
/// <param name="Returning">RETURNING columns.</param>
/// <param name="OrderBy">ORDER BY (only with SqlParserOptions.AllowUpdateDeleteLimit).</param>
/// <param name="Limit">LIMIT (only with SqlParserOptions.AllowUpdateDeleteLimit).</param>
public sealed record UpdateStatement(
    WithClause? With, ConflictResolution OrConflict, QualifiedTableName Table, NodeList<SetClause> Set,
    NodeList<FromItem> From, Expr? Where, NodeList<ResultColumn> Returning,
    NodeList<OrderingTerm> OrderBy, LimitClause? Limit) : Statement;

/// <summary>DELETE.</summary>
/// <param name="With">WITH clause, or null.</param>
/// <param name="Table">The target.</param>
/// <param name="Where">WHERE, or null.</param>
/// <param name="Returning">RETURNING columns.</param>
/// <param name="OrderBy">ORDER BY (only with SqlParserOptions.AllowUpdateDeleteLimit).</param>
/// <param name="Limit">LIMIT (only with SqlParserOptions.AllowUpdateDeleteLimit).</param>
public sealed record DeleteStatement(
    WithClause? With, QualifiedTableName Table, Expr? Where, NodeList<ResultColumn> Returning,
    NodeList<OrderingTerm> OrderBy, LimitClause? Limit) : Statement;
