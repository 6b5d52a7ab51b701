// The root of the syntax tree. Every node is an immutable record that knows the byte
// span of SQL it came from (Start, End: offsets into the UTF-8 input).
//
// Equality: two nodes are equal when they have the same type and equal contents;
// positions are NOT part of equality (so a statement parsed from printed SQL equals
// the one parsed from the original). This base record defines Equals/GetHashCode to
// ignore its own fields (Start, End and the parser's bookkeeping); every derived record
// gets C#'s synthesized member-wise equality on top, and lists are NodeList<T>, which
// compares element-wise.
namespace Tern.Sql.Ast;

/// <summary>A node of the SQL syntax tree.</summary>
public abstract record SqlNode
{
    /// <summary>Byte offset in the UTF-8 input where the node's text starts.</summary>
    public int Start { get; init; }

    /// <summary>Byte offset in the UTF-8 input just past the node's text.</summary>
    public int End { get; init; }

    /// <summary>
    /// For expressions (and LIMIT clauses), the height SQLite's parser gives the node,
    /// which its depth limit (1000) is checked against; SQLite's name resolution checks
    /// the limit again on these heights. 0 for other nodes. Not part of equality.
    /// </summary>
    public int Height { get; internal init; }

    /// <summary>Equality that ignores positions: same node type (derived records add their members).</summary>
    public virtual bool Equals(SqlNode? other) =>
        other is not null && EqualityContract == other.EqualityContract;

    /// <inheritdoc/>
    public override int GetHashCode() => EqualityContract.GetHashCode();
}

/// <summary>A complete SQL statement.</summary>
public abstract record Statement : SqlNode;

/// <summary>An expression.</summary>
public abstract record Expr : SqlNode;
