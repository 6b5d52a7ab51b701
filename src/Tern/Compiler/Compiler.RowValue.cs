// Row values (vectors): (a, b, ...) and a subquery of several columns, compared with =, <>,
// <, <=, >, >=, IS, IS NOT, BETWEEN and IN. A vector's fields sit in consecutive registers;
// each pair of fields compares with its own comparison affinity and collation, picked as for
// a scalar comparison of the two field expressions. A row value anywhere else is SQLite's
// "row value misused".
//
// Vector comparison, lexicographic, three-valued as SQLite's:
//
//   =, IS:   r = 1; per field i: r = r AND (L[i] = R[i]); r false -> done   (IS: NULL-equal)
//   <>:      the negation of =
//   < (<=):  per field i but the last: L[i] = R[i] NULL -> r NULL, done;
//                                        equal -> next field;
//                                        else r = L[i] < R[i], done
//            last field: r = L[n-1] < R[n-1]   (<= for <=)
//
// Vector IN subquery: the subquery's rows fill an ephemeral index of n columns (each with
// its comparison affinity and collation); a probe without NULL fields is looked up, found
// -> true; not found and no NULL field anywhere on the right -> false; otherwise every row
// is scanned, comparing with the left fields' own collations: a row whose fields are each
// equal or NULL-compared makes the result NULL, none makes it false (SQLite's
// sqlite3ExprCodeIN, steps 6 and 7).
using System.Diagnostics;
using Tern.Schema;
using Tern.Sql.Ast;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Compiler;

/// <summary>Field <see cref="Field"/> of a subquery of <see cref="Width"/> columns (a vector SET's value).</summary>
internal sealed record SubqueryFieldExpr(SubqueryExpr Subquery, int Field, int Width) : Expr;

internal sealed partial class CodeGenerator
{
    /// <summary>A vector in registers: its first register, its width and what each field compares with.</summary>
    private sealed record VectorValue(int Start, int Width, Expr?[] Exprs, ResultItem?[] Items);

    /// <summary>
    /// How many fields an expression has as written: a row value's item count, a subquery's
    /// result columns when its first SELECT names them without "*" (-1 when it does not),
    /// else 1.
    /// </summary>
    private static int VectorWidth(Expr e) => e switch
    {
        RowValueExpr r => r.Items.Count,
        SubqueryExpr sq => SelectWidth(sq.Select),
        _ => 1,
    };

    private static int SelectWidth(SelectStatement s) => s.First switch
    {
        ValuesClause v => v.Rows[0].Count,
        SelectClause sc when sc.Columns.All(c => c is ExprColumn) => sc.Columns.Count,
        _ => -1,
    };

    private static bool IsVector(Expr e) => e is RowValueExpr || (e is SubqueryExpr && VectorWidth(e) != 1);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void RowValueMisused() => throw new TernException(ResultCode.Error, "row value misused");

    /// <summary>Computes a vector (or a scalar, as a vector of one field) into consecutive registers.</summary>
    private VectorValue VectorCode(Expr e, Scope scope)
    {
        switch (e)
        {
            case RowValueExpr r:
                {
                    int n = r.Items.Count;
                    int start = NewRegisters(n);
                    var exprs = new Expr?[n];
                    for (int i = 0; i < n; i++)
                    {
                        if (IsVector(r.Items[i])) RowValueMisused();
                        ExprCode(r.Items[i], scope, start + i);
                        exprs[i] = r.Items[i];
                    }
                    return new VectorValue(start, n, exprs, new ResultItem?[n]);
                }
            case SubqueryExpr sq when scope.Overrides == null || !scope.Overrides.ContainsKey(e):
                return SubqueryVectorCode(sq, scope);
            default:
                {
                    int reg = NewRegister();
                    ExprCode(e, scope, reg);
                    return new VectorValue(reg, 1, [e], [null]);
                }
        }
    }

