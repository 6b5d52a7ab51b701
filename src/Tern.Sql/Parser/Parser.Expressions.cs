// Expressions, by precedence climbing over SQLite's operator table (parse.y's
// %left/%right lines), lowest first:
//
//   level  operators                                          assoc.  right operand parsed at
//   -----  -------------------------------------------------  ------  -----------------------
//     1    OR                                                 left    2
//     2    AND                                                left    3
//     3    NOT x (prefix);  x NOT NULL / NOT LIKE / NOT IN /   right   3
//          NOT BETWEEN bind at this level from the left
//     4    = == != <> IS [NOT] [DISTINCT FROM] IN LIKE GLOB     left    5
//          REGEXP MATCH BETWEEN ISNULL NOTNULL
//     5    < <= > >=                                          left    6
//     6    ESCAPE (only after LIKE's right operand)           right   5 (the LIKE rule's level)
//     7    & | << >>                                          left    8
//     8    + -                                                left    9
//     9    * / %                                              left    10
//    10    || -> ->>                                          left    11
//    11    COLLATE name (postfix)                             left    -
//    12    - + ~ (prefix)                                     right   12
//
// Consequences worth knowing: NOT a = b is NOT (a = b); -a COLLATE x is (-a) COLLATE x;
// a = b NOT NULL is (a = b) NOT NULL; in x BETWEEN lo AND hi the first AND at the top
// level of lo belongs to BETWEEN and hi is parsed at level 5.
//
// Parentheses leave no node, but widen the span of the node inside. A run of '(' is handled in a loop rather than by
// recursion, so ((((x)))) nested 100,000 deep costs no stack, as in SQLite.
//
// Each node records SQLite's expression-tree height; a node higher than 1000 raises
// SQLite's "Expression tree is too large (maximum depth 1000)".
using Tern.Sql.Ast;
using Tern.Sql.Lexer;

namespace Tern.Sql.Parsing;

internal sealed partial class Parser
{
    private const int PrecOr = 1;
    private const int PrecAnd = 2;
    private const int PrecNot = 3;
    private const int PrecEquality = 4;
    private const int PrecComparison = 5;
    private const int PrecBitwise = 7;
    private const int PrecAdditive = 8;
    private const int PrecMultiplicative = 9;
    private const int PrecConcat = 10;
    private const int PrecCollate = 11;
    private const int PrecUnary = 12;

    private const int MaxExprDepth = 1000;
    private const int MaxFunctionArgs = 1000;

    private Expr ParseExpr() => ParseExpr(PrecOr, false);

    private Expr ParseExpr(int minPrec, bool stopAtAnd = false)
    {
        EnsureStack();
        Expr left = ParsePrefix();
        return ParseInfix(left, minPrec, stopAtAnd);
    }

    private void CheckHeight(int height, int offset)
    {
        if (height > MaxExprDepth) SetPending($"Expression tree is too large (maximum depth {MaxExprDepth})", offset);
    }

    private static int Max(int a, int b) => a > b ? a : b;

    private static int ListHeight(List<Expr>? list)
    {
        int h = 0;
        if (list is not null)
        {
            foreach (Expr e in list) h = Max(h, e.Height);
        }
        return h;
    }

    private Expr Unary(UnaryOperator op, Expr operand, int start)
    {
        int h = op is UnaryOperator.Negate or UnaryOperator.Plus && operand is UnaryExpr { Operator: UnaryOperator.Plus }
            ? operand.Height
            : operand.Height + 1;
        CheckHeight(h, start);
        return new UnaryExpr(op, operand) { Start = start, End = _lastEnd, Height = h };
    }

    private Expr Binary(BinaryOperator op, Expr left, Expr right)
    {
        int h = Max(left.Height, right.Height) + 1;
        CheckHeight(h, left.Start);
        return new BinaryExpr(op, left, right) { Start = left.Start, End = _lastEnd, Height = h };
    }

