// The storage classes a parameter can be bound as (SQLite's fundamental datatypes),
// numbered as SQLite numbers them; the counterpart of Microsoft.Data.Sqlite's SqliteType.
namespace Tern.Data;

/// <summary>The type a <see cref="TernParameter"/> value is bound as.</summary>
public enum TernType
{
    /// <summary>A signed integer.</summary>
    Integer = 1,

    /// <summary>A floating-point number.</summary>
    Real = 2,

    /// <summary>A text string.</summary>
    Text = 3,

    /// <summary>A blob of bytes.</summary>
    Blob = 4,
}
