// Names the missing feature behind a failing sqltest case, from its failure text, so the
// known-failures list can be grouped by feature. The table is ordered: the first pattern
// that matches wins, and groups are written in this order.
using System.Text.RegularExpressions;

namespace Tern.Compat.Tests;

public static class SqlTestFeatures
{
    private const string WindowFunctions = "lag|lead|cume_dist|first_value|last_value|nth_value|percent_rank|row_number|rank|dense_rank|ntile";
    private const string DateFunctions = "date|time|datetime|julianday|strftime|unixepoch|timediff|current_date|current_time|current_timestamp";
    private const string MathFunctions = "sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|sqrt|pow|power|exp|ln|log|log10|log2|ceil|ceiling|floor|trunc|pi|radians|degrees|mod|sign";

    /// <summary>(pattern over the failure text, feature) in order.</summary>
    public static readonly (Regex Pattern, string Feature)[] Table =
    [
        (R(@"WAL mode"), "WAL-mode database files"),
        (R(@"\bWITH is not supported|recursive|circular reference"), "common table expressions (WITH)"),
        (R(@"Pragma is not supported|no such function: pragma_|PRAGMA"), "PRAGMA statements"),
        (R(@"this kind of FROM item|no such table: (pragma_\w+|generate_series|json_each|json_tree)\b"), "table-valued functions (generate_series, pragma_*, json_each)"),
        (R(@"\bjsonb?(_\w+)?\b|JsonExtract|->>|malformed JSON"), "JSON functions"),
        (R($@"no such function: ({WindowFunctions})\b|window functions|\bOVER\b|no such window|FILTER clause"), "window functions"),
        (R(@"CreateTrigger|trigger"), "triggers"),
        (R(@"CreateView|\bview\b"), "views"),
        (R(@"in UPDATE are not supported"), "UPDATE with FROM, RETURNING, ORDER BY or LIMIT"),
        (R(@"in INSERT are not supported|ON CONFLICT|RETURNING"), "INSERT with upsert (ON CONFLICT) or RETURNING"),
        (R(@"in DELETE are not supported"), "DELETE with RETURNING, ORDER BY or LIMIT"),
        (R(@"partial indexes"), "partial indexes"),
        (R(@"expressions in an index"), "indexes on expressions"),
        (R(@"CREATE TABLE \.\.\. AS SELECT"), "CREATE TABLE ... AS SELECT"),
        (R(@"TEMP tables|attached schemas|Attach|Detach|no such table: (temp|aux)\w*\."), "TEMP tables and ATTACH"),
        (R(@"AddColumn|RenameColumn|RenameTable|DropColumn"), "ALTER TABLE"),
        (R(@"RowValueExpr|row value"), "row values"),
        (R(@"RIGHT, NATURAL and USING joins"), "RIGHT, FULL, NATURAL and USING joins"),
        (R(@"no such table: sqlite_sequence|AUTOINCREMENT"), "AUTOINCREMENT"),
        (R(@"Savepoint|savepoint|Release is not"), "SAVEPOINT"),
        (R(@"DISTINCT aggregates"), "DISTINCT aggregates"),
        (R(@"(?i)no such column: (TRUE|FALSE)\b"), "TRUE and FALSE literals"),
        (R(@"no such function: (printf|format)\b"), "printf/format"),
        (R($@"no such function: ({DateFunctions})\b"), "date and time functions"),
        (R($@"no such function: ({MathFunctions})\b"), "math functions"),
        (R(@"no such function: (group_concat|string_agg|total_changes|changes|last_insert_rowid)\b"), "connection and aggregate functions (string_agg, changes, ...)"),
        (R(@"no such function"), "other scalar functions (char, quote, iif, random, ...)"),
        (R(@"wrong number of arguments to function"), "function forms (e.g. two-argument trim)"),
        (R(@"should this be a string literal|dqs|double-quoted"), "double-quoted string literals (DQS)"),
        (R(@"Analyze|Vacuum|Reindex|VACUUM|ANALYZE|REINDEX"), "ANALYZE, VACUUM and REINDEX"),
        (R(@"STRICT|strict"), "STRICT tables"),
        (R(@"WITHOUT ROWID"), "WITHOUT ROWID tables"),
        (R(@"is not supported yet|are not supported yet|not supported"), "other unsupported statements"),
        (R(@"cursor has no current entry"), "engine bug: correlated subquery in a grouped query"),
        (R(@"^(UNIQUE|NOT NULL|PRIMARY KEY|CHECK) constraint failed"), "conflict resolution (OR REPLACE, OR IGNORE, ON CONFLICT in constraints)"),
        (R(@"^no such column: \w+$"), "names the engine does not resolve (result-column aliases in WHERE, GROUP BY, HAVING)"),
        (R(@"ORDER BY term|GROUP BY term"), "ORDER BY and GROUP BY terms (compound SELECTs, aliases)"),
        (R(@"^integrity check"), "integrity check findings"),
        (R(@"syntax error"), SyntaxErrors),
        (R(@"^(hung|interrupted)$"), "too slow (time limit)"),
        (R(@"."), "other"),
    ];

    private const string WrongResults = "wrong results or error messages";
    private const string ErrorsNotRaised = "errors not raised (CHECK constraints, type checks, limits)";
    private const string SyntaxErrors = "SQL the parser rejects";

    private static Regex R(string pattern) => new(pattern, RegexOptions.CultureInvariant);

    /// <summary>The feature a failure points at.</summary>
    public static string Classify(string? detail)
    {
        detail ??= "";
        // Results that differ say nothing about a feature by their text (it is data).
        if (detail.StartsWith("expected [", StringComparison.Ordinal) || detail.StartsWith("expected (any order)", StringComparison.Ordinal) || detail.StartsWith("output [", StringComparison.Ordinal))
            return WrongResults;
        if (detail.StartsWith("expected an error", StringComparison.Ordinal)) return ErrorsNotRaised;
        // "error 'MESSAGE' does not match /PATTERN/": the engine's message names the feature, if any.
        Match wrongError = Regex.Match(detail, "^error '(.*)' does not match /");
        if (wrongError.Success)
        {
            string feature = Classify(wrongError.Groups[1].Value);
            return feature is "other" or SyntaxErrors ? WrongResults : feature;
        }
        foreach ((Regex pattern, string feature) in Table)
        {
            if (pattern.IsMatch(detail)) return feature;
        }
        return "other";
    }

    /// <summary>The position of a feature's group in the list: table order, with the result mismatches before the last rows.</summary>
    public static int Order(string feature)
    {
        var names = Table.Select(t => t.Feature).ToList();
        names.Insert(names.IndexOf("too slow (time limit)"), ErrorsNotRaised);
        names.Insert(names.IndexOf("too slow (time limit)"), WrongResults);
        int i = names.IndexOf(feature);
        return i < 0 ? names.Count : i;
    }
}
