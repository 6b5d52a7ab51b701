// SQLite's 147 keywords and their token kinds, looked up without allocating: a
// collision-free hash table (a perfect hash, searched for once at start-up) maps the
// case-folded bytes of a word to a slot, and one case-insensitive compare confirms it.
//
// Also here: the keyword classes the grammar needs. SQLite's parser lets most keywords
// stand for an identifier ("%fallback ID" in its grammar) wherever the keyword itself
// would not parse; the ones that never can (SELECT, FROM, AND ...) are "reserved".
// Three more classes act as names in some places: INDEXED, the join words
// (NATURAL LEFT RIGHT FULL OUTER INNER CROSS) and, where a string may name a thing,
// STRING.
namespace Tern.Sql.Lexer;

/// <summary>Keyword lookup and keyword classes.</summary>
public static class Keywords
{
    private static readonly (string Text, TokenKind Kind)[] Table =
    [
        ("ABORT", TokenKind.Abort), ("ACTION", TokenKind.Action), ("ADD", TokenKind.Add),
        ("AFTER", TokenKind.After), ("ALL", TokenKind.All), ("ALTER", TokenKind.Alter),
        ("ALWAYS", TokenKind.Always), ("ANALYZE", TokenKind.Analyze), ("AND", TokenKind.And),
        ("AS", TokenKind.As), ("ASC", TokenKind.Asc), ("ATTACH", TokenKind.Attach),
        ("AUTOINCREMENT", TokenKind.Autoincrement), ("BEFORE", TokenKind.Before),
        ("BEGIN", TokenKind.Begin), ("BETWEEN", TokenKind.Between), ("BY", TokenKind.By),
        ("CASCADE", TokenKind.Cascade), ("CASE", TokenKind.Case), ("CAST", TokenKind.Cast),
        ("CHECK", TokenKind.Check), ("COLLATE", TokenKind.Collate), ("COLUMN", TokenKind.Column),
        ("COMMIT", TokenKind.Commit), ("CONFLICT", TokenKind.Conflict),
        ("CONSTRAINT", TokenKind.Constraint), ("CREATE", TokenKind.Create),
        ("CROSS", TokenKind.Cross), ("CURRENT", TokenKind.Current),
        ("CURRENT_DATE", TokenKind.CurrentDate), ("CURRENT_TIME", TokenKind.CurrentTime),
        ("CURRENT_TIMESTAMP", TokenKind.CurrentTimestamp), ("DATABASE", TokenKind.Database),
        ("DEFAULT", TokenKind.Default), ("DEFERRED", TokenKind.Deferred),
        ("DEFERRABLE", TokenKind.Deferrable), ("DELETE", TokenKind.Delete), ("DESC", TokenKind.Desc),
        ("DETACH", TokenKind.Detach), ("DISTINCT", TokenKind.Distinct), ("DO", TokenKind.Do),
        ("DROP", TokenKind.Drop), ("END", TokenKind.End), ("EACH", TokenKind.Each),
        ("ELSE", TokenKind.Else), ("ESCAPE", TokenKind.Escape), ("EXCEPT", TokenKind.Except),
        ("EXCLUSIVE", TokenKind.Exclusive), ("EXCLUDE", TokenKind.Exclude),
        ("EXISTS", TokenKind.Exists), ("EXPLAIN", TokenKind.Explain), ("FAIL", TokenKind.Fail),
        ("FILTER", TokenKind.Filter), ("FIRST", TokenKind.First), ("FOLLOWING", TokenKind.Following),
        ("FOR", TokenKind.For), ("FOREIGN", TokenKind.Foreign), ("FROM", TokenKind.From),
        ("FULL", TokenKind.Full), ("GENERATED", TokenKind.Generated), ("GLOB", TokenKind.Glob),
        ("GROUP", TokenKind.Group), ("GROUPS", TokenKind.Groups), ("HAVING", TokenKind.Having),
        ("IF", TokenKind.If), ("IGNORE", TokenKind.Ignore), ("IMMEDIATE", TokenKind.Immediate),
        ("IN", TokenKind.In), ("INDEX", TokenKind.Index), ("INDEXED", TokenKind.Indexed),
        ("INITIALLY", TokenKind.Initially), ("INNER", TokenKind.Inner), ("INSERT", TokenKind.Insert),
        ("INSTEAD", TokenKind.Instead), ("INTERSECT", TokenKind.Intersect), ("INTO", TokenKind.Into),
        ("IS", TokenKind.Is), ("ISNULL", TokenKind.IsNull), ("JOIN", TokenKind.Join),
        ("KEY", TokenKind.Key), ("LAST", TokenKind.Last), ("LEFT", TokenKind.Left),
        ("LIKE", TokenKind.Like), ("LIMIT", TokenKind.Limit), ("MATCH", TokenKind.Match),
        ("MATERIALIZED", TokenKind.Materialized), ("NATURAL", TokenKind.Natural), ("NO", TokenKind.No),
        ("NOT", TokenKind.Not), ("NOTHING", TokenKind.Nothing), ("NOTNULL", TokenKind.NotNull),
        ("NULL", TokenKind.Null), ("NULLS", TokenKind.Nulls), ("OF", TokenKind.Of),
        ("OFFSET", TokenKind.Offset), ("ON", TokenKind.On), ("OR", TokenKind.Or),
        ("ORDER", TokenKind.Order), ("OTHERS", TokenKind.Others), ("OUTER", TokenKind.Outer),
        ("OVER", TokenKind.Over), ("PARTITION", TokenKind.Partition), ("PLAN", TokenKind.Plan),
        ("PRAGMA", TokenKind.Pragma), ("PRECEDING", TokenKind.Preceding), ("PRIMARY", TokenKind.Primary),
        ("QUERY", TokenKind.Query), ("RAISE", TokenKind.Raise), ("RANGE", TokenKind.Range),
        ("RECURSIVE", TokenKind.Recursive), ("REFERENCES", TokenKind.References),
        ("REGEXP", TokenKind.Regexp), ("REINDEX", TokenKind.Reindex), ("RELEASE", TokenKind.Release),
        ("RENAME", TokenKind.Rename), ("REPLACE", TokenKind.Replace), ("RESTRICT", TokenKind.Restrict),
        ("RETURNING", TokenKind.Returning), ("RIGHT", TokenKind.Right), ("ROLLBACK", TokenKind.Rollback),
        ("ROW", TokenKind.Row), ("ROWS", TokenKind.Rows), ("SAVEPOINT", TokenKind.Savepoint),
        ("SELECT", TokenKind.Select), ("SET", TokenKind.Set), ("TABLE", TokenKind.Table),
        ("TEMP", TokenKind.Temp), ("TEMPORARY", TokenKind.Temp), ("THEN", TokenKind.Then),
        ("TIES", TokenKind.Ties), ("TO", TokenKind.To), ("TRANSACTION", TokenKind.Transaction),
        ("TRIGGER", TokenKind.Trigger), ("UNBOUNDED", TokenKind.Unbounded), ("UNION", TokenKind.Union),
        ("UNIQUE", TokenKind.Unique), ("UPDATE", TokenKind.Update), ("USING", TokenKind.Using),
        ("VACUUM", TokenKind.Vacuum), ("VALUES", TokenKind.Values), ("VIEW", TokenKind.View),
        ("VIRTUAL", TokenKind.Virtual), ("WHEN", TokenKind.When), ("WHERE", TokenKind.Where),
        ("WINDOW", TokenKind.Window), ("WITH", TokenKind.With), ("WITHOUT", TokenKind.Without),
    ];

