// Table-valued functions in FROM: generate_series, json_each, json_tree and the pragma
// functions (pragma_table_info, pragma_cache_size, ...), called with arguments in
// parentheses or named bare with their arguments constrained in WHERE
// (`FROM pragma_table_info WHERE arg = 't'`).
//
// A function's source has its visible columns, then one hidden column per parameter (left
// out of * and of NATURAL joins). Most functions run at run time: where the loop reaches
// the source it computes the arguments (which may read earlier FROM items or an enclosing
// query) and VFilter starts the function's rows:
//
//     args := <explicit arguments; WHERE hidden = expr terms for the others>
//     VFilter  c brk args           (no rows: brk)
//   top:
//     <terms, inner levels>
//   cont:
//     Next     c top
//   brk:
//
// The pragmas that read connection state rather than the schema (cache_size, user_version,
// integrity_check, ...) are compiled as the PRAGMA statement itself with its rows written
// to a list cursor (with the arguments as the hidden columns), filled the first time the
// loop reaches it, like a materialized subquery.
using Tern.Functions;
using Tern.Schema;
using Tern.Sql.Ast;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Compiler;

/// <summary>A table-valued function bound as a FROM source: the function and the argument expression for each parameter (null: none written).</summary>
internal sealed class TableFunctionSource
{
    public required TableValuedFunction Function { get; init; }
    public required Expr?[] Arguments { get; init; }
}

internal sealed partial class CodeGenerator
{
    /// <summary>
    /// The pragmas SQLite offers as pragma_NAME functions that Tern implements: their result
    /// columns and whether they take an argument ("arg") and a schema ("schema") as hidden
    /// parameters, in that order.
    /// </summary>
    private static readonly Dictionary<string, (string[] Columns, bool Arg, bool Schema)> EponymousPragmas = new(StringComparer.OrdinalIgnoreCase)
    {
        ["table_info"] = (["cid", "name", "type", "notnull", "dflt_value", "pk"], true, true),
        ["table_xinfo"] = (["cid", "name", "type", "notnull", "dflt_value", "pk", "hidden"], true, true),
        ["index_list"] = (["seq", "name", "unique", "origin", "partial"], true, true),
        ["index_info"] = (["seqno", "cid", "name"], true, true),
        ["index_xinfo"] = (["seqno", "cid", "name", "desc", "coll", "key"], true, true),
        ["foreign_key_list"] = (["id", "seq", "table", "from", "to", "on_update", "on_delete", "match"], true, true),
        ["table_list"] = (["schema", "name", "type", "ncol", "wr", "strict"], true, false),
        ["integrity_check"] = (["integrity_check"], true, true),
        ["quick_check"] = (["quick_check"], true, true),
        ["collation_list"] = (["seq", "name"], false, false),
        ["database_list"] = (["seq", "name", "file"], false, false),
        ["application_id"] = (["application_id"], false, false),
        ["user_version"] = (["user_version"], false, false),
        ["schema_version"] = (["schema_version"], false, false),
        ["freelist_count"] = (["freelist_count"], false, false),
        ["encoding"] = (["encoding"], false, false),
        ["page_count"] = (["page_count"], false, true),
        ["page_size"] = (["page_size"], false, true),
        ["max_page_count"] = (["max_page_count"], false, true),
        ["journal_mode"] = (["journal_mode"], false, true),
        ["journal_size_limit"] = (["journal_size_limit"], false, true),
        ["auto_vacuum"] = (["auto_vacuum"], false, true),
        ["synchronous"] = (["synchronous"], false, true),
        ["cache_size"] = (["cache_size"], false, true),
        ["cache_spill"] = (["cache_spill"], false, true),
        ["busy_timeout"] = (["timeout"], false, false),
        ["foreign_keys"] = (["foreign_keys"], false, false),
        ["recursive_triggers"] = (["recursive_triggers"], false, false),
        ["read_uncommitted"] = (["read_uncommitted"], false, false),
        ["ignore_check_constraints"] = (["ignore_check_constraints"], false, false),
        ["temp_store"] = (["temp_store"], false, false),
        ["defer_foreign_keys"] = (["defer_foreign_keys"], false, false),
        ["reverse_unordered_selects"] = (["reverse_unordered_selects"], false, false),
        ["automatic_index"] = (["automatic_index"], false, false),
        ["count_changes"] = (["count_changes"], false, false),
        ["full_column_names"] = (["full_column_names"], false, false),
        ["short_column_names"] = (["short_column_names"], false, false),
        ["legacy_alter_table"] = (["legacy_alter_table"], false, false),
        ["query_only"] = (["query_only"], false, false),
        ["cell_size_check"] = (["cell_size_check"], false, false),
        ["secure_delete"] = (["secure_delete"], false, false),
        ["trusted_schema"] = (["trusted_schema"], false, false),
        ["analysis_limit"] = (["analysis_limit"], false, false),
        ["checkpoint_fullfsync"] = (["checkpoint_fullfsync"], false, false),
        ["fullfsync"] = (["fullfsync"], false, false),
        ["empty_result_callbacks"] = (["empty_result_callbacks"], false, false),
        ["writable_schema"] = (["writable_schema"], false, false),
        ["soft_heap_limit"] = (["soft_heap_limit"], false, false),
        ["hard_heap_limit"] = (["hard_heap_limit"], false, false),
        ["threads"] = (["threads"], false, false),
        ["mmap_size"] = (["mmap_size"], false, true),
        ["locking_mode"] = (["locking_mode"], false, true),
        ["data_version"] = (["data_version"], false, true),
    };

