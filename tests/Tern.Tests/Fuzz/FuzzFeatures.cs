// The query fuzzer's feature switches: one flag per construct the generator can emit.
// A flag that is off names the bug that keeps it off; turn it on once that bug is fixed
// and run a long fuzz (TERN_QUERYFUZZ_SCALE) to confirm. Defaults are what CI runs.
// A construct that works except for one open bug stays on, and a narrow switch named
// after that bug (under "open bugs" below) keeps only the shape that hits it out.
namespace Tern.Tests.Fuzz;

/// <summary>What the random generator may produce.</summary>
internal sealed record FuzzFeatures
{
    // ---- schema ----
    public bool IntegerPrimaryKey { get; init; } = true;
    public bool UniqueColumns { get; init; } = true;
    public bool NotNullColumns { get; init; } = true;
    public bool Defaults { get; init; } = true;
    public bool ColumnCollations { get; init; } = true;
    public bool Checks { get; init; } = true;
    public bool Indexes { get; init; } = true;
    public bool PartialIndexes { get; init; } = true;
    public bool ExpressionIndexes { get; init; } = true;
    public bool Views { get; init; } = true;
    public bool GeneratedColumns { get; init; } = true;
    public bool Triggers { get; init; } = true;

    // ---- expressions ----
    public bool Arithmetic { get; init; } = true;
    public bool Modulo { get; init; } = true;
    public bool Bitwise { get; init; } = true;
    public bool Concat { get; init; } = true;
    public bool Comparisons { get; init; } = true;
    public bool IsDistinctFrom { get; init; } = true;
    public bool IsTrueFalse { get; init; } = true;
    public bool Between { get; init; } = true;
    public bool InLists { get; init; } = true;
    public bool InSubqueries { get; init; } = true;
    public bool Exists { get; init; } = true;
    public bool ScalarSubqueries { get; init; } = true;
    public bool Correlated { get; init; } = true;
    public bool Case { get; init; } = true;
    public bool Cast { get; init; } = true;
    public bool Collate { get; init; } = true;
    public bool Like { get; init; } = true;
    public bool LikeEscape { get; init; } = true;
    public bool Glob { get; init; } = true;
    public bool GlobEscape { get; init; } = true;
    public bool StringFunctions { get; init; } = true;
    public bool SubstrHugeArguments { get; init; } = true;
    public bool Coalesce { get; init; } = true;
    public bool MathFunctions { get; init; } = true;
    public bool DateFunctions { get; init; } = true;
    public bool JsonFunctions { get; init; } = true;

    // ---- queries ----
    public bool Joins { get; init; } = true;
    public bool LeftJoins { get; init; } = true;
    public bool RightJoins { get; init; } = true;
    public bool UsingJoins { get; init; } = true;
    public bool NaturalJoins { get; init; } = true;
    public bool FromSubqueries { get; init; } = true;
    public bool Aggregates { get; init; } = true;
    public bool DistinctAggregates { get; init; } = true;
    public bool AggregateFilter { get; init; } = true;
    public bool AggregateOrderBy { get; init; } = true;
    /// <summary>sum() of any argument; off, sum() is generated as total() of the argument cast to NUMERIC.</summary>
    public bool SumOfText { get; init; } = true;
    public bool GroupBy { get; init; } = true;
    public bool Having { get; init; } = true;
    public bool Distinct { get; init; } = true;
    public bool WindowFunctions { get; init; } = true;
    public bool Compounds { get; init; } = true;
    public bool Ctes { get; init; } = true;
    public bool RecursiveCtes { get; init; } = true;
    public bool OrderBy { get; init; } = true;
    public bool NullsFirstLast { get; init; } = true;
    public bool Limit { get; init; } = true;

    // ---- DML ----
    public bool Upsert { get; init; } = true;
    public bool ConflictClauses { get; init; } = true;
    /// <summary>UNIQUE failures are compared with the constraint named (Tern checks in SQLite's order: rowid, indexes newest first, REPLACE ones last).</summary>
    public bool UniqueConstraintNames { get; init; } = true;

