// The recursive-descent parser: its token stream, name handling and error rules.
// The grammar itself is split by concern into partial files (Expressions, Select,
// Dml, Ddl, Statements).
//
// How it matches SQLite's LALR(1) parser (parse.y):
//
//  * One token of lookahead, read lazily. A token that does not lex ("unrecognized
//    token") is reported when it becomes the lookahead, after the previous token has
//    been accepted, as SQLite reports it before handing it to its parser. Peeking
//    further ahead (Peek) never reports anything.
//  * A syntax error is reported at the first token that cannot continue the statement:
//    near "X": syntax error, or "incomplete input" at the end of the input (where
//    SQLite feeds its parser a virtual ";").
//  * Keywords: most keywords may stand for a name (SQLite's fallback list); each rule
//    that reads a name first checks the keywords that have a meaning of their own at
//    that point, as SQLite's parser tables do.
//  * Errors SQLite raises while reducing a rule (a JOIN clause is required before ON,
//    unknown join type, ORDER BY clause should come after UNION not before, ...) are
//    raised when that rule completes, which SQLite does on seeing the next token: the
//    error is remembered ("pending") and thrown when that next token is accepted; if
//    that token is itself a syntax error, the syntax error wins, as in SQLite, whose
//    later message overwrites the earlier one.
//  * WINDOW, OVER and FILTER are keywords only in the contexts where SQLite's tokenizer
//    decides they are (see AnalyzeWindowKeyword and friends); elsewhere they are names.
//  * Recursion depth is bounded by the stack: when it runs low the parser throws
//    InsufficientExecutionStackException and SqlParser retries on a thread with a
//    large stack, so SQL nested as deep as SQLite accepts parses, and deeper SQL gives
//    an error rather than a crash.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using Tern.Sql.Ast;
using Tern.Sql.Lexer;

namespace Tern.Sql.Parsing;

internal sealed partial class Parser
{
    private const TokenKind NoToken = (TokenKind)255;

    private readonly byte[] _src;
    private readonly int _length;
    private readonly SqlParserOptions _options;

    private Token _tok;
    private TokenKind _lastKind = NoToken;
    private int _lastEnd;
    private string? _pendingError;
    private int _pendingOffset;

    public Parser(byte[] src, int length, SqlParserOptions options)
    {
        _src = src;
        _length = length;
        _options = options;
    }

    private ReadOnlySpan<byte> Src => _src.AsSpan(0, _length);

    /// <summary>The column references and function calls parsed, in the order they were read (so an error about a name can point at its text).</summary>
    public List<Expr> Names { get; } = [];

    private T Named<T>(T e) where T : Expr
    {
        Names.Add(e);
        return e;
    }

    /// <summary>
    /// Parses the statement that starts at <paramref name="offset"/>, skipping empty
    /// statements. Returns null at the end of the input. <paramref name="end"/> is the
    /// offset just past the statement's ';' (or the end of the input).
    /// </summary>
    public Statement? ParseStatement(int offset, out int end)
    {
        _pendingError = null;
        _lastKind = NoToken;
        _lastEnd = offset;
        _tok = ReadToken(offset);
        while (_tok.Kind == TokenKind.Semi) Advance();
        if (_tok.Kind == TokenKind.Eof)
        {
            end = _tok.Start;
            return null;
        }
        Statement stmt = ParseCommand();
        if (_tok.Kind is not (TokenKind.Semi or TokenKind.Eof)) throw SyntaxError();
        ThrowPending();
        end = _tok.Kind == TokenKind.Semi ? _tok.End : _tok.Start;
        return stmt;
    }

    /// <summary>Parses one expression filling the whole input (for tests and tools).</summary>
    public Expr ParseStandaloneExpression()
    {
        _tok = ReadToken(0);
        Expr e = ParseExpr();
        if (_tok.Kind != TokenKind.Eof) throw SyntaxError();
        ThrowPending();
        return e;
    }

    // ---------------------------------------------------------------- tokens

    private TokenKind Kind => _tok.Kind;

    private void Advance()
    {
        ThrowPending();
        _lastKind = _tok.Kind;
        _lastEnd = _tok.End;
        _tok = ReadToken(_tok.End);
    }

