// SELECT: WITH, compounds, the simple SELECT and VALUES, result columns, FROM with
// joins, GROUP BY / HAVING / WINDOW, ORDER BY, LIMIT, and window specifications.
//
//   select     ::= [WITH [RECURSIVE] cte, ...] oneselect (compound-op oneselect)*
//   oneselect  ::= SELECT [DISTINCT|ALL] columns [FROM from] [WHERE e] [GROUP BY e, ...]
//                  [HAVING e] [WINDOW w AS (...), ...] [ORDER BY ...] [LIMIT ...]
//                | VALUES (e, ...) [, (e, ...)]*
//   from       ::= item (joinop item)*
//   item       ::= name[.name] [[AS] alias] [INDEXED BY i | NOT INDEXED] [ON e | USING (c, ...)]
//                | name[.name](args) [[AS] alias] [ON ... | USING ...]
//                | (select) [[AS] alias] [ON ... | USING ...]
//                | (from) [[AS] alias] [ON ... | USING ...]
//   joinop     ::= , | JOIN | jk JOIN | jk nm JOIN | jk nm nm JOIN   (jk: a join keyword)
//
// As in SQLite's grammar every core may carry ORDER BY and LIMIT; only the last may,
// which SQLite reports when the whole SELECT is complete.
using Tern.Sql.Ast;
using Tern.Sql.Lexer;

namespace Tern.Sql.Parsing;

internal sealed partial class Parser
{
    private const int MaxCompoundSelect = 500;

    /// <summary>SQLITE_MAX_COLUMN: also the most terms an ORDER BY or GROUP BY may have.</summary>
    private const int MaxColumns = 2000;

    private SelectStatement ParseSelect()
    {
        EnsureStack();
        int start = _tok.Start;
        WithClause? with = null;
        if (_tok.Kind == TokenKind.With) with = ParseWith();
        return ParseSelectAfterWith(start, with);
    }

    private SelectStatement ParseSelectAfterWith(int start, WithClause? with)
    {
        SelectCore first = ParseOneSelect(out List<OrderingTerm>? orderBy, out LimitClause? limit);
        List<CompoundPart>? compounds = null;
        string? misplaced = null;
        int count = 1;
        bool onlyValues = first is ValuesClause;
        while (_tok.Kind is TokenKind.Union or TokenKind.Except or TokenKind.Intersect)
        {
            int partStart = _tok.Start;
            CompoundOperator op = _tok.Kind switch
            {
                TokenKind.Union => CompoundOperator.Union,
                TokenKind.Except => CompoundOperator.Except,
                _ => CompoundOperator.Intersect,
            };
            Advance();
            if (op == CompoundOperator.Union && Accept(TokenKind.All)) op = CompoundOperator.UnionAll;
            if (orderBy is not null || limit is not null)
            {
                // SQLite names the rightmost misplaced clause and the operator after it.
                misplaced = $"{(orderBy is not null ? "ORDER BY" : "LIMIT")} clause should come after {OperatorName(op)} not before";
            }
            SelectCore core = ParseOneSelect(out orderBy, out limit);
            onlyValues = false;
            count++;
            (compounds ??= Rent<CompoundPart>()).Add(new CompoundPart(op, core) { Start = partStart, End = _lastEnd });
        }
        if (misplaced is not null) SetPending(misplaced, start);
        if (!onlyValues && count > MaxCompoundSelect) SetPending("too many terms in compound SELECT", start);
        return new SelectStatement(with, first, List(compounds), List(orderBy), limit) { Start = start, End = _lastEnd };
    }

    private static string OperatorName(CompoundOperator op) => op switch
    {
        CompoundOperator.Union => "UNION",
        CompoundOperator.UnionAll => "UNION ALL",
        CompoundOperator.Intersect => "INTERSECT",
        _ => "EXCEPT",
    };

    /// <summary>SQLite's height of a SELECT: the highest expression in its cores' clauses (not FROM).</summary>
    private static int SelectHeight(SelectStatement s)
    {
        int h = CoreHeight(s.First);
        foreach (CompoundPart p in s.Compounds) h = Max(h, CoreHeight(p.Select));
        foreach (OrderingTerm t in s.OrderBy) h = Max(h, t.Expr.Height);
        if (s.Limit is not null) h = Max(h, s.Limit.Height);
        return h;

        static int CoreHeight(SelectCore core)
        {
            if (core is not SelectClause c) return 0;
            int h = Max(c.Where?.Height ?? 0, c.Having?.Height ?? 0);
            foreach (ResultColumn rc in c.Columns)
            {
                if (rc is ExprColumn ec) h = Max(h, ec.Expr.Height);
            }
            foreach (Expr g in c.GroupBy) h = Max(h, g.Height);
            return h;
        }
    }