    /// <summary>After a DML statement that fails on both engines, changes() and total_changes() are compared too.</summary>
    public bool ChangesAfterError { get; init; } = true;

    // ---- open bugs: narrow switches, each off until its bug is fixed ----

    /// <summary>
    /// On (the bug it kept out is fixed; kept as a switch to narrow a failure down): was off because replace() never gets a pattern whose first byte is NUL (x'00', char(0, ...)). SQLite
    /// reads the pattern as a C string, finds it empty and returns the first argument unchanged
    /// (`replace(x'00', x'00', 0.5)` is x'00'); Tern replaces.
    /// </summary>
    public bool ReplaceNulPattern { get; init; } = true;

    /// <summary>On (the bug it kept out is fixed; kept as a switch to narrow a failure down): was off because generated column expressions hold no IS [NOT] TRUE/FALSE (Tern reads TRUE/FALSE there as column names: "no such column: TRUE").</summary>
    public bool TrueFalseInGeneratedColumns { get; init; } = true;

    /// <summary>
    /// On (the bug it kept out is fixed; kept as a switch to narrow a failure down): was off because CHECK constraints and generated columns hold no GLOB ... ESCAPE. SQLite resolves
    /// them at CREATE TABLE and refuses it there ("wrong number of arguments to function GLOB()":
    /// glob() takes two); Tern does not resolve them until a row is written.
    /// </summary>
    public bool GlobEscapeInTableDefinitions { get; init; } = true;

    /// <summary>
    /// On (the bug it kept out is fixed; kept as a switch to narrow a failure down): was off because -infinity (`-1e308*10`) is not written to a TEXT column, where it becomes the text
    /// '-Inf': SQLite reads that text as the number -0.0, Tern as 0.0.
    /// </summary>
    public bool NegativeInfinityText { get; init; } = true;

    /// <summary>
    /// On (the bug it kept out is fixed; kept as a switch to narrow a failure down): was off because after a failed DML statement in a schema with a trigger, only changes() is compared,
    /// not total_changes(): SQLite counts the rows the trigger changed before the failure, Tern
    /// does not.
    /// </summary>
    public bool TriggerChangesAfterError { get; init; } = true;

    /// <summary>
    /// On (the bug it kept out is fixed; kept as a switch to narrow a failure down): was off because json_valid() gets no text holding a NUL. SQLite parses JSON text up to the first NUL
    /// (`json_valid('1' || char(0))` is 1); Tern parses all of it and finds it malformed.
    /// </summary>
    public bool JsonTextWithNul { get; init; } = true;

    /// <summary>
    /// On (the bug it kept out is fixed; kept as a switch to narrow a failure down): was off because a VIRTUAL generated column does not have REAL affinity (such columns are STORED).
    /// An integer value in one goes through a sorter as an integer in SQLite (`string_agg(c,
    /// ',' ORDER BY c)` gives "1"), as 1.0 in Tern.
    /// </summary>
    public bool VirtualRealColumns { get; init; } = true;

    /// <summary>On (the bug it kept out is fixed; kept as a switch to narrow a failure down): was off because no upsert DO UPDATE on a table with an UPDATE trigger (Tern's DO UPDATE does not fire UPDATE triggers).</summary>
    public bool UpdateTriggersOnUpsert { get; init; } = true;

    /// <summary>The switches CI runs with; TERN_QUERYFUZZ_ALL=1 turns every switch on (to see what still fails).</summary>
    public static FuzzFeatures Default { get; } = Environment.GetEnvironmentVariable("TERN_QUERYFUZZ_ALL") == "1" ? AllOn() : new();

    private static FuzzFeatures AllOn()
    {
        var all = new FuzzFeatures();
        foreach (var p in typeof(FuzzFeatures).GetProperties())
            if (p.PropertyType == typeof(bool) && p.CanWrite) p.SetValue(all, true);
        return all;
    }
}