    /// <summary>
    /// A subquery's first row into registers, one per result column (all NULL when it
    /// returns no row); run once unless correlated.
    /// </summary>
    private VectorValue SubqueryVectorCode(SubqueryExpr sq, Scope scope)
    {
        int done = NewLabel();
        int once = BeginOnce(scope);
        // The NULLs that stand for no row are set before the subquery runs; its width is
        // known once it is compiled, so the instruction is patched then.
        int clear = Emit(Opcode.Null, 0, 0, 0);
        int res = -1, width = -1;
        List<ResultItem>? items = null;
        CompileSelect(sq.Select, scope, (start, n) =>
        {
            if (res < 0)
            {
                width = n;
                res = NewRegisters(n);
            }
            Debug.Assert(n == width);
            Emit(Opcode.Copy, start, res, n - 1);
            Emit(Opcode.Goto, 0, done, 0);
        }, names => items ??= names);
        if (res < 0)
        {
            width = items?.Count ?? 1;
            res = NewRegisters(width);
        }
        _code[clear] = new Instruction(Opcode.Null, 0, res, res + width - 1, null, 0);
        Resolve(done);
        EndOnce(once);
        var fieldItems = new ResultItem?[width];
        for (int i = 0; i < width && items != null && i < items.Count; i++) fieldItems[i] = items[i];
        return new VectorValue(res, width, new Expr?[width], fieldItems);
    }

    private Affinity FieldAffinity(VectorValue v, int i, Scope scope) =>
        v.Items[i] is { } item ? item.Affinity : v.Exprs[i] is { } e ? ExprAffinity(e, scope) : Affinity.None;

    private static bool FieldHasExplicitCollate(VectorValue v, int i) =>
        v.Items[i] is { } item ? HasExplicitCollate(item.Expr) : v.Exprs[i] is { } e && HasExplicitCollate(e);

    /// <summary>A field's collation: a subquery column's when it is a column or COLLATE expression; else the field expression's.</summary>
    private Collation? FieldCollation(VectorValue v, int i, Scope scope)
    {
        if (v.Items[i] is { } item) return item.Expr is ColumnRef || HasExplicitCollate(item.Expr) ? item.Collation : null;
        return v.Exprs[i] is { } e ? ExprCollation(e, scope) : null;
    }

    /// <summary>Affinity and collation for comparing field <paramref name="i"/> of two vectors, as <see cref="ComparisonFlags"/> does for scalars.</summary>
    private (ushort P5, Collation Collation) FieldComparisonFlags(VectorValue l, VectorValue r, int i, Scope scope)
    {
        Affinity a = Affinities.ForComparison(FieldAffinity(l, i, scope), FieldAffinity(r, i, scope));
        Collation c = FieldHasExplicitCollate(l, i) ? FieldCollation(l, i, scope)!.Value
            : FieldHasExplicitCollate(r, i) ? FieldCollation(r, i, scope)!.Value
            : FieldCollation(l, i, scope) ?? FieldCollation(r, i, scope) ?? Collation.Binary;
        return ((ushort)a, c);
    }

    /// <summary>Computes the vectors on both sides of a comparison; widths that differ are "row value misused".</summary>
    private (VectorValue Left, VectorValue Right) VectorPair(Expr left, Expr right, Scope scope)
    {
        int wl = VectorWidth(left), wr = VectorWidth(right);
        if (wl >= 0 && wr >= 0 && wl != wr) RowValueMisused();
        VectorValue l = VectorCode(left, scope);
        VectorValue r = VectorCode(right, scope);
        if (l.Width != r.Width) RowValueMisused();
        return (l, r);
    }

    /// <summary>A comparison with a vector on either side, its result (1, 0 or NULL) into <paramref name="target"/>.</summary>
    private void VectorCompareCode(BinaryExpr b, Scope scope, int target)
    {
        (VectorValue l, VectorValue r) = VectorPair(b.Left, b.Right, scope);
        VectorCompare(l, r, b.Operator, scope, target);
    }

