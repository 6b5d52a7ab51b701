// SELECTs with window functions (f(...) OVER (...)). The loop nest writes one record per
// row (the row's own columns that the output needs, then each call's partition keys,
// ORDER BY keys, arguments and FILTER value) into a list; the Window opcode computes
// every call over the whole list (see Vdbe/WindowEngine); the output pass reads each
// row back, with each call standing for its computed value:
//
//     SorterOpen W
//     <loops: record of [columns | call inputs...] -> SorterInsert W>
//     Window W plan
//     Rewind W end
//   top: SorterData W -> pseudo; columns and call values -> registers
//       result columns -> output stage (DISTINCT, ORDER BY, LIMIT as usual)
//     Next W top
//   end:
using Tern.Functions;
using Tern.Sql.Ast;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    private static readonly HashSet<string> WindowOnlyFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "nth_value",
    };

    private static void CollectWindowCalls(Expr e, List<FunctionCall> into)
    {
        Walk(e, x =>
        {
            if (x is FunctionCall { Over: not null } f)
            {
                if (!into.Contains(f)) into.Add(f);
                return false;
            }
            return true;
        });
    }

    private void CompileWindowQuery(SelectClause core, Scope outer, Scope scope, List<Expr> whereTerms, List<ResultItem> results,
        Expr[] orderExprs, NodeList<OrderingTerm> orderBy, OutputStage stageOut, List<FunctionCall> calls)
    {
        int n = results.Count;
        var bare = new List<ColumnRef>();
        void CollectBare(Expr e) => Walk(e, x =>
        {
            if (x is FunctionCall { Over: not null }) return false;
            if (x is ColumnRef c && !bare.Contains(c)) bare.Add(c);
            return true;
        });
        foreach (ResultItem r in results) CollectBare(r.Expr);
        foreach (Expr oe in orderExprs) CollectBare(oe);
        bare.RemoveAll(c => TryResolveLocal(c, scope).Source == null);

        // Record layout and the plan.
        var inputs = new List<Expr>(bare);
        var planCalls = new List<WindowCall>();
        foreach (FunctionCall f in calls)
        {
            WindowSpec spec = ResolveWindow(f.Over!, core);
            string name = f.Name.ToLowerInvariant();
            AggregateFunction? agg = null;
            int argc = f.Star ? 0 : f.Arguments.Count;
            if (!WindowOnlyFunctions.Contains(name))
            {
                FunctionDef def = RequireFunction(f);
                agg = def as AggregateFunction ?? throw new TernException(ResultCode.Error, $"{f.Name}() may not be used as a window function");
            }
            else CheckWindowArguments(name, argc);
            int partitionStart = inputs.Count;
            inputs.AddRange(spec.PartitionBy);
            int orderStart = inputs.Count;
            inputs.AddRange(spec.OrderBy.Select(o => o.Expr));
            int argStart = inputs.Count;
            if (!f.Star) inputs.AddRange(f.Arguments);
            int filter = -1;
            if (f.Filter != null)
            {
                filter = inputs.Count;
                inputs.Add(f.Filter);
            }
            FrameSpec? frame = spec.Frame;
            planCalls.Add(new WindowCall
            {
                Name = name, Aggregate = agg,
                PartitionStart = partitionStart, PartitionCount = spec.PartitionBy.Count,
                OrderStart = orderStart, OrderCount = spec.OrderBy.Count,
                OrderDescending = spec.OrderBy.Select(o => o.Order == SortOrder.Desc).ToArray(),
                ArgStart = argStart, ArgCount = argc, FilterColumn = filter, Distinct = f.Distinct,
                Unit = frame == null ? WindowUnit.Range : frame.Unit switch { FrameUnit.Rows => WindowUnit.Rows, FrameUnit.Groups => WindowUnit.Groups, _ => WindowUnit.Range },
                Start = frame == null ? WindowBound.UnboundedPreceding : Bound(frame.StartBound.Kind),
                StartOffset = frame == null ? 0 : FrameOffset(frame.StartBound, "starting"),
                End = frame?.EndBound == null ? WindowBound.CurrentRow : Bound(frame.EndBound.Kind),
                EndOffset = frame?.EndBound == null ? 0 : FrameOffset(frame.EndBound, "ending"),
                Exclude = frame == null ? WindowExclude.None : frame.Exclude switch
                {
                    FrameExclude.CurrentRow => WindowExclude.CurrentRow,
                    FrameExclude.Group => WindowExclude.Group,
                    FrameExclude.Ties => WindowExclude.Ties,
                    _ => WindowExclude.None,
                },
            });
        }

        int list = NewCursor();
        Emit(Opcode.SorterOpen, list, 0, 0, new KeyInfo(0));
        EmitLoops(scope, whereTerms, () =>
        {
            int regs = NewRegisters(Math.Max(inputs.Count, 1));
            for (int i = 0; i < inputs.Count; i++) ExprCode(inputs[i], scope, regs + i);
            int rec = NewRegister();
            Emit(Opcode.MakeRecord, regs, inputs.Count, rec);
            Emit(Opcode.SorterInsert, list, rec, 0);
        });
        Emit(Opcode.Window, list, 0, 0, new WindowPlan { Carried = bare.Count, Calls = planCalls });

        var overrides = new Dictionary<Expr, int>();
        int bareRegs = NewRegisters(Math.Max(bare.Count, 1));
        int callRegs = NewRegisters(Math.Max(calls.Count, 1));
        for (int i = 0; i < bare.Count; i++) overrides.TryAdd(bare[i], bareRegs + i);
        for (int i = 0; i < calls.Count; i++) overrides.TryAdd(calls[i], callRegs + i);
        var outScope = new Scope { Outer = outer, Overrides = overrides };
        outScope.Sources.AddRange(scope.Sources);
        int end = NewLabel(), data = NewRegister(), pseudo = NewCursor();
        Emit(Opcode.OpenPseudo, pseudo, data, bare.Count + calls.Count);
        Emit(Opcode.Rewind, list, end, 0);
        int top = CurrentAddress;
        Emit(Opcode.SorterData, list, data, 0);
        for (int i = 0; i < bare.Count; i++) Emit(Opcode.Column, pseudo, i, bareRegs + i);
        for (int i = 0; i < calls.Count; i++) Emit(Opcode.Column, pseudo, bare.Count + i, callRegs + i);
        int outRegs = NewRegisters(Math.Max(n, 1));
        for (int i = 0; i < n; i++) ExprCode(results[i].Expr, outScope, outRegs + i);
        stageOut.Row(outRegs, n, orderBy.Count == 0 ? null : () => SortKeys(orderExprs, outScope));
        Emit(Opcode.Next, list, top, 0);
        Resolve(end);
        stageOut.Finish();
    }

    private static void CheckWindowArguments(string name, int argc)
    {
        bool ok = name switch
        {
            "row_number" or "rank" or "dense_rank" or "percent_rank" or "cume_dist" => argc == 0,
            "ntile" or "first_value" or "last_value" => argc == 1,
            "nth_value" => argc == 2,
            _ => argc is >= 1 and <= 3,
        };
        if (!ok) throw new TernException(ResultCode.Error, $"wrong number of arguments to function {name}()");
    }

    private static WindowBound Bound(FrameBoundKind k) => k switch
    {
        FrameBoundKind.UnboundedPreceding => WindowBound.UnboundedPreceding,
        FrameBoundKind.Preceding => WindowBound.Preceding,
        FrameBoundKind.CurrentRow => WindowBound.CurrentRow,
        FrameBoundKind.Following => WindowBound.Following,
        _ => WindowBound.UnboundedFollowing,
    };

    private static double FrameOffset(FrameBound b, string which)
    {
        if (b.Offset == null) return 0;
        Expr e = b.Offset;
        bool negative = false;
        if (e is UnaryExpr { Operator: UnaryOperator.Negate } u)
        {
            negative = true;
            e = u.Operand;
        }
        if (e is Literal { Kind: LiteralKind.Integer or LiteralKind.Float } l
            && double.TryParse(l.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) && !negative)
        {
            return v;
        }
        throw new TernException(ResultCode.Error, $"frame {which} offset must be a non-negative number");
    }

    /// <summary>The window a call uses: a named one, or its own spec on top of a named base.</summary>
    private static WindowSpec ResolveWindow(OverClause over, SelectClause core)
    {
        WindowSpec? Named(string name)
        {
            foreach (WindowDefinition w in core.Windows)
            {
                if (string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase)) return w.Window;
            }
            throw new TernException(ResultCode.Error, "no such window: " + name);
        }
        if (over.WindowName != null) return Named(over.WindowName)!;
        WindowSpec spec = over.Window!;
        if (spec.BaseName == null) return spec;
        WindowSpec b = Named(spec.BaseName)!;
        return new WindowSpec(null, b.PartitionBy, spec.OrderBy.IsEmpty ? b.OrderBy : spec.OrderBy, spec.Frame ?? b.Frame);
    }
}