    private Expr ParsePrefix()
    {
        int start = _tok.Start;
        switch (_tok.Kind)
        {
            case TokenKind.Not:
                Advance();
                return Unary(UnaryOperator.Not, ParseExpr(PrecNot), start);
            case TokenKind.Minus:
                Advance();
                return Unary(UnaryOperator.Negate, ParseExpr(PrecUnary), start);
            case TokenKind.Plus:
                Advance();
                return Unary(UnaryOperator.Plus, ParseExpr(PrecUnary), start);
            case TokenKind.BitNot:
                Advance();
                return Unary(UnaryOperator.BitNot, ParseExpr(PrecUnary), start);
            default:
                return ParsePrimary();
        }
    }

    private Expr ParseInfix(Expr left, int minPrec, bool stopAtAnd)
    {
        while (true)
        {
            BinaryOperator op;
            int prec;
            switch (_tok.Kind)
            {
                case TokenKind.Or: op = BinaryOperator.Or; prec = PrecOr; break;
                case TokenKind.And:
                    if (stopAtAnd) return left;
                    op = BinaryOperator.And; prec = PrecAnd; break;
                case TokenKind.Eq: op = BinaryOperator.Eq; prec = PrecEquality; break;
                case TokenKind.Ne: op = BinaryOperator.Ne; prec = PrecEquality; break;
                case TokenKind.Lt: op = BinaryOperator.Lt; prec = PrecComparison; break;
                case TokenKind.Le: op = BinaryOperator.Le; prec = PrecComparison; break;
                case TokenKind.Gt: op = BinaryOperator.Gt; prec = PrecComparison; break;
                case TokenKind.Ge: op = BinaryOperator.Ge; prec = PrecComparison; break;
                case TokenKind.BitAnd: op = BinaryOperator.BitAnd; prec = PrecBitwise; break;
                case TokenKind.BitOr: op = BinaryOperator.BitOr; prec = PrecBitwise; break;
                case TokenKind.LShift: op = BinaryOperator.LShift; prec = PrecBitwise; break;
                case TokenKind.RShift: op = BinaryOperator.RShift; prec = PrecBitwise; break;
                case TokenKind.Plus: op = BinaryOperator.Add; prec = PrecAdditive; break;
                case TokenKind.Minus: op = BinaryOperator.Subtract; prec = PrecAdditive; break;
                case TokenKind.Star: op = BinaryOperator.Multiply; prec = PrecMultiplicative; break;
                case TokenKind.Slash: op = BinaryOperator.Divide; prec = PrecMultiplicative; break;
                case TokenKind.Rem: op = BinaryOperator.Remainder; prec = PrecMultiplicative; break;
                case TokenKind.Concat: op = BinaryOperator.Concat; prec = PrecConcat; break;
                case TokenKind.Ptr:
                    {
                        if (minPrec > PrecConcat) return left;
                        bool text = _tok.Length == 3;
                        Advance();
                        Expr right = ParseExpr(PrecConcat + 1);
                        // SQLite builds -> and ->> as a two-argument function call.
                        int h = Max(left.Height, right.Height) + 1;
                        CheckHeight(h, left.Start);
                        left = new BinaryExpr(text ? BinaryOperator.JsonExtractText : BinaryOperator.JsonExtract, left, right)
                        { Start = left.Start, End = _lastEnd, Height = h };
                        continue;
                    }
                case TokenKind.Collate:
                    {
                        if (minPrec > PrecCollate) return left;
                        Advance();
                        string name = ExpectIds();
                        // SQLite's COLLATE node is a fresh leaf-height node wrapping its operand.
                        left = new CollateExpr(left, name) { Start = left.Start, End = _lastEnd, Height = 1 };
                        continue;
                    }
                case TokenKind.Is:
                    {
                        if (minPrec > PrecEquality) return left;
                        Advance();
                        bool not = Accept(TokenKind.Not);
                        if (Accept(TokenKind.Distinct))
                        {
                            Expect(TokenKind.From);
                            not = !not;
                        }
                        Expr right = ParseExpr(PrecEquality + 1);
                        left = Binary(not ? BinaryOperator.IsNot : BinaryOperator.Is, left, right);
                        continue;
                    }
                case TokenKind.Like:
                case TokenKind.Glob:
                case TokenKind.Regexp:
                case TokenKind.Match:
                    if (minPrec > PrecEquality) return left;
                    left = ParseLike(left, false);
                    continue;
                case TokenKind.Between:
                    if (minPrec > PrecEquality) return left;
                    Advance();
                    left = ParseBetween(left, false);
                    continue;
                case TokenKind.In:
                    if (minPrec > PrecEquality) return left;
                    Advance();
                    left = ParseIn(left, false);
                    continue;
                case TokenKind.IsNull:
                case TokenKind.NotNull:
                    {
                        if (minPrec > PrecEquality) return left;
                        bool notNull = _tok.Kind == TokenKind.NotNull;
                        Advance();
                        left = NullTest(left, notNull);
                        continue;
                    }
                case TokenKind.Not:
                    {
                        if (minPrec > PrecNot) return left;
                        Advance();
                        switch (_tok.Kind)
                        {
                            case TokenKind.Null:
                                Advance();
                                left = NullTest(left, true);
                                continue;
                            case TokenKind.Like:
                            case TokenKind.Glob:
                            case TokenKind.Regexp:
                            case TokenKind.Match:
                                left = ParseLike(left, true);
                                continue;
                            case TokenKind.Between:
                                Advance();
                                left = ParseBetween(left, true);
                                continue;
                            case TokenKind.In:
                                Advance();
                                left = ParseIn(left, true);
                                continue;
                            default:
                                throw SyntaxError();
                        }
                    }
                default:
                    return left;
            }

            if (prec < minPrec) return left;
            Advance();
            Expr rhs = ParseExpr(prec + 1);
            left = Binary(op, left, rhs);
        }
    }

