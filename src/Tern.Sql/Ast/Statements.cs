// The remaining statements: transactions and savepoints, PRAGMA, ATTACH/DETACH,
// VACUUM, ANALYZE, REINDEX and EXPLAIN.
namespace Tern.Sql.Ast;

/// <summary>BEGIN's transaction kind.</summary>
public enum TransactionKind
{
    /// <summary>Not written (DEFERRED).</summary>
    Unspecified,
    /// <summary>DEFERRED</summary>
    Deferred,
    /// <summary>IMMEDIATE</summary>
    Immediate,
    /// <summary>EXCLUSIVE</summary>
    Exclusive,
    /// <summary>CONCURRENT (Turso's MVCC extension; only with SqlParserOptions.AllowBeginConcurrent).</summary>
    Concurrent,
}

/// <summary>BEGIN [kind] [TRANSACTION [name]].</summary>
/// <param name="Kind">The transaction kind.</param>
public sealed record BeginStatement(TransactionKind Kind) : Statement;

/// <summary>COMMIT or END [TRANSACTION].</summary>
public sealed record CommitStatement : Statement;

/// <summary>ROLLBACK [TRANSACTION] [TO [SAVEPOINT] name].</summary>
/// <param name="Savepoint">The savepoint rolled back to, or null for the whole transaction.</param>
public sealed record RollbackStatement(string? Savepoint) : Statement;

/// <summary>SAVEPOINT name.</summary>
/// <param name="Name">The savepoint name.</param>
public sealed record SavepointStatement(string Name) : Statement;

/// <summary>RELEASE [SAVEPOINT] name.</summary>
/// <param name="Name">The savepoint name.</param>
public sealed record ReleaseStatement(string Name) : Statement;

/// <summary>How a PRAGMA value was written.</summary>
public enum PragmaValueKind
{
    /// <summary>A number, possibly signed.</summary>
    Number,
    /// <summary>An identifier or keyword (ON, DELETE, DEFAULT, a name).</summary>
    Name,
    /// <summary>A single-quoted string.</summary>
    String,
}

/// <summary>The value of a PRAGMA.</summary>
/// <param name="Kind">How it was written.</param>
/// <param name="Text">Its text, dequoted (numbers keep a leading '-').</param>
public sealed record PragmaValue(PragmaValueKind Kind, string Text) : SqlNode;

/// <summary>PRAGMA [schema.]name [= value | (value)].</summary>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Name">Pragma name.</param>
/// <param name="Value">The value, or null.</param>
public sealed record PragmaStatement(string? Schema, string Name, PragmaValue? Value) : Statement;

/// <summary>ATTACH [DATABASE] file AS name [KEY key].</summary>
/// <param name="File">The file expression.</param>
/// <param name="SchemaName">The schema name expression.</param>
/// <param name="Key">KEY expression, or null.</param>
public sealed record AttachStatement(Expr File, Expr SchemaName, Expr? Key) : Statement;

/// <summary>DETACH [DATABASE] name.</summary>
/// <param name="SchemaName">The schema name expression.</param>
public sealed record DetachStatement(Expr SchemaName) : Statement;

/// <summary>VACUUM [schema] [INTO file].</summary>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Into">INTO expression, or null.</param>
public sealed record VacuumStatement(string? Schema, Expr? Into) : Statement;

/// <summary>ANALYZE [name[.name]].</summary>
/// <param name="Name">The first name (schema, table or index), or null.</param>
/// <param name="SecondName">The name after the dot, or null.</param>
public sealed record AnalyzeStatement(string? Name, string? SecondName) : Statement;

/// <summary>REINDEX [name[.name]].</summary>
/// <param name="Name">The first name (collation, table, index or schema), or null.</param>
/// <param name="SecondName">The name after the dot, or null.</param>
public sealed record ReindexStatement(string? Name, string? SecondName) : Statement;

/// <summary>EXPLAIN [QUERY PLAN] statement.</summary>
/// <param name="QueryPlan">True for EXPLAIN QUERY PLAN.</param>
/// <param name="Statement">The statement explained.</param>
public sealed record ExplainStatement(bool QueryPlan, Statement Statement) : Statement;
