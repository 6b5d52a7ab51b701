// Schema statements: CREATE TABLE / INDEX / VIEW / TRIGGER / VIRTUAL TABLE, DROP and
// ALTER TABLE.
//
//   create-table ::= CREATE [TEMP] TABLE [IF NOT EXISTS] nm[.nm]
//                    ( (column-def, ...) [, table-constraint [,] ...] ) [options] | AS select
//   column-def   ::= nm [type] column-constraint*
//   type         ::= ids+ [( signed [, signed] )]
//   options      ::= WITHOUT nm | nm, ...         (only WITHOUT ROWID and STRICT are valid)
//   trigger      ::= CREATE [TEMP] TRIGGER [IF NOT EXISTS] nm[.nm] [BEFORE|AFTER|INSTEAD OF]
//                    DELETE|INSERT|UPDATE [OF cols] ON nm[.nm] [FOR EACH ROW] [WHEN e]
//                    BEGIN (step ;)+ END
//   vtab         ::= CREATE VIRTUAL TABLE [IF NOT EXISTS] nm[.nm] USING nm [( arg, ... )]
//                    where an argument is any balanced run of tokens, kept as source text
using Tern.Sql.Ast;
using Tern.Sql.Lexer;

namespace Tern.Sql.Parsing;

internal sealed partial class Parser
{
    private bool ParseIfNotExists()
    {
        if (!Accept(TokenKind.If)) return false;
        Expect(TokenKind.Not);
        Expect(TokenKind.Exists);
        return true;
    }

    private bool ParseIfExists()
    {
        if (!Accept(TokenKind.If)) return false;
        Expect(TokenKind.Exists);
        return true;
    }

    private Statement ParseCreate(int start)
    {
        Expect(TokenKind.Create);
        bool temp = false;
        switch (_tok.Kind)
        {
            case TokenKind.Temp:
                Advance();
                temp = true;
                break;
            case TokenKind.Unique:
                Advance();
                if (_tok.Kind != TokenKind.Index) throw SyntaxError();
                return ParseCreateIndex(start, unique: true);
            case TokenKind.Index:
                return ParseCreateIndex(start, unique: false);
            case TokenKind.Virtual:
                return ParseCreateVirtualTable(start);
        }
        return _tok.Kind switch
        {
            TokenKind.Table => ParseCreateTable(start, temp),
            TokenKind.View => ParseCreateView(start, temp),
            TokenKind.Trigger => ParseCreateTrigger(start, temp),
            _ => throw SyntaxError(),
        };
    }

    private Statement ParseCreateTable(int start, bool temp)
    {
        Expect(TokenKind.Table);
        bool ifNotExists = ParseIfNotExists();
        (string? schema, string name) = ExpectFullName();
        if (Accept(TokenKind.As))
        {
            SelectStatement select = ParseSelect();
            return new CreateTableStatement(temp, ifNotExists, schema, name, default, default, false, false, select)
            { Start = start, End = _lastEnd };
        }
        Expect(TokenKind.LParen);
        var columns = Rent<ColumnDefinition>();
        List<TableConstraint>? constraints = null;
        columns.Add(ParseColumnDefinition());
        while (Accept(TokenKind.Comma))
        {
            if (IsTableConstraintStart(_tok.Kind))
            {
                constraints = ParseTableConstraints();
                break;
            }
            columns.Add(ParseColumnDefinition());
        }
        Expect(TokenKind.RParen);
        // table_option_set ::= [table_option] (, table_option)*  (the first may be missing)
        bool withoutRowid = false, strict = false;
        if (IsNm(_tok.Kind)) ParseTableOption(ref withoutRowid, ref strict);
        while (Accept(TokenKind.Comma)) ParseTableOption(ref withoutRowid, ref strict);
        return new CreateTableStatement(temp, ifNotExists, schema, name, List(columns), List(constraints), withoutRowid, strict, null)
        { Start = start, End = _lastEnd };
    }

