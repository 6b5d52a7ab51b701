// Prints a syntax tree back to SQL. The output is canonical rather than pretty: every
// operand that is not atomic is parenthesized, keywords are upper case, names are
// quoted when they must be (a keyword, or not a plain identifier), and the text parses
// back to an equal tree (parse(print(parse(sql))) == parse(sql)).
//
// Quoting: names are printed bare when they are plain identifiers ([A-Za-z_] or a
// non-ASCII byte first, then letters, digits, '_', '$' or non-ASCII) and no keyword;
// otherwise in double quotes with '"' doubled. An unqualified column reference that was
// not double-quoted is quoted with [ ] (or ` `) instead, because a double-quoted name
// that matches no column is read as a string.
using System.Text;
using Tern.Sql.Ast;
using Tern.Sql.Lexer;

namespace Tern.Sql;

/// <summary>Turns syntax trees back into SQL text.</summary>
public static class SqlPrinter
{
    /// <summary>Prints a statement (without a trailing ';').</summary>
    /// <exception cref="InvalidOperationException">The tree is nested too deeply to print.</exception>
    public static string Print(Statement statement) => WithEnoughStack(() =>
    {
        var p = new Writer();
        p.Statement(statement);
        return p.ToString();
    });

    /// <summary>Prints an expression.</summary>
    /// <exception cref="InvalidOperationException">The tree is nested too deeply to print.</exception>
    public static string Print(Expr expr) => WithEnoughStack(() =>
    {
        var p = new Writer();
        p.Expr(expr);
        return p.ToString();
    });

    // Trees can be deeper than the stack allows (SQLite accepts 100,000 nested COLLATEs or
    // unary '+'): when the stack runs low, print again on a thread with a large stack.
    private static string WithEnoughStack(Func<string> print)
    {
        try
        {
            return print();
        }
        catch (InsufficientExecutionStackException)
        {
            string? result = null;
            Exception? error = null;
            var thread = new Thread(
                () =>
                {
                    try
                    {
                        result = print();
                    }
                    catch (Exception e)
                    {
                        error = e;
                    }
                },
                256 * 1024 * 1024);
            thread.Start();
            thread.Join();
            if (error is InsufficientExecutionStackException) throw new InvalidOperationException("the syntax tree is nested too deeply to print", error);
            if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            return result!;
        }
    }

    /// <summary>A name as SQL: bare when possible, else double-quoted.</summary>
    public static string QuoteName(string name) =>
        IsPlainIdentifier(name) ? name : "\"" + name.Replace("\"", "\"\"") + "\"";

