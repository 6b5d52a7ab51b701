// How the shell decides when the SQL it has read so far is ready to run. Two scanners,
// both working on characters without parsing:
//
// - IsComplete answers what sqlite3_complete answers: does the text end with a ';' that
//   ends a statement? A ';' inside a string, a quoted name or a comment does not count,
//   and inside CREATE TRIGGER ... BEGIN ... END only the ';' after END does:
//
//     state      ';'     space   other   EXPLAIN  CREATE  TEMP   TRIGGER  END
//     Initial    Done    Initial Normal  Explain  Create  Normal Normal   Normal
//     Done       Done    Done    Normal  Explain  Create  Normal Normal   Normal
//     Normal     Done    Normal  Normal  Normal   Normal  Normal Normal   Normal
//     Explain    Done    Explain Explain Normal   Create  Normal Normal   Normal
//     Create     Done    Create  Normal  Normal   Normal  Create Body     Normal
//     Body       BodySemi Body   Body    Body     Body    Body   Body     Body
//     BodySemi   BodySemi BodySemi Body  Body     Body    Body   Body     AfterEnd
//     AfterEnd   Done    AfterEnd Body   Body     Body    Body   Body     Body
//
//   The text is complete when the scan ends in Done. An unterminated string, quoted name
//   or block comment makes it incomplete.
//
// - LineScan follows the input line by line (the shell's quick scan): whether the text
//   so far is inside a string or a block comment, whether it holds anything besides
//   spaces and comments, and whether its last such character is a ';'.
namespace Tern.Cli;

/// <summary>Character-level scanners for the shell's input.</summary>
public static class InputScanner
{
    private enum Token { Semi, Space, Other, Explain, Create, Temp, Trigger, End }

    private enum State { Initial, Done, Normal, Explain, Create, Body, BodySemi, AfterEnd }

    /// <summary>True when <paramref name="sql"/> ends with a ';' that ends a statement (sqlite3_complete).</summary>
    public static bool IsComplete(string sql) => Scan(sql, 0, stopAtFirst: false) == sql.Length;

    /// <summary>
    /// Where the first statement at or after <paramref name="start"/> ends: the index just past
    /// the ';' that completes it, or -1 when no ';' completes one.
    /// </summary>
    public static int FirstStatementEnd(string sql, int start)
    {
        int end = Scan(sql, start, stopAtFirst: true);
        return end > start ? end : -1;
    }

    // Runs the state machine from start. With stopAtFirst, returns the index just past the first
    // ';' that reaches Done; otherwise returns sql.Length when the text ends in Done. -1 otherwise.
    private static int Scan(string sql, int start, bool stopAtFirst)
    {
        State state = State.Initial;
        int i = start;
        while (i < sql.Length)
        {
            char c = sql[i];
            Token token;
            switch (c)
            {
                case ';':
                    token = Token.Semi;
                    i++;
                    break;
                case ' ' or '\t' or '\n' or '\r' or '\f':
                    token = Token.Space;
                    i++;
                    break;
                case '/' when i + 1 < sql.Length && sql[i + 1] == '*':
                    {
                        int close = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                        if (close < 0) return -1;
                        i = close + 2;
                        token = Token.Space;
                        break;
                    }
                case '-' when i + 1 < sql.Length && sql[i + 1] == '-':
                    {
                        int nl = sql.IndexOf('\n', i);
                        if (nl < 0) return !stopAtFirst && state == State.Done ? sql.Length : -1;
                        i = nl + 1;
                        token = Token.Space;
                        break;
                    }
                case '[':
                    {
                        int close = sql.IndexOf(']', i + 1);
                        if (close < 0) return -1;
                        i = close + 1;
                        token = Token.Other;
                        break;
                    }
                case '`' or '"' or '\'':
                    {
                        int close = sql.IndexOf(c, i + 1);
                        if (close < 0) return -1;
                        i = close + 1;
                        token = Token.Other;
                        break;
                    }
                default:
                    if (IsIdChar(c))
                    {
                        int wordStart = i;
                        while (i < sql.Length && IsIdChar(sql[i])) i++;
                        token = Keyword(sql.AsSpan(wordStart, i - wordStart));
                    }
                    else
                    {
                        token = Token.Other;
                        i++;
                    }
                    break;
            }
            state = Next(state, token);
            if (stopAtFirst && token == Token.Semi && state == State.Done) return i;
        }
        return !stopAtFirst && state == State.Done ? sql.Length : -1;
    }