    private void VectorCompare(VectorValue l, VectorValue r, BinaryOperator op, Scope scope, int target)
    {
        int n = l.Width;
        int done = NewLabel();
        if (op is BinaryOperator.Eq or BinaryOperator.Ne or BinaryOperator.Is or BinaryOperator.IsNot)
        {
            bool nullEq = op is BinaryOperator.Is or BinaryOperator.IsNot;
            int t = NewRegister();
            Emit(Opcode.Integer, 1, target, 0);
            for (int i = 0; i < n; i++)
            {
                (ushort p5, Collation coll) = FieldComparisonFlags(l, r, i, scope);
                p5 |= P5Flags.StoreP2;
                if (nullEq) p5 |= P5Flags.NullEq;
                Emit(Opcode.Eq, r.Start + i, t, l.Start + i, coll, p5);
                Emit(Opcode.And, target, t, target);
                if (i < n - 1) Emit(Opcode.IfNot, target, done, 0);
            }
            Resolve(done);
            if (op is BinaryOperator.Ne or BinaryOperator.IsNot) Emit(Opcode.Not, target, target, 0);
            return;
        }
        Opcode last = op switch
        {
            BinaryOperator.Lt => Opcode.Lt,
            BinaryOperator.Le => Opcode.Le,
            BinaryOperator.Gt => Opcode.Gt,
            BinaryOperator.Ge => Opcode.Ge,
            _ => throw new TernException(ResultCode.Error, "row value misused"),
        };
        Opcode strict = op is BinaryOperator.Lt or BinaryOperator.Le ? Opcode.Lt : Opcode.Gt;
        int setNull = NewLabel();
        int eq = NewRegister();
        for (int i = 0; i < n - 1; i++)
        {
            (ushort p5, Collation coll) = FieldComparisonFlags(l, r, i, scope);
            int next = NewLabel();
            Emit(Opcode.Eq, r.Start + i, eq, l.Start + i, coll, (ushort)(p5 | P5Flags.StoreP2));
            Emit(Opcode.IsNull, eq, setNull, 0);
            Emit(Opcode.If, eq, next, 0);
            Emit(strict, r.Start + i, target, l.Start + i, coll, (ushort)(p5 | P5Flags.StoreP2));
            Emit(Opcode.Goto, 0, done, 0);
            Resolve(next);
        }
        {
            (ushort p5, Collation coll) = FieldComparisonFlags(l, r, n - 1, scope);
            Emit(last, r.Start + n - 1, target, l.Start + n - 1, coll, (ushort)(p5 | P5Flags.StoreP2));
            Emit(Opcode.Goto, 0, done, 0);
        }
        Resolve(setNull);
        Emit(Opcode.Null, 0, target, 0);
        Resolve(done);
    }

    private static bool IsVectorBetween(BetweenExpr be) => IsVector(be.Operand) || IsVector(be.Low) || IsVector(be.High);

    /// <summary>x BETWEEN lo AND hi with vectors: (x &gt;= lo) AND (x &lt;= hi), x computed once.</summary>
    private void VectorBetweenCode(BetweenExpr be, Scope scope, int target)
    {
        int wx = VectorWidth(be.Operand), wl = VectorWidth(be.Low), wh = VectorWidth(be.High);
        if (wx >= 0 && ((wl >= 0 && wl != wx) || (wh >= 0 && wh != wx))) RowValueMisused();
        VectorValue x = VectorCode(be.Operand, scope);
        VectorValue lo = VectorCode(be.Low, scope);
        if (lo.Width != x.Width) RowValueMisused();
        VectorValue hi = VectorCode(be.High, scope);
        if (hi.Width != x.Width) RowValueMisused();
        int r1 = NewRegister(), r2 = NewRegister();
        VectorCompare(x, lo, BinaryOperator.Ge, scope, r1);
        VectorCompare(x, hi, BinaryOperator.Le, scope, r2);
        Emit(Opcode.And, r1, r2, target);
        if (be.Not) Emit(Opcode.Not, target, target, 0);
    }

    /// <summary>
    /// (a, b) IN (list): SQLite turns the list into VALUES rows, each of the left side's
    /// width ("IN(...) element has N term(s) - expected M" otherwise).
    /// </summary>
    private void VectorInListCode(InListExpr il, Scope scope, int target)
    {
        if (il.Items.Count == 0)
        {
            Emit(Opcode.Integer, il.Not ? 1 : 0, target, 0);
            return;
        }
        int n = VectorWidth(il.Operand);
        var rows = new List<NodeList<Expr>>();
        foreach (Expr item in il.Items)
        {
            int w = item is RowValueExpr rv ? rv.Items.Count : 1;
            if (w != n) throw new TernException(ResultCode.Error, $"IN(...) element has {w} term{(w == 1 ? "" : "s")} - expected {n}");
            rows.Add(((RowValueExpr)item).Items);
        }
        var values = new ValuesClause(new NodeList<NodeList<Expr>>(rows.ToArray()));
        var select = new SelectStatement(null, values, NodeList<CompoundPart>.Empty, NodeList<OrderingTerm>.Empty, null);
        VectorInSelectCode(new InSelectExpr(il.Not, il.Operand, select), scope, target, rows[^1]);
    }