    private WithClause ParseWith()
    {
        int start = _tok.Start;
        Expect(TokenKind.With);
        bool recursive = Accept(TokenKind.Recursive);
        var tables = Rent<CommonTableExpression>();
        do
        {
            int cteStart = _tok.Start;
            string name = ExpectNm();
            // SQLite's parser refuses a name used twice in one WITH, even in a view's or a trigger's text.
            foreach (CommonTableExpression earlier in tables)
            {
                if (string.Equals(earlier.Name, name, StringComparison.OrdinalIgnoreCase))
                    throw new SqlParseException("duplicate WITH table name: " + name, cteStart);
            }
            List<string>? columns = ParseColumnNameListOpt();
            Expect(TokenKind.As);
            Materialization m = Materialization.Default;
            if (Accept(TokenKind.Materialized))
            {
                m = Materialization.Materialized;
            }
            else if (_tok.Kind == TokenKind.Not)
            {
                Advance();
                Expect(TokenKind.Materialized);
                m = Materialization.NotMaterialized;
            }
            Expect(TokenKind.LParen);
            SelectStatement select = ParseSelect();
            Expect(TokenKind.RParen);
            tables.Add(new CommonTableExpression(name, List(columns), m, select) { Start = cteStart, End = _lastEnd });
        }
        while (Accept(TokenKind.Comma));
        return new WithClause(recursive, List(tables)) { Start = start, End = _lastEnd };
    }

    /// <summary>
    /// "eidlist_opt": an optional parenthesized list of names. SQLite accepts COLLATE and
    /// ASC/DESC after each name only to report "syntax error after column name".
    /// </summary>
    private List<string>? ParseColumnNameListOpt()
    {
        if (_tok.Kind != TokenKind.LParen) return null;
        Advance();
        var names = Rent<string>();
        do
        {
            Token nameToken = _tok;
            string name = ExpectNm();
            bool extra = false;
            if (Accept(TokenKind.Collate))
            {
                ExpectIds();
                extra = true;
            }
            if (_tok.Kind is TokenKind.Asc or TokenKind.Desc)
            {
                Advance();
                extra = true;
            }
            if (extra) SetPending($"syntax error after column name \"{Text(nameToken)}\"", nameToken.Start);
            names.Add(name);
        }
        while (Accept(TokenKind.Comma));
        Expect(TokenKind.RParen);
        return names;
    }

    private SelectCore ParseOneSelect(out List<OrderingTerm>? orderBy, out LimitClause? limit)
    {
        orderBy = null;
        limit = null;
        int start = _tok.Start;
        if (_tok.Kind == TokenKind.Values)
        {
            var rows = Rent<NodeList<Expr>>();
            Advance();
            do
            {
                Expect(TokenKind.LParen);
                rows.Add(List(ParseExprList()));
                Expect(TokenKind.RParen);
            }
            while (Accept(TokenKind.Comma));
            return new ValuesClause(List(rows)) { Start = start, End = _lastEnd };
        }
        Expect(TokenKind.Select);
        bool distinct = false;
        if (Accept(TokenKind.Distinct)) distinct = true;
        else Accept(TokenKind.All);
        List<ResultColumn> columns = ParseResultColumns();
        List<FromItem>? from = null;
        if (Accept(TokenKind.From)) from = ParseFromList();
        Expr? where = null;
        if (Accept(TokenKind.Where)) where = ParseExpr();
        List<Expr>? groupBy = null;
        if (_tok.Kind == TokenKind.Group)
        {
            Advance();
            Expect(TokenKind.By);
            int groupStart = _tok.Start;
            groupBy = ParseExprList();
            if (groupBy.Count > MaxColumns) SetPending("too many terms in GROUP BY clause", groupStart);
        }
        Expr? having = null;
        if (Accept(TokenKind.Having)) having = ParseExpr();
        List<WindowDefinition>? windows = null;
        if (_tok.Kind == TokenKind.Window)
        {
            Advance();
            windows = Rent<WindowDefinition>();
            do
            {
                int wStart = _tok.Start;
                string name = ExpectNm();
                Expect(TokenKind.As);
                Expect(TokenKind.LParen);
                WindowSpec spec = ParseWindowSpec();
                Expect(TokenKind.RParen);
                windows.Add(new WindowDefinition(name, spec) { Start = wStart, End = _lastEnd });
            }
            while (Accept(TokenKind.Comma));
        }
        var core = new SelectClause(distinct, List(columns), List(from), where, List(groupBy), having, List(windows))
        { Start = start, End = _lastEnd };
        orderBy = ParseOrderByOpt();
        limit = ParseLimitOpt();
        return core;
    }

