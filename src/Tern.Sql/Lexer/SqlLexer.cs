// The tokenizer: splits UTF-8 SQL into tokens exactly as SQLite's tokenizer does
// (same token boundaries, same kinds, same "illegal" cases), one token per call and
// without allocating. The parser asks for the next token at a byte offset.
//
// Token shapes, by first byte:
//
//   space  \t \n \f \r (then any of those and \v)      Space
//   --...  to end of line                             Comment
//   /*...*/ (an unterminated one runs to the end)     Comment; "/*" at the very end is "/" then "*"
//   '...'  with '' for a quote                        String (unterminated: Illegal)
//   "..."  `...`  with the quote doubled; [...]       Id     (unterminated: Illegal)
//   digits, .digits, 0x hex, with e/E exponent        Integer / Float; with '_' inside: QNumber;
//                                                     followed by an identifier byte: Illegal
//   ?digits                                           Variable
//   $ @ : # then identifier bytes, "::" pairs and     Variable (no name byte: Illegal)
//     a "(...)" suffix
//   x'hex'                                            Blob (odd count or non-hex: Illegal)
//   letters, digits, _, $, bytes >= 0x80              Id, or a keyword when it is made of
//                                                     letters and '_' only and is in Keywords
//   EF BB BF (UTF-8 byte order mark)                  Space
//   NUL or the end of the buffer                      Eof
//   anything else (including a lone !)                Illegal, one byte
namespace Tern.Sql.Lexer;

/// <summary>SQLite's tokenizer over UTF-8 bytes.</summary>
public static class SqlLexer
{
    /// <summary>True when <paramref name="c"/> may appear in an unquoted identifier.</summary>
    public static bool IsIdChar(byte c) =>
        c >= 0x80 || c is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z')
            or (>= (byte)'0' and <= (byte)'9') or (byte)'_' or (byte)'$';

    private static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';

    private static bool IsHexDigit(byte c) =>
        c is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\f' or (byte)'\r' or 0x0b;

    private static bool IsKeywordChar(byte c) =>
        c is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_';

    /// <summary>
    /// Reads the token that starts at <paramref name="pos"/>. Bytes past the end of
    /// <paramref name="sql"/> read as NUL, and a NUL ends the input.
    /// </summary>
    public static Token Next(ReadOnlySpan<byte> sql, int pos)
    {
        int n = Scan(sql, pos, out TokenKind kind);
        return new Token(kind, pos, n);
    }

    private static byte At(ReadOnlySpan<byte> s, int i) => (uint)i < (uint)s.Length ? s[i] : (byte)0;