    /// <summary>(a, b) [NOT] IN (SELECT x, y ...): see the file's opening comment.</summary>
    /// <remarks>
    /// For a list made VALUES, the fields compare as with the expressions of its last row (the
    /// SELECT SQLite's list becomes ends with that row): <paramref name="lastRow"/>.
    /// </remarks>
    private void VectorInSelectCode(InSelectExpr ins, Scope scope, int target, NodeList<Expr>? lastRow = null)
    {
        // SQLite checks the widths while resolving names, before any operand is coded.
        if (VectorWidth(ins.Operand) is int lw and >= 0 && SelectWidth(ins.Select) is int rw and >= 0 && lw != rw)
            throw new TernException(ResultCode.Error, $"sub-select returns {rw} columns - expected {lw}");
        VectorValue x = VectorCode(ins.Operand, scope);
        int m = x.Width;
        int cursor = NewCursor();
        int hasNull = NewRegister();
        int once = BeginOnce(scope, list: true);
        int open = Emit(Opcode.OpenEphemeral, cursor, m, 0, new KeyInfo(m));
        Emit(Opcode.Integer, 0, hasNull, 0);
        var affinities = new Affinity[m];
        var collations = new Collation[m];
        bool resolved = false;
        void RightColumns(List<ResultItem> items)
        {
            if (resolved || items.Count != m) return;
            resolved = true;
            VectorValue right = lastRow is { } row
                ? new VectorValue(0, m, row.AsSpan().ToArray(), new ResultItem?[m])
                : new VectorValue(0, m, new Expr?[m], items.Cast<ResultItem?>().ToArray());
            for (int i = 0; i < m; i++)
            {
                (ushort p5, Collation c) = FieldComparisonFlags(x, right, i, scope);
                affinities[i] = (Affinity)p5;
                collations[i] = c;
            }
        }
        string? recordAff = null;
        CompileSelect(ins.Select, scope, (start, n) =>
        {
            if (n != m) throw new TernException(ResultCode.Error, $"sub-select returns {n} columns - expected {m}");
            recordAff ??= RecordAffinity(affinities);
            int rec = NewRegister();
            for (int i = 0; i < m; i++)
            {
                int notNull = NewLabel();
                Emit(Opcode.NotNull, start + i, notNull, 0);
                Emit(Opcode.Integer, 1, hasNull, 0);
                Resolve(notNull);
            }
            Emit(Opcode.MakeRecord, start, m, rec, recordAff);
            Emit(Opcode.IdxInsert, cursor, rec, 0);
        }, RightColumns);
        EndOnce(once);
        recordAff ??= RecordAffinity(affinities);
        Instruction openIns = _code[open];
        openIns.P4 = new KeyInfo(new bool[m], collations);
        _code[open] = openIns;

        int done = NewLabel(), scan = NewLabel();
        int probe = NewRegisters(m), key = NewRegister(), field = NewRegister();
        Emit(Opcode.Copy, x.Start, probe, m - 1);
        // A NULL field on the left skips the lookup (and the affinities): only the scan can tell.
        for (int i = 0; i < m; i++) Emit(Opcode.IsNull, probe + i, scan, 0);
        if (recordAff != null)
        {
            // REAL comparison affinity makes an integer a real, as OP_Affinity does.
            string probeAff = new(affinities.Select(a => a == Affinity.None ? (char)Affinity.Blob : (char)a).ToArray());
            Emit(Opcode.Affinity, probe, m, 0, probeAff, 1);
        }
        Emit(Opcode.MakeRecord, probe, m, key, recordAff);
        Emit(Opcode.Integer, ins.Not ? 0 : 1, target, 0);
        Emit(Opcode.Found, cursor, done, key);
        Emit(Opcode.Integer, ins.Not ? 1 : 0, target, 0);
        // The scan compares each field with the left field's own collation (SQLite's step 7),
        // which may find a row the lookup missed; with the same collations only a NULL can.
        var scanCollations = new Collation[m];
        for (int i = 0; i < m; i++) scanCollations[i] = FieldCollation(x, i, scope) ?? Collation.Binary;
        if (scanCollations.AsSpan().SequenceEqual(collations)) Emit(Opcode.IfNot, hasNull, done, 0);
        Resolve(scan);
        Emit(Opcode.Integer, ins.Not ? 1 : 0, target, 0);
        Emit(Opcode.Rewind, cursor, done, 0);
        int loop = NewLabel();
        Resolve(loop);
        int next = NewLabel();
        for (int i = 0; i < m; i++)
        {
            Emit(Opcode.Column, cursor, i, field);
            // Jumps only when the fields are both non-NULL and differ.
            Emit(Opcode.Ne, field, next, probe + i, scanCollations[i], 0);
        }
        Emit(Opcode.Null, 0, target, 0);
        Emit(Opcode.Goto, 0, done, 0);
        Resolve(next);
        Emit(Opcode.Next, cursor, loop, 0);
        Resolve(done);
    }