    private List<OrderingTerm>? ParseOrderByOpt()
    {
        if (_tok.Kind != TokenKind.Order) return null;
        Advance();
        Expect(TokenKind.By);
        int start = _tok.Start;
        List<OrderingTerm> terms = ParseSortList();
        if (terms.Count > MaxColumns) SetPending("too many terms in ORDER BY clause", start);
        return terms;
    }

    private LimitClause? ParseLimitOpt()
    {
        if (_tok.Kind != TokenKind.Limit) return null;
        int start = _tok.Start;
        Advance();
        Expr first = ParseExpr();
        Expr limit = first;
        Expr? offset = null;
        if (Accept(TokenKind.Offset))
        {
            offset = ParseExpr();
        }
        else if (Accept(TokenKind.Comma))
        {
            offset = first;
            limit = ParseExpr();
        }
        int h = Max(limit.Height, offset?.Height ?? 0) + 1;
        CheckHeight(h, start);
        return new LimitClause(limit, offset) { Start = start, End = _lastEnd, Height = h };
    }

    /// <summary>"sortlist": expr [ASC|DESC] [NULLS FIRST|LAST], ...</summary>
    private List<OrderingTerm> ParseSortList()
    {
        var list = Rent<OrderingTerm>();
        do
        {
            int start = _tok.Start;
            Expr e = ParseExpr();
            SortOrder order = SortOrder.Unspecified;
            if (Accept(TokenKind.Asc)) order = SortOrder.Asc;
            else if (Accept(TokenKind.Desc)) order = SortOrder.Desc;
            NullsOrder nulls = NullsOrder.Unspecified;
            if (Accept(TokenKind.Nulls))
            {
                if (Accept(TokenKind.First)) nulls = NullsOrder.First;
                else if (Accept(TokenKind.Last)) nulls = NullsOrder.Last;
                else throw SyntaxError();
            }
            list.Add(new OrderingTerm(e, order, nulls) { Start = start, End = _lastEnd });
        }
        while (Accept(TokenKind.Comma));
        return list;
    }

    /// <summary>"selcollist": result columns.</summary>
    private List<ResultColumn> ParseResultColumns()
    {
        var list = Rent<ResultColumn>();
        do
        {
            int start = _tok.Start;
            if (_tok.Kind == TokenKind.Star)
            {
                Advance();
                list.Add(new StarColumn { Start = start, End = _lastEnd });
                continue;
            }
            if (IsExprName(_tok.Kind) || _tok.Kind == TokenKind.String)
            {
                Token next = Peek();
                if (next.Kind == TokenKind.Dot && PeekAfter(next).Kind == TokenKind.Star)
                {
                    string table = Dequote(_tok);
                    Advance();
                    Advance();
                    Advance();
                    list.Add(new TableStarColumn(table) { Start = start, End = _lastEnd });
                    continue;
                }
            }
            Expr e = ParseExpr();
            int exprEnd = _lastEnd;
            string? alias = ParseAliasOpt();
            list.Add(new ExprColumn(e, alias) { Start = start, End = exprEnd });
        }
        while (Accept(TokenKind.Comma));
        return list;
    }

    /// <summary>"as": AS nm | ids | nothing.</summary>
    private string? ParseAliasOpt()
    {
        if (Accept(TokenKind.As)) return ExpectNm();
        if (IsIds(_tok.Kind))
        {
            string alias = Dequote(_tok);
            Advance();
            return alias;
        }
        return null;
    }

    /// <summary>"seltablist": the items of a FROM clause.</summary>
    private List<FromItem> ParseFromList()
    {
        EnsureStack();
        var items = Rent<FromItem>();
        JoinType join = JoinType.None;
        while (true)
        {
            int start = _tok.Start;
            TableSource source = ParseTableSource();
            Expr? on = null;
            List<string>? usingColumns = null;
            int onUsingStart = _tok.Start;
            if (Accept(TokenKind.On))
            {
                on = ParseExpr();
            }
            else if (Accept(TokenKind.Using))
            {
                Expect(TokenKind.LParen);
                usingColumns = ParseNameList();
                Expect(TokenKind.RParen);
            }
            if (items.Count == 0 && (on is not null || usingColumns is not null))
            {
                SetPending($"a JOIN clause is required before {(on is not null ? "ON" : "USING")}", onUsingStart);
            }
            items.Add(new FromItem(join, source, on, List(usingColumns)) { Start = start, End = _lastEnd });
            if (!TryParseJoinOperator(out join)) return items;
        }
    }