    private void ParseTableOption(ref bool withoutRowid, ref bool strict)
    {
        Token optStart = _tok;
        if (Accept(TokenKind.Without))
        {
            Token word = _tok;
            ExpectNm();
            if (Text(word).Equals("rowid", StringComparison.OrdinalIgnoreCase)) withoutRowid = true;
            else SetPending($"unknown table option: {Text(word)}", word.Start);
            return;
        }
        ExpectNm();
        if (Text(optStart).Equals("strict", StringComparison.OrdinalIgnoreCase)) strict = true;
        else SetPending($"unknown table option: {Text(optStart)}", optStart.Start);
    }

    private static bool IsTableConstraintStart(TokenKind k) =>
        k is TokenKind.Constraint or TokenKind.Primary or TokenKind.Unique or TokenKind.Check or TokenKind.Foreign;

    private ColumnDefinition ParseColumnDefinition()
    {
        int start = _tok.Start;
        string name = ExpectNm();
        string? type = ParseTypeName();
        if (type is not null) type = StripGeneratedAlways(type);
        var constraints = Rent<ColumnConstraint>();
        while (TryParseColumnConstraint(constraints)) { }
        return new ColumnDefinition(name, type, List(constraints)) { Start = start, End = _lastEnd };
    }

    // SQLite's parser can read "GENERATED ALWAYS" as the end of a type name (both words
    // may be names); sqlite3AddColumn then drops them from the type, as done here.
    private static string? StripGeneratedAlways(string type)
    {
        int n = type.Length;
        if (n < 16 || !type.AsSpan(n - 6).Equals("always", StringComparison.OrdinalIgnoreCase)) return type;
        n -= 6;
        while (n > 0 && IsSqlSpace(type[n - 1])) n--;
        if (n >= 9 && type.AsSpan(n - 9, 9).Equals("generated", StringComparison.OrdinalIgnoreCase))
        {
            n -= 9;
            while (n > 0 && IsSqlSpace(type[n - 1])) n--;
        }
        return n == 0 ? null : type[..n];

        static bool IsSqlSpace(char c) => c is ' ' or '\t' or '\n' or '\f' or '\r' or '\v';
    }

    private ConflictResolution ParseOnConflictOpt()
    {
        if (_tok.Kind != TokenKind.On) return ConflictResolution.Default;
        Advance();
        Expect(TokenKind.Conflict);
        return ParseResolveType();
    }

    private bool TryParseColumnConstraint(List<ColumnConstraint> list)
    {
        int start = _tok.Start;
        switch (_tok.Kind)
        {
            case TokenKind.Constraint:
                Advance();
                list.Add(new ConstraintName(ExpectNm()) { Start = start, End = _lastEnd });
                return true;
            case TokenKind.Default:
                Advance();
                list.Add(ParseDefault(start));
                return true;
            case TokenKind.Null:
                Advance();
                list.Add(new NullConstraint(ParseOnConflictOpt()) { Start = start, End = _lastEnd });
                return true;
            case TokenKind.Not:
                Advance();
                if (_tok.Kind == TokenKind.Deferrable)
                {
                    list.Add(new DeferrableConstraint(ParseDeferrable(start, not: true)) { Start = start, End = _lastEnd });
                    return true;
                }
                Expect(TokenKind.Null);
                list.Add(new NotNullConstraint(ParseOnConflictOpt()) { Start = start, End = _lastEnd });
                return true;
            case TokenKind.Primary:
                {
                    Advance();
                    Expect(TokenKind.Key);
                    SortOrder order = SortOrder.Unspecified;
                    if (Accept(TokenKind.Asc)) order = SortOrder.Asc;
                    else if (Accept(TokenKind.Desc)) order = SortOrder.Desc;
                    ConflictResolution onConflict = ParseOnConflictOpt();
                    bool autoinc = Accept(TokenKind.Autoincrement);
                    list.Add(new PrimaryKeyConstraint(order, onConflict, autoinc) { Start = start, End = _lastEnd });
                    return true;
                }
            case TokenKind.Unique:
                Advance();
                list.Add(new UniqueConstraint(ParseOnConflictOpt()) { Start = start, End = _lastEnd });
                return true;
            case TokenKind.Check:
                {
                    Advance();
                    Expect(TokenKind.LParen);
                    Expr e = ParseExpr();
                    Expect(TokenKind.RParen);
                    list.Add(new CheckConstraint(e) { Start = start, End = _lastEnd });
                    return true;
                }
            case TokenKind.References:
                list.Add(new ReferencesConstraint(ParseReferences()) { Start = start, End = _lastEnd });
                return true;
            case TokenKind.Deferrable:
                list.Add(new DeferrableConstraint(ParseDeferrable(start, not: false)) { Start = start, End = _lastEnd });
                return true;
            case TokenKind.Collate:
                Advance();
                list.Add(new CollateConstraint(ExpectIds()) { Start = start, End = _lastEnd });
                return true;
            case TokenKind.Generated:
                Advance();
                Expect(TokenKind.Always);
                Expect(TokenKind.As);
                list.Add(ParseGenerated(start));
                return true;
            case TokenKind.As:
                Advance();
                list.Add(ParseGenerated(start));
                return true;
            default:
                return false;
        }
    }

