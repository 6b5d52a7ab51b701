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
using System.Diagnostics;
using Tern.Functions;
using Tern.Sql;
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

    /// <summary>
    /// What a window call reads from its row: arguments, FILTER, then its window's PARTITION BY
    /// and ORDER BY terms (a named window's when <paramref name="core"/> defines it).
    /// </summary>
    private static IEnumerable<Expr> WindowCallInputs(FunctionCall f, SelectClause? core)
    {
        foreach (Expr a in f.Arguments) yield return a;
        if (f.Filter != null) yield return f.Filter;
        // A window that does not resolve contributes its own terms (the statement fails later with its error).
        WindowSpec? spec = (core == null ? null : TryResolveWindow(f.Over!, core, out _)) ?? f.Over!.Window;
        if (spec != null)
        {
            foreach (Expr p in spec.PartitionBy) yield return p;
            foreach (OrderingTerm o in spec.OrderBy) yield return o.Expr;
        }
    }

    /// <summary>The record layout of a window query and the computed plan.</summary>
    private sealed class WindowState
    {
        public required List<Expr> Carried { get; init; }
        public required List<Expr> Inputs { get; init; }
        public required List<FunctionCall> Calls { get; init; }
        public required List<WindowCall> Plan { get; init; }
        public required int List { get; init; }
    }

    /// <summary>
    /// Plans the record of a window query. <paramref name="carriedLeaves"/> are the values the
    /// output needs besides the window calls (columns, or aggregates of a GROUP BY query).
    /// </summary>
    private WindowState BeginWindows(SelectClause core, List<FunctionCall> calls, List<Expr> carriedLeaves, Scope scope)
    {
        var inputs = new List<Expr>(carriedLeaves);
        var planCalls = new List<WindowCall>();
        var passKeys = new List<string>();
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
                // min() and max() compare text with their argument's collation, as aggregates do.
                if (agg is MinMaxAggregate mm && argc == 1 && ExprCollation(f.Arguments[0], scope) is { } coll) agg = mm.WithCollation(coll);
                if (!f.OrderBy.IsEmpty) throw new TernException(ResultCode.Error, $"ORDER BY may not be used with non-aggregate {f.Name}()");
            }
            if (spec.Frame is { Unit: FrameUnit.Range } range && spec.OrderBy.Count != 1
                && (range.StartBound.Kind is FrameBoundKind.Preceding or FrameBoundKind.Following
                    || range.EndBound?.Kind is FrameBoundKind.Preceding or FrameBoundKind.Following))
            {
                throw new TernException(ResultCode.Error, "RANGE with offset PRECEDING/FOLLOWING requires one ORDER BY expression");
            }
            if (agg == null)
            {
                if (f.Filter != null) throw new TernException(ResultCode.Error, "FILTER clause may only be used with aggregate window functions");
                CheckWindowArguments(name, argc);
            }
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
            var call = new WindowCall
            {
                Name = name, Aggregate = agg,
                PartitionStart = partitionStart, PartitionCount = spec.PartitionBy.Count,
                OrderStart = orderStart, OrderCount = spec.OrderBy.Count,
                OrderDescending = spec.OrderBy.Select(o => o.Order == SortOrder.Desc).ToArray(),
                OrderNullsLarge = spec.OrderBy.Select(o => o.Order == SortOrder.Desc ? o.Nulls == NullsOrder.First : o.Nulls == NullsOrder.Last).ToArray(),
                PartitionCollations = spec.PartitionBy.Select(e => ExprCollation(e, scope) ?? Collation.Binary).ToArray(),
                OrderCollations = spec.OrderBy.Select(o => ExprCollation(o.Expr, scope) ?? Collation.Binary).ToArray(),
                ArgStart = argStart, ArgCount = argc, FilterColumn = filter, Distinct = f.Distinct,
                Unit = frame == null ? WindowUnit.Range : frame.Unit switch { FrameUnit.Rows => WindowUnit.Rows, FrameUnit.Groups => WindowUnit.Groups, _ => WindowUnit.Range },
                Start = frame == null ? WindowBound.UnboundedPreceding : Bound(frame.StartBound.Kind),
                StartOffset = frame == null ? 0 : FrameOffset(frame.StartBound, "starting", frame.Unit),
                End = frame?.EndBound == null ? WindowBound.CurrentRow : Bound(frame.EndBound.Kind),
                EndOffset = frame?.EndBound == null ? 0 : FrameOffset(frame.EndBound, "ending", frame.Unit),
                Exclude = frame == null ? WindowExclude.None : frame.Exclude switch
                {
                    FrameExclude.CurrentRow => WindowExclude.CurrentRow,
                    FrameExclude.Group => WindowExclude.Group,
                    FrameExclude.Ties => WindowExclude.Ties,
                    _ => WindowExclude.None,
                },
            };
            // Calls over alike windows share a pass; passes are numbered by first appearance.
            // The ranking and offset functions count as having a fixed frame of their own.
            string frameKey = FixedFrameKey(name) ?? FrameKey(call.Unit, call.Start, call.End, call.StartOffset, call.EndOffset, call.Exclude);
            string key = string.Join(",", spec.PartitionBy.Select(SqlPrinter.Print)) + ";"
                + string.Join(",", spec.OrderBy.Select(o => $"{SqlPrinter.Print(o.Expr)} {o.Order} {o.Nulls}")) + ";" + frameKey;
            int pass = passKeys.IndexOf(key);
            if (pass < 0)
            {
                pass = passKeys.Count;
                passKeys.Add(key);
            }
            call.Pass = pass;
            planCalls.Add(call);
        }
        int list = NewCursor();
        Emit(Opcode.SorterOpen, list, 0, 0, new KeyInfo(0));
        return new WindowState { Carried = carriedLeaves, Inputs = inputs, Calls = calls, Plan = planCalls, List = list };
    }

    /// <summary>Writes the current row's record (its inputs computed in <paramref name="scope"/>).</summary>
    private void WindowRow(WindowState w, Scope scope)
    {
        int regs = NewRegisters(Math.Max(w.Inputs.Count, 1));
        for (int i = 0; i < w.Inputs.Count; i++) ExprCode(w.Inputs[i], scope, regs + i);
        int rec = NewRegister();
        Emit(Opcode.MakeRecord, regs, w.Inputs.Count, rec);
        Emit(Opcode.SorterInsert, w.List, rec, 0);
    }

    /// <summary>Computes the calls, then hands each row's result columns to the output stage.</summary>
    private void FinishWindows(WindowState w, Scope outer, Scope scope, List<ResultItem> results, Expr[] orderExprs,
        NodeList<OrderingTerm> orderBy, OutputStage stageOut)
    {
        int n = results.Count;
        Emit(Opcode.Window, w.List, 0, 0, new WindowPlan { Carried = w.Carried.Count, Calls = w.Plan });
        var overrides = new Dictionary<Expr, int>();
        int carriedRegs = NewRegisters(Math.Max(w.Carried.Count, 1));
        int callRegs = NewRegisters(Math.Max(w.Calls.Count, 1));
        for (int i = 0; i < w.Carried.Count; i++) overrides.TryAdd(w.Carried[i], carriedRegs + i);
        for (int i = 0; i < w.Calls.Count; i++) overrides.TryAdd(w.Calls[i], callRegs + i);
        // Correlated subqueries of the output read this query's columns from the carried values.
        var columnRegisters = new Dictionary<(Source, int), int>();
        for (int i = 0; i < w.Carried.Count; i++)
        {
            if (w.Carried[i] is not ColumnRef c) continue;
            (Source? s, int col) = TryResolveLocal(c, scope);
            if (s != null) columnRegisters.TryAdd((s, col), carriedRegs + i);
        }
        var outScope = new Scope { Outer = outer, Overrides = overrides, ColumnRegisters = columnRegisters };
        outScope.Sources.AddRange(scope.Sources);
        int end = NewLabel(), data = NewRegister(), pseudo = NewCursor();
        Emit(Opcode.OpenPseudo, pseudo, data, w.Carried.Count + w.Calls.Count);
        Emit(Opcode.Rewind, w.List, end, 0);
        int top = CurrentAddress;
        Emit(Opcode.SorterData, w.List, data, 0);
        for (int i = 0; i < w.Carried.Count; i++) Emit(Opcode.Column, pseudo, i, carriedRegs + i);
        for (int i = 0; i < w.Calls.Count; i++) Emit(Opcode.Column, pseudo, w.Carried.Count + i, callRegs + i);
        int outRegs = NewRegisters(Math.Max(n, 1));
        for (int i = 0; i < n; i++) ExprCode(results[i].Expr, outScope, outRegs + i);
        stageOut.Row(outRegs, n, orderBy.Count == 0 ? null : () => SortKeys(orderExprs, outScope));
        Emit(Opcode.Next, w.List, top, 0);
        Resolve(end);
        stageOut.Finish();
    }

    /// <summary>
    /// Puts the aggregates of a windowed aggregate query in the order SQLite steps them. SQLite
    /// computes the windows over a subquery per pass: pass 0's query reads a subquery whose
    /// columns are, in order, the columns, aggregates and other passes' calls of its own
    /// expressions (walked in order), then pass 0's PARTITION BY and ORDER BY terms, then its
    /// calls' arguments and FILTERs (the last call's first); that subquery is built the same
    /// way for pass 1, and so on. The innermost one is the aggregate query: its aggregates
    /// are met in its column order, then in HAVING.
    /// </summary>
    private static void OrderWindowedAggregates(List<FunctionCall> aggregates, List<ResultItem> results, Expr[] orderExprs, WindowState w, SelectClause core)
    {
        var passOf = new Dictionary<FunctionCall, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < w.Calls.Count; i++) passOf.TryAdd(w.Calls[i], w.Plan[i].Pass);
        var level = new List<Expr>(results.Select(r => r.Expr));
        level.AddRange(orderExprs);
        int passes = w.Plan.Count == 0 ? 0 : w.Plan.Max(c => c.Pass) + 1;
        for (int pass = 0; pass < passes; pass++)
        {
            var next = new List<Expr>();
            foreach (Expr e in level)
            {
                Walk(e, x =>
                {
                    if (x is FunctionCall { Over: not null } wf)
                    {
                        if (!passOf.TryGetValue(wf, out int p) || p != pass) next.Add(x);
                        return false;
                    }
                    if (x is ColumnRef || (x is FunctionCall f && FunctionCatalog.Find(f.Name, f.Star ? 0 : f.Arguments.Count, out _) is AggregateFunction))
                    {
                        next.Add(x);
                        return false;
                    }
                    return true;
                });
            }
            var inPass = new List<FunctionCall>();
            for (int i = 0; i < w.Calls.Count; i++)
            {
                if (w.Plan[i].Pass == pass) inPass.Add(w.Calls[i]);
            }
            WindowSpec spec = ResolveWindow(inPass[0].Over!, core);
            next.AddRange(spec.PartitionBy);
            next.AddRange(spec.OrderBy.Select(o => o.Expr));
            for (int i = inPass.Count - 1; i >= 0; i--)
            {
                next.AddRange(inPass[i].Arguments);
                if (inPass[i].Filter != null) next.Add(inPass[i].Filter!);
            }
            level = next;
        }
        var ordered = new List<FunctionCall>();
        foreach (Expr e in level) CollectAggregates(e, ordered, core);
        if (core.Having != null) CollectAggregates(core.Having, ordered, core);
        foreach (FunctionCall f in aggregates)
        {
            if (!ordered.Contains(f)) ordered.Add(f);
        }
        ordered.RemoveAll(f => !aggregates.Contains(f));
        Debug.Assert(ordered.Count == aggregates.Count);
        aggregates.Clear();
        aggregates.AddRange(ordered);
    }

    /// <summary>The frame key of a ranking or offset function, which has a fixed frame of its own; null for others.</summary>
    private static string? FixedFrameKey(string name) => name switch
    {
        "row_number" or "lag" => FrameKey(WindowUnit.Rows, WindowBound.UnboundedPreceding, WindowBound.CurrentRow),
        "rank" or "dense_rank" => FrameKey(WindowUnit.Range, WindowBound.UnboundedPreceding, WindowBound.CurrentRow),
        "percent_rank" => FrameKey(WindowUnit.Groups, WindowBound.CurrentRow, WindowBound.UnboundedFollowing),
        "cume_dist" => FrameKey(WindowUnit.Groups, WindowBound.Following, WindowBound.UnboundedFollowing),
        "ntile" => FrameKey(WindowUnit.Rows, WindowBound.CurrentRow, WindowBound.UnboundedFollowing),
        "lead" => FrameKey(WindowUnit.Rows, WindowBound.UnboundedPreceding, WindowBound.UnboundedFollowing),
        _ => null,
    };

    private static string FrameKey(WindowUnit unit, WindowBound start, WindowBound end, double startOffset = 0, double endOffset = 0, WindowExclude exclude = WindowExclude.None) =>
        FormattableString.Invariant($"{unit} {start} {startOffset} {end} {endOffset} {exclude}");

    /// <summary>The directions of the innermost pass's sort (PARTITION BY terms ascending, then the ORDER BY terms).</summary>
    private static bool[] InnermostWindowSortDirections(WindowState w, SelectClause core)
    {
        int last = w.Plan.Max(c => c.Pass);
        WindowSpec spec = ResolveWindow(w.Calls[w.Plan.FindIndex(c => c.Pass == last)].Over!, core);
        return spec.PartitionBy.Select(_ => false).Concat(spec.OrderBy.Select(o => o.Order == SortOrder.Desc)).ToArray();
    }

    /// <summary>The leaves the output of a window query reads besides the calls: local columns and (grouped) aggregates.</summary>
    private static List<Expr> WindowCarriedLeaves(List<ResultItem> results, Expr[] orderExprs, Scope scope, List<FunctionCall>? aggregates)
    {
        var leaves = new List<Expr>();
        void Collect(Expr e) => Walk(e, x =>
        {
            if (x is FunctionCall { Over: not null } call)
            {
                // A call's own inputs are computed before the window pass; only aggregates inside them are carried.
                foreach (Expr a in call.Arguments) Collect(a);
                return false;
            }
            if (aggregates != null && x is FunctionCall f && aggregates.Contains(f))
            {
                if (!leaves.Contains(f)) leaves.Add(f);
                return false;
            }
            if (x is ColumnRef c && !leaves.Contains(c) && TryResolveLocal(c, scope).Source != null) leaves.Add(c);
            return true;
        });
        foreach (ResultItem r in results) Collect(r.Expr);
        foreach (Expr oe in orderExprs) Collect(oe);
        // Columns of this query named inside subqueries of the output (correlated ones).
        var inSubqueries = new List<ColumnRef>();
        foreach (ResultItem r in results) CollectSubqueryColumns(r.Expr, inSubqueries);
        foreach (Expr oe in orderExprs) CollectSubqueryColumns(oe, inSubqueries);
        foreach (ColumnRef c in inSubqueries)
        {
            if (c.Table != null && !leaves.Contains(c) && scope.Sources.Exists(x => string.Equals(x.Name, c.Table, StringComparison.OrdinalIgnoreCase))
                && TryResolveLocal(c, scope).Source != null)
            {
                leaves.Add(c);
            }
        }
        return leaves;
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

    /// <summary>
    /// A frame offset: a number literal, or a string literal that is wholly a number (SQLite
    /// applies numeric affinity to it). RANGE takes any non-negative number; ROWS and GROUPS
    /// a non-negative integer (a real with no fraction counts). Other constant expressions
    /// are refused here rather than evaluated.
    /// </summary>
    private static double FrameOffset(FrameBound b, string which, FrameUnit unit)
    {
        if (b.Offset == null) return 0;
        bool range = unit == FrameUnit.Range;
        string error = range ? $"frame {which} offset must be a non-negative number" : $"frame {which} offset must be a non-negative integer";
        Expr e = b.Offset;
        bool negative = false;
        if (e is UnaryExpr { Operator: UnaryOperator.Negate } u)
        {
            negative = true;
            e = u.Operand;
        }
        double v;
        if (e is Literal { Kind: LiteralKind.Integer or LiteralKind.Float } l
            && double.TryParse(l.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out v))
        {
        }
        else if (e is Literal { Kind: LiteralKind.String } sl
            && NumericText.TryParseWhole(System.Text.Encoding.UTF8.GetBytes(sl.Value), out long ti, out double tr, out bool isInt))
        {
            v = isInt ? ti : tr;
        }
        else throw new TernException(ResultCode.Error, error);
        if (negative && v != 0) throw new TernException(ResultCode.Error, error);
        if (v < 0 || double.IsNaN(v) || (!range && v != Math.Floor(v))) throw new TernException(ResultCode.Error, error);
        return v;
    }

    /// <summary>The window a call uses: a named one, or its own spec on top of a named base.</summary>
    private static WindowSpec ResolveWindow(OverClause over, SelectClause core) =>
        TryResolveWindow(over, core, out string? error) ?? throw new TernException(ResultCode.Error, error!);

    /// <summary>
    /// The window an OVER clause names or defines, its base resolved; null (and SQLite's error)
    /// when it names an undefined window, overrides what its base fixes, or the WINDOW clause
    /// itself is in error.
    /// </summary>
    private static WindowSpec? TryResolveWindow(OverClause over, SelectClause core, out string? error)
    {
        List<(string Name, WindowSpec Spec)>? defined = DefinedWindows(core, out error);
        if (defined == null) return null;
        if (over.WindowName == null) return ChainWindow(over.Window!, defined, out error);
        WindowSpec? named = FindWindow(defined, over.WindowName);
        if (named == null) error = "no such window: " + over.WindowName;
        return named;
    }

    /// <summary>
    /// The WINDOW clause's definitions, each chained on the ones before it as SQLite's parser
    /// does (so an unused definition with a bad base is an error too); null and the error when
    /// one is wrong. The parser chains from the second definition on: the first one's base,
    /// which nothing can precede, is ignored.
    /// </summary>
    private static List<(string Name, WindowSpec Spec)>? DefinedWindows(SelectClause core, out string? error)
    {
        var defined = new List<(string Name, WindowSpec Spec)>();
        error = null;
        foreach (WindowDefinition w in core.Windows)
        {
            WindowSpec? spec = defined.Count == 0 ? w.Window with { BaseName = null } : ChainWindow(w.Window, defined, out error);
            if (spec == null) return null;
            defined.Add((w.Name, spec));
        }
        return defined;
    }

    /// <summary>Fails the statement when its WINDOW clause is in error, whether or not a call uses it.</summary>
    private static void CheckWindowDefinitions(SelectClause core)
    {
        if (!core.Windows.IsEmpty && DefinedWindows(core, out string? error) == null) throw new TernException(ResultCode.Error, error!);
    }

    /// <summary>The latest definition of a window name (SQLite looks the newest up first).</summary>
    private static WindowSpec? FindWindow(List<(string Name, WindowSpec Spec)> defined, string name)
    {
        for (int i = defined.Count - 1; i >= 0; i--)
        {
            if (string.Equals(defined[i].Name, name, StringComparison.OrdinalIgnoreCase)) return defined[i].Spec;
        }
        return null;
    }

    /// <summary>
    /// A window spec on top of its base (SQLite's sqlite3WindowChain): the base gives its
    /// PARTITION BY and ORDER BY; the spec may add neither a PARTITION BY nor, when the base
    /// has one, an ORDER BY, and the base may not have a frame of its own.
    /// </summary>
    private static WindowSpec? ChainWindow(WindowSpec spec, List<(string Name, WindowSpec Spec)> defined, out string? error)
    {
        error = null;
        if (spec.BaseName == null) return spec;
        WindowSpec? b = FindWindow(defined, spec.BaseName);
        if (b == null)
        {
            error = "no such window: " + spec.BaseName;
            return null;
        }
        string? clash = !spec.PartitionBy.IsEmpty ? "PARTITION clause"
            : !b.OrderBy.IsEmpty && !spec.OrderBy.IsEmpty ? "ORDER BY clause"
            : b.Frame != null ? "frame specification"
            : null;
        if (clash != null)
        {
            error = $"cannot override {clash} of window: {spec.BaseName}";
            return null;
        }
        return new WindowSpec(null, b.PartitionBy, b.OrderBy.IsEmpty ? spec.OrderBy : b.OrderBy, spec.Frame);
    }

    /// <summary>
    /// The collation each result column of a core carries into a compound (null where none).
    /// SQLite computes a window query as a query over a subquery: the calls whose window equals
    /// that of the first call in the result list stay function calls (no collation of their
    /// own), but a call over any other window becomes a column of the subquery, which compares
    /// with BINARY unless the call itself carries a collation. A compound with ORDER BY picks
    /// its collations before that rewrite (<paramref name="windowCallsAsColumns"/> false).
    /// </summary>
    private Collation?[] ResultCollations(SelectClause core, List<ResultItem> results, Scope scope, bool windowCallsAsColumns)
    {
        var collations = results.Select(r => ExprCollation(r.Expr, scope, strict: false)).ToArray();
        if (!windowCallsAsColumns) return collations;
        var calls = new List<FunctionCall>();
        foreach (ResultItem r in results) CollectWindowCalls(r.Expr, calls);
        if (calls.Count < 2) return collations;
        string? main = WindowIdentity(calls[0], core);
        for (int i = 0; i < results.Count; i++)
        {
            Expr e = results[i].Expr;
            while (e is CastExpr or UnaryExpr { Operator: UnaryOperator.Plus }) e = e is CastExpr c ? c.Operand : ((UnaryExpr)e).Operand;
            if (e is FunctionCall { Over: not null } f && collations[i] == null && main != null && WindowIdentity(f, core) is { } id && id != main)
                collations[i] = Collation.Binary;
        }
        return collations;
    }

    /// <summary>
    /// A key equal for two calls exactly when SQLite takes their windows to be the same: the
    /// PARTITION BY and ORDER BY terms and the frame (the ranking and offset functions have a
    /// fixed frame of their own); null when the call names an undefined window.
    /// </summary>
    private static string? WindowIdentity(FunctionCall f, SelectClause core)
    {
        WindowSpec? spec = TryResolveWindow(f.Over!, core, out _);
        if (spec == null) return null;
        string frame = FixedFrameKey(f.Name.ToLowerInvariant()) ?? (spec.Frame is not { } fr
            ? FrameKey(WindowUnit.Range, WindowBound.UnboundedPreceding, WindowBound.CurrentRow)
            : string.Join(" ",
                fr.Unit switch { FrameUnit.Rows => WindowUnit.Rows, FrameUnit.Groups => WindowUnit.Groups, _ => WindowUnit.Range },
                Bound(fr.StartBound.Kind), fr.StartBound.Offset is { } so ? SqlPrinter.Print(so) : "0",
                fr.EndBound == null ? WindowBound.CurrentRow : Bound(fr.EndBound.Kind), fr.EndBound?.Offset is { } eo ? SqlPrinter.Print(eo) : "0",
                fr.Exclude switch
                {
                    FrameExclude.CurrentRow => WindowExclude.CurrentRow,
                    FrameExclude.Group => WindowExclude.Group,
                    FrameExclude.Ties => WindowExclude.Ties,
                    _ => WindowExclude.None,
                }));
        return string.Join(",", spec.PartitionBy.Select(SqlPrinter.Print)) + ";"
            + string.Join(",", spec.OrderBy.Select(o => $"{SqlPrinter.Print(o.Expr)} {o.Order} {o.Nulls}")) + ";" + frame;
    }
}
