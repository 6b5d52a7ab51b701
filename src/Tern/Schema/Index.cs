// An index of the schema: the table it belongs to, its key columns (with sort order and collation),
// whether it is UNIQUE, and its root page. Index entries are records of the key columns
// followed by the rowid (for a WITHOUT ROWID table: by the PRIMARY KEY columns not in the
// key, see WithoutRowidLayout).
namespace Tern.Schema;

/// <summary>An index.</summary>
internal sealed class Index
{
    public required string Name { get; init; }
    public required Table Table { get; init; }
    /// <summary>The connection's database the index lives in: its table's.</summary>
    public int Db => Table.Db;
    public required uint RootPage { get; set; }
    /// <summary>Table column numbers of the key, in order; <see cref="ExpressionColumn"/> for a key expression.</summary>
    public required int[] Columns { get; init; }
    /// <summary>For an index on expressions: per key field, the expression (null for a plain column).</summary>
    public Tern.Sql.Ast.Expr?[]? Expressions { get; init; }

    /// <summary>The column number of a key field that is an expression (SQLite's XN_EXPR).</summary>
    public const int ExpressionColumn = -2;

    /// <summary>Whether key field <paramref name="k"/> is an expression.</summary>
    public bool IsExpression(int k) => Columns[k] == ExpressionColumn;
    public required bool[] Descending { get; init; }
    /// <summary>Per key column, the collation its text compares with (the index's COLLATE, else the column's).</summary>
    public required Storage.Record.Collation[] Collations { get; init; }
    public bool Unique { get; init; }
    /// <summary>For an automatic index, the PRIMARY KEY or UNIQUE constraint's ON CONFLICT clause.</summary>
    public Tern.Sql.Ast.ConflictResolution OnConflict { get; init; }
    /// <summary>Whether SQLite made it for a UNIQUE or PRIMARY KEY constraint (sqlite_autoindex_...).</summary>
    public bool IsAuto { get; init; }
    public string? Sql { get; init; }
    /// <summary>For a partial index, the WHERE predicate a row must satisfy to have an entry.</summary>
    public Tern.Sql.Ast.Expr? Where { get; init; }

    public Storage.Record.KeyInfo KeyInfo()
    {
        if (Table.WithoutRowid) return Table.PrimaryKey == this ? WithoutRowidLayout.TableKeyInfo(Table) : WithoutRowidLayout.IndexKeyInfo(this);
        var d = new bool[Columns.Length + 1];
        Descending.CopyTo(d, 0);
        var c = new Storage.Record.Collation[Columns.Length + 1];
        Collations.CopyTo(c, 0);
        return new Storage.Record.KeyInfo(d, c);
    }
}
