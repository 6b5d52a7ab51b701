// A FOREIGN KEY of a child table: its columns, the parent table and the parent key
// columns (empty: the parent's PRIMARY KEY), the ON DELETE / ON UPDATE actions, and
// whether it is DEFERRABLE INITIALLY DEFERRED.
using Tern.Sql.Ast;

namespace Tern.Schema;

/// <summary>A foreign key constraint.</summary>
internal sealed class ForeignKey
{
    public required int[] ChildColumns { get; init; }
    public required string ParentTable { get; init; }
    public required string[] ParentColumns { get; init; }
    public ForeignKeyActionKind OnDelete { get; init; } = ForeignKeyActionKind.NoAction;
    public ForeignKeyActionKind OnUpdate { get; init; } = ForeignKeyActionKind.NoAction;
    /// <summary>DEFERRABLE INITIALLY DEFERRED: violations are counted for COMMIT, not for the statement's end.</summary>
    public bool IsDeferred { get; init; }
}