    private Expr NullTest(Expr operand, bool notNull)
    {
        int h = operand.Height + 1;
        CheckHeight(h, operand.Start);
        return new NullTestExpr(operand, notNull) { Start = operand.Start, End = _lastEnd, Height = h };
    }

    private Expr ParseLike(Expr left, bool not)
    {
        LikeOperator op = _tok.Kind switch
        {
            TokenKind.Like => LikeOperator.Like,
            TokenKind.Glob => LikeOperator.Glob,
            TokenKind.Regexp => LikeOperator.Regexp,
            _ => LikeOperator.Match,
        };
        Advance();
        Expr pattern = ParseExpr(PrecEquality + 1);
        Expr? escape = null;
        if (Accept(TokenKind.Escape)) escape = ParseExpr(PrecEquality + 1);
        // SQLite: a function call over (pattern, left[, escape]), then NOT.
        int h = Max(Max(left.Height, pattern.Height), escape?.Height ?? 0) + 1;
        CheckHeight(h, left.Start);
        if (not) h++;
        CheckHeight(h, left.Start);
        return new LikeExpr(op, not, left, pattern, escape) { Start = left.Start, End = _lastEnd, Height = h };
    }

    private Expr ParseBetween(Expr left, bool not)
    {
        Expr low = ParseExpr(PrecOr, stopAtAnd: true);
        Expect(TokenKind.And);
        Expr high = ParseExpr(PrecEquality + 1);
        // SQLite's BETWEEN node counts only its left operand's height.
        int h = left.Height + 1;
        CheckHeight(h, left.Start);
        if (not) h++;
        CheckHeight(h, left.Start);
        return new BetweenExpr(not, left, low, high) { Start = left.Start, End = _lastEnd, Height = h };
    }

