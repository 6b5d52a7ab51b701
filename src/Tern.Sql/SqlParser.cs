// The public entry points: parse SQL text (UTF-8 bytes or a string) into statements,
// one at a time or all at once, each with the byte offsets where it starts and ends.
// Parsing a statement stops after its ';' (as SQLite's prepare does), so an engine can
// prepare and run statements one by one: text after a statement is not looked at until
// the next call.
using System.Runtime.ExceptionServices;
using System.Text;
using Tern.Sql.Ast;
using Tern.Sql.Parsing;

namespace Tern.Sql;

/// <summary>A parsed statement and where it lies in the UTF-8 input.</summary>
/// <param name="Statement">The statement.</param>
/// <param name="Start">Byte offset of its first token.</param>
/// <param name="End">Byte offset just past its terminating ';' (or the end of the input).</param>
public sealed record ParsedStatement(Statement Statement, int Start, int End)
{
    /// <summary>The column references and function calls written in the statement's text, in text order (where an error about a name points).</summary>
    public IReadOnlyList<Expr> Names { get; init; } = [];

    /// <summary>Equality of the statement and its place; <see cref="Names"/> is derived from them and not compared.</summary>
    public bool Equals(ParsedStatement? other) =>
        other is not null && Statement.Equals(other.Statement) && Start == other.Start && End == other.End;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Statement, Start, End);
}

/// <summary>Parses SQLite's SQL.</summary>
public static class SqlParser
{
    private const int BigStackBytes = 256 * 1024 * 1024;

    /// <summary>
    /// Parses the first statement at or after <paramref name="offset"/> in UTF-8
    /// <paramref name="utf8"/> (empty statements and comments are skipped). Returns null
    /// when only white space, comments and ';' remain. A NUL byte ends the input.
    /// </summary>
    /// <exception cref="SqlParseException">The statement does not parse.</exception>
    public static ParsedStatement? ParseNext(byte[] utf8, int offset = 0, SqlParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        int length = EffectiveLength(utf8);
        if ((uint)offset > (uint)length) throw new ArgumentOutOfRangeException(nameof(offset));
        SqlParserOptions o = options ?? SqlParserOptions.Default;
        try
        {
            return ParseNextCore(utf8, length, offset, o);
        }
        catch (InsufficientExecutionStackException)
        {
            return RetryOnLargeStack(utf8, length, offset, o);
        }
    }

    // Kept apart so that the closure is only allocated on this rare path.
    private static ParsedStatement? RetryOnLargeStack(byte[] utf8, int length, int offset, SqlParserOptions options) =>
        OnLargeStack(() => ParseNextCore(utf8, length, offset, options));

    private static ParsedStatement? ParseNextCore(byte[] utf8, int length, int offset, SqlParserOptions options)
    {
        var parser = new Parser(utf8, length, options);
        Statement? s = parser.ParseStatement(offset, out int end);
        return s is null ? null : new ParsedStatement(s, s.Start, end) { Names = parser.Names };
    }

    /// <summary>Parses every statement in UTF-8 <paramref name="utf8"/>.</summary>
    /// <exception cref="SqlParseException">A statement does not parse.</exception>
    public static IReadOnlyList<ParsedStatement> ParseAll(ReadOnlySpan<byte> utf8, SqlParserOptions? options = null) =>
        ParseAll(utf8.ToArray(), options);

    /// <summary>Parses every statement in UTF-8 <paramref name="utf8"/>.</summary>
    /// <exception cref="SqlParseException">A statement does not parse.</exception>
    public static IReadOnlyList<ParsedStatement> ParseAll(byte[] utf8, SqlParserOptions? options = null)
    {
        var list = new List<ParsedStatement>();
        int offset = 0;
        while (ParseNext(utf8, offset, options) is { } s)
        {
            list.Add(s);
            offset = s.End;
        }
        return list;
    }

    /// <summary>Parses every statement in <paramref name="sql"/> (offsets are into its UTF-8 encoding).</summary>
    /// <exception cref="SqlParseException">A statement does not parse.</exception>
    public static IReadOnlyList<ParsedStatement> ParseAll(string sql, SqlParserOptions? options = null) =>
        ParseAll(Encoding.UTF8.GetBytes(sql), options);

    /// <summary>Parses exactly one statement (surrounding ';', white space and comments allowed).</summary>
    /// <exception cref="SqlParseException">The text does not parse, or holds no statement or more than one.</exception>
    public static Statement Parse(string sql, SqlParserOptions? options = null)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(sql);
        ParsedStatement first = ParseNext(bytes, 0, options) ?? throw new SqlParseException("no statement", 0);
        if (ParseNext(bytes, first.End, options) is { } extra)
        {
            throw new SqlParseException("more than one statement", extra.Start);
        }
        return first.Statement;
    }

    /// <summary>Parses a standalone expression.</summary>
    /// <exception cref="SqlParseException">The text is not one expression.</exception>
    public static Expr ParseExpression(string sql, SqlParserOptions? options = null)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(sql);
        SqlParserOptions o = options ?? SqlParserOptions.Default;
        Expr Parse() => new Parser(bytes, EffectiveLength(bytes), o).ParseStandaloneExpression();
        try
        {
            return Parse();
        }
        catch (InsufficientExecutionStackException)
        {
            return OnLargeStack(Parse);
        }
    }

    private static int EffectiveLength(byte[] utf8)
    {
        int nul = Array.IndexOf(utf8, (byte)0);
        return nul < 0 ? utf8.Length : nul;
    }

    // Deeply nested SQL: when the current thread's stack runs low, parse again on a
    // thread with a large stack; if even that is not enough, report an error.
    private static T OnLargeStack<T>(Func<T> parse)
    {
        T? result = default;
        Exception? error = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = parse();
                }
                catch (Exception e)
                {
                    error = e;
                }
            },
            BigStackBytes);
        thread.Start();
        thread.Join();
        if (error is InsufficientExecutionStackException) throw new SqlParseException("parser stack overflow", 0);
        if (error is not null) ExceptionDispatchInfo.Throw(error);
        return result!;
    }
}