    private ColumnConstraint ParseGenerated(int start)
    {
        Expect(TokenKind.LParen);
        Expr e = ParseExpr();
        Expect(TokenKind.RParen);
        string? storage = null;
        if (IsId(_tok.Kind))
        {
            storage = Dequote(_tok);
            Advance();
        }
        return new GeneratedConstraint(e, storage) { Start = start, End = _lastEnd };
    }

    private ColumnConstraint ParseDefault(int start)
    {
        switch (_tok.Kind)
        {
            case TokenKind.LParen:
                {
                    Advance();
                    Expr e = ParseExpr();
                    Expect(TokenKind.RParen);
                    return new DefaultConstraint(e, DefaultForm.Parenthesized) { Start = start, End = _lastEnd };
                }
            case TokenKind.Plus:
            case TokenKind.Minus:
                {
                    int signStart = _tok.Start;
                    UnaryOperator op = _tok.Kind == TokenKind.Plus ? UnaryOperator.Plus : UnaryOperator.Negate;
                    Advance();
                    Expr term = ParseTerm();
                    Expr value = new UnaryExpr(op, term) { Start = signStart, End = _lastEnd, Height = term.Height + 1 };
                    return new DefaultConstraint(value, DefaultForm.Literal) { Start = start, End = _lastEnd };
                }
            default:
                if (IsTermStart(_tok.Kind))
                {
                    return new DefaultConstraint(ParseTerm(), DefaultForm.Literal) { Start = start, End = _lastEnd };
                }
                if (_tok.Kind == TokenKind.Indexed || IsId(_tok.Kind))
                {
                    var name = new ColumnRef(null, null, Dequote(_tok), QuoteOf(Src[_tok.Start])) { Start = _tok.Start, End = _tok.End, Height = 1 };
                    Advance();
                    return new DefaultConstraint(name, DefaultForm.Identifier) { Start = start, End = _lastEnd };
                }
                throw SyntaxError();
        }
    }

    private static bool IsTermStart(TokenKind k) =>
        k is TokenKind.Null or TokenKind.Float or TokenKind.Blob or TokenKind.String or TokenKind.Integer
            or TokenKind.QNumber || Keywords.IsTimeKeyword(k);

    /// <summary>"term": a literal (NULL, number, string, blob, CURRENT_*).</summary>
    private Expr ParseTerm()
    {
        if (!IsTermStart(_tok.Kind)) throw SyntaxError();
        if (_tok.Kind == TokenKind.String)
        {
            Token t = _tok;
            Advance();
            return new Literal(LiteralKind.String, Dequote(t)) { Start = t.Start, End = _lastEnd, Height = 1 };
        }
        return ParsePrimary();
    }