    private const int SlotBits = 10;
    private static readonly byte[][] SlotText;
    private static readonly TokenKind[] SlotKind;
    private static readonly uint Multiplier;
    private static readonly bool[] FallbackToId;
    private static readonly string[] KindText;

    /// <summary>The number of keywords.</summary>
    public static int Count => Table.Length;

    static Keywords()
    {
        // Search for a multiplier that sends every keyword to its own slot. The words and
        // their hashes before the multiplier are computed once, outside the search: this runs
        // at startup, and a NativeAOT build pays for every static access while it runs.
        int size = 1 << SlotBits;
        (string Text, TokenKind Kind)[] table = Table;
        var words = new byte[table.Length][];
        var hashes = new uint[table.Length];
        for (int i = 0; i < table.Length; i++)
        {
            words[i] = System.Text.Encoding.ASCII.GetBytes(table[i].Text);
            hashes[i] = Hash(words[i]);
        }
        uint m = 0x9E3779B1u;
        var used = new bool[size];
        while (true)
        {
            Array.Clear(used);
            bool ok = true;
            foreach (uint h in hashes)
            {
                int s = SlotOf(h, m);
                if (used[s]) { ok = false; break; }
                used[s] = true;
            }
            if (ok) break;
            m += 2;
        }
        Multiplier = m;
        var slotText = new byte[size][];
        var slotKind = new TokenKind[size];
        for (int i = 0; i < table.Length; i++)
        {
            int s = SlotOf(hashes[i], m);
            slotText[s] = words[i];
            slotKind[s] = table[i].Kind;
        }
        SlotText = slotText;
        SlotKind = slotKind;

        FallbackToId = new bool[256];
        TokenKind[] fallback =
        [
            TokenKind.Abort, TokenKind.Action, TokenKind.After, TokenKind.Analyze, TokenKind.Asc,
            TokenKind.Attach, TokenKind.Before, TokenKind.Begin, TokenKind.By, TokenKind.Cascade,
            TokenKind.Cast, TokenKind.Column, TokenKind.Conflict, TokenKind.Database,
            TokenKind.Deferred, TokenKind.Desc, TokenKind.Detach, TokenKind.Do, TokenKind.Each,
            TokenKind.End, TokenKind.Exclusive, TokenKind.Explain, TokenKind.Fail, TokenKind.For,
            TokenKind.Ignore, TokenKind.Immediate, TokenKind.Initially, TokenKind.Instead,
            TokenKind.Like, TokenKind.Glob, TokenKind.Regexp, TokenKind.Match, TokenKind.No,
            TokenKind.Plan, TokenKind.Query, TokenKind.Key, TokenKind.Of, TokenKind.Offset,
            TokenKind.Pragma, TokenKind.Raise, TokenKind.Recursive, TokenKind.Release,
            TokenKind.Replace, TokenKind.Restrict, TokenKind.Row, TokenKind.Rows,
            TokenKind.Rollback, TokenKind.Savepoint, TokenKind.Temp, TokenKind.Trigger,
            TokenKind.Vacuum, TokenKind.View, TokenKind.Virtual, TokenKind.With,
            TokenKind.Without, TokenKind.Nulls, TokenKind.First, TokenKind.Last,
            TokenKind.Current, TokenKind.Following, TokenKind.Partition, TokenKind.Preceding,
            TokenKind.Range, TokenKind.Unbounded, TokenKind.Exclude, TokenKind.Groups,
            TokenKind.Others, TokenKind.Ties, TokenKind.Generated, TokenKind.Always,
            TokenKind.Materialized, TokenKind.Reindex, TokenKind.Rename,
            TokenKind.CurrentDate, TokenKind.CurrentTime, TokenKind.CurrentTimestamp, TokenKind.If,
        ];
        foreach (TokenKind k in fallback) FallbackToId[(int)k] = true;

        KindText = new string[256];
        foreach (var (text, kind) in Table) KindText[(int)kind] ??= text;
    }