    private void ThrowPending()
    {
        if (_pendingError is not null) throw new SqlParseException(_pendingError, _pendingOffset);
    }

    /// <summary>Records an error SQLite raises while reducing a rule (see the file comment).</summary>
    private void SetPending(string message, int offset)
    {
        _pendingError = message;
        _pendingOffset = offset;
    }

    private Token ReadToken(int pos)
    {
        while (true)
        {
            Token t = SqlLexer.Next(Src, pos);
            switch (t.Kind)
            {
                case TokenKind.Space:
                case TokenKind.Comment:
                    pos = t.End;
                    continue;
                case TokenKind.Illegal:
                    throw new SqlParseException($"unrecognized token: \"{Text(t)}\"", t.Start);
                case TokenKind.Window:
                    return t with { Kind = AnalyzeWindowKeyword(t.End) };
                case TokenKind.Over:
                    return t with { Kind = AnalyzeOverKeyword(t.End, _lastKind) };
                case TokenKind.Filter:
                    return t with { Kind = AnalyzeFilterKeyword(t.End, _lastKind) };
                default:
                    return t;
            }
        }
    }

    /// <summary>The token after <paramref name="t"/>, never throwing (an unlexable token comes back as Illegal).</summary>
    private Token PeekAfter(Token t)
    {
        int pos = t.End;
        while (true)
        {
            Token n = SqlLexer.Next(Src, pos);
            if (n.Kind is TokenKind.Space or TokenKind.Comment)
            {
                pos = n.End;
                continue;
            }
            return n.Kind switch
            {
                TokenKind.Window => n with { Kind = AnalyzeWindowKeyword(n.End) },
                TokenKind.Over => n with { Kind = AnalyzeOverKeyword(n.End, t.Kind) },
                TokenKind.Filter => n with { Kind = AnalyzeFilterKeyword(n.End, t.Kind) },
                _ => n,
            };
        }
    }

    private Token Peek() => PeekAfter(_tok);

    // The next token as SQLite's window-keyword analysis sees it: white space and
    // comments are skipped, and anything that can be a name reads as Id.
    private TokenKind AnalysisToken(ref int pos)
    {
        Token n;
        do
        {
            n = SqlLexer.Next(Src, pos);
            pos = n.End;
        }
        while (n.Kind is TokenKind.Space or TokenKind.Comment);
        TokenKind k = n.Kind;
        if (k is TokenKind.Id or TokenKind.String or TokenKind.Window or TokenKind.Over
            || Keywords.IsJoinKeyword(k) || Keywords.FallsBackToId(k))
        {
            return TokenKind.Id;
        }
        return k;
    }

    // WINDOW is a keyword when followed by a name and AS.
    private TokenKind AnalyzeWindowKeyword(int pos)
    {
        if (AnalysisToken(ref pos) != TokenKind.Id) return TokenKind.Id;
        if (AnalysisToken(ref pos) != TokenKind.As) return TokenKind.Id;
        return TokenKind.Window;
    }

    // OVER is a keyword after ')' when followed by '(' or a name.
    private TokenKind AnalyzeOverKeyword(int pos, TokenKind last)
    {
        if (last == TokenKind.RParen)
        {
            TokenKind t = AnalysisToken(ref pos);
            if (t is TokenKind.LParen or TokenKind.Id) return TokenKind.Over;
        }
        return TokenKind.Id;
    }

    // FILTER is a keyword after ')' when followed by '('.
    private TokenKind AnalyzeFilterKeyword(int pos, TokenKind last)
    {
        if (last == TokenKind.RParen && AnalysisToken(ref pos) == TokenKind.LParen) return TokenKind.Filter;
        return TokenKind.Id;
    }

    private void Expect(TokenKind kind)
    {
        if (_tok.Kind != kind) throw SyntaxError();
        Advance();
    }

    private bool Accept(TokenKind kind)
    {
        if (_tok.Kind != kind) return false;
        Advance();
        return true;
    }

    // ---------------------------------------------------------------- errors

    private SqlParseException SyntaxError() => SyntaxError(_tok);

    private SqlParseException SyntaxError(Token t) =>
        t.Kind == TokenKind.Eof
            ? new SqlParseException("incomplete input", t.Start)
            : new SqlParseException($"near \"{Text(t)}\": syntax error", t.Start);