    private ForeignKeyClause ParseReferences()
    {
        int start = _tok.Start;
        Expect(TokenKind.References);
        string table = ExpectNm();
        List<string>? columns = ParseColumnNameListOpt();
        var args = Rent<ForeignKeyArg>();
        while (true)
        {
            int argStart = _tok.Start;
            if (Accept(TokenKind.Match))
            {
                string m = ExpectNm();
                args.Add(new ForeignKeyArg(ForeignKeyEvent.Match, ForeignKeyActionKind.NoAction, m) { Start = argStart, End = _lastEnd });
                continue;
            }
            if (_tok.Kind != TokenKind.On) break;
            Advance();
            ForeignKeyEvent ev = _tok.Kind switch
            {
                TokenKind.Insert => ForeignKeyEvent.Insert,
                TokenKind.Delete => ForeignKeyEvent.Delete,
                TokenKind.Update => ForeignKeyEvent.Update,
                _ => throw SyntaxError(),
            };
            Advance();
            ForeignKeyActionKind action;
            switch (_tok.Kind)
            {
                case TokenKind.Set:
                    Advance();
                    if (Accept(TokenKind.Null)) action = ForeignKeyActionKind.SetNull;
                    else if (Accept(TokenKind.Default)) action = ForeignKeyActionKind.SetDefault;
                    else throw SyntaxError();
                    break;
                case TokenKind.Cascade:
                    Advance();
                    action = ForeignKeyActionKind.Cascade;
                    break;
                case TokenKind.Restrict:
                    Advance();
                    action = ForeignKeyActionKind.Restrict;
                    break;
                case TokenKind.No:
                    Advance();
                    Expect(TokenKind.Action);
                    action = ForeignKeyActionKind.NoAction;
                    break;
                default:
                    throw SyntaxError();
            }
            args.Add(new ForeignKeyArg(ev, action, null) { Start = argStart, End = _lastEnd });
        }
        return new ForeignKeyClause(table, List(columns), List(args)) { Start = start, End = _lastEnd };
    }

    private DeferrableClause ParseDeferrable(int start, bool not)
    {
        Expect(TokenKind.Deferrable);
        bool? initially = null;
        if (Accept(TokenKind.Initially))
        {
            if (Accept(TokenKind.Deferred)) initially = true;
            else if (Accept(TokenKind.Immediate)) initially = false;
            else throw SyntaxError();
        }
        return new DeferrableClause(not, initially) { Start = start, End = _lastEnd };
    }

    private List<TableConstraint> ParseTableConstraints()
    {
        var list = Rent<TableConstraint>();
        while (true)
        {
            int start = _tok.Start;
            switch (_tok.Kind)
            {
                case TokenKind.Constraint:
                    Advance();
                    list.Add(new TableConstraintName(ExpectNm()) { Start = start, End = _lastEnd });
                    break;
                case TokenKind.Primary:
                    {
                        Advance();
                        Expect(TokenKind.Key);
                        Expect(TokenKind.LParen);
                        List<OrderingTerm> cols = ParseSortList();
                        bool autoinc = Accept(TokenKind.Autoincrement);
                        Expect(TokenKind.RParen);
                        ConflictResolution onConflict = ParseOnConflictOpt();
                        list.Add(new PrimaryKeyTableConstraint(List(cols), autoinc, onConflict) { Start = start, End = _lastEnd });
                        break;
                    }
                case TokenKind.Unique:
                    {
                        Advance();
                        Expect(TokenKind.LParen);
                        List<OrderingTerm> cols = ParseSortList();
                        Expect(TokenKind.RParen);
                        ConflictResolution onConflict = ParseOnConflictOpt();
                        list.Add(new UniqueTableConstraint(List(cols), onConflict) { Start = start, End = _lastEnd });
                        break;
                    }
                case TokenKind.Check:
                    {
                        Advance();
                        Expect(TokenKind.LParen);
                        Expr e = ParseExpr();
                        Expect(TokenKind.RParen);
                        ConflictResolution onConflict = ParseOnConflictOpt();
                        list.Add(new CheckTableConstraint(e, onConflict) { Start = start, End = _lastEnd });
                        break;
                    }
                case TokenKind.Foreign:
                    {
                        Advance();
                        Expect(TokenKind.Key);
                        if (_tok.Kind != TokenKind.LParen) throw SyntaxError();
                        List<string> cols = ParseColumnNameListOpt()!;
                        ForeignKeyClause clause = ParseReferences();
                        DeferrableClause? deferrable = null;
                        int dStart = _tok.Start;
                        if (_tok.Kind == TokenKind.Deferrable)
                        {
                            deferrable = ParseDeferrable(dStart, not: false);
                        }
                        else if (_tok.Kind == TokenKind.Not)
                        {
                            Advance();
                            deferrable = ParseDeferrable(dStart, not: true);
                        }
                        list.Add(new ForeignKeyTableConstraint(List(cols), clause, deferrable) { Start = start, End = _lastEnd });
                        break;
                    }
                default:
                    throw SyntaxError();
            }
            // Table constraints may be separated by a comma or by nothing at all.
            if (_tok.Kind == TokenKind.RParen) return list;
            Accept(TokenKind.Comma);
        }
    }