    private Expr ParseIn(Expr left, bool not)
    {
        int h;
        if (_tok.Kind == TokenKind.LParen)
        {
            Advance();
            if (_tok.Kind is TokenKind.Select or TokenKind.Values or TokenKind.With)
            {
                SelectStatement select = ParseSelect();
                Expect(TokenKind.RParen);
                CheckHeight(left.Height + 1, left.Start);
                h = Max(left.Height, SelectHeight(select)) + 1;
                CheckHeight(h, left.Start);
                if (not) CheckHeight(++h, left.Start);
                return new InSelectExpr(not, left, select) { Start = left.Start, End = _lastEnd, Height = h };
            }
            List<Expr>? items = null;
            if (_tok.Kind != TokenKind.RParen) items = ParseExprList();
            Expect(TokenKind.RParen);
            if (items is [SubqueryExpr only])
            {
                // SQLite reads x IN ((SELECT ...)) as x IN (SELECT ...): a set, empty when the query is.
                h = Max(left.Height, SelectHeight(only.Select)) + 1;
                CheckHeight(h, left.Start);
                if (not) CheckHeight(++h, left.Start);
                return new InSelectExpr(not, left, only.Select) { Start = left.Start, End = _lastEnd, Height = h };
            }
            if (items is null)
            {
                // SQLite folds x IN () to a constant (or constant AND/OR x when x calls a function).
                h = ContainsFunction(left) ? Max(1, left.Height) + 1 : 1;
            }
            else if (items.Count == 1 && IsConstantExpr(items[0]) && left is not RowValueExpr)
            {
                // SQLite rewrites x IN (c) as x = +c.
                h = Max(left.Height, items[0].Height + 1) + 1;
            }
            else
            {
                h = Max(left.Height, ListHeight(items)) + 1;
            }
            CheckHeight(h, left.Start);
            if (not && items is not null) CheckHeight(++h, left.Start);
            return new InListExpr(not, left, List(items)) { Start = left.Start, End = _lastEnd, Height = h };
        }
        if (!IsNm(_tok.Kind)) throw SyntaxError();
        (string? schema, string table) = ExpectFullName();
        List<Expr>? args = null;
        if (_tok.Kind == TokenKind.LParen)
        {
            Advance();
            if (_tok.Kind != TokenKind.RParen) args = ParseExprList();
            Expect(TokenKind.RParen);
        }
        h = left.Height + 1;
        CheckHeight(h, left.Start);
        if (not) CheckHeight(++h, left.Start);
        return new InTableExpr(not, left, schema, table, List(args)) { Start = left.Start, End = _lastEnd, Height = h };
    }

    // SQLite's EP_HasFunc: set on function calls (LIKE, ->, ->> and CURRENT_* are built
    // as calls) and propagated to the nodes built over them (not out of subqueries, not
    // from a BETWEEN's bounds, only from a row value's first item). An x IN () without a
    // function folds to a constant.
    private static bool ContainsFunction(Expr e)
    {
        EnsureStack();
        return e switch
        {
            FunctionCall or LikeExpr => true,
            Literal { Kind: LiteralKind.CurrentDate or LiteralKind.CurrentTime or LiteralKind.CurrentTimestamp } => true,
            BinaryExpr { Operator: BinaryOperator.JsonExtract or BinaryOperator.JsonExtractText } => true,
            UnaryExpr u => ContainsFunction(u.Operand),
            BinaryExpr b => ContainsFunction(b.Left) || ContainsFunction(b.Right),
            CollateExpr c => ContainsFunction(c.Operand),
            CastExpr c => ContainsFunction(c.Operand),
            NullTestExpr n => ContainsFunction(n.Operand),
            BetweenExpr b => ContainsFunction(b.Operand),
            InListExpr i => ContainsFunction(i.Operand) || (!i.Items.IsEmpty && AnyContainsFunction(i.Items)),
            InSelectExpr i => ContainsFunction(i.Operand),
            InTableExpr i => ContainsFunction(i.Operand),
            CaseExpr c => (c.Operand is not null && ContainsFunction(c.Operand))
                || AnyWhenContainsFunction(c.Whens)
                || (c.Else is not null && ContainsFunction(c.Else)),
            RowValueExpr r => ContainsFunction(r.Items[0]),
            _ => false,
        };
    }

    private static bool AnyWhenContainsFunction(NodeList<CaseWhen> whens)
    {
        foreach (CaseWhen w in whens)
        {
            if (ContainsFunction(w.Condition) || ContainsFunction(w.Result)) return true;
        }
        return false;
    }