    /// <summary>"idlist": nm, ...</summary>
    private List<string> ParseNameList()
    {
        var names = Rent(ExpectNm());
        while (Accept(TokenKind.Comma)) names.Add(ExpectNm());
        return names;
    }

    private TableSource ParseTableSource()
    {
        int start = _tok.Start;
        if (_tok.Kind == TokenKind.LParen)
        {
            TokenKind next = Peek().Kind;
            Advance();
            if (next is TokenKind.Select or TokenKind.Values or TokenKind.With)
            {
                SelectStatement select = ParseSelect();
                Expect(TokenKind.RParen);
                string? alias = ParseAliasOpt();
                return new SubquerySource(select, alias) { Start = start, End = _lastEnd };
            }
            List<FromItem> inner = ParseFromList();
            Expect(TokenKind.RParen);
            string? nestedAlias = ParseAliasOpt();
            return new NestedJoin(List(inner), nestedAlias) { Start = start, End = _lastEnd };
        }
        (string? schema, string name) = ExpectFullName();
        if (Accept(TokenKind.LParen))
        {
            List<Expr>? args = null;
            if (_tok.Kind != TokenKind.RParen) args = ParseExprList();
            Expect(TokenKind.RParen);
            string? fnAlias = ParseAliasOpt();
            return new TableFunction(schema, name, List(args), fnAlias) { Start = start, End = _lastEnd };
        }
        string? tableAlias = ParseAliasOpt();
        string? indexedBy = null;
        bool notIndexed = false;
        if (_tok.Kind == TokenKind.Indexed)
        {
            Advance();
            Expect(TokenKind.By);
            indexedBy = ExpectNm();
        }
        else if (_tok.Kind == TokenKind.Not)
        {
            Advance();
            Expect(TokenKind.Indexed);
            notIndexed = true;
        }
        return new NamedTable(schema, name, tableAlias, indexedBy, notIndexed) { Start = start, End = _lastEnd };
    }

    private bool TryParseJoinOperator(out JoinType join)
    {
        join = JoinType.None;
        switch (_tok.Kind)
        {
            case TokenKind.Comma:
                Advance();
                join = JoinType.Inner | JoinType.Comma;
                return true;
            case TokenKind.Join:
                Advance();
                join = JoinType.Inner;
                return true;
        }
        if (!Keywords.IsJoinKeyword(_tok.Kind)) return false;
        var words = new List<Token>(3) { _tok };
        Advance();
        for (int i = 0; i < 2 && _tok.Kind != TokenKind.Join; i++)
        {
            if (!IsNm(_tok.Kind)) throw SyntaxError();
            words.Add(_tok);
            Advance();
        }
        int errorOffset = words[0].Start;
        Expect(TokenKind.Join);
        join = JoinTypeOf(words, errorOffset);
        return true;
    }

    // SQLite's sqlite3JoinType: the words before JOIN must be join keywords, INNER or CROSS
    // may not be mixed with OUTER/LEFT/RIGHT/FULL, and OUTER needs LEFT, RIGHT or FULL.
    private JoinType JoinTypeOf(List<Token> words, int offset)
    {
        JoinType t = JoinType.None;
        bool bad = false;
        foreach (Token w in words)
        {
            JoinType code = Text(w).ToLowerInvariant() switch
            {
                "natural" => JoinType.Natural,
                "left" => JoinType.Left | JoinType.Outer,
                "outer" => JoinType.Outer,
                "right" => JoinType.Right | JoinType.Outer,
                "full" => JoinType.Left | JoinType.Right | JoinType.Outer,
                "inner" => JoinType.Inner,
                "cross" => JoinType.Inner | JoinType.Cross,
                _ => JoinType.None,
            };
            if (code == JoinType.None)
            {
                bad = true;
                break;
            }
            t |= code;
        }
        if (bad
            || (t & (JoinType.Inner | JoinType.Outer)) == (JoinType.Inner | JoinType.Outer)
            || (t & (JoinType.Outer | JoinType.Left | JoinType.Right)) == JoinType.Outer)
        {
            SetPending("unknown join type: " + string.Join(" ", words.Select(Text)), offset);
            return JoinType.Inner;
        }
        if ((t & (JoinType.Left | JoinType.Right)) == 0) t |= JoinType.Inner;
        return t;
    }

