// INSERT, REPLACE, UPDATE and DELETE (and their restricted forms inside trigger bodies).
//
//   insert ::= [with] (INSERT [OR conflict] | REPLACE) INTO name[.name] [AS alias] [(cols)]
//              (select upsert* [RETURNING ...] | DEFAULT VALUES [RETURNING ...])
//   upsert ::= ON CONFLICT [(terms) [WHERE e]] DO (NOTHING | UPDATE SET ... [WHERE e])
//              (only the last may omit the target)
//   update ::= [with] UPDATE [OR conflict] qualified-name SET assignments [FROM from]
//              [WHERE e] [RETURNING ...]
//   delete ::= [with] DELETE FROM qualified-name [WHERE e] [RETURNING ...]
using Tern.Sql.Ast;
using Tern.Sql.Lexer;

namespace Tern.Sql.Parsing;

internal sealed partial class Parser
{
    private ConflictResolution ParseResolveType()
    {
        ConflictResolution r = _tok.Kind switch
        {
            TokenKind.Rollback => ConflictResolution.Rollback,
            TokenKind.Abort => ConflictResolution.Abort,
            TokenKind.Fail => ConflictResolution.Fail,
            TokenKind.Ignore => ConflictResolution.Ignore,
            TokenKind.Replace => ConflictResolution.Replace,
            _ => throw SyntaxError(),
        };
        Advance();
        return r;
    }

    private ConflictResolution ParseOrConflictOpt()
    {
        if (!Accept(TokenKind.Or)) return ConflictResolution.Default;
        return ParseResolveType();
    }

    /// <summary>
    /// "xfullname": nm [DOT nm] [AS nm]. Inside a trigger body SQLite 3.50 takes only
    /// "trnm" (nm [DOT nm], no alias) and rejects a qualified name as soon as it is read.
    /// </summary>
    private QualifiedTableName ParseTargetTable(bool allowIndexHint, bool inTrigger)
    {
        int start = _tok.Start;
        (string? schema, string name) = ExpectFullName();
        string? alias = null;
        if (inTrigger)
        {
            if (schema is not null)
            {
                SetPending("qualified table names are not allowed on INSERT, UPDATE, and DELETE statements within triggers", start);
            }
        }
        else if (Accept(TokenKind.As))
        {
            alias = ExpectNm();
        }
        string? indexedBy = null;
        bool notIndexed = false;
        if (allowIndexHint)
        {
            if (_tok.Kind == TokenKind.Indexed)
            {
                Advance();
                Expect(TokenKind.By);
                indexedBy = ExpectNm();
                if (inTrigger)
                {
                    SetPending("the INDEXED BY clause is not allowed on UPDATE or DELETE statements within triggers", start);
                }
            }
            else if (_tok.Kind == TokenKind.Not)
            {
                Advance();
                Expect(TokenKind.Indexed);
                notIndexed = true;
                if (inTrigger)
                {
                    SetPending("the NOT INDEXED clause is not allowed on UPDATE or DELETE statements within triggers", start);
                }
            }
        }
        return new QualifiedTableName(schema, name, alias, indexedBy, notIndexed) { Start = start, End = _lastEnd };
    }

    private List<ResultColumn>? ParseReturningOpt()
    {
        if (!Accept(TokenKind.Returning)) return null;
        return ParseResultColumns();
    }