    private Statement ParseCreateIndex(int start, bool unique)
    {
        Expect(TokenKind.Index);
        bool ifNotExists = ParseIfNotExists();
        (string? schema, string name) = ExpectFullName();
        Expect(TokenKind.On);
        string table = ExpectNm();
        Expect(TokenKind.LParen);
        List<OrderingTerm> columns = ParseSortList();
        Expect(TokenKind.RParen);
        Expr? where = null;
        if (Accept(TokenKind.Where)) where = ParseExpr();
        return new CreateIndexStatement(unique, ifNotExists, schema, name, table, List(columns), where) { Start = start, End = _lastEnd };
    }

    private Statement ParseCreateView(int start, bool temp)
    {
        Expect(TokenKind.View);
        bool ifNotExists = ParseIfNotExists();
        (string? schema, string name) = ExpectFullName();
        List<string>? columns = ParseColumnNameListOpt();
        Expect(TokenKind.As);
        SelectStatement select = ParseSelect();
        return new CreateViewStatement(temp, ifNotExists, schema, name, List(columns), select) { Start = start, End = _lastEnd };
    }

    private Statement ParseCreateTrigger(int start, bool temp)
    {
        Expect(TokenKind.Trigger);
        bool ifNotExists = ParseIfNotExists();
        (string? schema, string name) = ExpectFullName();
        TriggerTime time = TriggerTime.Unspecified;
        switch (_tok.Kind)
        {
            case TokenKind.Before:
                Advance();
                time = TriggerTime.Before;
                break;
            case TokenKind.After:
                Advance();
                time = TriggerTime.After;
                break;
            case TokenKind.Instead:
                Advance();
                Expect(TokenKind.Of);
                time = TriggerTime.InsteadOf;
                break;
        }
        TriggerEvent ev;
        List<string>? updateColumns = null;
        switch (_tok.Kind)
        {
            case TokenKind.Delete:
                Advance();
                ev = TriggerEvent.Delete;
                break;
            case TokenKind.Insert:
                Advance();
                ev = TriggerEvent.Insert;
                break;
            case TokenKind.Update:
                Advance();
                ev = TriggerEvent.Update;
                if (Accept(TokenKind.Of)) updateColumns = ParseNameList();
                break;
            default:
                throw SyntaxError();
        }
        Expect(TokenKind.On);
        (string? tableSchema, string table) = ExpectFullName();
        bool forEachRow = false;
        if (Accept(TokenKind.For))
        {
            Expect(TokenKind.Each);
            Expect(TokenKind.Row);
            forEachRow = true;
        }
        Expr? when = null;
        if (Accept(TokenKind.When)) when = ParseExpr();
        Expect(TokenKind.Begin);
        var body = Rent<Statement>();
        do
        {
            body.Add(ParseTriggerStep());
            if (_tok.Kind != TokenKind.Semi) throw SyntaxError();
            Advance();
        }
        while (_tok.Kind != TokenKind.End);
        Advance();
        return new CreateTriggerStatement(temp, ifNotExists, schema, name, time, ev, List(updateColumns), tableSchema, table,
            forEachRow, when, List(body))
        { Start = start, End = _lastEnd };
    }