    private static bool AnyContainsFunction(NodeList<Expr> items)
    {
        foreach (Expr e in items)
        {
            if (ContainsFunction(e)) return true;
        }
        return false;
    }

    private static bool IsConstantExpr(Expr e)
    {
        EnsureStack();
        return e switch
        {
            Literal or ParameterExpr => true,
            UnaryExpr u => IsConstantExpr(u.Operand),
            BinaryExpr b => IsConstantExpr(b.Left) && IsConstantExpr(b.Right),
            CollateExpr c => IsConstantExpr(c.Operand),
            CastExpr c => IsConstantExpr(c.Operand),
            _ => false,
        };
    }

    /// <summary>"nexprlist": expr (COMMA expr)*.</summary>
    private List<Expr> ParseExprList()
    {
        var list = Rent(ParseExpr());
        while (_tok.Kind == TokenKind.Comma)
        {
            Advance();
            list.Add(ParseExpr());
        }
        return list;
    }

    /// <summary>True for tokens that begin an "idj" name at the start of an expression.</summary>
    private static bool IsExprName(TokenKind k) =>
        (k is TokenKind.Id or TokenKind.Indexed || Keywords.IsJoinKeyword(k) || Keywords.FallsBackToId(k))
        && k is not (TokenKind.Cast or TokenKind.Raise) && !Keywords.IsTimeKeyword(k);

    private Expr ParsePrimary()
    {
        Token t = _tok;
        int start = t.Start;
        switch (t.Kind)
        {
            case TokenKind.Integer:
                Advance();
                return new Literal(LiteralKind.Integer, Text(t)) { Start = start, End = _lastEnd, Height = 1 };
            case TokenKind.Float:
                Advance();
                return new Literal(LiteralKind.Float, Text(t)) { Start = start, End = _lastEnd, Height = 1 };
            case TokenKind.QNumber:
                {
                    Advance();
                    (string digits, bool isFloat) = DequoteNumber(t);
                    return new Literal(isFloat ? LiteralKind.Float : LiteralKind.Integer, digits) { Start = start, End = _lastEnd, Height = 1 };
                }
            case TokenKind.String:
                if (Peek().Kind == TokenKind.Dot) return ParseColumnRef();
                Advance();
                return new Literal(LiteralKind.String, Dequote(t)) { Start = start, End = _lastEnd, Height = 1 };
            case TokenKind.Blob:
                Advance();
                return new Literal(LiteralKind.Blob, Text(t.Start + 2, t.End - 1)) { Start = start, End = _lastEnd, Height = 1 };
            case TokenKind.Null:
                Advance();
                return new Literal(LiteralKind.Null, "NULL") { Start = start, End = _lastEnd, Height = 1 };
            case TokenKind.CurrentTime:
                Advance();
                return new Literal(LiteralKind.CurrentTime, "CURRENT_TIME") { Start = start, End = _lastEnd, Height = 1 };
            case TokenKind.CurrentDate:
                Advance();
                return new Literal(LiteralKind.CurrentDate, "CURRENT_DATE") { Start = start, End = _lastEnd, Height = 1 };
            case TokenKind.CurrentTimestamp:
                Advance();
                return new Literal(LiteralKind.CurrentTimestamp, "CURRENT_TIMESTAMP") { Start = start, End = _lastEnd, Height = 1 };
            case TokenKind.Variable:
            {
                string name = Text(t);
                Advance();
                if (name.Length >= 2 && name[0] == '#' && char.IsAsciiDigit(name[1]))
                {
                    // SQLite reserves #N for its own nested parses.
                    SetPending($"near \"{name}\": syntax error", start);
                }
                int number = NumberParameter(name, start);
                return new ParameterExpr(name, number) { Start = start, End = _lastEnd, Height = 1 };
            }
            case TokenKind.LParen:
                return ParseParenthesized();
            case TokenKind.Cast:
                return ParseCast();
            case TokenKind.Case:
                return ParseCase();
            case TokenKind.Exists:
                {
                    Advance();
                    Expect(TokenKind.LParen);
                    SelectStatement select = ParseSelect();
                    Expect(TokenKind.RParen);
                    int h = SelectHeight(select) + 1;
                    CheckHeight(h, start);
                    return new ExistsExpr(select) { Start = start, End = _lastEnd, Height = h };
                }
            case TokenKind.Raise:
                return ParseRaise();
            default:
                if (IsExprName(t.Kind))
                {
                    if (Peek().Kind == TokenKind.LParen) return ParseFunctionCall();
                    return ParseColumnRef();
                }
                throw SyntaxError();
        }
    }

