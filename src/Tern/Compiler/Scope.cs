// Name resolution context for expressions: the FROM sources visible at this point (each a
// table read through a cursor, under its alias), the enclosing query's scope for
// correlated subqueries, and the registers that stand in for whole expressions once
// rows have been aggregated (aggregate calls and bare columns of a GROUP BY query).
using Tern.Sql.Ast;

namespace Tern.Compiler;

/// <summary>A FROM item bound to a cursor.</summary>
internal sealed class Source
{
    public required Schema.Table Table { get; init; }
    public required int Cursor { get; init; }
    public required string Name { get; init; }
    /// <summary>When the rows come from a pseudo/ephemeral cursor with columns laid out like the table.</summary>
    public bool Materialized { get; init; }
    /// <summary>
    /// A subquery, view or CTE whose REAL-affinity columns read a stored integer back as an
    /// integer marked real (SQLite passes such values through a flattened or co-routine
    /// subquery unchanged; Tern materializes it, and the record holds the integer).
    /// </summary>
    public bool RestoresIntReal { get; init; }
    /// <summary>Names of the columns when the source is a subquery, else null.</summary>
    public string[]? ColumnNames { get; init; }
    /// <summary>Columns joined with USING/NATURAL: left out of * and of unqualified names here.</summary>
    public HashSet<string> UsingColumns { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>NOT INDEXED: the table is read only through itself.</summary>
    public bool NotIndexed { get; init; }
    /// <summary>INDEXED BY: the only index the table may be read through, or null.</summary>
    public string? IndexedBy { get; init; }
    /// <summary>
    /// A recursive CTE streamed as the outermost loop: the loop takes its rows from the CTE's
    /// queue and runs the recursive step after each (null otherwise).
    /// </summary>
    public CodeGenerator.RecursiveLoop? Recursive { get; init; }
    /// <summary>
    /// A FROM item of a flattened subquery or view: no loop of its own, but reachable only
    /// through qualified references that the flattening wrote (never by the outer query's names).
    /// </summary>
    public bool Hidden { get; init; }
    /// <summary>
    /// For a materialized subquery or view: the subroutine (label, return register) that fills
    /// its list the first time the loop reaches it (null: filled where it was added).
    /// </summary>
    public (int Label, int Return)? Fill { get; init; }
    /// <summary>A <see cref="Fill"/> that names columns of an enclosing query: run each time the loop reaches the source.</summary>
    public bool FillEveryTime { get; init; }
    /// <summary>For a later reference to a CTE materialized once: the cursor holding its rows, which this one's cursor duplicates (-1 otherwise).</summary>
    public int DupOf { get; init; } = -1;
    /// <summary>For a row held in registers (OLD/NEW): the column that holds the table's INTEGER PRIMARY KEY, -1 when none.</summary>
    public int RowidAliasColumn { get; init; } = -1;
    /// <summary>The name EXPLAIN QUERY PLAN shows, when it differs from <see cref="Name"/> (hidden sources).</summary>
    public string? PlanName { get; init; }
    /// <summary>
    /// For a flattened subquery or view: the expression each column stands for, written over
    /// the hidden sources (the source itself has no cursor and no loop); else null.
    /// </summary>
    public Expr[]? Flattened { get; init; }
    /// <summary>
    /// For a flattened subquery on the right of a LEFT JOIN: its table, whose NULL row makes
    /// every column NULL (SQLite's TK_IF_NULL_ROW), so every column depends on it; else null.
    /// </summary>
    public Source? NullRowSource { get; init; }
    /// <summary>For a table-valued function read at run time: the function and its arguments; else null.</summary>
    public TableFunctionSource? Function { get; init; }
    /// <summary>A table-valued function (run at run time or compiled): it has a rowid, its plan line says VIRTUAL TABLE.</summary>
    public bool VirtualTable { get; init; }
    /// <summary>
    /// Names of a USING/NATURAL join that <c>*</c> leaves out of this source (its own join's
    /// USING names: the copy of the table on the right).
    /// </summary>
    public HashSet<string> StarOmits { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>
    /// Columns that <c>*</c> writes as the bare name, resolved as an unqualified reference
    /// (a column on the left of a RIGHT or FULL join that a later USING names).
    /// </summary>
    public HashSet<string> StarBare { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>How this source was joined to the ones before it (its FROM item's join flags).</summary>
    public JoinType Join { get; set; }
    /// <summary>The USING names of this source's join (NATURAL: the common columns), or null.</summary>
    public List<string>? UsingNames { get; set; }
    /// <summary>
    /// A source of no loop standing for the coalesced columns of a FULL JOIN ... USING: its
    /// columns are reached only by unqualified names (see <see cref="Flattened"/>).
    /// </summary>
    public bool UsingOnly { get; init; }
}

/// <summary>Expression scope.</summary>
internal sealed class Scope
{
    public List<Source> Sources { get; } = [];
    public Scope? Outer { get; init; }
    /// <summary>Expressions already computed into a register (aggregation output phase).</summary>
    public Dictionary<Expr, int>? Overrides { get; set; }
    /// <summary>
    /// In an aggregate query's output phase: the registers holding the current group's value
    /// of a column of this scope's sources, for references that Overrides cannot match by
    /// expression (those inside correlated subqueries).
    /// </summary>
    public Dictionary<(Source Source, int Column), int>? ColumnRegisters { get; set; }
    /// <summary>Whether the query sorts its rows (GROUP BY, ORDER BY, DISTINCT, windows): its scans stay table scans.</summary>
    public bool SortsRows { get; set; }
    /// <summary>Whether aggregate functions may appear (in result columns, HAVING, ORDER BY of an aggregate query).</summary>
    public bool AggregatesAllowed { get; set; }
    /// <summary>ON terms of LEFT JOINs, by reference, with the FROM level they belong to.</summary>
    public Dictionary<Expr, int> LeftJoinOn { get; } = new(ReferenceEqualityComparer.Instance);
    /// <summary>The FROM levels that are the right side of a LEFT JOIN (or of a FULL JOIN).</summary>
    public HashSet<int> LeftLevels { get; } = [];
    /// <summary>
    /// The FROM levels that are the right side of a RIGHT or FULL JOIN: their rows that no row
    /// of the levels before them matched are produced again at the end, those levels NULL.
    /// Their ON terms are in <see cref="LeftJoinOn"/> under the level.
    /// </summary>
    public HashSet<int> RightLevels { get; } = [];
    /// <summary>
    /// ON and USING terms of inner joins, with the level of the table joined: on the left of a
    /// RIGHT JOIN they are tested once that level is reached, while WHERE terms wait until the
    /// RIGHT JOIN's NULL rows are made.
    /// </summary>
    public Dictionary<Expr, int> InnerJoinOn { get; } = new(ReferenceEqualityComparer.Instance);
    /// <summary>Whether a RIGHT or FULL join is among the sources (the loops keep the FROM order).</summary>
    public bool HasRightJoin => RightLevels.Count > 0;
    /// <summary>
    /// The scope of a table's or index's own expressions (CHECK, generated columns, index keys,
    /// partial-index WHERE): they were accepted when the schema was made or read, so a
    /// double-quoted name there that names no column is a string, whatever the DML setting.
    /// </summary>
    public bool Definition { get; init; }
}