    /// <summary>"window": [base] [PARTITION BY ...] [ORDER BY ...] [frame], inside the parentheses.</summary>
    private WindowSpec ParseWindowSpec()
    {
        int start = _tok.Start;
        string? baseName = null;
        if (_tok.Kind is not (TokenKind.Partition or TokenKind.Order or TokenKind.Range or TokenKind.Rows
                or TokenKind.Groups or TokenKind.RParen)
            && IsNm(_tok.Kind))
        {
            baseName = ExpectNm();
        }
        List<Expr>? partition = null;
        List<OrderingTerm>? orderBy = null;
        if (_tok.Kind == TokenKind.Partition)
        {
            Advance();
            Expect(TokenKind.By);
            partition = ParseExprList();
            orderBy = ParseOrderByOpt();
        }
        else if (_tok.Kind == TokenKind.Order)
        {
            orderBy = ParseOrderByOpt();
        }
        FrameSpec? frame = ParseFrameOpt();
        return new WindowSpec(baseName, List(partition), List(orderBy), frame) { Start = start, End = _lastEnd };
    }

    private FrameSpec? ParseFrameOpt()
    {
        FrameUnit unit;
        switch (_tok.Kind)
        {
            case TokenKind.Range: unit = FrameUnit.Range; break;
            case TokenKind.Rows: unit = FrameUnit.Rows; break;
            case TokenKind.Groups: unit = FrameUnit.Groups; break;
            default: return null;
        }
        int start = _tok.Start;
        Advance();
        FrameBound first;
        FrameBound? second = null;
        if (Accept(TokenKind.Between))
        {
            first = ParseFrameBound(isStart: true);
            Expect(TokenKind.And);
            second = ParseFrameBound(isStart: false);
        }
        else
        {
            first = ParseFrameBound(isStart: true);
        }
        FrameExclude exclude = FrameExclude.None;
        if (Accept(TokenKind.Exclude))
        {
            switch (_tok.Kind)
            {
                case TokenKind.No:
                    Advance();
                    Expect(TokenKind.Others);
                    exclude = FrameExclude.NoOthers;
                    break;
                case TokenKind.Current:
                    Advance();
                    Expect(TokenKind.Row);
                    exclude = FrameExclude.CurrentRow;
                    break;
                case TokenKind.Group:
                    Advance();
                    exclude = FrameExclude.Group;
                    break;
                case TokenKind.Ties:
                    Advance();
                    exclude = FrameExclude.Ties;
                    break;
                default:
                    throw SyntaxError();
            }
        }
        // SQLite's sqlite3WindowAlloc rejects frames that end before they start.
        FrameBoundKind s = first.Kind, e = second?.Kind ?? FrameBoundKind.CurrentRow;
        if ((s == FrameBoundKind.CurrentRow && e == FrameBoundKind.Preceding)
            || (s == FrameBoundKind.Following && e is FrameBoundKind.Preceding or FrameBoundKind.CurrentRow))
        {
            SetPending("unsupported frame specification", start);
        }
        return new FrameSpec(unit, first, second, exclude) { Start = start, End = _lastEnd };
    }

    private FrameBound ParseFrameBound(bool isStart)
    {
        int start = _tok.Start;
        if (_tok.Kind == TokenKind.Unbounded)
        {
            Advance();
            if (isStart)
            {
                Expect(TokenKind.Preceding);
                return new FrameBound(FrameBoundKind.UnboundedPreceding, null) { Start = start, End = _lastEnd };
            }
            Expect(TokenKind.Following);
            return new FrameBound(FrameBoundKind.UnboundedFollowing, null) { Start = start, End = _lastEnd };
        }
        if (_tok.Kind == TokenKind.Current)
        {
            Advance();
            Expect(TokenKind.Row);
            return new FrameBound(FrameBoundKind.CurrentRow, null) { Start = start, End = _lastEnd };
        }
        Expr offset = ParseExpr();
        FrameBoundKind kind;
        if (Accept(TokenKind.Preceding)) kind = FrameBoundKind.Preceding;
        else if (Accept(TokenKind.Following)) kind = FrameBoundKind.Following;
        else throw SyntaxError();
        return new FrameBound(kind, offset) { Start = start, End = _lastEnd };
    }
}
