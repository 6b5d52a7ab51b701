// The kinds of token the lexer produces: SQLite's token classes (literals, operators,
// punctuation) and one kind per keyword. Several keywords share one grammar role in
// SQLite (LIKE/GLOB/REGEXP are LIKE_KW, the seven join words are JOIN_KW, the three
// CURRENT_* words are CTIME_KW, TEMP/TEMPORARY are TEMP); Tern keeps them apart and
// groups them with the predicates in Keywords.
namespace Tern.Sql.Lexer;

/// <summary>The kind of a lexical token.</summary>
public enum TokenKind : byte
{
    /// <summary>End of input (the end of the buffer or a NUL byte).</summary>
    Eof,
    /// <summary>A byte sequence that is no token: reported as <c>unrecognized token</c>.</summary>
    Illegal,
    /// <summary>White space.</summary>
    Space,
    /// <summary>A <c>--</c> or <c>/* */</c> comment.</summary>
    Comment,
    /// <summary>An identifier, bare or quoted with <c>"</c>, <c>[ ]</c> or <c>`</c>.</summary>
    Id,
    /// <summary>A single-quoted string.</summary>
    String,
    /// <summary>An integer literal (decimal or hexadecimal).</summary>
    Integer,
    /// <summary>A real literal.</summary>
    Float,
    /// <summary>A numeric literal with <c>_</c> digit separators.</summary>
    QNumber,
    /// <summary>A blob literal <c>x'..'</c>.</summary>
    Blob,
    /// <summary>A parameter: <c>?</c>, <c>?N</c>, <c>:name</c>, <c>@name</c>, <c>$name</c>, <c>#name</c>.</summary>
    Variable,

#pragma warning disable CS1591 // operators and keywords are named after their text
    Semi, LParen, RParen, Comma, Dot, Plus, Minus, Star, Slash, Rem,
    Eq, Ne, Lt, Le, Gt, Ge, BitAnd, BitOr, BitNot, LShift, RShift, Concat, Ptr,

    // Keywords (first keyword: Abort; last: Without).
    Abort, Action, Add, After, All, Alter, Always, Analyze, And, As, Asc, Attach,
    Autoincrement, Before, Begin, Between, By, Cascade, Case, Cast, Check, Collate,
    Column, Commit, Conflict, Constraint, Create, Cross, Current, CurrentDate,
    CurrentTime, CurrentTimestamp, Database, Default, Deferrable, Deferred, Delete,
    Desc, Detach, Distinct, Do, Drop, Each, Else, End, Escape, Except, Exclude,
    Exclusive, Exists, Explain, Fail, Filter, First, Following, For, Foreign, From,
    Full, Generated, Glob, Group, Groups, Having, If, Ignore, Immediate, In, Index,
    Indexed, Initially, Inner, Insert, Instead, Intersect, Into, Is, IsNull, Join,
    Key, Last, Left, Like, Limit, Match, Materialized, Natural, No, Not, Nothing,
    NotNull, Null, Nulls, Of, Offset, On, Or, Order, Others, Outer, Over, Partition,
    Plan, Pragma, Preceding, Primary, Query, Raise, Range, Recursive, References,
    Regexp, Reindex, Release, Rename, Replace, Restrict, Returning, Right, Rollback,
    Row, Rows, Savepoint, Select, Set, Table, Temp, Then, Ties, To, Transaction,
    Trigger, Unbounded, Union, Unique, Update, Using, Vacuum, Values, View, Virtual,
    When, Where, Window, With, Without,
#pragma warning restore CS1591
}
