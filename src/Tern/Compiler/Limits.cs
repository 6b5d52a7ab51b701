// SQLite's compile-time limits at their default build values, checked by the compiler so
// Tern refuses what SQLite refuses (and never writes a schema SQLite would not load).
// The parser keeps its own (expression depth, compound terms, variable numbers, function
// arguments); these are the ones the compiler and the VM check.
namespace Tern.Compiler;

/// <summary>SQLite's default limits (sqliteLimit.h) that the compiler and the VM enforce.</summary>
internal static class Limits
{
    /// <summary>SQLITE_MAX_COLUMN: columns of a table or index, result columns, GROUP BY and ORDER BY terms.</summary>
    public const int MaxColumns = 2000;

    /// <summary>SQLITE_MAX_LIKE_PATTERN_LENGTH: bytes of a LIKE or GLOB pattern.</summary>
    public const int MaxLikePatternLength = 50000;

    /// <summary>SQLITE_MAX_TRIGGER_DEPTH: nested trigger programs.</summary>
    public const int MaxTriggerDepth = 1000;

    /// <summary>SQLITE_MAX_SRCLIST: tables in one join (SQLite's bitmask width).</summary>
    public const int MaxJoinTables = 64;
}
