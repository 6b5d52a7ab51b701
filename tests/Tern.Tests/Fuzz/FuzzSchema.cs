// The generator's model of the schema it created: tables and views with their columns,
// declared types and collations, so queries name only what exists and know which
// relations share column names (for USING and NATURAL joins).
namespace Tern.Tests.Fuzz;

/// <summary>A column as the generator declared it.</summary>
internal sealed record FuzzColumn(string Name, string Type, string? Collation, bool IsRowidAlias, bool Generated);

/// <summary>A table or view as the generator declared it.</summary>
internal sealed class FuzzRelation(string name, bool isView)
{
    public string Name { get; } = name;
    public bool IsView { get; } = isView;
    public List<FuzzColumn> Columns { get; } = [];

    /// <summary>UNIQUE constraints and unique indexes on the table (a rowid alias not counted).</summary>
    public int UniqueConstraints { get; set; }

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
