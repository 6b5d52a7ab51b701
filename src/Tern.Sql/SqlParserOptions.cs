// Switches for syntax beyond what a default SQLite 3.50 build accepts.
namespace Tern.Sql;

/// <summary>Parser options. The defaults accept exactly what SQLite 3.50 (default build) accepts.</summary>
public sealed record SqlParserOptions
{
    /// <summary>The default options.</summary>
    public static SqlParserOptions Default { get; } = new();

    /// <summary>Accept ORDER BY and LIMIT on UPDATE and DELETE (SQLITE_ENABLE_UPDATE_DELETE_LIMIT).</summary>
    public bool AllowUpdateDeleteLimit { get; init; }

    /// <summary>Accept BEGIN CONCURRENT (Turso's MVCC transactions).</summary>
    public bool AllowBeginConcurrent { get; init; }
}