    private Statement ParseInsert(int start, WithClause? with, bool inTrigger)
    {
        ConflictResolution or;
        if (Accept(TokenKind.Replace))
        {
            or = ConflictResolution.Replace;
        }
        else
        {
            Expect(TokenKind.Insert);
            or = ParseOrConflictOpt();
        }
        Expect(TokenKind.Into);
        QualifiedTableName table = ParseTargetTable(allowIndexHint: false, inTrigger);
        List<string>? columns = null;
        if (Accept(TokenKind.LParen))
        {
            columns = ParseNameList();
            Expect(TokenKind.RParen);
        }
        if (!inTrigger && _tok.Kind == TokenKind.Default)
        {
            Advance();
            Expect(TokenKind.Values);
            List<ResultColumn>? ret = ParseReturningOpt();
            return new InsertStatement(with, or, table, List(columns), null, default, List(ret)) { Start = start, End = _lastEnd };
        }
        SelectStatement source = ParseSelect();
        List<UpsertClause>? upserts = null;
        List<ResultColumn>? returning = null;
        while (true)
        {
            if (_tok.Kind == TokenKind.Returning)
            {
                returning = ParseReturningOpt();
                break;
            }
            if (_tok.Kind != TokenKind.On) break;
            int upsertStart = _tok.Start;
            Advance();
            Expect(TokenKind.Conflict);
            List<OrderingTerm>? target = null;
            Expr? targetWhere = null;
            if (Accept(TokenKind.LParen))
            {
                target = ParseSortList();
                Expect(TokenKind.RParen);
                if (Accept(TokenKind.Where)) targetWhere = ParseExpr();
            }
            Expect(TokenKind.Do);
            UpsertClause clause;
            if (Accept(TokenKind.Nothing))
            {
                clause = new UpsertClause(List(target), targetWhere, true, default, null) { Start = upsertStart, End = _lastEnd };
            }
            else
            {
                Expect(TokenKind.Update);
                Expect(TokenKind.Set);
                List<SetClause> set = ParseSetList();
                Expr? where = null;
                if (Accept(TokenKind.Where)) where = ParseExpr();
                clause = new UpsertClause(List(target), targetWhere, false, List(set), where) { Start = upsertStart, End = _lastEnd };
            }
            (upserts ??= Rent<UpsertClause>()).Add(clause);
            if (target is null)
            {
                // An upsert without a target must be the last one.
                returning = ParseReturningOpt();
                break;
            }
        }
        return new InsertStatement(with, or, table, List(columns), source, List(upserts), List(returning))
        { Start = start, End = _lastEnd };
    }

    /// <summary>"setlist": nm = expr | (nm, ...) = expr, ...</summary>
    private List<SetClause> ParseSetList()
    {
        var list = Rent<SetClause>();
        do
        {
            int start = _tok.Start;
            if (Accept(TokenKind.LParen))
            {
                List<string> names = ParseNameList();
                Expect(TokenKind.RParen);
                Expect(TokenKind.Eq);
                Expr value = ParseExpr();
                list.Add(new SetClause(List(names), true, value) { Start = start, End = _lastEnd });
            }
            else
            {
                string name = ExpectNm();
                Expect(TokenKind.Eq);
                Expr value = ParseExpr();
                list.Add(new SetClause(new NodeList<string>([name]), false, value) { Start = start, End = _lastEnd });
            }
        }
        while (Accept(TokenKind.Comma));
        return list;
    }

    private Statement ParseUpdate(int start, WithClause? with, bool inTrigger)
    {
        Expect(TokenKind.Update);
        ConflictResolution or = ParseOrConflictOpt();
        QualifiedTableName table = ParseTargetTable(allowIndexHint: true, inTrigger);
        Expect(TokenKind.Set);
        List<SetClause> set = ParseSetList();
        List<FromItem>? from = null;
        if (Accept(TokenKind.From)) from = ParseFromList();
        (Expr? where, List<ResultColumn>? returning, List<OrderingTerm>? orderBy, LimitClause? limit) = ParseDmlTail(inTrigger);
        return new UpdateStatement(with, or, table, List(set), List(from), where, List(returning), List(orderBy), limit)
        { Start = start, End = _lastEnd };
    }

    /// <summary>
    /// The tail UPDATE and DELETE share: [WHERE expr] [RETURNING ...] and, when enabled and
    /// not inside a trigger, [ORDER BY ...] [LIMIT ...].
    /// </summary>
    private (Expr? Where, List<ResultColumn>? Returning, List<OrderingTerm>? OrderBy, LimitClause? Limit) ParseDmlTail(bool inTrigger)
    {
        Expr? where = null;
        if (Accept(TokenKind.Where)) where = ParseExpr();
        List<ResultColumn>? returning = inTrigger ? null : ParseReturningOpt();
        List<OrderingTerm>? orderBy = null;
        LimitClause? limit = null;
        if (!inTrigger && _options.AllowUpdateDeleteLimit)
        {
            orderBy = ParseOrderByOpt();
            limit = ParseLimitOpt();
        }
        return (where, returning, orderBy, limit);
    }

    private Statement ParseDelete(int start, WithClause? with, bool inTrigger)
    {
        Expect(TokenKind.Delete);
        Expect(TokenKind.From);
        QualifiedTableName table = ParseTargetTable(allowIndexHint: true, inTrigger);
        (Expr? where, List<ResultColumn>? returning, List<OrderingTerm>? orderBy, LimitClause? limit) = ParseDmlTail(inTrigger);
        return new DeleteStatement(with, table, where, List(returning), List(orderBy), limit) { Start = start, End = _lastEnd };
    }
}