    private const int MaxVariableNumber = 32766;
    private int _variableCount;
    private Dictionary<string, int>? _variableNumbers;
    private HashSet<int>? _namedVariableNumbers;

    // SQLite's sqlite3ExprAssignVarNumber: numbers parameters as they are read.
    private int NumberParameter(string name, int offset)
    {
        int x;
        if (name.Length == 1)
        {
            x = ++_variableCount;
        }
        else if (name[0] == '?')
        {
            if (!long.TryParse(name.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n)
                || n < 1 || n > MaxVariableNumber)
            {
                SetPending($"variable number must be between ?1 and ?{MaxVariableNumber}", offset);
                return 0;
            }
            x = (int)n;
            bool add = false;
            if (x > _variableCount)
            {
                _variableCount = x;
                add = true;
            }
            else if (_namedVariableNumbers is null || !_namedVariableNumbers.Contains(x))
            {
                add = true;
            }
            if (add) AddVariableName(name, x);
        }
        else
        {
            if (_variableNumbers is null || !_variableNumbers.TryGetValue(name, out x))
            {
                x = ++_variableCount;
                AddVariableName(name, x);
            }
        }
        if (x > MaxVariableNumber) SetPending("too many SQL variables", offset);
        return x;
    }

    private void AddVariableName(string name, int number)
    {
        (_variableNumbers ??= new Dictionary<string, int>(StringComparer.Ordinal)).TryAdd(name, number);
        (_namedVariableNumbers ??= []).Add(number);
    }

