// A view as the compiler sees it: its name, optional column names and the parsed query
// from the CREATE VIEW text stored in sqlite_schema. Reading a view runs the query.
using Tern.Sql.Ast;

namespace Tern.Schema;

/// <summary>A view of the schema.</summary>
internal sealed class View
{
    public required string Name { get; init; }
    /// <summary>The connection's database the view lives in (0 main, 1 temp, 2.. attached).</summary>
    public int Db { get; set; }
    /// <summary>The column names given after the view name (empty when none).</summary>
    public required NodeList<string> Columns { get; init; }
    public required SelectStatement Select { get; init; }
    public required string Sql { get; init; }
    /// <summary>The CREATE VIEW text as UTF-8: the byte offsets in <see cref="Select"/> index it.</summary>
    public byte[] SqlUtf8 => field ??= System.Text.Encoding.UTF8.GetBytes(Sql);
}