    private static bool IsIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '$' || c >= 0x80;

    private static Token Keyword(ReadOnlySpan<char> word)
    {
        if (word.Equals("create", StringComparison.OrdinalIgnoreCase)) return Token.Create;
        if (word.Equals("trigger", StringComparison.OrdinalIgnoreCase)) return Token.Trigger;
        if (word.Equals("temp", StringComparison.OrdinalIgnoreCase) || word.Equals("temporary", StringComparison.OrdinalIgnoreCase)) return Token.Temp;
        if (word.Equals("end", StringComparison.OrdinalIgnoreCase)) return Token.End;
        if (word.Equals("explain", StringComparison.OrdinalIgnoreCase)) return Token.Explain;
        return Token.Other;
    }

    private static State Next(State state, Token token) => state switch
    {
        State.Initial or State.Done => token switch
        {
            Token.Semi => State.Done,
            Token.Space => state,
            Token.Explain => State.Explain,
            Token.Create => State.Create,
            _ => State.Normal,
        },
        State.Normal => token == Token.Semi ? State.Done : State.Normal,
        State.Explain => token switch
        {
            Token.Semi => State.Done,
            Token.Space or Token.Other => State.Explain,
            Token.Create => State.Create,
            _ => State.Normal,
        },
        State.Create => token switch
        {
            Token.Semi => State.Done,
            Token.Space or Token.Temp => State.Create,
            Token.Trigger => State.Body,
            _ => State.Normal,
        },
        State.Body => token == Token.Semi ? State.BodySemi : State.Body,
        State.BodySemi => token switch
        {
            Token.Semi or Token.Space => State.BodySemi,
            Token.End => State.AfterEnd,
            _ => State.Body,
        },
        _ => token switch // AfterEnd
        {
            Token.Semi => State.Done,
            Token.Space => State.AfterEnd,
            _ => State.Body,
        },
    };

    /// <summary>
    /// The quick scan of the input so far: carried from line to line, reset when the
    /// buffered text has been run or dropped.
    /// </summary>
    public struct LineScan
    {
        private char _quote;      // the closing character of the open string or name, or 0
        private bool _inComment;  // inside /* ... */

        /// <summary>Outside any string, quoted name or block comment.</summary>
        public readonly bool IsPlain => _quote == 0 && !_inComment;

        /// <summary>Something besides spaces and comments has been seen.</summary>
        public bool HasText { readonly get; private set; }

        /// <summary>The last character besides spaces and comments is a ';' (and the scan is plain).</summary>
        public bool EndsWithSemicolon { readonly get; private set; }

        /// <summary>Only spaces and comments, and nothing left open.</summary>
        public readonly bool IsBlank => IsPlain && !HasText;

        /// <summary>Scans one more line (without its newline).</summary>
        public void Scan(string line)
        {
            int i = 0;
            while (i < line.Length)
            {
                char c = line[i];
                if (_inComment)
                {
                    int close = line.IndexOf("*/", i, StringComparison.Ordinal);
                    if (close < 0) return;
                    _inComment = false;
                    i = close + 2;
                    continue;
                }
                if (_quote != 0)
                {
                    int close = line.IndexOf(_quote, i);
                    if (close < 0) return;
                    _quote = (char)0;
                    i = close + 1;
                    continue;
                }
                switch (c)
                {
                    case ' ' or '\t' or '\n' or '\r' or '\f' or '\v':
                        i++;
                        continue;
                    case ';':
                        HasText = true;
                        EndsWithSemicolon = true;
                        i++;
                        continue;
                    case '-' when i + 1 < line.Length && line[i + 1] == '-':
                        return;
                    case '/' when i + 1 < line.Length && line[i + 1] == '*':
                        _inComment = true;
                        i += 2;
                        continue;
                    case '\'' or '"' or '`':
                        _quote = c;
                        break;
                    case '[':
                        _quote = ']';
                        break;
                }
                HasText = true;
                EndsWithSemicolon = false;
                i++;
            }
        }
    }
}
