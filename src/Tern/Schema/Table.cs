// A table of the schema: its columns, root page, rowid alias and indexes. A WITHOUT ROWID
// table has no rowid: its b-tree is an index b-tree keyed by its PRIMARY KEY (see
// WithoutRowid.cs for the layout).
namespace Tern.Schema;

/// <summary>A table.</summary>
internal sealed class Table
{
    public required string Name { get; init; }
    public required uint RootPage { get; init; }
    /// <summary>The connection's database the table lives in (0 main, 1 temp, 2.. attached), set when its schema is read.</summary>
    public int Db { get; set; }
    public required List<Column> Columns { get; init; }
    public List<Index> Indexes { get; } = [];
    /// <summary>The column that aliases the rowid, or -1.</summary>
    public int RowidAlias { get; set; } = -1;
    /// <summary>The INTEGER PRIMARY KEY's ON CONFLICT clause (Default when it has none).</summary>
    public Tern.Sql.Ast.ConflictResolution RowidConflict { get; set; }
    public bool WithoutRowid { get; init; }
    /// <summary>
    /// For a WITHOUT ROWID table: the PRIMARY KEY (SQLite's sqlite_autoindex_T_n) whose b-tree is
    /// the table itself (its root page is the table's; sqlite_schema has no row for it). Its
    /// columns are the key columns in key order, each once. Not in <see cref="Indexes"/>.
    /// </summary>
    public Index? PrimaryKey { get; set; }
    /// <summary>Whether records are laid out other than one field per column in declaration order (VIRTUAL columns, WITHOUT ROWID).</summary>
    public bool MappedStorage => HasVirtual || WithoutRowid;
    public string? Sql { get; init; }
    /// <summary>A STRICT table: every value must match its column's type after affinity.</summary>
    public bool Strict { get; init; }
    /// <summary>INTEGER PRIMARY KEY AUTOINCREMENT: rowids never reuse values, tracked in sqlite_sequence.</summary>
    public bool AutoIncrement { get; init; }
    /// <summary>FOREIGN KEY constraints of this (child) table.</summary>
    public List<ForeignKey> ForeignKeys { get; } = [];
    /// <summary>CHECK constraints (column and table ones, in order), with their names when given.</summary>
    public List<(string? Name, Tern.Sql.Ast.Expr Expr)> Checks { get; init; } = [];

    /// <summary>Whether any column is generated (VIRTUAL or STORED).</summary>
    public bool HasGenerated { get; init; }
    /// <summary>Whether any column is VIRTUAL: then the record holds fewer fields than the table has columns.</summary>
    public bool HasVirtual { get; init; }
    /// <summary>The number of fields a record of this table holds (every column but the VIRTUAL ones).</summary>
    public int StoredCount { get; init; }

    /// <summary>The record field of column <paramref name="col"/> (-1 for a VIRTUAL column).</summary>
    public int StorageIndex(int col) => MappedStorage ? Columns[col].StorageIndex : col;

    public int FindColumn(string name)
    {
        for (int i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }
}
