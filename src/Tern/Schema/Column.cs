// A table column as the compiler sees it: name, declared type, affinity, constraints.
using Tern.Sql.Ast;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Schema;

/// <summary>A column of a table.</summary>
internal sealed class Column
{
    public required string Name { get; init; }
    public string? DeclaredType { get; init; }
    public Affinity Affinity { get; init; }
    public bool NotNull { get; set; }
    /// <summary>The NOT NULL constraint's ON CONFLICT clause (Default when it has none).</summary>
    public ConflictResolution NotNullConflict { get; init; }
    public Expr? Default { get; init; }
    public Collation Collation { get; init; }
    /// <summary>In a STRICT table, the storage class a value must have (Null: ANY, no check).</summary>
    public MemKind StrictKind { get; init; }
    /// <summary>Whether this is the INTEGER PRIMARY KEY (an alias of the rowid).</summary>
    public bool IsRowidAlias { get; set; }
    /// <summary>For a column of a view, subquery or CTE: the table column it reads directly, if any.</summary>
    public (string Table, string Column)? Origin { get; init; }
    /// <summary>For a generated column, the expression that computes its value from the row's other columns.</summary>
    public Expr? Generated { get; init; }
    /// <summary>A STORED generated column (its value is in the record); false for VIRTUAL and ordinary columns.</summary>
    public bool IsStored { get; init; }
    /// <summary>A table-valued function's parameter column: named only explicitly, never by * or NATURAL.</summary>
    public bool IsHidden { get; init; }
    /// <summary>The field of the table record that holds this column, or -1 for a VIRTUAL column (not stored).</summary>
    public int StorageIndex { get; set; } = -1;
    /// <summary>Whether this is a generated column (VIRTUAL or STORED).</summary>
    public bool IsGenerated => Generated != null;
    /// <summary>Whether this is a VIRTUAL generated column, computed wherever it is read.</summary>
    public bool IsVirtual => Generated != null && !IsStored;
}