    /// <summary>The affinity string for an IN index's records (null when no field converts).</summary>
    private static string? RecordAffinity(Affinity[] affinities)
    {
        if (affinities.All(a => !Affinities.IsNumeric(a) && a != Affinity.Text)) return null;
        return new string(affinities.Select(a => Affinities.IsNumeric(a) ? (char)Affinity.Numeric : a == Affinity.Text ? (char)Affinity.Text : (char)Affinity.Blob).ToArray());
    }

    /// <summary>
    /// The assignments of an UPDATE's SET clause: (a, b) = (x, y) assigns each item, and
    /// (a, b) = (SELECT ...) each column of the subquery's first row.
    /// </summary>
    private static IEnumerable<(string Column, Expr Value)> SetAssignments(SetClause sc)
    {
        if (sc.Columns.Count == 1)
        {
            if (sc.Value is RowValueExpr) RowValueMisused();
            yield return (sc.Columns[0], sc.Value);
            yield break;
        }
        int n = sc.Columns.Count;
        switch (sc.Value)
        {
            case RowValueExpr r:
                if (r.Items.Count != n) throw new TernException(ResultCode.Error, $"{n} columns assigned {r.Items.Count} values");
                for (int i = 0; i < n; i++) yield return (sc.Columns[i], r.Items[i]);
                break;
            case SubqueryExpr sq:
                {
                    int w = SelectWidth(sq.Select);
                    if (w >= 0 && w != n) throw new TernException(ResultCode.Error, $"{n} columns assigned {w} values");
                    for (int i = 0; i < n; i++) yield return (sc.Columns[i], new SubqueryFieldExpr(sq, i, n));
                    break;
                }
            default:
                throw new TernException(ResultCode.Error, $"{n} columns assigned 1 values");
        }
    }

    /// <summary>
    /// Within <see cref="SharingSetSubqueries"/>, the vector SET subqueries already computed
    /// (by the first of their fields coded there); null outside.
    /// </summary>
    private Dictionary<SubqueryExpr, VectorValue>? _setSubqueries;

    /// <summary>
    /// Runs <paramref name="code"/>, which computes a row's new values in one straight run of
    /// code, so that a vector SET's subquery runs once for all the fields it assigns.
    /// </summary>
    private void SharingSetSubqueries(Action code)
    {
        Dictionary<SubqueryExpr, VectorValue>? saved = _setSubqueries;
        _setSubqueries = new(ReferenceEqualityComparer.Instance);
        try
        {
            code();
        }
        finally
        {
            _setSubqueries = saved;
        }
    }

    /// <summary>One field of a vector SET's subquery.</summary>
    private void SubqueryFieldCode(SubqueryFieldExpr f, Scope scope, int target)
    {
        if (_setSubqueries == null || !_setSubqueries.TryGetValue(f.Subquery, out VectorValue? v))
        {
            v = SubqueryVectorCode(f.Subquery, scope);
            _setSubqueries?.Add(f.Subquery, v);
        }
        if (v.Width != f.Width) throw new TernException(ResultCode.Error, $"{f.Width} columns assigned {v.Width} values");
        Emit(Opcode.SCopy, v.Start + f.Field, target, 0);
    }
}
