// Expression code: compute an expression's value into a register, or jump on its truth.
// Comparisons carry SQLite's comparison affinity (datatype3 §4.2) and collation in P5/P4;
// NULL propagates through operators as SQL's three-valued logic says.
using System.Diagnostics;
using System.Globalization;
using Tern.Sql.Lexer;
using System.Text;
using Tern.Functions;
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Sql;
using Tern.Sql.Ast;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>Computes <paramref name="e"/> into register <paramref name="target"/>.</summary>
    private void ExprCode(Expr e, Scope scope, int target)
    {
        if (scope.Overrides != null && scope.Overrides.TryGetValue(e, out int reg))
        {
            Emit(Opcode.SCopy, reg, target, 0);
            return;
        }
        switch (e)
        {
            case Literal l:
                LiteralCode(l, target);
                return;
            case ParameterExpr p:
                while (_parameters.Count < p.Number) _parameters.Add(null);
                if (p.Name.Length > 1) _parameters[p.Number - 1] = p.Name;
                Emit(Opcode.Variable, p.Number, target, 0);
                return;
            case ColumnRef c:
                ColumnCode(c, scope, target);
                return;
            case UnaryExpr u:
                UnaryCode(u, scope, target);
                return;
            case BinaryExpr b:
                BinaryCode(b, scope, target);
                return;
            case CollateExpr ce:
                ExprCode(ce.Operand, scope, target);
                return;
            case CastExpr cast:
                ExprCode(cast.Operand, scope, target);
                Emit(Opcode.Cast, target, (int)CastAffinity(cast.TypeName), 0);
                return;
            case NullTestExpr nt:
                {
                    int v = NewRegister();
                    ExprCode(nt.Operand, scope, v);
                    int done = NewLabel();
                    Emit(Opcode.Integer, 1, target, 0);
                    Emit(nt.NotNull ? Opcode.NotNull : Opcode.IsNull, v, done, 0);
                    Emit(Opcode.Integer, 0, target, 0);
                    Resolve(done);
                    return;
                }
            case BetweenExpr be when IsVectorBetween(be):
                VectorBetweenCode(be, scope, target);
                return;
            case BetweenExpr be:
                {
                    int x = NewRegister(), lo = NewRegister(), hi = NewRegister();
                    ExprCode(be.Operand, scope, x);
                    ExprCode(be.Low, scope, lo);
                    ExprCode(be.High, scope, hi);
                    int r1 = NewRegister(), r2 = NewRegister();
                    (ushort p5a, Collation ca) = ComparisonFlags(be.Operand, be.Low, scope);
                    (ushort p5b, Collation cb) = ComparisonFlags(be.Operand, be.High, scope);
                    Emit(Opcode.Ge, lo, r1, x, ca, (ushort)(p5a | P5Flags.StoreP2));
                    Emit(Opcode.Le, hi, r2, x, cb, (ushort)(p5b | P5Flags.StoreP2));
                    Emit(Opcode.And, r1, r2, target);
                    if (be.Not) Emit(Opcode.Not, target, target, 0);
                    return;
                }
            case InListExpr il when il.Operand is SubqueryExpr && IsVector(il.Operand) && il.Items.Count == 1
                && (IsConstantTree(il.Items[0]) || il.Items[0] is RowValueExpr rv && rv.Items.All(IsConstantTree)):
                // SQLite reads x IN (c) as x = +c, and +c is one value: a vector x is misused.
                RowValueMisused();
                return;
            case InListExpr { Items: [SubqueryExpr only] } il:
                // x IN ((SELECT ...)) is x IN (SELECT ...), as SQLite's parser makes it.
                ExprCode(new InSelectExpr(il.Not, il.Operand, only.Select) { Start = il.Start, End = il.End }, scope, target);
                return;
            case InListExpr il when il.Operand is RowValueExpr:
                VectorInListCode(il, scope, target);
                return;
            case InListExpr il:
                {
                    int x = NewRegister();
                    ExprCode(il.Operand, scope, x);
                    if (il.Items.Count == 0)
                    {
                        Emit(Opcode.Integer, il.Not ? 1 : 0, target, 0);
                        return;
                    }
                    int item = NewRegister(), res = NewRegister();
                    Emit(Opcode.Integer, 0, target, 0);
                    // x IN (a, b) is x = +a OR x = +b: the items have no affinity (only x's
                    // applies) and the list compares with x's collation, except that a lone
                    // item's explicit COLLATE counts (SQLite rewrites x IN (a) as x = +a).
                    Collation coll = ExprCollation(il.Operand, scope) ?? Collation.Binary;
                    if (il.Items.Count == 1 && IsConstantTree(il.Items[0]) && !HasExplicitCollate(il.Operand) && HasExplicitCollate(il.Items[0]))
                        coll = ExprCollation(il.Items[0], scope)!.Value;
                    ushort p5 = (ushort)Affinities.ForComparison(ExprAffinity(il.Operand, scope), Affinity.None);
                    foreach (Expr it in il.Items)
                    {
                        ExprCode(it, scope, item);
                        Emit(Opcode.Eq, item, res, x, coll, (ushort)(p5 | P5Flags.StoreP2));
                        Emit(Opcode.Or, target, res, target);
                    }
                    if (il.Not) Emit(Opcode.Not, target, target, 0);
                    return;
                }
            case InSelectExpr ins when IsVector(ins.Operand):
                VectorInSelectCode(ins, scope, target);
                return;
            case InSelectExpr ins:
                InSelectCode(ins, scope, target);
                return;
            case InTableExpr it when it.Arguments.Count == 0:
                {
                    // x IN t means x IN (SELECT * FROM t).
                    var from = new FromItem(JoinType.None, new NamedTable(it.Schema, it.Table, null), null, NodeList<string>.Empty);
                    var core = new SelectClause(false, new NodeList<ResultColumn>([new StarColumn()]), new NodeList<FromItem>([from]),
                        null, NodeList<Expr>.Empty, null, NodeList<WindowDefinition>.Empty);
                    var sel = new SelectStatement(null, core, NodeList<CompoundPart>.Empty, NodeList<OrderingTerm>.Empty, null);
                    ExprCode(new InSelectExpr(it.Not, it.Operand, sel), scope, target);
                    return;
                }
            case ExistsExpr ex:
                {
                    int done = NewLabel();
                    int res = NewRegister();
                    int once = BeginOnce(scope);
                    Emit(Opcode.Integer, 0, res, 0);
                    // A plain SELECT (no WITH or compound) neither computes its result columns
                    // nor applies DISTINCT or ORDER BY: only whether a row comes counts, as in
                    // SQLite (which drops a superfluous ORDER BY and DISTINCT there).
                    _existsResultsUnused = ex.Select is { With: null, Compounds.Count: 0, First: SelectClause };
                    CompileSelect(ex.Select, scope, (start, n) =>
                    {
                        Emit(Opcode.Integer, 1, res, 0);
                        Emit(Opcode.Goto, 0, done, 0);
                    });
                    Resolve(done);
                    EndOnce(once);
                    Emit(Opcode.Copy, res, target, 0);
                    return;
                }
            case SubqueryExpr sq:
                {
                    int done = NewLabel();
                    int res = NewRegister();
                    int once = BeginOnce(scope);
                    Emit(Opcode.Null, 0, res, 0);
                    CompileSelect(sq.Select, scope, (start, n) =>
                    {
                        if (n != 1) throw new TernException(ResultCode.Error, $"sub-select returns {n} columns - expected 1");
                        Emit(Opcode.Copy, start, res, 0);
                        Emit(Opcode.Goto, 0, done, 0);
                    });
                    Resolve(done);
                    EndOnce(once);
                    Emit(Opcode.Copy, res, target, 0);
                    return;
                }
            case CaseExpr ce:
                CaseCode(ce, scope, target);
                return;
            case RaiseExpr re:
                RaiseCode(re);
                Emit(Opcode.Null, 0, target, 0);
                return;
            case FunctionCall f:
                FunctionCode(f, scope, target);
                return;
            case LikeExpr like:
                {
                    FunctionDef def = LikeFunction(like);
                    int n = like.Escape != null ? 3 : 2;
                    int args = NewRegisters(n);
                    ExprCode(like.Pattern, scope, args);
                    ExprCode(like.Left, scope, args + 1);
                    if (like.Escape != null) ExprCode(like.Escape, scope, args + 2);
                    Emit(Opcode.Function, 0, args, target, def, (ushort)n);
                    if (like.Not) Emit(Opcode.Not, target, target, 0);
                    return;
                }
            case RowValueExpr:
                RowValueMisused();
                return;
            case SubqueryFieldExpr sf:
                SubqueryFieldCode(sf, scope, target);
                return;
            default:
                throw new TernException(ResultCode.Error, e.GetType().Name + " expressions are not supported yet");
        }
    }

    /// <summary>
    /// The function a LIKE/GLOB operator calls: like(P, X[, E]) or glob(P, X); an ESCAPE on
    /// GLOB calls glob() with three arguments, which SQLite refuses by its argument count.
    /// </summary>
    private FunctionDef LikeFunction(LikeExpr like)
    {
        if (like.Operator is not (LikeOperator.Like or LikeOperator.Glob)) throw new TernException(ResultCode.Error, "no such function: " + like.Operator.ToString().ToUpperInvariant());
        string name = like.Operator == LikeOperator.Like ? "like" : "glob";
        return CaseSensitiveLikeIfSet(FunctionCatalog.Find(name, like.Escape != null ? 3 : 2, out _)
            ?? throw new TernException(ResultCode.Error, $"wrong number of arguments to function {OperatorText(like, name)}()"));
    }

    /// <summary>PRAGMA case_sensitive_like = ON (when the statement is prepared) puts a case-sensitive like() in place of the built-in one.</summary>
    private FunctionDef CaseSensitiveLikeIfSet(FunctionDef def) =>
        def.Name != "like" || _settings == null || !_settings.TryGetValue("case_sensitive_like", out long on) || on == 0 ? def
        : def.ArgCount == 2 ? PatternMatch.CaseSensitiveLike2 : PatternMatch.CaseSensitiveLike3;

    /// <summary>The LIKE/GLOB keyword as the statement spells it (SQLite's messages name it so).</summary>
    private string OperatorText(LikeExpr like, string fallback) => LikeOperatorText(_sql, like, fallback);

    private void LiteralCode(Literal l, int target)
    {
        switch (l.Kind)
        {
            case LiteralKind.Integer:
                if (TryParseInteger(l.Value, out long v))
                {
                    if (v >= int.MinValue && v <= int.MaxValue) Emit(Opcode.Integer, (int)v, target, 0);
                    else Emit(Opcode.Int64, 0, target, 0, v);
                }
                else Emit(Opcode.Real, 0, target, 0, NumericText.ParseReal(l.Value));
                return;
            case LiteralKind.Float:
                Emit(Opcode.Real, 0, target, 0, NumericText.ParseReal(l.Value));
                return;
            case LiteralKind.String:
                Emit(Opcode.String8, 0, target, 0, RawUtf8.Encode(l.Value));
                return;
            case LiteralKind.Blob:
                Emit(Opcode.Blob, 0, target, 0, Convert.FromHexString(l.Value));
                return;
            case LiteralKind.Null:
                Emit(Opcode.Null, 0, target, 0);
                return;
            case LiteralKind.CurrentTime or LiteralKind.CurrentDate or LiteralKind.CurrentTimestamp:
                {
                    string name = l.Kind switch
                    {
                        LiteralKind.CurrentTime => "time",
                        LiteralKind.CurrentDate => "date",
                        _ => "datetime",
                    };
                    Emit(Opcode.Function, 0, target, target, FunctionCatalog.Find(name, 0, out _)!, 0);
                    return;
                }
            default:
                throw new TernException(ResultCode.Error, l.Value + " is not supported yet");
        }
    }

    private static bool TryParseInteger(string text, out long v)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong u))
            {
                v = unchecked((long)u);
                return true;
            }
            throw new TernException(ResultCode.Error, $"hex literal too big: {text}");
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out v);
    }

    private static Affinity CastAffinity(string type)
    {
        Affinity a = Affinities.FromDeclaredType(type);
        return a == Affinity.Blob ? Affinity.Blob : a;
    }

    private void UnaryCode(UnaryExpr u, Scope scope, int target)
    {
        switch (u.Operator)
        {
            case UnaryOperator.Negate:
                if (u.Operand is Literal { Kind: LiteralKind.Integer } lit && lit.Value == "9223372036854775808")
                {
                    Emit(Opcode.Int64, 0, target, 0, long.MinValue);
                    return;
                }
                if (u.Operand is Literal { Kind: LiteralKind.Integer or LiteralKind.Float } num && (num.Kind == LiteralKind.Float || TryParseInteger(num.Value, out _)))
                {
                    if (num.Kind == LiteralKind.Integer && TryParseInteger(num.Value, out long iv))
                    {
                        // 0x8000000000000000 is the smallest integer: its negation does not exist.
                        if (iv == long.MinValue) throw new TernException(ResultCode.Error, $"hex literal too big: -{num.Value}");
                        if (-iv >= int.MinValue && -iv <= int.MaxValue) Emit(Opcode.Integer, (int)-iv, target, 0);
                        else Emit(Opcode.Int64, 0, target, 0, -iv);
                    }
                    else Emit(Opcode.Real, 0, target, 0, -NumericText.ParseReal(num.Value));
                    return;
                }
                {
                    int zero = NewRegister(), v = NewRegister();
                    Emit(Opcode.Integer, 0, zero, 0);
                    ExprCode(u.Operand, scope, v);
                    Emit(Opcode.Subtract, v, zero, target);
                    return;
                }
            case UnaryOperator.Plus:
                ExprCode(u.Operand, scope, target);
                return;
            case UnaryOperator.BitNot:
                {
                    int v = NewRegister();
                    ExprCode(u.Operand, scope, v);
                    Emit(Opcode.BitNot, v, target, 0);
                    return;
                }
            default:
                {
                    int v = NewRegister();
                    ExprCode(u.Operand, scope, v);
                    Emit(Opcode.Not, v, target, 0);
                    return;
                }
        }
    }

    private void BinaryCode(BinaryExpr b, Scope scope, int target)
    {
        if (b.Operator is BinaryOperator.JsonExtract or BinaryOperator.JsonExtractText)
        {
            // -> and ->> are calls of the JSON extraction functions.
            int args = NewRegisters(2);
            ExprCode(b.Left, scope, args);
            ExprCode(b.Right, scope, args + 1);
            Emit(Opcode.Function, 0, args, target, b.Operator == BinaryOperator.JsonExtract ? JsonFunctions.Arrow : JsonFunctions.ArrowText, 2);
            return;
        }
        if (b.Operator is BinaryOperator.Is or BinaryOperator.IsNot && TruthKeyword(b.Right, scope) is bool truth)
        {
            // x IS [NOT] TRUE/FALSE tests x's truth (a non-zero numeric value), NULL being neither.
            int v = NewRegister();
            ExprCode(b.Left, scope, v);
            // NULL counts as the opposite of the keyword, then NOT/FALSE invert:
            //   IS TRUE: t, NULL 0   IS NOT TRUE: !t, NULL 1   IS FALSE: !t, NULL 0   IS NOT FALSE: t, NULL 1
            bool invert = truth != (b.Operator == BinaryOperator.Is);
            Emit(Opcode.IsTrue, v, target, truth ? 0 : 1, null, (ushort)(invert ? 1 : 0));
            return;
        }
        if (b.Operator is BinaryOperator.Eq or BinaryOperator.Ne or BinaryOperator.Lt or BinaryOperator.Le or BinaryOperator.Gt
            or BinaryOperator.Ge or BinaryOperator.Is or BinaryOperator.IsNot && (IsVector(b.Left) || IsVector(b.Right))
            // x IS [NOT] NULL tests one value (SQLite's ISNULL/NOTNULL), whatever x is.
            && !(b.Operator is BinaryOperator.Is or BinaryOperator.IsNot && b.Right is Literal { Kind: LiteralKind.Null }))
        {
            VectorCompareCode(b, scope, target);
            return;
        }
        int l = NewRegister(), r = NewRegister();
        ExprCode(b.Left, scope, l);
        ExprCode(b.Right, scope, r);
        switch (b.Operator)
        {
            case BinaryOperator.And: Emit(Opcode.And, l, r, target); return;
            case BinaryOperator.Or: Emit(Opcode.Or, l, r, target); return;
            case BinaryOperator.Add: Emit(Opcode.Add, r, l, target); return;
            case BinaryOperator.Subtract: Emit(Opcode.Subtract, r, l, target); return;
            case BinaryOperator.Multiply: Emit(Opcode.Multiply, r, l, target); return;
            case BinaryOperator.Divide: Emit(Opcode.Divide, r, l, target); return;
            case BinaryOperator.Remainder: Emit(Opcode.Remainder, r, l, target); return;
            case BinaryOperator.Concat: Emit(Opcode.Concat, r, l, target); return;
            case BinaryOperator.BitAnd: Emit(Opcode.BitAnd, r, l, target); return;
            case BinaryOperator.BitOr: Emit(Opcode.BitOr, r, l, target); return;
            case BinaryOperator.LShift: Emit(Opcode.ShiftLeft, r, l, target); return;
            case BinaryOperator.RShift: Emit(Opcode.ShiftRight, r, l, target); return;
        }
        (ushort p5, Collation coll) = ComparisonFlags(b.Left, b.Right, scope);
        p5 |= P5Flags.StoreP2;
        Opcode op;
        switch (b.Operator)
        {
            case BinaryOperator.Eq: op = Opcode.Eq; break;
            case BinaryOperator.Ne: op = Opcode.Ne; break;
            case BinaryOperator.Lt: op = Opcode.Lt; break;
            case BinaryOperator.Le: op = Opcode.Le; break;
            case BinaryOperator.Gt: op = Opcode.Gt; break;
            case BinaryOperator.Ge: op = Opcode.Ge; break;
            case BinaryOperator.Is: op = Opcode.Eq; p5 |= P5Flags.NullEq; break;
            case BinaryOperator.IsNot: op = Opcode.Ne; p5 |= P5Flags.NullEq; break;
            default: throw new TernException(ResultCode.Error, b.Operator + " is not supported yet");
        }
        // r[P3] op r[P1]: the left operand goes in P3.
        Emit(op, r, target, l, coll, p5);
    }

    /// <summary>Whether an expression is built of literals and operators only.</summary>
    private static bool IsConstantTree(Expr e) => e switch
    {
        Literal => true,
        CollateExpr c => IsConstantTree(c.Operand),
        UnaryExpr u => IsConstantTree(u.Operand),
        CastExpr c => IsConstantTree(c.Operand),
        BinaryExpr b => IsConstantTree(b.Left) && IsConstantTree(b.Right),
        _ => false,
    };

    /// <summary>
    /// Whether <paramref name="e"/> is the keyword TRUE or FALSE (a bare name no column,
    /// alias or trigger row answers to), and which; null otherwise.
    /// </summary>
    private bool? TruthKeyword(Expr e, Scope scope)
    {
        while (e is CollateExpr ce) e = ce.Operand;
        if (e is not ColumnRef { Table: null, IsDoubleQuoted: false } c) return null;
        bool isTrue = c.Column.Equals("true", StringComparison.OrdinalIgnoreCase);
        if (!isTrue && !c.Column.Equals("false", StringComparison.OrdinalIgnoreCase)) return null;
        if (TryResolve(c, scope).Item1 != null) return null;
        if (_triggerSources.Count > 0 && ResolveTriggerColumn(c).Item1 != null) return null;
        return isTrue;
    }

    /// <summary>
    /// P5 (affinity) and collation for comparing two expressions. The collation, as SQLite
    /// picks it: an explicit COLLATE in the left operand, else one in the right operand, else
    /// the left operand's column collation, else the right's, else BINARY.
    /// </summary>
    private (ushort P5, Collation Collation) ComparisonFlags(Expr left, Expr right, Scope scope)
    {
        Affinity a = Affinities.ForComparison(ExprAffinity(left, scope), ExprAffinity(right, scope));
        Collation c = HasExplicitCollate(left) ? ExprCollation(left, scope)!.Value
            : HasExplicitCollate(right) ? ExprCollation(right, scope)!.Value
            : ExprCollation(left, scope) ?? ExprCollation(right, scope) ?? Collation.Binary;
        return ((ushort)a, c);
    }

    /// <summary>Whether a COLLATE operator appears in the expression (not counting subqueries).</summary>
    private static bool HasExplicitCollate(Expr e)
    {
        if (e is CollateExpr) return true;
        foreach (Expr child in ExprChildren(e))
        {
            if (HasExplicitCollate(child)) return true;
        }
        return false;
    }

    /// <summary>The operand expressions of an expression, left to right (subqueries excluded).</summary>
    private static IEnumerable<Expr> ExprChildren(Expr e)
    {
        switch (e)
        {
            case UnaryExpr u: yield return u.Operand; break;
            case BinaryExpr b: yield return b.Left; yield return b.Right; break;
            case CollateExpr c: yield return c.Operand; break;
            case CastExpr c: yield return c.Operand; break;
            case LikeExpr l:
                yield return l.Left;
                yield return l.Pattern;
                if (l.Escape != null) yield return l.Escape;
                break;
            case BetweenExpr b: yield return b.Operand; yield return b.Low; yield return b.High; break;
            case InListExpr il:
                yield return il.Operand;
                foreach (Expr x in il.Items) yield return x;
                break;
            case InSelectExpr s: yield return s.Operand; break;
            case InTableExpr t: yield return t.Operand; break;
            case NullTestExpr n: yield return n.Operand; break;
            case FunctionCall f:
                foreach (Expr x in f.Arguments) yield return x;
                break;
            case CaseExpr c:
                if (c.Operand != null) yield return c.Operand;
                foreach (CaseWhen w in c.Whens)
                {
                    yield return w.Condition;
                    yield return w.Result;
                }
                if (c.Else != null) yield return c.Else;
                break;
            case RowValueExpr r:
                foreach (Expr x in r.Items) yield return x;
                break;
        }
    }

    /// <summary>
    /// The collation an expression carries (SQLite's sqlite3ExprCollSeq): a COLLATE operator's;
    /// a column's declared one (BINARY when it declares none), also through CAST and unary +;
    /// else that of the first operand holding a COLLATE; null when there is none (a rowid, a
    /// literal, a function of plain columns).
    /// </summary>
    /// <remarks>
    /// An unknown collation name is an error only where a comparison needs it; with
    /// <paramref name="strict"/> false it reads as no collation.
    /// </remarks>
    private Collation? ExprCollation(Expr e, Scope scope, bool strict = true)
    {
        while (true)
        {
            switch (e)
            {
                case CollateExpr ce: return strict ? MemCompare.ParseCollation(ce.Collation) : MemCompare.TryParseCollation(ce.Collation);
                case ColumnRef c:
                    {
                        (Source? s, int col) = TryResolve(c, scope);
                        return s != null && col >= 0 ? s.Table.Columns[col].Collation : null;
                    }
                case CastExpr cast:
                    e = cast.Operand;
                    continue;
                case UnaryExpr { Operator: UnaryOperator.Plus } plus:
                    e = plus.Operand;
                    continue;
            }
            Expr? next = null;
            foreach (Expr child in ExprChildren(e))
            {
                if (HasExplicitCollate(child))
                {
                    next = child;
                    break;
                }
            }
            if (next == null) return null;
            e = next;
        }
    }

    /// <summary>The affinity of an expression: a column's, a CAST's type, else none.</summary>
    private Affinity ExprAffinity(Expr e, Scope scope)
    {
        switch (e)
        {
            case ColumnRef c:
                {
                    (Source? s, int col) = TryResolve(c, scope);
                    if (s == null && _triggerSources.Count > 0)
                    {
                        // OLD.x and NEW.x have no affinity, except the rowid (by any of its
                        // names, the INTEGER PRIMARY KEY included), which is an integer.
                        (Source? ts, int tcol) = ResolveTriggerColumn(c);
                        if (ts == null) return Affinity.None;
                        return tcol == ts.RowidAliasColumn || tcol == ts.Table.Columns.Count - 1 ? Affinity.Integer : Affinity.None;
                    }
                    if (s == null) return Affinity.None;
                    return col < 0 ? Affinity.Integer : s.Table.Columns[col].Affinity;
                }
            case CastExpr cast: return CastAffinity(cast.TypeName);
            case CollateExpr ce: return ExprAffinity(ce.Operand, scope);
            case SubqueryExpr sq when sq.Select.First is SelectClause sc && sc.Columns.Count > 0 && sc.Columns[0] is ExprColumn ec:
                return Affinity.None is var _ && ec.Expr is ColumnRef ? SubqueryColumnAffinity(sq.Select, scope) : Affinity.None;
            default: return Affinity.None;
        }
    }

    private Affinity SubqueryColumnAffinity(SelectStatement s, Scope outer)
    {
        if (s.First is not SelectClause sc || sc.Columns[0] is not ExprColumn ec) return Affinity.None;
        var inner = new Scope { Outer = outer };
        foreach (FromItem fi in sc.From)
        {
            if (fi.Source is NamedTable nt && FindTable(nt.Schema, nt.Name) is { } t)
                inner.Sources.Add(new Source { Table = t, Cursor = -1, Name = nt.Alias ?? t.Name });
        }
        return ExprAffinity(ec.Expr, inner);
    }

    /// <summary>
    /// Finds the source and column (-1 for the rowid) a column reference names; (null, 0) when none.
    /// A column of a flattened subquery that stands for a plain column is that column (unless
    /// <paramref name="seeThrough"/> is false), so seeks and affinities see the real table.
    /// </summary>
    private static (Source? Source, int Column) TryResolve(ColumnRef c, Scope? scope, bool seeThrough = true)
    {
        for (Scope? s = scope; s != null; s = s.Outer)
        {
            Source? found = null;
            int col = 0;
            foreach (Source src in s.Sources)
            {
                if (src.UsingOnly ? c.Table != null
                    : src.Hidden ? !string.Equals(c.Table, src.Name, StringComparison.Ordinal)
                    : c.Table != null && !string.Equals(c.Table, src.Name, StringComparison.OrdinalIgnoreCase)) continue;
                if (c.Table == null && src.UsingColumns.Contains(c.Column)) continue;
                int k = src.Table.FindColumn(c.Column);
                if (k < 0 && (src.ColumnNames == null || src.VirtualTable) && !src.Table.WithoutRowid && IsRowidName(c.Column)) k = src.Table.RowidAlias;
                else if (k < 0) continue;
                if (found != null)
                {
                    if (k < 0) continue;
                    throw new TernException(ResultCode.Error, "ambiguous column name: " + (c.Schema != null ? c.Schema + "." : "") + (c.Table != null ? c.Table + "." : "") + c.Column) { Position = c.Start };
                }
                found = src;
                col = k;
            }
            if (found != null) return seeThrough ? SeeThroughFlattened(found, col, s) : (found, col);
        }
        return (null, 0);
    }

    /// <summary>
    /// Follows a flattened subquery's column to the column it stands for while that is a plain
    /// column. On the right of a LEFT JOIN only a column of the subquery's own table qualifies
    /// (its NULL row reads NULL there); anything else keeps the wrapper that yields NULL.
    /// </summary>
    private static (Source Source, int Column) SeeThroughFlattened(Source found, int col, Scope scope)
    {
        while (found.Flattened != null && col >= 0 && found.Flattened[col] is ColumnRef inner)
        {
            (Source? next, int nextCol) = TryResolve(inner, scope, seeThrough: false);
            Debug.Assert(next != null, "a flattened column names a hidden source of the same scope");
            if (next == null || (found.NullRowSource != null && next.Flattened != null)) break;
            found = next;
            col = nextCol;
        }
        return (found, col);
    }

    private static bool IsRowidName(string name) =>
        name.Equals("rowid", StringComparison.OrdinalIgnoreCase) || name.Equals("oid", StringComparison.OrdinalIgnoreCase)
        || name.Equals("_rowid_", StringComparison.OrdinalIgnoreCase);

    private void ColumnCode(ColumnRef c, Scope scope, int target)
    {
        (Source? s, int col) = TryResolve(c, scope);
        if (s == null && _triggerSources.Count > 0)
        {
            (s, col) = ResolveTriggerColumn(c);
            if (s != null)
            {
                // OLD/NEW change with every row: nothing reading them may run only once.
                foreach (OnceFrame f in _onceFrames) f.Correlated = true;
                EmitColumn(s, col, target);
                return;
            }
        }
        if (s == null && c.Table == null && _aliasScopes.TryGetValue(scope, out List<ResultItem>? items) && !_aliasesInUse.Contains(c.Column))
        {
            foreach (ResultItem item in items)
            {
                if (!string.Equals(item.Name, c.Column, StringComparison.OrdinalIgnoreCase)) continue;
                var aggs = new List<FunctionCall>();
                CollectAggregates(item.Expr, aggs);
                if (aggs.Count > 0 && scope.Overrides == null) throw new TernException(ResultCode.Error, $"misuse of aggregate: {aggs[0].Name}()") { Position = aggs[0].Start };
                _aliasesInUse.Add(c.Column);
                try
                {
                    ExprCode(item.Expr, scope, target);
                }
                finally
                {
                    _aliasesInUse.Remove(c.Column);
                }
                return;
            }
        }
        if (s == null && c.Table == null && !c.IsDoubleQuoted && (c.Column.Equals("true", StringComparison.OrdinalIgnoreCase) || c.Column.Equals("false", StringComparison.OrdinalIgnoreCase)))
        {
            // TRUE and FALSE are 1 and 0 unless a column has that name.
            Emit(Opcode.Integer, c.Column.Equals("true", StringComparison.OrdinalIgnoreCase) ? 1 : 0, target, 0);
            return;
        }
        if (s == null)
        {
            if (IsDqsString(c, scope))
            {
                // A double-quoted name that names nothing is the string it spells (SQLite's DQS).
                Emit(Opcode.String8, 0, target, 0, RawUtf8.Encode(c.Column));
                return;
            }
            if (c.Table == null && c.IsDoubleQuoted)
            {
                throw new TernException(ResultCode.Error, $"no such column: \"{c.Column}\" - should this be a string literal in single-quotes?");
            }
            throw new TernException(ResultCode.Error, "no such column: " + (c.Schema != null ? c.Schema + "." : "") + (c.Table != null ? c.Table + "." : "") + c.Column) { Position = c.Start };
        }
        NoteOuterReference(s);
        for (Scope? sc = scope; sc != null; sc = sc.Outer)
        {
            if (sc.ColumnRegisters == null || !sc.Sources.Contains(s)) continue;
            if (sc.ColumnRegisters.TryGetValue((s, col), out int reg))
            {
                Emit(Opcode.SCopy, reg, target, 0);
                return;
            }
            break;
        }
        if (s.Flattened != null)
        {
            FlattenedColumnCode(s, col, scope, target);
            return;
        }
        EmitColumn(s, col, target);
    }

    /// <summary>
    /// Whether an unqualified double-quoted name that no column, alias or trigger row answers to
    /// reads as a string: in a table's own expressions always, elsewhere when DQS_DML is on.
    /// </summary>
    private bool IsDqsString(ColumnRef c, Scope scope) => c.Table == null && c.IsDoubleQuoted && (DqsInDml || InDefinition(scope));

    private static bool InDefinition(Scope? scope)
    {
        for (; scope != null; scope = scope.Outer)
        {
            if (scope.Definition) return true;
        }
        return false;
    }

    private void EmitColumn(Source s, int col, int target)
    {
        if (s.Materialized)
        {
            if (col < 0 && s.VirtualTable)
            {
                Emit(Opcode.Rowid, s.Cursor, target, 0);
                return;
            }
            Emit(Opcode.Column, s.Cursor, col, target);
            if (s.RestoresIntReal && col >= 0 && s.Table.Columns[col].Affinity == Affinity.Real) Emit(Opcode.Affinity, target, 1, 0, "E", 2);
            return;
        }
        if (col < 0 || s.Table.Columns[col].IsRowidAlias)
        {
            Emit(Opcode.Rowid, s.Cursor, target, 0);
            return;
        }
        object? def = ColumnDefault(s.Table.Columns[col]);
        TableColumnCode(s, col, target, def);
        if (s.Table.Columns[col].Affinity == Affinity.Real && !s.Table.Columns[col].IsVirtual)
        {
            // REAL columns store integral values as integers; reading gives them back as REAL.
            Emit(Opcode.Affinity, target, 1, 0, "E");
        }
    }

    /// <summary>
    /// A column's DEFAULT as a register value for rows written before the column existed,
    /// with the column's affinity applied as SQLite applies it (DEFAULT 0 on a TEXT column
    /// reads as '0'), so index entries built from such rows are the ones SQLite expects.
    /// </summary>
    private static object? ColumnDefault(Column column)
    {
        if (column.Default is not { } d || ConstantDefault(d) is not Mem m) return null;
        Affinities.Apply(ref m, column.Affinity);
        return m;
    }

    private static object? ConstantDefault(Expr d) => d switch
    {
        UnaryExpr { Operator: UnaryOperator.Negate, Operand: Literal { Kind: LiteralKind.Integer } l } when long.TryParse("-" + l.Value, out long nv) => MemOf(Value.FromInteger(nv)),
        // A negated hex literal: the negation of the smallest integer (0x8000000000000000)
        // becomes the real 2^63, as SQLite's valueFromExpr makes it.
        UnaryExpr { Operator: UnaryOperator.Negate, Operand: Literal { Kind: LiteralKind.Integer } l } when HexLiteral(l.Value) is long hv
            => MemOf(hv == long.MinValue ? Value.FromReal(9223372036854775808.0) : Value.FromInteger(-hv)),
        Literal { Kind: LiteralKind.Integer } l when HexLiteral(l.Value) is long hv => MemOf(Value.FromInteger(hv)),
        UnaryExpr { Operator: UnaryOperator.Negate, Operand: Literal { Kind: LiteralKind.Float } l } => MemOf(Value.FromReal(-NumericText.ParseReal(l.Value))),
        UnaryExpr { Operator: UnaryOperator.Plus, Operand: Literal inner } => ConstantDefault(inner),
        Literal { Kind: LiteralKind.Integer } l when long.TryParse(l.Value, out long v) => MemOf(Value.FromInteger(v)),
        Literal { Kind: LiteralKind.Float } l => MemOf(Value.FromReal(NumericText.ParseReal(l.Value))),
        Literal { Kind: LiteralKind.String } l => MemOf(Value.FromUtf8(RawUtf8.Encode(l.Value))),
        _ => null,
    };

    private static object MemOf(Value v) => Mem.FromValue(v);

    /// <summary>A hex integer literal's 64-bit value (two's complement); null when it is not one or is too big.</summary>
    private static long? HexLiteral(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
        && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong u) ? unchecked((long)u) : null;

    private void CaseCode(CaseExpr ce, Scope scope, int target)
    {
        int end = NewLabel();
        int baseReg = -1;
        // CASE (a, b) WHEN (x, y) compares the vectors; a vector against one value is misused.
        VectorValue? baseVector = ce.Operand != null && IsVector(ce.Operand) ? VectorCode(ce.Operand, scope) : null;
        if (ce.Operand != null && baseVector == null)
        {
            baseReg = NewRegister();
            ExprCode(ce.Operand, scope, baseReg);
        }
        foreach (CaseWhen w in ce.Whens)
        {
            int next = NewLabel();
            int cond = NewRegister();
            if (baseVector != null)
            {
                int ww = VectorWidth(w.Condition);
                if (ww >= 0 && ww != baseVector.Width) RowValueMisused();
                VectorValue when = VectorCode(w.Condition, scope);
                if (when.Width != baseVector.Width) RowValueMisused();
                VectorCompare(baseVector, when, BinaryOperator.Eq, scope, cond);
            }
            else if (baseReg >= 0)
            {
                int v = NewRegister();
                ExprCode(w.Condition, scope, v);
                (ushort p5, Collation coll) = ComparisonFlags(ce.Operand!, w.Condition, scope);
                Emit(Opcode.Eq, v, cond, baseReg, coll, (ushort)(p5 | P5Flags.StoreP2));
            }
            else
            {
                // A searched CASE tests each WHEN as a jump, as WHERE terms are.
                JumpIfFalse(w.Condition, scope, next);
                ExprCode(w.Result, scope, target);
                Emit(Opcode.Goto, 0, end, 0);
                Resolve(next);
                continue;
            }
            Emit(Opcode.IfNot, cond, next, 1);
            ExprCode(w.Result, scope, target);
            Emit(Opcode.Goto, 0, end, 0);
            Resolve(next);
        }
        if (ce.Else != null) ExprCode(ce.Else, scope, target);
        else Emit(Opcode.Null, 0, target, 0);
        Resolve(end);
    }

    private void FunctionCode(FunctionCall f, Scope scope, int target)
    {
        string lower = f.Name.ToLowerInvariant();
        if (IsInlineConditional(f))
        {
            IifCode(f, scope, target);
            return;
        }
        if (f.Over != null)
        {
            // Window calls are computed only as result columns and ORDER BY terms of a SELECT
            // (they stand in an override there); anywhere else they are misplaced.
            if (WindowOnlyFunctions.Contains(lower)) CheckWindowArguments(lower, f.Star ? 0 : f.Arguments.Count);
            else if (RequireFunction(f) is not AggregateFunction)
                throw new TernException(ResultCode.Error, $"{f.Name}() may not be used as a window function");
            throw new TernException(ResultCode.Error, $"misuse of window function {f.Name}()") { Position = f.Start };
        }
        FunctionDef def = CaseSensitiveLikeIfSet(RequireFunction(f));
        if (def is AggregateFunction)
        {
            throw new TernException(ResultCode.Error, $"misuse of aggregate function {f.Name}()") { Position = f.Start };
        }
        if (!f.OrderBy.IsEmpty) throw new TernException(ResultCode.Error, $"ORDER BY may not be used with non-aggregate {f.Name}()");
        if (f.Filter != null) throw new TernException(ResultCode.Error, $"FILTER may not be used with non-aggregate {f.Name}()");
        if (lower is "likely" or "unlikely" or "likelihood")
        {
            // Only a hint to the planner: the value is the first argument's. likelihood()'s
            // probability must be a real literal from 0.0 to 1.0.
            if (lower == "likelihood"
                && !(f.Arguments[1] is Literal { Kind: LiteralKind.Float } p
                     && NumericText.ParseReal(p.Value) is >= 0.0 and <= 1.0))
            {
                throw new TernException(ResultCode.Error, "second argument to likelihood() must be a constant between 0.0 and 1.0");
            }
            ExprCode(f.Arguments[0], scope, target);
            return;
        }
        int n = f.Arguments.Count;
        if (lower is "coalesce" or "ifnull" && def is ScalarFunction && def.Name == lower && n >= 2)
        {
            // Lazy: the first non-NULL argument ends it; later arguments never run.
            int end = NewLabel();
            for (int i = 0; i < n; i++)
            {
                ExprCode(f.Arguments[i], scope, target);
                if (i < n - 1) Emit(Opcode.NotNull, target, end, 0);
            }
            Resolve(end);
            return;
        }
        if (lower is "min" or "max" && def is ScalarFunction && def.Name == lower)
        {
            // As SQLite's SQLITE_FUNC_NEEDCOLL: the collation of the first argument that has one.
            foreach (Expr a in f.Arguments)
            {
                if (ExprCollation(a, scope) is not { } coll) continue;
                def = FunctionCatalog.MinMaxScalar(lower == "max", coll);
                break;
            }
        }
        int args = NewRegisters(Math.Max(n, 1));
        for (int i = 0; i < n; i++) ExprCode(f.Arguments[i], scope, args + i);
        Emit(Opcode.Function, 0, args, target, GuardGeneratedFunction(def), (ushort)n);
    }

    /// <summary>iif(C1, V1 [, C2, V2 ...] [, ELSE]) and its alias if(): a CASE, evaluated lazily.</summary>
    private void IifCode(FunctionCall f, Scope scope, int target)
    {
        NodeList<Expr> args = f.Arguments;
        if (args.Count < 2) throw new TernException(ResultCode.Error, $"wrong number of arguments to function {f.Name}()");
        int end = NewLabel();
        int i = 0;
        for (; i + 1 < args.Count; i += 2)
        {
            int next = NewLabel();
            JumpIfFalse(args[i], scope, next);
            ExprCode(args[i + 1], scope, target);
            Emit(Opcode.Goto, 0, end, 0);
            Resolve(next);
        }
        if (i < args.Count) ExprCode(args[i], scope, target);
        else Emit(Opcode.Null, 0, target, 0);
        Resolve(end);
    }

    private void InSelectCode(InSelectExpr ins, Scope scope, int target)
    {
        // SQLite checks the subquery's width while resolving names, before any operand is coded.
        if (SelectWidth(ins.Select) is int w and >= 0 and not 1) throw new TernException(ResultCode.Error, $"sub-select returns {w} columns - expected 1");
        int x = NewRegister();
        ExprCode(ins.Operand, scope, x);
        int cursor = NewCursor();
        int hasNull = NewRegister();
        int once = BeginOnce(scope, list: true);
        int open = Emit(Opcode.OpenEphemeral, cursor, 1, 0, new Storage.Record.KeyInfo(1));
        Emit(Opcode.Integer, 0, hasNull, 0);
        // x IN (SELECT y ...) compares as x = y does: the affinity both sides get and the
        // collation (x's explicit COLLATE, else y's, else x's column collation, else y's).
        Affinity lhsAff = ExprAffinity(ins.Operand, scope);
        Collation? lhsColl = ExprCollation(ins.Operand, scope);
        bool lhsExplicit = HasExplicitCollate(ins.Operand);
        Affinity inAff = Affinities.ForComparison(lhsAff, Affinity.None);
        Collation inColl = lhsColl ?? Collation.Binary;
        string? affinityString = null;
        void RightColumn(List<ResultItem> items)
        {
            if (items.Count == 0) return;
            inAff = Affinities.ForComparison(lhsAff, items[0].Affinity);
            inColl = lhsExplicit ? lhsColl!.Value : HasExplicitCollate(items[0].Expr) ? items[0].Collation : lhsColl ?? items[0].Collation;
        }
        CompileSelect(ins.Select, scope, (start, n) =>
        {
            affinityString ??= Affinities.IsNumeric(inAff) ? "C" : inAff == Affinity.Text ? "B" : "";
            if (n != 1) throw new TernException(ResultCode.Error, $"sub-select returns {n} columns - expected 1");
            int rec = NewRegister();
            int notNull = NewLabel();
            Emit(Opcode.NotNull, start, notNull, 0);
            Emit(Opcode.Integer, 1, hasNull, 0);
            Resolve(notNull);
            Emit(Opcode.MakeRecord, start, 1, rec, affinityString.Length == 0 ? null : affinityString);
            Emit(Opcode.IdxInsert, cursor, rec, 0);
        }, RightColumn);
        EndOnce(once);
        affinityString ??= Affinities.IsNumeric(inAff) ? "C" : inAff == Affinity.Text ? "B" : "";
        Instruction openIns = _code[open];
        openIns.P4 = new Storage.Record.KeyInfo([false], [inColl]);
        _code[open] = openIns;
        int done = NewLabel(), isNull = NewLabel();
        int probe = NewRegister(), key = NewRegister();
        Emit(Opcode.IsNull, x, isNull, 0);
        Emit(Opcode.SCopy, x, probe, 0);
        // REAL comparison affinity turns an integer beyond 2^47 into the nearest real before
        // the lookup (SQLite's OP_Affinity), so 9223372036854775807 finds 9.223372036854776e18.
        if (inAff == Affinity.Real) Emit(Opcode.Affinity, probe, 1, 0, "E", 1);
        Emit(Opcode.MakeRecord, probe, 1, key, affinityString.Length == 0 ? null : affinityString);
        Emit(Opcode.Integer, ins.Not ? 0 : 1, target, 0);
        Emit(Opcode.Found, cursor, done, key);
        Emit(Opcode.Integer, ins.Not ? 1 : 0, target, 0);
        Emit(Opcode.IfNot, hasNull, done, 0);
        Resolve(isNull);
        // NULL IN (an empty set) is false, not NULL.
        int empty = NewLabel();
        Emit(Opcode.Rewind, cursor, empty, 0);
        Emit(Opcode.Null, 0, target, 0);
        Emit(Opcode.Goto, 0, done, 0);
        Resolve(empty);
        Emit(Opcode.Integer, ins.Not ? 1 : 0, target, 0);
        Resolve(done);
    }

    // ------------------------------------------------------------ run-once subqueries
    //
    // A subquery that names nothing from the enclosing query computes the same result on
    // every row, so its code is wrapped in Once (run the first time, jump past it after):
    //
    //     Once   0 skip        <- patched to Noop if the body turned out correlated
    //     <subquery body: fill an ephemeral table or a result register>
    //   skip:
    //
    // Correlation is only known once the body is generated: every column reference that
    // resolves into a scope outside the subquery marks the open frames it escapes.

    /// <summary>Scopes whose WHERE or HAVING is being compiled, with the result columns whose aliases they may name.</summary>
    private readonly Dictionary<Scope, List<ResultItem>> _aliasScopes = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _aliasesInUse = new(StringComparer.OrdinalIgnoreCase);

    private sealed class OnceFrame
    {
        public required Scope Outer { get; init; }
        public PlanScope Plan { get; init; }
        public required int Address { get; init; }
        public int Skip { get; init; }
        public bool Correlated { get; set; }
    }

    private readonly List<OnceFrame> _onceFrames = [];

    private int BeginOnce(Scope outer, bool list = false)
    {
        int skip = NewLabel();
        int at = Emit(Opcode.Once, 0, skip, 0);
        // A trigger body runs once per row: its subqueries are evaluated every time.
        _onceFrames.Add(new OnceFrame { Outer = outer, Address = at, Skip = skip, Correlated = InTrigger, Plan = SubqueryNote(list) });
        return _onceFrames.Count - 1;
    }

    private void EndOnce(int frame)
    {
        OnceFrame f = _onceFrames[frame];
        _onceFrames.RemoveAt(frame);
        f.Plan.Dispose();
        if (f.Correlated)
        {
            _code[f.Address] = new Instruction(Opcode.Noop, 0, 0, 0, null, 0);
            f.Plan.Note.Detail = "CORRELATED " + f.Plan.Note.Detail;
        }
        Resolve(f.Skip);
    }

    /// <summary>Marks every open run-once frame whose enclosing scopes hold <paramref name="s"/> as correlated.</summary>
    private void NoteOuterReference(Source s)
    {
        foreach (OnceFrame f in _onceFrames)
        {
            if (f.Correlated) continue;
            for (Scope? sc = f.Outer; sc != null; sc = sc.Outer)
            {
                if (sc.Sources.Contains(s))
                {
                    f.Correlated = true;
                    break;
                }
            }
        }
    }

    /// <summary>Jumps to <paramref name="label"/> when the expression is false or NULL.</summary>
    private void JumpIfFalse(Expr e, Scope scope, int label, bool outerOn = false) => JumpIf(e, scope, label, whenTrue: false, jumpIfNull: true, outerOn);

    /// <summary>
    /// Jumps to <paramref name="label"/> when the expression is true (<paramref name="whenTrue"/>)
    /// or false, and also when it is NULL if <paramref name="jumpIfNull"/>. As SQLite's
    /// sqlite3ExprIfTrue/IfFalse, AND, OR, NOT and BETWEEN are coded as jumps, so an operand
    /// after one that decides the outcome is never evaluated:
    ///
    ///   if-false (a AND b):  if-false a -> label; if-false b -> label
    ///   if-false (a OR b):   if-true a -> pass (NULL goes on); if-false b -> label; pass:
    ///   if-false (NOT a):    if-true a -> label
    ///   x BETWEEN y AND z:   x once, then as (x GE y AND x LE z)
    ///
    /// An AND or OR with an operand that is always true or always false (an integer literal,
    /// TRUE, FALSE) first shrinks to the operand that decides, as sqlite3ExprSimplifiedAndOr does
    /// (not in a LEFT JOIN's ON terms, <paramref name="outerOn"/>).
    /// </summary>
    private void JumpIf(Expr e, Scope scope, int label, bool whenTrue, bool jumpIfNull, bool outerOn = false)
    {
        if (scope.Overrides == null || !scope.Overrides.ContainsKey(e))
        {
            switch (e)
            {
                case BinaryExpr { Operator: BinaryOperator.And or BinaryOperator.Or } b when !outerOn && SimplifiedAndOr(b, scope) is var alt && alt != e:
                    JumpIf(alt, scope, label, whenTrue, jumpIfNull, outerOn);
                    return;
                case BinaryExpr { Operator: BinaryOperator.And or BinaryOperator.Or } b:
                    {
                        // Both operands jump to the label when the operator is AND and the jump is
                        // on false (or OR on true); otherwise the left operand can decide alone.
                        bool both = (b.Operator == BinaryOperator.And) != whenTrue;
                        if (both)
                        {
                            JumpIf(b.Left, scope, label, whenTrue, jumpIfNull, outerOn);
                            JumpIf(b.Right, scope, label, whenTrue, jumpIfNull, outerOn);
                            return;
                        }
                        int decided = NewLabel();
                        JumpIf(b.Left, scope, decided, !whenTrue, !jumpIfNull, outerOn);
                        JumpIf(b.Right, scope, label, whenTrue, jumpIfNull, outerOn);
                        Resolve(decided);
                        return;
                    }
                case UnaryExpr { Operator: UnaryOperator.Not } n:
                    JumpIf(n.Operand, scope, label, !whenTrue, jumpIfNull, outerOn);
                    return;
                case BetweenExpr be when !IsVectorBetween(be):
                    BetweenJump(be, scope, label, be.Not ? !whenTrue : whenTrue, jumpIfNull);
                    return;
            }
        }
        int r = NewRegister();
        ExprCode(e, scope, r);
        Emit(whenTrue ? Opcode.If : Opcode.IfNot, r, label, jumpIfNull ? 1 : 0);
    }

    /// <summary>An AND/OR reduced by its always-true or always-false operands (nested ones first); the expression itself when none is.</summary>
    private static Expr SimplifiedAndOr(Expr e, Scope scope)
    {
        if (e is not BinaryExpr { Operator: BinaryOperator.And or BinaryOperator.Or } b) return e;
        Expr right = SimplifiedAndOr(b.Right, scope), left = SimplifiedAndOr(b.Left, scope);
        bool and = b.Operator == BinaryOperator.And;
        if (AlwaysTruth(left, scope) == true || AlwaysTruth(right, scope) == false) return and ? right : left;
        if (AlwaysTruth(right, scope) == true || AlwaysTruth(left, scope) == false) return and ? left : right;
        return e;
    }

    /// <summary>True or false for an integer literal that fits 32 bits and for TRUE/FALSE naming no column; else null.</summary>
    private static bool? AlwaysTruth(Expr e, Scope scope)
    {
        switch (e)
        {
            case Literal { Kind: LiteralKind.Integer } lit when int.TryParse(lit.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v):
                return v != 0;
            case ColumnRef { Table: null } c when c.Column.Equals("true", StringComparison.OrdinalIgnoreCase) || c.Column.Equals("false", StringComparison.OrdinalIgnoreCase):
                try
                {
                    if (TryResolve(c, scope).Source != null) return null;
                }
                catch (TernException)
                {
                    return null;
                }
                return c.Column.Equals("true", StringComparison.OrdinalIgnoreCase);
            default:
                return null;
        }
    }

    /// <summary>x BETWEEN y AND z as a jump: x is computed once, then (x &gt;= y AND x &lt;= z) jumps as AND does.</summary>
    private void BetweenJump(BetweenExpr be, Scope scope, int label, bool whenTrue, bool jumpIfNull)
    {
        int x = NewRegister(), lo = NewRegister(), hi = NewRegister();
        int r1 = NewRegister(), r2 = NewRegister();
        ExprCode(be.Operand, scope, x);
        ExprCode(be.Low, scope, lo);
        (ushort p5a, Collation ca) = ComparisonFlags(be.Operand, be.Low, scope);
        Emit(Opcode.Ge, lo, r1, x, ca, (ushort)(p5a | P5Flags.StoreP2));
        int decided = NewLabel();
        if (whenTrue) Emit(Opcode.IfNot, r1, decided, jumpIfNull ? 0 : 1);
        else Emit(Opcode.IfNot, r1, label, jumpIfNull ? 1 : 0);
        ExprCode(be.High, scope, hi);
        (ushort p5b, Collation cb) = ComparisonFlags(be.Operand, be.High, scope);
        Emit(Opcode.Le, hi, r2, x, cb, (ushort)(p5b | P5Flags.StoreP2));
        Emit(whenTrue ? Opcode.If : Opcode.IfNot, r2, label, jumpIfNull ? 1 : 0);
        Resolve(decided);
    }

    /// <summary>
    /// The terms of an AND chain. As SQLite's WHERE analysis does, a term (a, b) = (x, y) or
    /// (a, b) IS (x, y) becomes a = x and b = y (each may then pick an index).
    /// </summary>
    private static void SplitAnd(Expr? e, List<Expr> terms)
    {
        if (e == null) return;
        if (e is BinaryExpr { Operator: BinaryOperator.And } b)
        {
            SplitAnd(b.Left, terms);
            SplitAnd(b.Right, terms);
        }
        else if (e is BinaryExpr { Operator: BinaryOperator.Eq or BinaryOperator.Is, Left: RowValueExpr l, Right: RowValueExpr r } v
            && l.Items.Count == r.Items.Count && !l.Items.Any(IsVector) && !r.Items.Any(IsVector))
        {
            for (int i = 0; i < l.Items.Count; i++) terms.Add(new BinaryExpr(v.Operator, l.Items[i], r.Items[i]) { Start = v.Start, End = v.End });
        }
        else if (e is BinaryExpr { Operator: BinaryOperator.Lt or BinaryOperator.Le or BinaryOperator.Gt or BinaryOperator.Ge, Left: RowValueExpr rl, Right: RowValueExpr rr } range
            && rl.Items.Count == rr.Items.Count && IsPlainOperand(rl.Items[0]) && IsPlainOperand(rr.Items[0]))
        {
            // (a, b) > (x, y) holds only where a >= x does: that weaker term may bound a range
            // seek on a (the vector comparison stays the filter).
            terms.Add(e);
            BinaryOperator weak = range.Operator is BinaryOperator.Lt or BinaryOperator.Le ? BinaryOperator.Le : BinaryOperator.Ge;
            terms.Add(new BinaryExpr(weak, rl.Items[0], rr.Items[0]) { Start = range.Start, End = range.End });
        }
        else terms.Add(e);
    }

    /// <summary>A column, literal or parameter (perhaps with COLLATE or a sign): cheap to compute twice, with no side effects.</summary>
    private static bool IsPlainOperand(Expr e) => e switch
    {
        ColumnRef or Literal or ParameterExpr => true,
        CollateExpr c => IsPlainOperand(c.Operand),
        UnaryExpr { Operator: UnaryOperator.Negate or UnaryOperator.Plus } u => IsPlainOperand(u.Operand),
        _ => false,
    };
}