    /// <summary>The pragmas whose rows come from the schema alone: they run at run time, with any arguments.</summary>
    private static readonly HashSet<string> SchemaPragmaFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list", "table_list",
    };

    /// <summary>Whether a FROM name is a table-valued function (a pragma_ name SQLite offers, or a built-in one).</summary>
    private static bool IsTableFunctionName(string name) =>
        name.Equals("generate_series", StringComparison.OrdinalIgnoreCase) || name.Equals("json_each", StringComparison.OrdinalIgnoreCase)
        || name.Equals("json_tree", StringComparison.OrdinalIgnoreCase)
        || (name.StartsWith("pragma_", StringComparison.OrdinalIgnoreCase) && EponymousPragmas.ContainsKey(name["pragma_".Length..]));

    /// <summary>The visible columns and parameters of the table-valued function of that name, or null.</summary>
    private static (string[] Columns, string[] Parameters)? TableFunctionShape(string name)
    {
        if (!IsTableFunctionName(name)) return null;
        if (name.Equals("generate_series", StringComparison.OrdinalIgnoreCase)) return (GenerateSeries.Instance.Columns, GenerateSeries.Instance.Parameters);
        if (name.StartsWith("json_", StringComparison.OrdinalIgnoreCase)) return (JsonEach.Each.Columns, JsonEach.Each.Parameters);
        (string[] columns, bool arg, bool schema) = EponymousPragmas[name["pragma_".Length..]];
        return (columns, PragmaParameters(arg, schema));
    }

    private static string[] PragmaParameters(bool arg, bool schema) => [.. arg ? new[] { "arg" } : [], .. schema ? new[] { "schema" } : []];

    /// <summary>
    /// Whether the program reads the schema or the database header at run time (a pragma
    /// function): it then opens a read transaction, whose schema check re-prepares it after a
    /// schema change, even when it opens no table.
    /// </summary>
    private bool _readsSchema;

    /// <summary>Adds the source for `name(args)` (or a bare name with no arguments).</summary>
    private void AddTableFunctionSource(string name, NodeList<Expr> args, string? alias, Scope scope)
    {
        TableValuedFunction fn;
        if (name.Equals("generate_series", StringComparison.OrdinalIgnoreCase)) fn = GenerateSeries.Instance;
        else if (name.Equals("json_each", StringComparison.OrdinalIgnoreCase)) fn = JsonEach.Each;
        else if (name.Equals("json_tree", StringComparison.OrdinalIgnoreCase)) fn = JsonEach.Tree;
        else
        {
            string pragma = name["pragma_".Length..].ToLowerInvariant();
            _readsSchema = true;
            (string[] columns, bool arg, bool schema) = EponymousPragmas[pragma];
            string[] parameters = PragmaParameters(arg, schema);
            if (args.Count > parameters.Length) throw new TernException(ResultCode.Error, $"too many arguments on pragma_{pragma}() - max {parameters.Length}");
            if (!SchemaPragmaFunctions.Contains(pragma))
            {
                AddCompiledPragmaSource(pragma, columns, parameters, args, alias ?? "pragma_" + pragma, scope);
                return;
            }
            fn = new PragmaFunction(pragma, columns, parameters, SchemaPragmaRows(pragma));
        }
        if (args.Count > fn.Parameters.Length) throw new TernException(ResultCode.Error, fn.TooManyArguments);
        var arguments = new Expr?[fn.Parameters.Length];
        for (int i = 0; i < args.Count; i++) arguments[i] = args[i];
        Table table = FunctionTable(alias ?? fn.Name, fn.Columns, fn.Parameters);
        scope.Sources.Add(new Source
        {
            Table = table, Cursor = NewCursor(), Name = table.Name, Materialized = true, VirtualTable = true,
            ColumnNames = table.Columns.Select(c => c.Name).ToArray(),
            Function = new TableFunctionSource { Function = fn, Arguments = arguments },
        });
    }

    private static Table FunctionTable(string name, string[] columns, string[] parameters) => new()
    {
        Name = name, RootPage = 0,
        Columns = [.. columns.Select(c => new Column { Name = c, Affinity = Affinity.None }),
            .. parameters.Select(p => new Column { Name = p, Affinity = Affinity.None, IsHidden = true })],
    };

    /// <summary>The row producer of a schema pragma: its argument names the table or index (table_list: filters by name).</summary>
    private Func<Mem[], bool[], List<object?[]>> SchemaPragmaRows(string pragma) => (args, given) =>
    {
        string? schema = null;
        if (given.Length > 1 && given[1] && !args[1].IsNull)
        {
            schema = args[1].ToString();
            if (_schemas.IndexOf(schema) < 0) throw new TernException(ResultCode.Error, $"unknown database '{schema}'");
        }
        string? arg = given[0] && !args[0].IsNull ? args[0].ToString() : null;
        if (pragma == "table_list") return TableListRows(schema, arg);
        if (arg == null) return [];
        return pragma switch
        {
            "table_info" => TableInfoRows(schema, arg, false),
            "table_xinfo" => TableInfoRows(schema, arg, true),
            "index_list" => IndexListRows(schema, arg),
            "index_info" => IndexInfoRows(schema, arg, false),
            "index_xinfo" => IndexInfoRows(schema, arg, true),
            _ => ForeignKeyListRows(schema, arg),
        };
    };

    /// <summary>A schema pragma as a table-valued function: its rows with the arguments as hidden columns.</summary>
    private sealed class PragmaFunction(string pragma, string[] columns, string[] parameters, Func<Mem[], bool[], List<object?[]>> rows) : TableValuedFunction
    {
        public override string Name => "pragma_" + pragma;

        public override string[] Columns => columns;

        public override string[] Parameters => parameters;

        public override IEnumerable<Mem[]> Rows(Mem[] args, bool[] given)
        {
            foreach (object?[] values in rows(args, given))
            {
                var row = new Mem[values.Length];
                for (int i = 0; i < values.Length; i++)
                {
                    switch (values[i])
                    {
                        case long l: row[i].SetInt(l); break;
                        case int n: row[i].SetInt(n); break;
                        case string s: row[i].SetText(s); break;
                    }
                }
                yield return WithArguments(row, args);
            }
        }
    }

    /// <summary>
    /// A pragma that reads connection state, compiled as its PRAGMA statement whose rows fill a
    /// list cursor the first time the loop reaches it. Its arguments must be literals.
    /// </summary>
    private void AddCompiledPragmaSource(string pragma, string[] columns, string[] parameters, NodeList<Expr> args, string alias, Scope scope)
    {
        PragmaValue? value = null;
        string? schema = null;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] is not Literal lit || lit.Kind is not (LiteralKind.String or LiteralKind.Integer or LiteralKind.Float))
                throw new TernException(ResultCode.Error, $"the arguments of pragma_{pragma}() must be literals");
            if (parameters[i] == "schema") schema = lit.Value;
            else value = new PragmaValue(lit.Kind == LiteralKind.String ? PragmaValueKind.String : PragmaValueKind.Number, lit.Value);
        }
        if (schema != null && !schema.Equals("main", StringComparison.OrdinalIgnoreCase) && !schema.Equals("temp", StringComparison.OrdinalIgnoreCase))
            throw new TernException(ResultCode.Error, $"unknown database '{schema}'");
        int cursor = NewCursor();
        int after = NewLabel(), fill = NewLabel(), ret = NewRegister();
        Emit(Opcode.Goto, 0, after, 0);
        Resolve(fill);
        Emit(Opcode.SorterOpen, cursor, 0, 0, new KeyInfo(0));
        string[] savedNames = _columnNames;
        string?[] savedTypes = _declaredTypes;
        Action<int, int>? savedSink = _pragmaRows;
        int width = columns.Length + parameters.Length;
        _pragmaRows = (start, count) =>
        {
            int regs = NewRegisters(width);
            for (int i = 0; i < columns.Length; i++)
            {
                if (i < count) Emit(Opcode.Copy, start + i, regs + i, 0);
                else Emit(Opcode.Null, 0, regs + i, 0);
            }
            for (int i = 0; i < parameters.Length; i++)
            {
                if (i < args.Count) ExprCode(args[i], new Scope(), regs + columns.Length + i);
                else Emit(Opcode.Null, 0, regs + columns.Length + i, 0);
            }
            int rec = NewRegister();
            Emit(Opcode.MakeRecord, regs, width, rec);
            Emit(Opcode.SorterInsert, cursor, rec, 0);
        };
        try
        {
            CompilePragma(new PragmaStatement(schema, pragma, value));
        }
        finally
        {
            _pragmaRows = savedSink;
            _columnNames = savedNames;
            _declaredTypes = savedTypes;
        }
        Emit(Opcode.Return, ret, 0, 0);
        Resolve(after);
        Table table = FunctionTable(alias, columns, parameters);
        scope.Sources.Add(new Source
        {
            Table = table, Cursor = cursor, Name = table.Name, Materialized = true, VirtualTable = true,
            ColumnNames = table.Columns.Select(c => c.Name).ToArray(), Fill = (fill, ret),
        });
    }

    /// <summary>
    /// A function whose arguments read FROM items written after it (`FROM json_each(t.doc), t`,
    /// or `WHERE json_each.json = t.doc`) moves after the last of them, as SQLite's planner
    /// places it; the other items keep their order. Joins with LEFT JOINs keep the FROM order.
    /// </summary>
    private void OrderFunctionsAfterTheirArguments(Scope scope, List<Expr> terms)
    {
        if (scope.LeftLevels.Count > 0 || scope.HasRightJoin) return;
        int n = scope.Sources.Count;
        for (int pass = 0; pass < n; pass++)
        {
            bool moved = false;
            for (int i = 0; i < n && !moved; i++)
            {
                Source s = scope.Sources[i];
                if (s.Function == null) continue;
                UInt128 needs = FunctionArgumentMask(s, scope, terms);
                int last = -1;
                for (int k = i + 1; k < n; k++)
                {
                    if (((needs >> k) & UInt128.One) != 0) last = k;
                }
                if (last < 0) continue;
                scope.Sources.RemoveAt(i);
                scope.Sources.Insert(last, s);
                moved = true;
            }
            if (!moved) return;
        }
    }

    /// <summary>The sources (of this scope) that a function's written arguments and its hidden-column equalities read.</summary>
    private UInt128 FunctionArgumentMask(Source s, Scope scope, List<Expr> terms)
    {
        TableFunctionSource f = s.Function!;
        int self = scope.Sources.IndexOf(s);
        UInt128 mask = 0;
        for (int k = 0; k < f.Arguments.Length; k++)
        {
            if (f.Arguments[k] is { } e)
            {
                mask |= SourceMask(e, scope);
                continue;
            }
            int hidden = f.Function.Columns.Length + k;
            foreach (Expr t in terms)
            {
                if (t is not BinaryExpr { Operator: BinaryOperator.Eq } b) continue;
                foreach ((Expr side, Expr other) in new[] { (b.Left, b.Right), (b.Right, b.Left) })
                {
                    if (side is ColumnRef c && TryResolveLocal(c, scope) is var (src, col) && src == s && col == hidden) mask |= SourceMask(other, scope);
                }
            }
        }
        return mask & ~(UInt128.One << self);
    }

    /// <summary>
    /// The loop level of a function source: its arguments (written ones, then WHERE equalities
    /// on its hidden columns whose other side is known here, which are then used up), VFilter,
    /// and the Next that ends the level.
    /// </summary>
    private Action FunctionLoop(Source s, int level, Scope scope, List<Expr> terms, bool[] done, UInt128 available, int brk, int cont)
    {
        TableFunctionSource f = s.Function!;
        TableValuedFunction fn = f.Function;
        int n = fn.Parameters.Length;
        int args = NewRegisters(Math.Max(n, 1));
        var given = new bool[n];
        bool onRightOfLeftJoin = scope.LeftLevels.Contains(level);
        for (int k = 0; k < n; k++)
        {
            if (f.Arguments[k] is { } e)
            {
                ExprCode(e, scope, args + k);
                given[k] = true;
                continue;
            }
            int hidden = fn.Columns.Length + k;
            for (int j = 0; j < terms.Count && !given[k]; j++)
            {
                if (done[j] || terms[j] is not BinaryExpr { Operator: BinaryOperator.Eq } b) continue;
                bool isOn = scope.LeftJoinOn.TryGetValue(terms[j], out int onLevel);
                if (isOn ? onLevel != level : onRightOfLeftJoin) continue;
                foreach ((Expr side, Expr other) in new[] { (b.Left, b.Right), (b.Right, b.Left) })
                {
                    if (side is not ColumnRef c) continue;
                    (Source? src, int col) = TryResolveLocal(c, scope);
                    if (src != s || col != hidden || (SourceMask(other, scope) & ~available) != 0) continue;
                    ExprCode(other, scope, args + k);
                    given[k] = true;
                    done[j] = true;
                    break;
                }
            }
        }
        Note($"SCAN {s.PlanName ?? s.Name} VIRTUAL TABLE INDEX {fn.PlanIndex(given)}:");
        Emit(Opcode.VFilter, s.Cursor, brk, args, new TableFunctionCall(fn, given));
        int top = CurrentAddress;
        return () =>
        {
            Resolve(cont);
            Emit(Opcode.Next, s.Cursor, top, 0);
            Resolve(brk);
        };
    }
}
