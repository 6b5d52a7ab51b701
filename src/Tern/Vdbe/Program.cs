// A compiled statement: the instruction array, how many registers and cursors it needs,
// its result column names and declared types, and the parameters it binds. Programs are
// immutable once built; a VM instance runs one.
namespace Tern.Vdbe;

/// <summary>A compiled statement ready to run.</summary>
internal sealed class Program
{
    public required Instruction[] Instructions { get; init; }
    public required int RegisterCount { get; init; }
    public required int CursorCount { get; init; }
    public required string[] ColumnNames { get; init; }
    public required string?[] DeclaredTypes { get; init; }
    /// <summary>
    /// The table column each result column reads (table name, column name), also through views,
    /// subqueries and CTEs, or null for an expression; empty when not tracked (statements other than SELECT).
    /// </summary>
    public (string Table, string Column)?[] ColumnOrigins { get; init; } = [];
    /// <summary>Named parameters (":a", "@b", "$c", "?5") by index - 1; null for anonymous ones.</summary>
    public required string?[] Parameters { get; init; }
    /// <summary>Whether the statement only reads.</summary>
    public bool ReadOnly { get; init; }
    /// <summary>Whether a statement other than INSERT, UPDATE or DELETE reports the rows it deleted in changes() (DROP TABLE's foreign-key DELETE).</summary>
    public bool CountsChanges { get; init; }
    /// <summary>For EXPLAIN: the program whose listing this statement returns.</summary>
    public Program? Explained { get; init; }
    /// <summary>Whether this is EXPLAIN QUERY PLAN: the rows are <see cref="Explained"/>'s plan notes.</summary>
    public bool ExplainsQueryPlan { get; init; }
    /// <summary>The query plan, in the order the notes were made.</summary>
    public Compiler.PlanNote[] QueryPlan { get; init; } = [];
    /// <summary>
    /// In a shared cache: the tables (root page, whether written, name) the program locks when
    /// its transaction begins; worked out from its cursors the first time it runs there.
    /// </summary>
    public (uint Root, bool Write, string Name)[]? TableLocks { get; set; }
}