    private static int Slot(ReadOnlySpan<byte> word, uint multiplier) => SlotOf(Hash(word), multiplier);

    /// <summary>A word's hash before the multiplier (ASCII case folded).</summary>
    private static uint Hash(ReadOnlySpan<byte> word)
    {
        uint h = (uint)word.Length;
        foreach (byte b in word) h = (h * 31) + (uint)(b | 0x20);
        return h;
    }

    private static int SlotOf(uint hash, uint multiplier) => (int)((hash * multiplier) >> (32 - SlotBits));

    /// <summary>
    /// The keyword kind of <paramref name="word"/> (ASCII letters and <c>_</c>, any case),
    /// or <see cref="TokenKind.Id"/> when it is no keyword.
    /// </summary>
    public static TokenKind Lookup(ReadOnlySpan<byte> word)
    {
        if (word.Length < 2 || word.Length > 17) return TokenKind.Id;
        int s = Slot(word, Multiplier);
        byte[]? text = SlotText[s];
        if (text is null || text.Length != word.Length) return TokenKind.Id;
        for (int i = 0; i < text.Length; i++)
        {
            int c = word[i];
            if (c is >= 'a' and <= 'z') c -= 32;
            if (c != text[i]) return TokenKind.Id;
        }
        return SlotKind[s];
    }

    /// <summary>True when <paramref name="word"/> is an SQLite keyword (any case).</summary>
    public static bool IsKeyword(string word)
    {
        if (word.Length < 2 || word.Length > 17) return false;
        Span<byte> buf = stackalloc byte[17];
        for (int i = 0; i < word.Length; i++)
        {
            char c = word[i];
            if (c > 127) return false;
            buf[i] = (byte)c;
        }
        return Lookup(buf[..word.Length]) != TokenKind.Id;
    }

    /// <summary>True for a keyword token (any of the 147 words).</summary>
    public static bool IsKeywordKind(TokenKind kind) => kind >= TokenKind.Abort;

    /// <summary>True for keywords that SQLite's parser reads as an identifier where the keyword itself would not parse.</summary>
    public static bool FallsBackToId(TokenKind kind) => FallbackToId[(int)kind];

    /// <summary>True for the join keywords NATURAL, LEFT, RIGHT, FULL, OUTER, INNER, CROSS (SQLite's JOIN_KW).</summary>
    public static bool IsJoinKeyword(TokenKind kind) =>
        kind is TokenKind.Natural or TokenKind.Left or TokenKind.Right or TokenKind.Full
            or TokenKind.Outer or TokenKind.Inner or TokenKind.Cross;

    /// <summary>True for LIKE, GLOB and REGEXP (SQLite's LIKE_KW).</summary>
    public static bool IsLikeKeyword(TokenKind kind) => kind is TokenKind.Like or TokenKind.Glob or TokenKind.Regexp;

    /// <summary>True for CURRENT_DATE, CURRENT_TIME and CURRENT_TIMESTAMP (SQLite's CTIME_KW).</summary>
    public static bool IsTimeKeyword(TokenKind kind) =>
        kind is TokenKind.CurrentDate or TokenKind.CurrentTime or TokenKind.CurrentTimestamp;

    /// <summary>The upper-case text of a keyword kind (for TEMP: "TEMP").</summary>
    public static string Text(TokenKind kind) => KindText[(int)kind] ?? kind.ToString();
}