    /// <summary>Returns the length of the token at <paramref name="p"/> and its kind.</summary>
    public static int Scan(ReadOnlySpan<byte> s, int p, out TokenKind kind)
    {
        byte c = At(s, p);
        int i;
        switch (c)
        {
            case 0:
                kind = TokenKind.Eof;
                return 0;
            case (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\f' or (byte)'\r':
                for (i = 1; IsSpace(At(s, p + i)); i++) { }
                kind = TokenKind.Space;
                return i;
            case (byte)'-':
                if (At(s, p + 1) == '-')
                {
                    for (i = 2; At(s, p + i) is not 0 and not (byte)'\n'; i++) { }
                    kind = TokenKind.Comment;
                    return i;
                }
                if (At(s, p + 1) == '>')
                {
                    kind = TokenKind.Ptr;
                    return At(s, p + 2) == '>' ? 3 : 2;
                }
                kind = TokenKind.Minus;
                return 1;
            case (byte)'(': kind = TokenKind.LParen; return 1;
            case (byte)')': kind = TokenKind.RParen; return 1;
            case (byte)';': kind = TokenKind.Semi; return 1;
            case (byte)'+': kind = TokenKind.Plus; return 1;
            case (byte)'*': kind = TokenKind.Star; return 1;
            case (byte)'/':
                if (At(s, p + 1) != '*' || At(s, p + 2) == 0)
                {
                    kind = TokenKind.Slash;
                    return 1;
                }
                {
                    // Scan to "*/" or the end; an unterminated comment is still a comment.
                    byte prev = At(s, p + 2);
                    for (i = 3; ; i++)
                    {
                        byte cur = At(s, p + i);
                        if (prev == '*' && cur == '/') { i++; break; }
                        if (cur == 0) break;
                        prev = cur;
                    }
                    kind = TokenKind.Comment;
                    return i;
                }
            case (byte)'%': kind = TokenKind.Rem; return 1;
            case (byte)'=': kind = TokenKind.Eq; return At(s, p + 1) == '=' ? 2 : 1;
            case (byte)'<':
                switch (At(s, p + 1))
                {
                    case (byte)'=': kind = TokenKind.Le; return 2;
                    case (byte)'>': kind = TokenKind.Ne; return 2;
                    case (byte)'<': kind = TokenKind.LShift; return 2;
                    default: kind = TokenKind.Lt; return 1;
                }
            case (byte)'>':
                switch (At(s, p + 1))
                {
                    case (byte)'=': kind = TokenKind.Ge; return 2;
                    case (byte)'>': kind = TokenKind.RShift; return 2;
                    default: kind = TokenKind.Gt; return 1;
                }
            case (byte)'!':
                if (At(s, p + 1) != '=') { kind = TokenKind.Illegal; return 1; }
                kind = TokenKind.Ne;
                return 2;
            case (byte)'|':
                if (At(s, p + 1) != '|') { kind = TokenKind.BitOr; return 1; }
                kind = TokenKind.Concat;
                return 2;
            case (byte)',': kind = TokenKind.Comma; return 1;
            case (byte)'&': kind = TokenKind.BitAnd; return 1;
            case (byte)'~': kind = TokenKind.BitNot; return 1;
            case (byte)'\'' or (byte)'"' or (byte)'`':
                {
                    byte delim = c;
                    byte cur = 0;
                    for (i = 1; (cur = At(s, p + i)) != 0; i++)
                    {
                        if (cur == delim)
                        {
                            if (At(s, p + i + 1) == delim) i++;
                            else break;
                        }
                    }
                    if (cur == '\'') { kind = TokenKind.String; return i + 1; }
                    if (cur != 0) { kind = TokenKind.Id; return i + 1; }
                    kind = TokenKind.Illegal;
                    return i;
                }
            case (byte)'.':
                if (!IsDigit(At(s, p + 1))) { kind = TokenKind.Dot; return 1; }
                return ScanNumber(s, p, out kind);
            case >= (byte)'0' and <= (byte)'9':
                return ScanNumber(s, p, out kind);
            case (byte)'[':
                {
                    byte cur = c;
                    for (i = 1; cur != ']' && (cur = At(s, p + i)) != 0; i++) { }
                    kind = cur == ']' ? TokenKind.Id : TokenKind.Illegal;
                    return i;
                }
            case (byte)'?':
                for (i = 1; IsDigit(At(s, p + i)); i++) { }
                kind = TokenKind.Variable;
                return i;
            case (byte)'$' or (byte)'@' or (byte)':' or (byte)'#':
                {
                    int nameBytes = 0;
                    kind = TokenKind.Variable;
                    byte cur;
                    for (i = 1; (cur = At(s, p + i)) != 0; i++)
                    {
                        if (IsIdChar(cur))
                        {
                            nameBytes++;
                        }
                        else if (cur == '(' && nameBytes > 0)
                        {
                            do { i++; } while ((cur = At(s, p + i)) != 0 && !IsSpace(cur) && cur != ')');
                            if (cur == ')') i++;
                            else kind = TokenKind.Illegal;
                            break;
                        }
                        else if (cur == ':' && At(s, p + i + 1) == ':')
                        {
                            i++;
                        }
                        else
                        {
                            break;
                        }
                    }
                    if (nameBytes == 0) kind = TokenKind.Illegal;
                    return i;
                }
            case (byte)'x' or (byte)'X':
                if (At(s, p + 1) == '\'')
                {
                    kind = TokenKind.Blob;
                    for (i = 2; IsHexDigit(At(s, p + i)); i++) { }
                    if (At(s, p + i) != '\'' || (i % 2) != 0)
                    {
                        kind = TokenKind.Illegal;
                        while (At(s, p + i) is not 0 and not (byte)'\'') i++;
                    }
                    if (At(s, p + i) != 0) i++;
                    return i;
                }
                i = 1;
                break;
            case (>= (byte)'a' and <= (byte)'w') or (>= (byte)'A' and <= (byte)'W'):
                {
                    for (i = 1; IsKeywordChar(At(s, p + i)); i++) { }
                    if (IsIdChar(At(s, p + i)))
                    {
                        i++;
                        break;
                    }
                    kind = Keywords.Lookup(s.Slice(p, i));
                    return i;
                }
            case 0xEF:
                if (At(s, p + 1) == 0xBB && At(s, p + 2) == 0xBF)
                {
                    kind = TokenKind.Space;
                    return 3;
                }
                i = 1;
                break;
            case (byte)'y' or (byte)'Y' or (byte)'z' or (byte)'Z' or (byte)'_' or >= 0x80:
                i = 1;
                break;
            default:
                kind = TokenKind.Illegal;
                return 1;
        }
        while (IsIdChar(At(s, p + i))) i++;
        kind = TokenKind.Id;
        return i;
    }

    private static int ScanNumber(ReadOnlySpan<byte> s, int p, out TokenKind kind)
    {
        kind = TokenKind.Integer;
        int i;
        if (At(s, p) == '0' && (At(s, p + 1) | 0x20) == 'x' && IsHexDigit(At(s, p + 2)))
        {
            for (i = 3; ; i++)
            {
                byte c = At(s, p + i);
                if (IsHexDigit(c)) continue;
                if (c == '_') kind = TokenKind.QNumber;
                else break;
            }
        }
        else
        {
            for (i = 0; ; i++)
            {
                byte c = At(s, p + i);
                if (IsDigit(c)) continue;
                if (c == '_') kind = TokenKind.QNumber;
                else break;
            }
            if (At(s, p + i) == '.')
            {
                if (kind == TokenKind.Integer) kind = TokenKind.Float;
                for (i++; ; i++)
                {
                    byte c = At(s, p + i);
                    if (IsDigit(c)) continue;
                    if (c == '_') kind = TokenKind.QNumber;
                    else break;
                }
            }
            byte e = At(s, p + i);
            if ((e == 'e' || e == 'E')
                && (IsDigit(At(s, p + i + 1))
                    || ((At(s, p + i + 1) == '+' || At(s, p + i + 1) == '-') && IsDigit(At(s, p + i + 2)))))
            {
                if (kind == TokenKind.Integer) kind = TokenKind.Float;
                for (i += 2; ; i++)
                {
                    byte c = At(s, p + i);
                    if (IsDigit(c)) continue;
                    if (c == '_') kind = TokenKind.QNumber;
                    else break;
                }
            }
        }
        while (IsIdChar(At(s, p + i)))
        {
            kind = TokenKind.Illegal;
            i++;
        }
        return i;
    }
}