    private static void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) ThrowStack();
    }

    [DoesNotReturn]
    private static void ThrowStack() => throw new InsufficientExecutionStackException();

    // ---------------------------------------------------------------- text and names

    private string Text(Token t) => RawUtf8.Decode(Src.Slice(t.Start, t.Length));

    private string Text(int start, int end) => RawUtf8.Decode(Src[start..end]);

    /// <summary>True for tokens SQLite's grammar accepts as "ID" here (ID or a keyword that falls back to it).</summary>
    private static bool IsId(TokenKind k) => k == TokenKind.Id || Keywords.FallsBackToId(k);

    /// <summary>"nm": ID, STRING, INDEXED, a join keyword, or a fallback keyword.</summary>
    private static bool IsNm(TokenKind k) =>
        k is TokenKind.Id or TokenKind.String or TokenKind.Indexed || Keywords.IsJoinKeyword(k) || Keywords.FallsBackToId(k);

    /// <summary>"ids": ID or STRING (or a fallback keyword).</summary>
    private static bool IsIds(TokenKind k) => k is TokenKind.Id or TokenKind.String || Keywords.FallsBackToId(k);

    private static QuoteStyle QuoteOf(byte first) => first switch
    {
        (byte)'"' => QuoteStyle.Double,
        (byte)'[' => QuoteStyle.Bracket,
        (byte)'`' => QuoteStyle.Backtick,
        (byte)'\'' => QuoteStyle.Single,
        _ => QuoteStyle.None,
    };

    /// <summary>The dequoted text of a name or string token.</summary>
    private string Dequote(Token t)
    {
        ReadOnlySpan<byte> s = Src.Slice(t.Start, t.Length);
        if (s.Length == 0) return "";
        byte q = s[0];
        if (q == '[') return RawUtf8.Decode(s[1..^1]);
        if (q is not ((byte)'"' or (byte)'\'' or (byte)'`')) return RawUtf8.Decode(s);
        ReadOnlySpan<byte> inner = s[1..^1];
        if (inner.IndexOf(q) < 0) return RawUtf8.Decode(inner);
        var buf = new byte[inner.Length];
        int n = 0;
        for (int i = 0; i < inner.Length; i++)
        {
            buf[n++] = inner[i];
            if (inner[i] == q) i++;
        }
        return RawUtf8.Decode(buf.AsSpan(0, n));
    }

    /// <summary>Reads an "nm" and returns it dequoted.</summary>
    private string ExpectNm()
    {
        if (!IsNm(_tok.Kind)) throw SyntaxError();
        string name = Dequote(_tok);
        Advance();
        return name;
    }

    /// <summary>Reads an "ids" (ID or STRING) and returns it dequoted.</summary>
    private string ExpectIds()
    {
        if (!IsIds(_tok.Kind)) throw SyntaxError();
        string name = Dequote(_tok);
        Advance();
        return name;
    }

    /// <summary>Reads "nm [DOT nm]" into (schema, name).</summary>
    private (string? Schema, string Name) ExpectFullName()
    {
        string first = ExpectNm();
        if (_tok.Kind != TokenKind.Dot) return (null, first);
        Advance();
        return (first, ExpectNm());
    }

    // Lists under construction come from a per-thread pool and go back to it once their
    // items are copied into the tree, so building a list costs one exact-size array.
    private static List<T> Rent<T>() => ListPool<T>.Rent();

    private static List<T> Rent<T>(T first)
    {
        List<T> list = ListPool<T>.Rent();
        list.Add(first);
        return list;
    }

    private static void Return<T>(List<T> list) => ListPool<T>.Return(list);

    private static NodeList<T> List<T>(List<T>? items)
    {
        if (items is null) return default;
        var result = new NodeList<T>(items.ToArray());
        ListPool<T>.Return(items);
        return result;
    }

    private static class ListPool<T>
    {
        [ThreadStatic]
        private static Stack<List<T>>? t_free;

        public static List<T> Rent() => t_free is { Count: > 0 } free ? free.Pop() : new List<T>(8);

        public static void Return(List<T> list)
        {
            if (list.Capacity > 1024) return;
            list.Clear();
            Stack<List<T>> free = t_free ??= new Stack<List<T>>();
            if (free.Count < 64) free.Push(list);
        }
    }
}