    // QNUMBER: SQLite drops the '_' separators and rejects one that is not between two
    // digits (hex digits after 0x), naming the number as it stands mid-rewrite.
    private (string Digits, bool IsFloat) DequoteNumber(Token t)
    {
        byte[] z = Src.Slice(t.Start, t.Length).ToArray();
        bool hex = z.Length > 1 && z[0] == '0' && (z[1] | 0x20) == 'x';
        bool isFloat = false;
        string? error = null;
        int o = 0;
        for (int i = 0; i < z.Length; i++)
        {
            byte c = z[i];
            if (c != '_')
            {
                z[o++] = c;
                if (!hex && (c == 'e' || c == 'E' || c == '.')) isFloat = true;
                continue;
            }
            byte before = z[i - 1];
            byte after = i + 1 < z.Length ? z[i + 1] : (byte)0;
            bool ok = hex ? IsHex(before) && IsHex(after) : char.IsAsciiDigit((char)before) && char.IsAsciiDigit((char)after);
            if (!ok)
            {
                error = $"unrecognized token: \"{System.Text.Encoding.UTF8.GetString(z)}\"";
            }
        }
        if (error is not null) SetPending(error, t.Start);
        return (System.Text.Encoding.UTF8.GetString(z, 0, o), isFloat);

        static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);
    }

    private Expr ParseColumnRef()
    {
        int start = _tok.Start;
        QuoteStyle quote = QuoteOf(Src[_tok.Start]);
        string first = Dequote(_tok);
        Advance();
        if (_tok.Kind != TokenKind.Dot)
        {
            return Named(new ColumnRef(null, null, first, quote) { Start = start, End = _lastEnd, Height = 1 });
        }
        Advance();
        if (!IsNm(_tok.Kind)) throw SyntaxError();
        QuoteStyle q2 = QuoteOf(Src[_tok.Start]);
        string second = Dequote(_tok);
        Advance();
        if (_tok.Kind != TokenKind.Dot)
        {
            CheckHeight(2, start);
            return Named(new ColumnRef(null, first, second, q2) { Start = start, End = _lastEnd, Height = 2 });
        }
        Advance();
        if (!IsNm(_tok.Kind)) throw SyntaxError();
        QuoteStyle q3 = QuoteOf(Src[_tok.Start]);
        string third = Dequote(_tok);
        Advance();
        CheckHeight(3, start);
        return Named(new ColumnRef(first, second, third, q3) { Start = start, End = _lastEnd, Height = 3 });
    }

    private Expr ParseFunctionCall()
    {
        int start = _tok.Start;
        Token nameToken = _tok;
        string name = Dequote(_tok);
        Advance();
        Expect(TokenKind.LParen);
        bool distinct = false, star = false;
        List<Expr>? args = null;
        List<OrderingTerm>? orderBy = null;
        if (_tok.Kind == TokenKind.Star)
        {
            Advance();
            star = true;
        }
        else
        {
            if (Accept(TokenKind.Distinct)) distinct = true;
            else Accept(TokenKind.All);
            if (_tok.Kind is not (TokenKind.RParen or TokenKind.Order)) args = ParseExprList();
            if (_tok.Kind == TokenKind.Order)
            {
                Advance();
                Expect(TokenKind.By);
                orderBy = ParseSortList();
            }
        }
        Expect(TokenKind.RParen);
        int h = ListHeight(args) + 1;
        if (args is not null && args.Count > MaxFunctionArgs)
        {
            SetPending($"too many arguments on function {Text(nameToken)}", start);
        }
        CheckHeight(h, start);

        Expr? filter = null;
        OverClause? over = null;
        if (_tok.Kind == TokenKind.Filter)
        {
            Advance();
            Expect(TokenKind.LParen);
            Expect(TokenKind.Where);
            filter = ParseExpr();
            Expect(TokenKind.RParen);
        }
        if (_tok.Kind == TokenKind.Over)
        {
            int overStart = _tok.Start;
            Advance();
            if (_tok.Kind == TokenKind.LParen)
            {
                Advance();
                WindowSpec spec = ParseWindowSpec();
                Expect(TokenKind.RParen);
                over = new OverClause(null, spec) { Start = overStart, End = _lastEnd };
            }
            else
            {
                string windowName = ExpectNm();
                over = new OverClause(windowName, null) { Start = overStart, End = _lastEnd };
            }
            if (distinct) SetPending("DISTINCT is not supported for window functions", start);
        }
        return Named(new FunctionCall(name, distinct, List(args), star, List(orderBy), filter, over)
        { Start = start, End = _lastEnd, Height = h });
    }

    private Expr ParseParenthesized()
    {
        // A run of '(' that opens expressions (not subqueries) is counted, not recursed.
        List<int> opens = Rent<int>();
        while (_tok.Kind == TokenKind.LParen && Peek().Kind is not (TokenKind.Select or TokenKind.Values or TokenKind.With))
        {
            opens.Add(_tok.Start);
            Advance();
        }
        Expr e;
        if (opens.Count == 0)
        {
            Return(opens);
            // '(' SELECT ... ')': a scalar subquery.
            int start = _tok.Start;
            Advance();
            SelectStatement select = ParseSelect();
            Expect(TokenKind.RParen);
            int h = SelectHeight(select) + 1;
            CheckHeight(h, start);
            return new SubqueryExpr(select) { Start = start, End = _lastEnd, Height = h };
        }
        e = ParseExpr();
        for (int level = opens.Count - 1; level >= 0; level--)
        {
            if (_tok.Kind == TokenKind.Comma)
            {
                var items = Rent(e);
                while (Accept(TokenKind.Comma)) items.Add(ParseExpr());
                Expect(TokenKind.RParen);
                e = new RowValueExpr(List(items)) { Start = opens[level], End = _lastEnd, Height = 1 };
            }
            else
            {
                Expect(TokenKind.RParen);
                // The node's text takes in its parentheses (SQLite's span: "(a)+1" names its column so).
                e = e with { Start = opens[level], End = _lastEnd };
            }
            if (level > 0) e = ParseInfix(e, PrecOr, false);
        }
        Return(opens);
        return e;
    }

    private Expr ParseCast()
    {
        int start = _tok.Start;
        Advance();
        Expect(TokenKind.LParen);
        Expr operand = ParseExpr();
        Expect(TokenKind.As);
        string type = ParseTypeName() ?? "";
        Expect(TokenKind.RParen);
        return new CastExpr(operand, type) { Start = start, End = _lastEnd, Height = operand.Height + 1 };
    }

    /// <summary>
    /// "typetoken": zero or more names, optionally followed by (n) or (n, m). Returns the
    /// source text from the first to the last token, or null when empty.
    /// </summary>
    private string? ParseTypeName()
    {
        if (!IsIds(_tok.Kind)) return null;
        int start = _tok.Start;
        while (IsIds(_tok.Kind)) Advance();
        if (_tok.Kind == TokenKind.LParen)
        {
            Advance();
            ParseSignedNumber();
            if (Accept(TokenKind.Comma)) ParseSignedNumber();
            Expect(TokenKind.RParen);
        }
        return Text(start, _lastEnd);
    }

    /// <summary>"signed": [+|-] INTEGER|FLOAT. Returns the text (with a leading '-' when negative).</summary>
    private string ParseSignedNumber()
    {
        bool minus = false;
        if (_tok.Kind == TokenKind.Plus) Advance();
        else if (_tok.Kind == TokenKind.Minus)
        {
            Advance();
            minus = true;
        }
        if (_tok.Kind is not (TokenKind.Integer or TokenKind.Float)) throw SyntaxError();
        string text = Text(_tok);
        Advance();
        return minus ? "-" + text : text;
    }

    private Expr ParseCase()
    {
        int start = _tok.Start;
        Advance();
        Expr? operand = null;
        if (_tok.Kind != TokenKind.When) operand = ParseExpr();
        int h = (operand?.Height ?? 0) + 1;
        CheckHeight(h, start);
        var whens = Rent<CaseWhen>();
        int listHeight = 0;
        do
        {
            int whenStart = _tok.Start;
            Expect(TokenKind.When);
            Expr cond = ParseExpr();
            Expect(TokenKind.Then);
            Expr result = ParseExpr();
            listHeight = Max(listHeight, Max(cond.Height, result.Height));
            whens.Add(new CaseWhen(cond, result) { Start = whenStart, End = _lastEnd });
        }
        while (_tok.Kind == TokenKind.When);
        Expr? elseExpr = null;
        if (Accept(TokenKind.Else))
        {
            elseExpr = ParseExpr();
            listHeight = Max(listHeight, elseExpr.Height);
        }
        Expect(TokenKind.End);
        h = Max(operand?.Height ?? 0, listHeight) + 1;
        CheckHeight(h, start);
        return new CaseExpr(operand, List(whens), elseExpr) { Start = start, End = _lastEnd, Height = h };
    }

    private Expr ParseRaise()
    {
        int start = _tok.Start;
        Advance();
        Expect(TokenKind.LParen);
        if (Accept(TokenKind.Ignore))
        {
            Expect(TokenKind.RParen);
            return new RaiseExpr(RaiseAction.Ignore, null) { Start = start, End = _lastEnd, Height = 1 };
        }
        RaiseAction action = _tok.Kind switch
        {
            TokenKind.Rollback => RaiseAction.Rollback,
            TokenKind.Abort => RaiseAction.Abort,
            TokenKind.Fail => RaiseAction.Fail,
            _ => throw SyntaxError(),
        };
        Advance();
        Expect(TokenKind.Comma);
        Expr message = ParseExpr();
        Expect(TokenKind.RParen);
        int h = message.Height + 1;
        CheckHeight(h, start);
        return new RaiseExpr(action, message) { Start = start, End = _lastEnd, Height = h };
    }
}