    private Statement ParseTriggerStep()
    {
        int start = _tok.Start;
        switch (_tok.Kind)
        {
            case TokenKind.Update:
                return ParseUpdate(start, null, inTrigger: true);
            case TokenKind.Insert:
            case TokenKind.Replace:
                return ParseInsert(start, null, inTrigger: true);
            case TokenKind.Delete:
                return ParseDelete(start, null, inTrigger: true);
            case TokenKind.Select:
            case TokenKind.Values:
            case TokenKind.With:
                return ParseSelect();
            default:
                throw SyntaxError();
        }
    }

    private Statement ParseCreateVirtualTable(int start)
    {
        Expect(TokenKind.Virtual);
        Expect(TokenKind.Table);
        bool ifNotExists = ParseIfNotExists();
        (string? schema, string name) = ExpectFullName();
        Expect(TokenKind.Using);
        string module = ExpectNm();
        List<string>? args = null;
        if (_tok.Kind == TokenKind.LParen)
        {
            Advance();
            args = Rent<string>();
            // Each argument is any run of tokens up to a top-level ',' or ')', with
            // parentheses balanced; SQLite keeps its text from first to last token.
            int argStart = -1, argEnd = -1, depth = 0;
            while (true)
            {
                if (_tok.Kind == TokenKind.Eof) throw SyntaxError();
                if (depth == 0 && _tok.Kind is TokenKind.Comma or TokenKind.RParen)
                {
                    if (argStart >= 0) args.Add(Text(argStart, argEnd));
                    argStart = -1;
                    if (_tok.Kind == TokenKind.RParen)
                    {
                        Advance();
                        break;
                    }
                    Advance();
                    continue;
                }
                if (_tok.Kind == TokenKind.LParen) depth++;
                else if (_tok.Kind == TokenKind.RParen) depth--;
                if (argStart < 0) argStart = _tok.Start;
                argEnd = _tok.End;
                Advance();
            }
        }
        return new CreateVirtualTableStatement(ifNotExists, schema, name, module, List(args)) { Start = start, End = _lastEnd };
    }

    private Statement ParseDrop(int start)
    {
        Expect(TokenKind.Drop);
        DropKind kind = _tok.Kind switch
        {
            TokenKind.Table => DropKind.Table,
            TokenKind.Index => DropKind.Index,
            TokenKind.View => DropKind.View,
            TokenKind.Trigger => DropKind.Trigger,
            _ => throw SyntaxError(),
        };
        Advance();
        bool ifExists = ParseIfExists();
        (string? schema, string name) = ExpectFullName();
        return new DropStatement(kind, ifExists, schema, name) { Start = start, End = _lastEnd };
    }

    private Statement ParseAlter(int start)
    {
        Expect(TokenKind.Alter);
        Expect(TokenKind.Table);
        (string? schema, string table) = ExpectFullName();
        switch (_tok.Kind)
        {
            case TokenKind.Rename:
                {
                    Advance();
                    if (Accept(TokenKind.To))
                    {
                        string newName = ExpectNm();
                        return new RenameTableStatement(schema, table, newName) { Start = start, End = _lastEnd };
                    }
                    Accept(TokenKind.Column);
                    string column = ExpectNm();
                    Expect(TokenKind.To);
                    string to = ExpectNm();
                    return new RenameColumnStatement(schema, table, column, to) { Start = start, End = _lastEnd };
                }
            case TokenKind.Add:
                {
                    Advance();
                    Accept(TokenKind.Column);
                    ColumnDefinition def = ParseColumnDefinition();
                    return new AddColumnStatement(schema, table, def) { Start = start, End = _lastEnd };
                }
            case TokenKind.Drop:
                {
                    Advance();
                    Accept(TokenKind.Column);
                    string column = ExpectNm();
                    return new DropColumnStatement(schema, table, column) { Start = start, End = _lastEnd };
                }
            default:
                throw SyntaxError();
        }
    }
}
