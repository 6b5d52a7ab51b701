// The statement dispatcher ("cmd") and the small statements: EXPLAIN, transactions and
// savepoints, PRAGMA, ATTACH/DETACH, VACUUM, ANALYZE, REINDEX.
//
//   begin    ::= BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION [nm]]
//   commit   ::= (COMMIT|END) [TRANSACTION [nm]]
//   rollback ::= ROLLBACK [TRANSACTION [nm]] [TO [SAVEPOINT] nm]
//   pragma   ::= PRAGMA nm[.nm] [= value | (value)]
//                value: [+]number | -number | nm | ON | DELETE | DEFAULT
using Tern.Sql.Ast;
using Tern.Sql.Lexer;

namespace Tern.Sql.Parsing;

internal sealed partial class Parser
{
    private Statement ParseCommand()
    {
        int start = _tok.Start;
        if (_tok.Kind == TokenKind.Explain)
        {
            Advance();
            bool queryPlan = false;
            if (Accept(TokenKind.Query))
            {
                Expect(TokenKind.Plan);
                queryPlan = true;
            }
            Statement inner = ParseCmd();
            return new ExplainStatement(queryPlan, inner) { Start = start, End = _lastEnd };
        }
        return ParseCmd();
    }

    private Statement ParseCmd()
    {
        int start = _tok.Start;
        switch (_tok.Kind)
        {
            case TokenKind.Select:
            case TokenKind.Values:
                return ParseSelect();
            case TokenKind.With:
                {
                    WithClause with = ParseWith();
                    return _tok.Kind switch
                    {
                        TokenKind.Select or TokenKind.Values => ParseSelectAfterWith(start, with),
                        TokenKind.Insert or TokenKind.Replace => ParseInsert(start, with, inTrigger: false),
                        TokenKind.Update => ParseUpdate(start, with, inTrigger: false),
                        TokenKind.Delete => ParseDelete(start, with, inTrigger: false),
                        _ => throw SyntaxError(),
                    };
                }
            case TokenKind.Insert:
            case TokenKind.Replace:
                return ParseInsert(start, null, inTrigger: false);
            case TokenKind.Update:
                return ParseUpdate(start, null, inTrigger: false);
            case TokenKind.Delete:
                return ParseDelete(start, null, inTrigger: false);
            case TokenKind.Create:
                return ParseCreate(start);
            case TokenKind.Drop:
                return ParseDrop(start);
            case TokenKind.Alter:
                return ParseAlter(start);
            case TokenKind.Begin:
                return ParseBegin(start);
            case TokenKind.Commit:
            case TokenKind.End:
                Advance();
                ParseTransactionOpt();
                return new CommitStatement { Start = start, End = _lastEnd };
            case TokenKind.Rollback:
                {
                    Advance();
                    ParseTransactionOpt();
                    string? savepoint = null;
                    if (Accept(TokenKind.To))
                    {
                        Accept(TokenKind.Savepoint);
                        savepoint = ExpectNm();
                    }
                    return new RollbackStatement(savepoint) { Start = start, End = _lastEnd };
                }
            case TokenKind.Savepoint:
                Advance();
                return new SavepointStatement(ExpectNm()) { Start = start, End = _lastEnd };
            case TokenKind.Release:
                Advance();
                Accept(TokenKind.Savepoint);
                return new ReleaseStatement(ExpectNm()) { Start = start, End = _lastEnd };
            case TokenKind.Pragma:
                return ParsePragma(start);
            case TokenKind.Attach:
                {
                    Advance();
                    Accept(TokenKind.Database);
                    Expr file = ParseExpr();
                    Expect(TokenKind.As);
                    Expr schema = ParseExpr();
                    Expr? key = null;
                    if (Accept(TokenKind.Key)) key = ParseExpr();
                    return new AttachStatement(file, schema, key) { Start = start, End = _lastEnd };
                }
            case TokenKind.Detach:
                {
                    Advance();
                    Accept(TokenKind.Database);
                    Expr schema = ParseExpr();
                    return new DetachStatement(schema) { Start = start, End = _lastEnd };
                }
            case TokenKind.Vacuum:
                {
                    Advance();
                    string? schema = null;
                    if (_tok.Kind != TokenKind.Into && IsNm(_tok.Kind)) schema = ExpectNm();
                    Expr? into = null;
                    if (Accept(TokenKind.Into)) into = ParseExpr();
                    return new VacuumStatement(schema, into) { Start = start, End = _lastEnd };
                }
            case TokenKind.Analyze:
            case TokenKind.Reindex:
                {
                    bool analyze = _tok.Kind == TokenKind.Analyze;
                    Advance();
                    string? first = null, second = null;
                    if (IsNm(_tok.Kind)) (first, second) = ExpectFullName() switch { (null, var n) => (n, (string?)null), (var s, var n) => (s, n) };
                    return analyze
                        ? new AnalyzeStatement(first, second) { Start = start, End = _lastEnd }
                        : new ReindexStatement(first, second) { Start = start, End = _lastEnd };
                }
            default:
                throw SyntaxError();
        }
    }

    private void ParseTransactionOpt()
    {
        if (!Accept(TokenKind.Transaction)) return;
        if (IsNm(_tok.Kind)) Advance();
    }

    private Statement ParseBegin(int start)
    {
        Advance();
        TransactionKind kind = TransactionKind.Unspecified;
        switch (_tok.Kind)
        {
            case TokenKind.Deferred: Advance(); kind = TransactionKind.Deferred; break;
            case TokenKind.Immediate: Advance(); kind = TransactionKind.Immediate; break;
            case TokenKind.Exclusive: Advance(); kind = TransactionKind.Exclusive; break;
            case TokenKind.Id when _options.AllowBeginConcurrent && Text(_tok).Equals("concurrent", StringComparison.OrdinalIgnoreCase):
                Advance();
                kind = TransactionKind.Concurrent;
                break;
        }
        ParseTransactionOpt();
        return new BeginStatement(kind) { Start = start, End = _lastEnd };
    }

    private Statement ParsePragma(int start)
    {
        Advance();
        (string? schema, string name) = ExpectFullName();
        PragmaValue? value = null;
        if (Accept(TokenKind.Eq))
        {
            value = ParsePragmaValue();
        }
        else if (Accept(TokenKind.LParen))
        {
            value = ParsePragmaValue();
            Expect(TokenKind.RParen);
        }
        return new PragmaStatement(schema, name, value) { Start = start, End = _lastEnd };
    }

    private PragmaValue ParsePragmaValue()
    {
        int start = _tok.Start;
        switch (_tok.Kind)
        {
            case TokenKind.Plus:
            case TokenKind.Minus:
            case TokenKind.Integer:
            case TokenKind.Float:
                return new PragmaValue(PragmaValueKind.Number, ParseSignedNumber()) { Start = start, End = _lastEnd };
            case TokenKind.On:
            case TokenKind.Delete:
            case TokenKind.Default:
                {
                    string word = Text(_tok);
                    Advance();
                    return new PragmaValue(PragmaValueKind.Name, word) { Start = start, End = _lastEnd };
                }
            default:
                {
                    if (!IsNm(_tok.Kind)) throw SyntaxError();
                    PragmaValueKind kind = _tok.Kind == TokenKind.String ? PragmaValueKind.String : PragmaValueKind.Name;
                    string text = ExpectNm();
                    return new PragmaValue(kind, text) { Start = start, End = _lastEnd };
                }
        }
    }
}