    /// <summary>True when <paramref name="name"/> can be written without quotes.</summary>
    public static bool IsPlainIdentifier(string name)
    {
        if (name.Length == 0) return false;
        char c0 = name[0];
        if (!(char.IsAsciiLetter(c0) || c0 == '_' || c0 > 127)) return false;
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '$' || c > 127)) return false;
        }
        return !Keywords.IsKeyword(name);
    }

    private sealed class Writer
    {
        private readonly StringBuilder _sb = new();

        public override string ToString() => _sb.ToString();

        private Writer W(string s)
        {
            _sb.Append(s);
            return this;
        }

        private void Name(string name) => _sb.Append(QuoteName(name));

        private void ColumnName(string name, QuoteStyle quote)
        {
            if (quote == QuoteStyle.Double)
            {
                _sb.Append('"').Append(name.Replace("\"", "\"\"")).Append('"');
            }
            else if (IsPlainIdentifier(name))
            {
                Name(name);
            }
            else if (!name.Contains(']'))
            {
                _sb.Append('[').Append(name).Append(']');
            }
            else
            {
                _sb.Append('`').Append(name.Replace("`", "``")).Append('`');
            }
        }

        private void Str(string s) => _sb.Append('\'').Append(s.Replace("'", "''")).Append('\'');

        private void List<T>(NodeList<T> items, Action<T> each, string sep = ", ")
        {
            for (int i = 0; i < items.Count; i++)
            {
                if (i > 0) _sb.Append(sep);
                each(items[i]);
            }
        }

        private void Names(NodeList<string> names) => List(names, Name);

        // ------------------------------------------------------------ expressions

        private static bool IsAtomic(Expr e) => e is Literal or ParameterExpr or ColumnRef or FunctionCall or CastExpr
            or CaseExpr or SubqueryExpr or ExistsExpr or RowValueExpr or RaiseExpr;

        private void Operand(Expr e)
        {
            if (IsAtomic(e))
            {
                Expr(e);
            }
            else
            {
                _sb.Append('(');
                Expr(e);
                _sb.Append(')');
            }
        }

        public void Expr(Expr e)
        {
            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
            switch (e)
            {
                case Literal l:
                    switch (l.Kind)
                    {
                        case LiteralKind.String: Str(l.Value); break;
                        case LiteralKind.Blob: _sb.Append("X'").Append(l.Value).Append('\''); break;
                        default: _sb.Append(l.Value); break;
                    }
                    break;
                case ParameterExpr p:
                    _sb.Append(p.Name);
                    break;
                case ColumnRef c:
                    if (c.Schema is not null)
                    {
                        Name(c.Schema);
                        _sb.Append('.');
                    }
                    if (c.Table is not null)
                    {
                        Name(c.Table);
                        _sb.Append('.');
                        Name(c.Column);
                    }
                    else
                    {
                        ColumnName(c.Column, c.Quote);
                    }
                    break;
                case UnaryExpr u:
                    _sb.Append(u.Operator switch
                    {
                        UnaryOperator.Negate => "-",
                        UnaryOperator.Plus => "+",
                        UnaryOperator.BitNot => "~",
                        _ => "NOT ",
                    });
                    Operand(u.Operand);
                    break;
                case BinaryExpr b:
                    Operand(b.Left);
                    _sb.Append(' ').Append(BinaryText(b.Operator)).Append(' ');
                    Operand(b.Right);
                    break;
                case LikeExpr l:
                    Operand(l.Left);
                    _sb.Append(l.Not ? " NOT " : " ").Append(l.Operator.ToString().ToUpperInvariant()).Append(' ');
                    Operand(l.Pattern);
                    if (l.Escape is not null)
                    {
                        _sb.Append(" ESCAPE ");
                        Operand(l.Escape);
                    }
                    break;
                case BetweenExpr b:
                    Operand(b.Operand);
                    _sb.Append(b.Not ? " NOT BETWEEN " : " BETWEEN ");
                    Operand(b.Low);
                    _sb.Append(" AND ");
                    Operand(b.High);
                    break;
                case InListExpr i:
                    Operand(i.Operand);
                    _sb.Append(i.Not ? " NOT IN (" : " IN (");
                    List(i.Items, Expr);
                    _sb.Append(')');
                    break;
                case InSelectExpr i:
                    Operand(i.Operand);
                    _sb.Append(i.Not ? " NOT IN (" : " IN (");
                    Select(i.Select);
                    _sb.Append(')');
                    break;
                case InTableExpr i:
                    Operand(i.Operand);
                    _sb.Append(i.Not ? " NOT IN " : " IN ");
                    if (i.Schema is not null)
                    {
                        Name(i.Schema);
                        _sb.Append('.');
                    }
                    Name(i.Table);
                    if (!i.Arguments.IsEmpty)
                    {
                        _sb.Append('(');
                        List(i.Arguments, Expr);
                        _sb.Append(')');
                    }
                    break;
                case NullTestExpr n:
                    Operand(n.Operand);
                    _sb.Append(n.NotNull ? " NOTNULL" : " ISNULL");
                    break;
                case CollateExpr c:
                    Operand(c.Operand);
                    _sb.Append(" COLLATE ");
                    Name(c.Collation);
                    break;
                case CastExpr c:
                    _sb.Append("CAST(");
                    Expr(c.Operand);
                    _sb.Append(" AS");
                    if (c.TypeName.Length > 0) _sb.Append(' ').Append(c.TypeName);
                    _sb.Append(')');
                    break;
                case FunctionCall f:
                    Function(f);
                    break;
                case CaseExpr c:
                    _sb.Append("CASE");
                    if (c.Operand is not null)
                    {
                        _sb.Append(' ');
                        Expr(c.Operand);
                    }
                    foreach (CaseWhen w in c.Whens)
                    {
                        _sb.Append(" WHEN ");
                        Expr(w.Condition);
                        _sb.Append(" THEN ");
                        Expr(w.Result);
                    }
                    if (c.Else is not null)
                    {
                        _sb.Append(" ELSE ");
                        Expr(c.Else);
                    }
                    _sb.Append(" END");
                    break;
                case ExistsExpr x:
                    _sb.Append("EXISTS (");
                    Select(x.Select);
                    _sb.Append(')');
                    break;
                case SubqueryExpr s:
                    _sb.Append('(');
                    Select(s.Select);
                    _sb.Append(')');
                    break;
                case RowValueExpr r:
                    _sb.Append('(');
                    List(r.Items, Expr);
                    _sb.Append(')');
                    break;
                case RaiseExpr r:
                    _sb.Append("RAISE(").Append(r.Action.ToString().ToUpperInvariant());
                    if (r.Message is not null)
                    {
                        _sb.Append(", ");
                        Expr(r.Message);
                    }
                    _sb.Append(')');
                    break;
                default:
                    throw new ArgumentException($"unknown expression {e.GetType().Name}", nameof(e));
            }
        }

        private static string BinaryText(BinaryOperator op) => op switch
        {
            BinaryOperator.Or => "OR",
            BinaryOperator.And => "AND",
            BinaryOperator.Eq => "=",
            BinaryOperator.Ne => "<>",
            BinaryOperator.Lt => "<",
            BinaryOperator.Le => "<=",
            BinaryOperator.Gt => ">",
            BinaryOperator.Ge => ">=",
            BinaryOperator.Is => "IS",
            BinaryOperator.IsNot => "IS NOT",
            BinaryOperator.BitAnd => "&",
            BinaryOperator.BitOr => "|",
            BinaryOperator.LShift => "<<",
            BinaryOperator.RShift => ">>",
            BinaryOperator.Add => "+",
            BinaryOperator.Subtract => "-",
            BinaryOperator.Multiply => "*",
            BinaryOperator.Divide => "/",
            BinaryOperator.Remainder => "%",
            BinaryOperator.Concat => "||",
            BinaryOperator.JsonExtract => "->",
            _ => "->>",
        };

        private void Function(FunctionCall f)
        {
            Name(f.Name);
            _sb.Append('(');
            if (f.Star)
            {
                _sb.Append('*');
            }
            else
            {
                if (f.Distinct) _sb.Append("DISTINCT ");
                List(f.Arguments, Expr);
                if (!f.OrderBy.IsEmpty)
                {
                    _sb.Append(f.Arguments.IsEmpty ? "ORDER BY " : " ORDER BY ");
                    List(f.OrderBy, Ordering);
                }
            }
            _sb.Append(')');
            if (f.Filter is not null)
            {
                _sb.Append(" FILTER (WHERE ");
                Expr(f.Filter);
                _sb.Append(')');
            }
            if (f.Over is not null)
            {
                _sb.Append(" OVER ");
                if (f.Over.WindowName is not null)
                {
                    Name(f.Over.WindowName);
                }
                else
                {
                    _sb.Append('(');
                    Window(f.Over.Window!);
                    _sb.Append(')');
                }
            }
        }

        private void Ordering(OrderingTerm t)
        {
            Expr(t.Expr);
            if (t.Order == SortOrder.Asc) _sb.Append(" ASC");
            else if (t.Order == SortOrder.Desc) _sb.Append(" DESC");
            if (t.Nulls == NullsOrder.First) _sb.Append(" NULLS FIRST");
            else if (t.Nulls == NullsOrder.Last) _sb.Append(" NULLS LAST");
        }

        private void Window(WindowSpec w)
        {
            bool space = false;
            if (w.BaseName is not null)
            {
                Name(w.BaseName);
                space = true;
            }
            if (!w.PartitionBy.IsEmpty)
            {
                if (space) _sb.Append(' ');
                _sb.Append("PARTITION BY ");
                List(w.PartitionBy, Expr);
                space = true;
            }
            if (!w.OrderBy.IsEmpty)
            {
                if (space) _sb.Append(' ');
                _sb.Append("ORDER BY ");
                List(w.OrderBy, Ordering);
                space = true;
            }
            if (w.Frame is { } f)
            {
                if (space) _sb.Append(' ');
                _sb.Append(f.Unit.ToString().ToUpperInvariant()).Append(' ');
                if (f.EndBound is null)
                {
                    Bound(f.StartBound);
                }
                else
                {
                    _sb.Append("BETWEEN ");
                    Bound(f.StartBound);
                    _sb.Append(" AND ");
                    Bound(f.EndBound);
                }
                _sb.Append(f.Exclude switch
                {
                    FrameExclude.NoOthers => " EXCLUDE NO OTHERS",
                    FrameExclude.CurrentRow => " EXCLUDE CURRENT ROW",
                    FrameExclude.Group => " EXCLUDE GROUP",
                    FrameExclude.Ties => " EXCLUDE TIES",
                    _ => "",
                });
            }
        }

        private void Bound(FrameBound b)
        {
            switch (b.Kind)
            {
                case FrameBoundKind.UnboundedPreceding: _sb.Append("UNBOUNDED PRECEDING"); break;
                case FrameBoundKind.UnboundedFollowing: _sb.Append("UNBOUNDED FOLLOWING"); break;
                case FrameBoundKind.CurrentRow: _sb.Append("CURRENT ROW"); break;
                case FrameBoundKind.Preceding: Operand(b.Offset!); _sb.Append(" PRECEDING"); break;
                default: Operand(b.Offset!); _sb.Append(" FOLLOWING"); break;
            }
        }

        // ------------------------------------------------------------ SELECT

        private void With(WithClause? w)
        {
            if (w is null) return;
            _sb.Append(w.Recursive ? "WITH RECURSIVE " : "WITH ");
            List(w.Tables, c =>
            {
                Name(c.Name);
                if (!c.Columns.IsEmpty)
                {
                    _sb.Append('(');
                    Names(c.Columns);
                    _sb.Append(')');
                }
                _sb.Append(c.Materialized switch
                {
                    Materialization.Materialized => " AS MATERIALIZED (",
                    Materialization.NotMaterialized => " AS NOT MATERIALIZED (",
                    _ => " AS (",
                });
                Select(c.Select);
                _sb.Append(')');
            });
            _sb.Append(' ');
        }

        public void Select(SelectStatement s)
        {
            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
            With(s.With);
            Core(s.First);
            foreach (CompoundPart p in s.Compounds)
            {
                _sb.Append(p.Operator switch
                {
                    CompoundOperator.Union => " UNION ",
                    CompoundOperator.UnionAll => " UNION ALL ",
                    CompoundOperator.Intersect => " INTERSECT ",
                    _ => " EXCEPT ",
                });
                Core(p.Select);
            }
            OrderByLimit(s.OrderBy, s.Limit);
        }

        private void OrderByLimit(NodeList<OrderingTerm> orderBy, LimitClause? limit)
        {
            if (!orderBy.IsEmpty)
            {
                _sb.Append(" ORDER BY ");
                List(orderBy, Ordering);
            }
            if (limit is not null)
            {
                _sb.Append(" LIMIT ");
                Expr(limit.Limit);
                if (limit.Offset is not null)
                {
                    _sb.Append(" OFFSET ");
                    Expr(limit.Offset);
                }
            }
        }

        private void Core(SelectCore core)
        {
            if (core is ValuesClause v)
            {
                _sb.Append("VALUES ");
                List(v.Rows, row =>
                {
                    _sb.Append('(');
                    List(row, Expr);
                    _sb.Append(')');
                });
                return;
            }
            var c = (SelectClause)core;
            _sb.Append(c.Distinct ? "SELECT DISTINCT " : "SELECT ");
            ResultColumns(c.Columns);
            if (!c.From.IsEmpty)
            {
                _sb.Append(" FROM ");
                From(c.From);
            }
            if (c.Where is not null)
            {
                _sb.Append(" WHERE ");
                Expr(c.Where);
            }
            if (!c.GroupBy.IsEmpty)
            {
                _sb.Append(" GROUP BY ");
                List(c.GroupBy, Expr);
            }
            if (c.Having is not null)
            {
                _sb.Append(" HAVING ");
                Expr(c.Having);
            }
            if (!c.Windows.IsEmpty)
            {
                _sb.Append(" WINDOW ");
                List(c.Windows, w =>
                {
                    Name(w.Name);
                    _sb.Append(" AS (");
                    Window(w.Window);
                    _sb.Append(')');
                });
            }
        }

        private void ResultColumns(NodeList<ResultColumn> columns) => List(columns, rc =>
        {
            switch (rc)
            {
                case StarColumn:
                    _sb.Append('*');
                    break;
                case TableStarColumn t:
                    Name(t.Table);
                    _sb.Append(".*");
                    break;
                case ExprColumn e:
                    Expr(e.Expr);
                    if (e.Alias is not null)
                    {
                        _sb.Append(" AS ");
                        Name(e.Alias);
                    }
                    break;
            }
        });

        private void Alias(string? alias)
        {
            if (alias is null) return;
            _sb.Append(" AS ");
            Name(alias);
        }

        private void From(NodeList<FromItem> items)
        {
            for (int i = 0; i < items.Count; i++)
            {
                FromItem item = items[i];
                if (i > 0) _sb.Append(JoinText(item.Join));
                Source(item.Source);
                if (item.On is not null)
                {
                    _sb.Append(" ON ");
                    Expr(item.On);
                }
                if (!item.Using.IsEmpty)
                {
                    _sb.Append(" USING (");
                    Names(item.Using);
                    _sb.Append(')');
                }
            }
        }

        private static string JoinText(JoinType j)
        {
            if ((j & JoinType.Comma) != 0) return ", ";
            var sb = new StringBuilder(" ");
            if ((j & JoinType.Natural) != 0) sb.Append("NATURAL ");
            if ((j & (JoinType.Left | JoinType.Right)) == (JoinType.Left | JoinType.Right)) sb.Append("FULL ");
            else if ((j & JoinType.Left) != 0) sb.Append("LEFT ");
            else if ((j & JoinType.Right) != 0) sb.Append("RIGHT ");
            if ((j & JoinType.Cross) != 0) sb.Append("CROSS ");
            return sb.Append("JOIN ").ToString();
        }

        private void Source(TableSource source)
        {
            switch (source)
            {
                case NamedTable t:
                    if (t.Schema is not null)
                    {
                        Name(t.Schema);
                        _sb.Append('.');
                    }
                    Name(t.Name);
                    Alias(t.Alias);
                    if (t.IndexedBy is not null)
                    {
                        _sb.Append(" INDEXED BY ");
                        Name(t.IndexedBy);
                    }
                    else if (t.NotIndexed)
                    {
                        _sb.Append(" NOT INDEXED");
                    }
                    break;
                case TableFunction f:
                    if (f.Schema is not null)
                    {
                        Name(f.Schema);
                        _sb.Append('.');
                    }
                    Name(f.Name);
                    _sb.Append('(');
                    List(f.Arguments, Expr);
                    _sb.Append(')');
                    Alias(f.Alias);
                    break;
                case SubquerySource s:
                    _sb.Append('(');
                    Select(s.Select);
                    _sb.Append(')');
                    Alias(s.Alias);
                    break;
                case NestedJoin n:
                    _sb.Append('(');
                    From(n.Items);
                    _sb.Append(')');
                    Alias(n.Alias);
                    break;
            }
        }

        // ------------------------------------------------------------ statements

        private static string Conflict(ConflictResolution r) => r.ToString().ToUpperInvariant();

        private void Target(QualifiedTableName t)
        {
            if (t.Schema is not null)
            {
                Name(t.Schema);
                _sb.Append('.');
            }
            Name(t.Name);
            Alias(t.Alias);
            if (t.IndexedBy is not null)
            {
                _sb.Append(" INDEXED BY ");
                Name(t.IndexedBy);
            }
            else if (t.NotIndexed)
            {
                _sb.Append(" NOT INDEXED");
            }
        }

        private void SetList(NodeList<SetClause> set) => List(set, s =>
        {
            if (s.IsRow)
            {
                _sb.Append('(');
                Names(s.Columns);
                _sb.Append(')');
            }
            else
            {
                Name(s.Columns[0]);
            }
            _sb.Append(" = ");
            Expr(s.Value);
        });

        private void Returning(NodeList<ResultColumn> returning)
        {
            if (returning.IsEmpty) return;
            _sb.Append(" RETURNING ");
            ResultColumns(returning);
        }

        private void QualifiedName(string? schema, string name)
        {
            if (schema is not null)
            {
                Name(schema);
                _sb.Append('.');
            }
            Name(name);
        }

        public void Statement(Statement s)
        {
            switch (s)
            {
                case SelectStatement sel:
                    Select(sel);
                    break;
                case InsertStatement ins:
                    With(ins.With);
                    _sb.Append("INSERT");
                    if (ins.OrConflict != ConflictResolution.Default) _sb.Append(" OR ").Append(Conflict(ins.OrConflict));
                    _sb.Append(" INTO ");
                    Target(ins.Table);
                    if (!ins.Columns.IsEmpty)
                    {
                        _sb.Append(" (");
                        Names(ins.Columns);
                        _sb.Append(')');
                    }
                    if (ins.Source is null)
                    {
                        _sb.Append(" DEFAULT VALUES");
                    }
                    else
                    {
                        // (A parsed INSERT ... SELECT with ON CONFLICT never ends in a bare
                        // FROM list: SQLite would have read the ON as a join constraint.)
                        _sb.Append(' ');
                        Select(ins.Source);
                    }
                    foreach (UpsertClause u in ins.Upserts)
                    {
                        _sb.Append(" ON CONFLICT");
                        if (!u.Target.IsEmpty)
                        {
                            _sb.Append(" (");
                            List(u.Target, Ordering);
                            _sb.Append(')');
                            if (u.TargetWhere is not null)
                            {
                                _sb.Append(" WHERE ");
                                Expr(u.TargetWhere);
                            }
                        }
                        if (u.DoNothing)
                        {
                            _sb.Append(" DO NOTHING");
                        }
                        else
                        {
                            _sb.Append(" DO UPDATE SET ");
                            SetList(u.Set);
                            if (u.Where is not null)
                            {
                                _sb.Append(" WHERE ");
                                Expr(u.Where);
                            }
                        }
                    }
                    Returning(ins.Returning);
                    break;
                case UpdateStatement up:
                    With(up.With);
                    _sb.Append("UPDATE ");
                    if (up.OrConflict != ConflictResolution.Default) _sb.Append("OR ").Append(Conflict(up.OrConflict)).Append(' ');
                    Target(up.Table);
                    _sb.Append(" SET ");
                    SetList(up.Set);
                    if (!up.From.IsEmpty)
                    {
                        _sb.Append(" FROM ");
                        From(up.From);
                    }
                    if (up.Where is not null)
                    {
                        _sb.Append(" WHERE ");
                        Expr(up.Where);
                    }
                    Returning(up.Returning);
                    OrderByLimit(up.OrderBy, up.Limit);
                    break;
                case DeleteStatement del:
                    With(del.With);
                    _sb.Append("DELETE FROM ");
                    Target(del.Table);
                    if (del.Where is not null)
                    {
                        _sb.Append(" WHERE ");
                        Expr(del.Where);
                    }
                    Returning(del.Returning);
                    OrderByLimit(del.OrderBy, del.Limit);
                    break;
                case CreateTableStatement ct:
                    CreateTable(ct);
                    break;
                case CreateIndexStatement ci:
                    _sb.Append(ci.Unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
                    if (ci.IfNotExists) _sb.Append("IF NOT EXISTS ");
                    QualifiedName(ci.Schema, ci.Name);
                    _sb.Append(" ON ");
                    Name(ci.Table);
                    _sb.Append(" (");
                    List(ci.Columns, Ordering);
                    _sb.Append(')');
                    if (ci.Where is not null)
                    {
                        _sb.Append(" WHERE ");
                        Expr(ci.Where);
                    }
                    break;
                case CreateViewStatement cv:
                    _sb.Append(cv.Temp ? "CREATE TEMP VIEW " : "CREATE VIEW ");
                    if (cv.IfNotExists) _sb.Append("IF NOT EXISTS ");
                    QualifiedName(cv.Schema, cv.Name);
                    if (!cv.Columns.IsEmpty)
                    {
                        _sb.Append('(');
                        Names(cv.Columns);
                        _sb.Append(')');
                    }
                    _sb.Append(" AS ");
                    Select(cv.Select);
                    break;
                case CreateTriggerStatement tr:
                    Trigger(tr);
                    break;
                case CreateVirtualTableStatement vt:
                    _sb.Append("CREATE VIRTUAL TABLE ");
                    if (vt.IfNotExists) _sb.Append("IF NOT EXISTS ");
                    QualifiedName(vt.Schema, vt.Name);
                    _sb.Append(" USING ");
                    Name(vt.Module);
                    if (!vt.Arguments.IsEmpty)
                    {
                        _sb.Append('(');
                        List(vt.Arguments, a => _sb.Append(a));
                        _sb.Append(')');
                    }
                    break;
                case DropStatement d:
                    _sb.Append("DROP ").Append(d.Kind.ToString().ToUpperInvariant()).Append(' ');
                    if (d.IfExists) _sb.Append("IF EXISTS ");
                    QualifiedName(d.Schema, d.Name);
                    break;
                case RenameTableStatement r:
                    _sb.Append("ALTER TABLE ");
                    QualifiedName(r.Schema, r.Table);
                    _sb.Append(" RENAME TO ");
                    Name(r.NewName);
                    break;
                case RenameColumnStatement r:
                    _sb.Append("ALTER TABLE ");
                    QualifiedName(r.Schema, r.Table);
                    _sb.Append(" RENAME COLUMN ");
                    Name(r.Column);
                    _sb.Append(" TO ");
                    Name(r.NewName);
                    break;
                case AddColumnStatement a:
                    _sb.Append("ALTER TABLE ");
                    QualifiedName(a.Schema, a.Table);
                    _sb.Append(" ADD COLUMN ");
                    Column(a.Column);
                    break;
                case DropColumnStatement d:
                    _sb.Append("ALTER TABLE ");
                    QualifiedName(d.Schema, d.Table);
                    _sb.Append(" DROP COLUMN ");
                    Name(d.Column);
                    break;
                case BeginStatement b:
                    _sb.Append(b.Kind == TransactionKind.Unspecified ? "BEGIN" : "BEGIN " + b.Kind.ToString().ToUpperInvariant());
                    break;
                case CommitStatement:
                    _sb.Append("COMMIT");
                    break;
                case RollbackStatement r:
                    _sb.Append("ROLLBACK");
                    if (r.Savepoint is not null)
                    {
                        _sb.Append(" TO ");
                        Name(r.Savepoint);
                    }
                    break;
                case SavepointStatement sp:
                    _sb.Append("SAVEPOINT ");
                    Name(sp.Name);
                    break;
                case ReleaseStatement rl:
                    _sb.Append("RELEASE ");
                    Name(rl.Name);
                    break;
                case PragmaStatement p:
                    _sb.Append("PRAGMA ");
                    QualifiedName(p.Schema, p.Name);
                    if (p.Value is not null)
                    {
                        _sb.Append(" = ");
                        switch (p.Value.Kind)
                        {
                            case PragmaValueKind.Number: _sb.Append(p.Value.Text); break;
                            case PragmaValueKind.String: Str(p.Value.Text); break;
                            default:
                                if (p.Value.Text.ToUpperInvariant() is "ON" or "DELETE" or "DEFAULT") _sb.Append(p.Value.Text);
                                else Name(p.Value.Text);
                                break;
                        }
                    }
                    break;
                case AttachStatement at:
                    _sb.Append("ATTACH ");
                    Operand(at.File);
                    _sb.Append(" AS ");
                    Operand(at.SchemaName);
                    if (at.Key is not null)
                    {
                        _sb.Append(" KEY ");
                        Operand(at.Key);
                    }
                    break;
                case DetachStatement dt:
                    _sb.Append("DETACH ");
                    Operand(dt.SchemaName);
                    break;
                case VacuumStatement v:
                    _sb.Append("VACUUM");
                    if (v.Schema is not null)
                    {
                        _sb.Append(' ');
                        Name(v.Schema);
                    }
                    if (v.Into is not null)
                    {
                        _sb.Append(" INTO ");
                        Expr(v.Into);
                    }
                    break;
                case AnalyzeStatement an:
                    _sb.Append("ANALYZE");
                    TwoPartName(an.Name, an.SecondName);
                    break;
                case ReindexStatement ri:
                    _sb.Append("REINDEX");
                    TwoPartName(ri.Name, ri.SecondName);
                    break;
                case ExplainStatement ex:
                    _sb.Append(ex.QueryPlan ? "EXPLAIN QUERY PLAN " : "EXPLAIN ");
                    Statement(ex.Statement);
                    break;
                default:
                    throw new ArgumentException($"unknown statement {s.GetType().Name}", nameof(s));
            }
        }

        private void TwoPartName(string? first, string? second)
        {
            if (first is null) return;
            _sb.Append(' ');
            Name(first);
            if (second is not null)
            {
                _sb.Append('.');
                Name(second);
            }
        }

        private void CreateTable(CreateTableStatement ct)
        {
            _sb.Append(ct.Temp ? "CREATE TEMP TABLE " : "CREATE TABLE ");
            if (ct.IfNotExists) _sb.Append("IF NOT EXISTS ");
            QualifiedName(ct.Schema, ct.Name);
            if (ct.AsSelect is not null)
            {
                _sb.Append(" AS ");
                Select(ct.AsSelect);
                return;
            }
            _sb.Append(" (");
            List(ct.Columns, Column);
            foreach (TableConstraint tc in ct.Constraints)
            {
                _sb.Append(tc is TableConstraintName || !_lastWasName ? ", " : " ");
                _lastWasName = tc is TableConstraintName;
                TableConstraintText(tc);
            }
            _lastWasName = false;
            _sb.Append(')');
            if (ct.WithoutRowid)
            {
                _sb.Append(" WITHOUT ROWID");
                if (ct.Strict) _sb.Append(", STRICT");
            }
            else if (ct.Strict)
            {
                _sb.Append(" STRICT");
            }
        }

        private bool _lastWasName;

        private void TableConstraintText(TableConstraint tc)
        {
            switch (tc)
            {
                case TableConstraintName n:
                    _sb.Append("CONSTRAINT ");
                    Name(n.Name);
                    break;
                case PrimaryKeyTableConstraint pk:
                    _sb.Append("PRIMARY KEY (");
                    List(pk.Columns, Ordering);
                    if (pk.Autoincrement) _sb.Append(" AUTOINCREMENT");
                    _sb.Append(')');
                    OnConflict(pk.OnConflict);
                    break;
                case UniqueTableConstraint u:
                    _sb.Append("UNIQUE (");
                    List(u.Columns, Ordering);
                    _sb.Append(')');
                    OnConflict(u.OnConflict);
                    break;
                case CheckTableConstraint c:
                    _sb.Append("CHECK (");
                    Expr(c.Expr);
                    _sb.Append(')');
                    OnConflict(c.OnConflict);
                    break;
                case ForeignKeyTableConstraint fk:
                    _sb.Append("FOREIGN KEY (");
                    Names(fk.Columns);
                    _sb.Append(") ");
                    References(fk.Clause);
                    if (fk.Deferrable is not null)
                    {
                        _sb.Append(' ');
                        Deferrable(fk.Deferrable);
                    }
                    break;
            }
        }

        private void OnConflict(ConflictResolution r)
        {
            if (r != ConflictResolution.Default) _sb.Append(" ON CONFLICT ").Append(Conflict(r));
        }

        private void Column(ColumnDefinition c)
        {
            Name(c.Name);
            if (c.Type is not null) _sb.Append(' ').Append(c.Type);
            foreach (ColumnConstraint cc in c.Constraints)
            {
                _sb.Append(' ');
                switch (cc)
                {
                    case ConstraintName n:
                        _sb.Append("CONSTRAINT ");
                        Name(n.Name);
                        break;
                    case PrimaryKeyConstraint pk:
                        _sb.Append("PRIMARY KEY");
                        if (pk.Order == SortOrder.Asc) _sb.Append(" ASC");
                        else if (pk.Order == SortOrder.Desc) _sb.Append(" DESC");
                        OnConflict(pk.OnConflict);
                        if (pk.Autoincrement) _sb.Append(" AUTOINCREMENT");
                        break;
                    case NotNullConstraint nn:
                        _sb.Append("NOT NULL");
                        OnConflict(nn.OnConflict);
                        break;
                    case NullConstraint nl:
                        _sb.Append("NULL");
                        OnConflict(nl.OnConflict);
                        break;
                    case UniqueConstraint u:
                        _sb.Append("UNIQUE");
                        OnConflict(u.OnConflict);
                        break;
                    case CheckConstraint ck:
                        _sb.Append("CHECK (");
                        Expr(ck.Expr);
                        _sb.Append(')');
                        break;
                    case DefaultConstraint d:
                        _sb.Append("DEFAULT ");
                        switch (d.Form)
                        {
                            case DefaultForm.Parenthesized:
                                _sb.Append('(');
                                Expr(d.Value);
                                _sb.Append(')');
                                break;
                            case DefaultForm.Identifier:
                                var id = (ColumnRef)d.Value;
                                ColumnName(id.Column, id.Quote);
                                break;
                            default:
                                Expr(d.Value);
                                break;
                        }
                        break;
                    case CollateConstraint co:
                        _sb.Append("COLLATE ");
                        Name(co.Collation);
                        break;
                    case ReferencesConstraint r:
                        References(r.Clause);
                        break;
                    case DeferrableConstraint df:
                        Deferrable(df.Clause);
                        break;
                    case GeneratedConstraint g:
                        _sb.Append("AS (");
                        Expr(g.Expr);
                        _sb.Append(')');
                        if (g.Storage is not null)
                        {
                            _sb.Append(' ');
                            Name(g.Storage);
                        }
                        break;
                }
            }
        }

        private void References(ForeignKeyClause fk)
        {
            _sb.Append("REFERENCES ");
            Name(fk.Table);
            if (!fk.Columns.IsEmpty)
            {
                _sb.Append(" (");
                Names(fk.Columns);
                _sb.Append(')');
            }
            foreach (ForeignKeyArg a in fk.Args)
            {
                if (a.Event == ForeignKeyEvent.Match)
                {
                    _sb.Append(" MATCH ");
                    Name(a.MatchName!);
                    continue;
                }
                _sb.Append(" ON ").Append(a.Event.ToString().ToUpperInvariant()).Append(' ');
                _sb.Append(a.Action switch
                {
                    ForeignKeyActionKind.SetNull => "SET NULL",
                    ForeignKeyActionKind.SetDefault => "SET DEFAULT",
                    ForeignKeyActionKind.Cascade => "CASCADE",
                    ForeignKeyActionKind.Restrict => "RESTRICT",
                    _ => "NO ACTION",
                });
            }
        }

        private void Deferrable(DeferrableClause d)
        {
            _sb.Append(d.Not ? "NOT DEFERRABLE" : "DEFERRABLE");
            if (d.InitiallyDeferred is bool b) _sb.Append(b ? " INITIALLY DEFERRED" : " INITIALLY IMMEDIATE");
        }

        private void Trigger(CreateTriggerStatement tr)
        {
            _sb.Append(tr.Temp ? "CREATE TEMP TRIGGER " : "CREATE TRIGGER ");
            if (tr.IfNotExists) _sb.Append("IF NOT EXISTS ");
            QualifiedName(tr.Schema, tr.Name);
            _sb.Append(tr.Time switch
            {
                TriggerTime.Before => " BEFORE",
                TriggerTime.After => " AFTER",
                TriggerTime.InsteadOf => " INSTEAD OF",
                _ => "",
            });
            _sb.Append(' ').Append(tr.Event.ToString().ToUpperInvariant());
            if (!tr.UpdateColumns.IsEmpty)
            {
                _sb.Append(" OF ");
                Names(tr.UpdateColumns);
            }
            _sb.Append(" ON ");
            QualifiedName(tr.TableSchema, tr.Table);
            if (tr.ForEachRow) _sb.Append(" FOR EACH ROW");
            if (tr.When is not null)
            {
                _sb.Append(" WHEN ");
                Expr(tr.When);
            }
            _sb.Append(" BEGIN ");
            foreach (Statement step in tr.Body)
            {
                Statement(step);
                _sb.Append("; ");
            }
            _sb.Append("END");
        }
    }
}
