// The generator's model of the schema it created: tables and views with their columns,
// declared types and collations, so queries name only what exists and know which
// relations share column names (for USING and NATURAL joins).
namespace Tern.Tests.Fuzz;

/// <summary>A column as the generator declared it.</summary>
internal sealed record FuzzColumn(string Name, string Type, string? Collation, bool IsRowidAlias, bool Generated)
{
    /// <summary>
    /// Whether SQLite can turn `column LIKE 'a%'` into a range seek: a rowid alias, the first
    /// key of a NOCASE index, or a view's or FROM subquery's column that reads such a column
    /// bare (flattening puts that column where this one is named).
    /// </summary>
    public bool LikeRange { get; set; }

    /// <summary>Whether the column is a VIRTUAL generated column (computed when read).</summary>
    public bool Virtual { get; init; }
}

/// <summary>A table or view as the generator declared it.</summary>
internal sealed class FuzzRelation(string name, bool isView)
{
    public string Name { get; } = name;
    public bool IsView { get; } = isView;
    public List<FuzzColumn> Columns { get; } = [];

    /// <summary>UNIQUE constraints and unique indexes on the table (a rowid alias not counted).</summary>
    public int UniqueConstraints { get; set; }

    /// <summary>Columns in a UNIQUE constraint, a unique index's keys or the primary key.</summary>
    public HashSet<string> UniqueKeyColumns { get; } = [];

    /// <summary>Whether the table has an UPDATE trigger.</summary>
    public bool HasUpdateTrigger { get; set; }

    /// <summary>Columns that lead a DESC index that is not partial (an INTEGER PRIMARY KEY DESC included: its automatic index is DESC).</summary>
    public HashSet<string> DescIndexLeads { get; } = [];

    /// <summary>
    /// Whether an index (or UNIQUE constraint) of the table has an expression key or a VIRTUAL
    /// generated column as a key: SQLite 3.50.4 reads such a key from the index cursor in a
    /// RIGHT JOIN's pass over unmatched rows, where that cursor is not on the row.
    /// </summary>
    public bool IndexesExpressions { get; set; }

    /// <summary>Columns an INSERT may name (generated columns cannot be written).</summary>
    public IEnumerable<FuzzColumn> Writable => Columns.Where(c => !c.Generated);
}

/// <summary>Everything the schema script created.</summary>
internal sealed class FuzzSchema
{
    public List<FuzzRelation> Tables { get; } = [];
    public List<FuzzRelation> Views { get; } = [];
    public IEnumerable<FuzzRelation> All => Tables.Concat(Views);
}
