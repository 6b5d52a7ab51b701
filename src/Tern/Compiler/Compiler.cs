// The code generator's core: turns one parsed statement into a Program. It owns the
// instruction list, register and cursor allocation, forward labels (negative numbers
// patched when the program is finished), parameters, and the program's frame:
//
//   0     Init      0  start          jump to the transaction prologue
//   1..   body                        the statement's own code
//         Halt
//   start Transaction 0 write cookie  begin a read or write transaction, check the cookie
//         Goto      0  1
//
// The compiler never touches pages or b-trees: it reads the schema and emits opcodes.
// Statement kinds are split over partial files (Select, Dml, Ddl, Expr).
using System.Text;
using Tern.Functions;
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Sql.Ast;
using Tern.Vdbe;

namespace Tern.Compiler;

/// <summary>Compiles statements into programs.</summary>
internal sealed partial class CodeGenerator
{
    private readonly List<Instruction> _code = [];
    private readonly List<int> _labels = [];
    /// <summary>The schemas of the connection's databases (main, temp, attached; see SchemaSet).</summary>
    private readonly SchemaSet _schemas;
    private byte[] _sql;
    private readonly List<string?> _parameters = [];
    private int _nextRegister = 1;
    private int _nextCursor;
    private bool _write;
    private bool _notReadOnly;    // PRAGMA journal_mode and wal_checkpoint: not read-only for sqlite3_stmt_readonly, yet no write transaction

    /// <summary>The next SELECT core compiled is an EXISTS subquery's: its result columns need not be computed.</summary>
    private bool _existsResultsUnused;
    private string[] _columnNames = [];
    private string?[] _declaredTypes = [];
    private (string Table, string Column)?[] _columnOrigins = [];

    private readonly IReadOnlyDictionary<string, long>? _settings;

    private CodeGenerator(SchemaSet schemas, byte[] sql, IReadOnlyDictionary<string, long>? settings = null)
    {
        _schemas = schemas;
        _sql = sql;
        _settings = settings;
    }

    /// <summary>Compiles a statement (the schemas must be current).</summary>
    public static Program Compile(Tern.Sql.Ast.Statement statement, SchemaSet schemas, byte[] sql, IReadOnlyDictionary<string, long>? settings = null)
    {
        if (statement is ExplainStatement ex)
        {
            Program inner = Compile(ex.Statement, schemas, sql, settings);
            string[] columns = ex.QueryPlan ? ["id", "parent", "notused", "detail"] : ["addr", "opcode", "p1", "p2", "p3", "p4", "p5", "comment"];
            return new Program
            {
                Instructions = [],
                RegisterCount = 0,
                CursorCount = 0,
                ColumnNames = columns,
                DeclaredTypes = new string?[columns.Length],
                ExplainsQueryPlan = ex.QueryPlan,
                Parameters = inner.Parameters,
                ReadOnly = true,
                Explained = inner,
            };
        }
        // Trigger bodies and foreign-key actions are compiled inline, one copy per level they
        // nest to; when the copies multiply (two self-referencing cascades double at each
        // level) the program is compiled again with fewer levels, so that compiling never
        // runs away. A row that needs a level past the cut fails the statement there.
        for (int cap = int.MaxValue; ; cap = cap == int.MaxValue ? 8 : cap / 2)
        {
            var g = new CodeGenerator(schemas, sql, settings) { _inlineDepthCap = cap };
            try
            {
                return g.Build(statement);
            }
            catch (InlineCodeTooLarge) when (cap > 1)
            {
            }
        }
    }

    /// <summary>How many levels trigger bodies and foreign-key actions are inlined to, at most (set when a first compile grew too large).</summary>
    private int _inlineDepthCap = int.MaxValue;

    /// <summary>
    /// The instruction count past which nested inline code makes the compile start again with
    /// fewer levels (a statement with no triggers or actions is never cut).
    /// </summary>
    private const int MaxInlinedProgramSize = 100_000;

    /// <summary>Thrown while compiling when inlined bodies make the program too large.</summary>
    private sealed class InlineCodeTooLarge : Exception;

    /// <summary>Called as an inlined body starts: gives up on this compile when the program is already too large.</summary>
    private void CheckInlinedSize()
    {
        if (_inlineDepthCap > 1 && _code.Count > MaxInlinedProgramSize) throw new InlineCodeTooLarge();
    }

    private Program Build(Tern.Sql.Ast.Statement statement)
    {
        Emit(Opcode.Init, 0, 0, 0);
        _coveringScans = statement is SelectStatement;
        switch (statement)
        {
            case SelectStatement s: CompileTopSelect(s); break;
            case InsertStatement i: CompileInsert(i); break;
            case UpdateStatement u: CompileUpdate(u); break;
            case DeleteStatement d: CompileDelete(d); break;
            case CreateTableStatement ct: CompileCreateTable(ct); break;
            case CreateIndexStatement ci: CompileCreateIndex(ci); break;
            case CreateViewStatement cv: CompileCreateView(cv); break;
            case CreateTriggerStatement ctr: CompileCreateTrigger(ctr); break;
            case PragmaStatement pr: CompilePragma(pr); break;
            case AddColumnStatement ac: CompileAddColumn(ac); break;
            case RenameTableStatement rt: CompileRenameTable(rt); break;
            case RenameColumnStatement rc: CompileRenameColumn(rc); break;
            case DropColumnStatement dc: CompileDropColumn(dc); break;
            case ReindexStatement ri: CompileReindex(ri); break;
            case DropStatement dr: CompileDrop(dr); break;
            case AnalyzeStatement an: CompileAnalyze(an); break;
            case AttachStatement at:
                {
                    int file = NewRegister(), name = NewRegister();
                    CompileAttachOperand(at.File, file);
                    CompileAttachOperand(at.SchemaName, name);
                    Emit(Opcode.Attach, file, name, 0);
                    break;
                }
            case VacuumStatement vac:
                {
                    // P1 the database; P3 = 1: INTO the file named by r[P2].
                    int db = DatabaseSchema.MainDb;
                    if (vac.Schema != null && (db = _schemas.IndexOf(vac.Schema)) < 0)
                        throw new TernException(ResultCode.Error, "unknown database " + vac.Schema);
                    // VACUUM temp does nothing (its INTO operand is not even looked at), as in SQLite.
                    if (db == DatabaseSchema.TempDb) break;
                    int into = 0;
                    if (vac.Into != null)
                    {
                        into = NewRegister();
                        ExprCode(vac.Into, new Scope(), into);
                    }
                    _notReadOnly = true;
                    Emit(Opcode.Vacuum, db, into, vac.Into != null ? 1 : 0);
                    break;
                }
            case DetachStatement dt:
                {
                    int name = NewRegister();
                    CompileAttachOperand(dt.SchemaName, name);
                    Emit(Opcode.Detach, name, 0, 0);
                    break;
                }
            case BeginStatement begin:
                // BEGIN IMMEDIATE and EXCLUSIVE take the write lock now (SQLITE_BUSY if another
                // connection holds it); a deferred BEGIN takes locks when first needed.
                // (P2 = 2: EXCLUSIVE also takes the EXCLUSIVE lock, which keeps readers out.)
                // (P5 = 1: BEGIN does not check the schema cookie, as SQLite's does not.)
                if (begin.Kind is TransactionKind.Immediate or TransactionKind.Exclusive)
                    Emit(Opcode.Transaction, 0, begin.Kind == TransactionKind.Exclusive ? 2 : 1, 0, null, 1);
                Emit(Opcode.AutoCommit, 0, 0, 0);
                break;
            case CommitStatement: Emit(Opcode.AutoCommit, 1, 0, 0); break;
            case RollbackStatement rb:
                if (rb.Savepoint != null) Emit(Opcode.Savepoint, 2, 0, 0, rb.Savepoint);
                else Emit(Opcode.AutoCommit, 1, 1, 0);
                break;
            case SavepointStatement sp:
                Emit(Opcode.Savepoint, 0, 0, 0, sp.Name);
                break;
            case ReleaseStatement rl:
                Emit(Opcode.Savepoint, 1, 0, 0, rl.Name);
                break;
            default:
                throw new TernException(ResultCode.Error, statement.GetType().Name.Replace("Statement", "", StringComparison.Ordinal) + " is not supported yet");
        }
        if (ChangeCountColumn(statement) is { } countName)
        {
            // PRAGMA count_changes: the statement answers one row, how many rows it changed.
            int count = NewRegister();
            Emit(Opcode.ChangeCount, count, statement is InsertStatement ? 1 : 0, 0);
            Emit(Opcode.ResultRow, count, 1, 0);
            _columnNames = [countName];
            _declaredTypes = [null];
        }
        Emit(Opcode.Halt, 0, 0, 0);
        ApplyCoveringScans();
        bool needsTransaction = statement is not (BeginStatement or CommitStatement or RollbackStatement or SavepointStatement or ReleaseStatement
                or AttachStatement or DetachStatement)
            // VACUUM manages its own transactions; only an INTO operand that reads a table
            // needs one to read in (the VM then counts the statement among the active ones).
            && !(statement is VacuumStatement && !_code.Exists(static i => i.Op is Opcode.OpenRead or Opcode.OpenWrite))
            && !(statement is PragmaStatement pragma && OpensNoTransaction(pragma))
            // A query that reads no table (SELECT 1) takes no lock, as SQLite's has no OP_Transaction.
            && !(statement is SelectStatement && !_readsSchema && !_code.Exists(static i => i.Op is Opcode.OpenRead or Opcode.OpenWrite));
        int start = _code.Count;
        if (needsTransaction) EmitTransactions();
        Emit(Opcode.Goto, 0, 1, 0);
        Patch(0, start);
        Instruction[] code = _code.ToArray();
        ResolveLabels(code);
        return new Program
        {
            Instructions = code,
            RegisterCount = _nextRegister,
            CursorCount = _nextCursor,
            ColumnNames = _columnNames,
            DeclaredTypes = _declaredTypes,
            ColumnOrigins = _columnOrigins,
            Parameters = _parameters.ToArray(),
            ReadOnly = !_write && !_notReadOnly,
            CountsChanges = _countsChanges,
            QueryPlan = _plan.ToArray(),
        };
    }

    /// <summary>
    /// An ATTACH or DETACH operand: a bare identifier is its own name as text (SQLite's
    /// resolveAttachExpr), anything else an expression over no table.
    /// </summary>
    private void CompileAttachOperand(Expr e, int target)
    {
        if (e is ColumnRef { Table: null, Schema: null } c)
        {
            Emit(Opcode.String8, 0, target, 0, Encoding.UTF8.GetBytes(c.Column));
            return;
        }
        ExprCode(e, new Scope(), target);
    }

    /// <summary>
    /// The prologue's Transaction opcodes: one for main (always: it checks the schema cookie)
    /// and one for each other database the program opens, creates or changes a tree in, each
    /// a write transaction when the program writes there.
    /// </summary>
    private void EmitTransactions()
    {
        var used = new SortedDictionary<int, bool>();
        void Use(int db, bool write) => used[db] = write || (used.TryGetValue(db, out bool w) && w);
        foreach (Instruction i in _code)
        {
            switch (i.Op)
            {
                case Opcode.OpenRead: Use(i.P3, false); break;
                case Opcode.OpenWrite: Use(i.P3, true); break;
                case Opcode.CreateBtree: Use(i.P1, true); break;
                case Opcode.Destroy or Opcode.Clear: Use(i.P2, true); break;
                case Opcode.SetCookie: Use(i.P1, true); break;
                case Opcode.ReadCookie: Use(i.P1, false); break;
            }
        }
        bool anyWrite = used.Values.Any(w => w);
        bool mainWrite = used.GetValueOrDefault(DatabaseSchema.MainDb) || (_write && !anyWrite);
        Emit(Opcode.Transaction, DatabaseSchema.MainDb, mainWrite ? 1 : 0, (int)_schemas.Main.Cookie);
        foreach ((int db, bool write) in used)
        {
            if (db != DatabaseSchema.MainDb) Emit(Opcode.Transaction, db, write ? 1 : 0, (int)_schemas[db].Cookie);
        }
    }

    // ------------------------------------------------------------ emission

    private int Emit(Opcode op, int p1, int p2, int p3, object? p4 = null, ushort p5 = 0)
    {
        _code.Add(new Instruction(op, p1, p2, p3, p4, p5));
        return _code.Count - 1;
    }

    private int CurrentAddress => _code.Count;

    private void Patch(int address, int p2)
    {
        Instruction i = _code[address];
        i.P2 = p2;
        _code[address] = i;
    }

    private int NewRegister() => _nextRegister++;

    /// <summary>
    /// With PRAGMA count_changes on (when prepared), the result column an INSERT, UPDATE or
    /// DELETE without RETURNING answers its change count in; null otherwise.
    /// </summary>
    private string? ChangeCountColumn(Tern.Sql.Ast.Statement statement) =>
        _settings == null || !_settings.TryGetValue("count_changes", out long on) || on == 0 ? null
        : statement switch
        {
            InsertStatement { Returning.IsEmpty: true } => "rows inserted",
            UpdateStatement { Returning.IsEmpty: true } => "rows updated",
            DeleteStatement { Returning.IsEmpty: true } => "rows deleted",
            _ => null,
        };

    private int NewRegisters(int n)
    {
        int r = _nextRegister;
        _nextRegister += n;
        return r;
    }

    private int NewCursor() => _nextCursor++;

    /// <summary>A forward label: a negative number that jump operands may hold until it is resolved.</summary>
    private int NewLabel()
    {
        _labels.Add(-1);
        return -_labels.Count;
    }

    private void Resolve(int label) => _labels[-label - 1] = _code.Count;

    private void ResolveLabels(Instruction[] code)
    {
        for (int i = 0; i < code.Length; i++)
        {
            ref Instruction ins = ref code[i];
            if (ins.P2 < 0 && IsJump(ins.Op)) ins.P2 = LabelAddress(ins.P2, i, ins.Op);
            if (ins.Op == Opcode.Jump)
            {
                if (ins.P1 < 0) ins.P1 = LabelAddress(ins.P1);
                if (ins.P3 < 0) ins.P3 = LabelAddress(ins.P3);
            }
        }
    }

    private int LabelAddress(int label, int at = -1, Opcode op = Opcode.Noop)
    {
        int a = _labels[-label - 1];
        if (a < 0) throw new TernException(ResultCode.Internal, $"unresolved label {label} at {at} ({op})");
        return a;
    }

    private static bool IsJump(Opcode op) => op is not (Opcode.Integer or Opcode.Null or Opcode.Variable or Opcode.Copy
        or Opcode.SCopy or Opcode.Move or Opcode.Column or Opcode.Rowid or Opcode.IdxRowid or Opcode.MakeRecord
        or Opcode.Function or Opcode.AggStep or Opcode.Insert or Opcode.IdxInsert or Opcode.IdxDelete or Opcode.NewRowid
        or Opcode.SorterData or Opcode.String8 or Opcode.Real or Opcode.Int64 or Opcode.Blob or Opcode.Transaction
        or Opcode.CreateBtree or Opcode.SetCookie or Opcode.ReadCookie or Opcode.OpenRead or Opcode.OpenWrite
        or Opcode.OpenEphemeral or Opcode.SorterOpen or Opcode.OpenPseudo or Opcode.Count or Opcode.RowSetAdd
        or Opcode.Not or Opcode.BitNot or Opcode.AutoCommit or Opcode.Affinity or Opcode.Cast or Opcode.SorterInsert
        or Opcode.Halt or Opcode.HaltIfNull or Opcode.Compare or Opcode.Add or Opcode.Subtract
        or Opcode.Multiply or Opcode.Divide or Opcode.Remainder or Opcode.Concat or Opcode.And or Opcode.Or
        or Opcode.BitAnd or Opcode.BitOr or Opcode.ShiftLeft or Opcode.ShiftRight or Opcode.NullRow or Opcode.FkCounter or Opcode.FkCheck);

    private string SourceText(SqlNode node) => Encoding.UTF8.GetString(_sql, node.Start, node.End - node.Start);

    /// <summary>
    /// The database whose objects unqualified names inside the view or trigger body being
    /// compiled bind to (SQLite binds the names in a main or attached database's views and
    /// triggers to that database), or -1 outside one and in TEMP ones (every database is searched).
    /// </summary>
    private int _bindDb = -1;

    /// <summary>Runs <paramref name="compile"/> with unqualified names bound to database <paramref name="db"/> (none for temp).</summary>
    private T BoundTo<T>(int db, Func<T> compile)
    {
        int saved = _bindDb;
        _bindDb = db == DatabaseSchema.TempDb ? -1 : db;
        try
        {
            return compile();
        }
        finally
        {
            _bindDb = saved;
        }
    }

    /// <summary>The table a statement names: in the schema it names, else as <see cref="_bindDb"/> says, else temp, main and attached in turn.</summary>
    private Table? FindTable(string? schema, string name) =>
        schema == null && _bindDb >= 0 ? _schemas[_bindDb].FindTable(name, qualified: false) : _schemas.FindTable(schema, name);

    private View? FindView(string? schema, string name) =>
        schema == null && _bindDb >= 0 ? _schemas[_bindDb].FindView(name) : _schemas.FindView(schema, name);

    /// <summary>
    /// The view a FROM item names, unless a table of that name comes first in the search (a
    /// TEMP table hides a main view, and a view is only found where SQLite would find it).
    /// </summary>
    private View? LookupView(string? schema, string name)
    {
        if (schema == null && _bindDb < 0)
        {
            foreach (int db in _schemas.SearchOrder())
            {
                if (_schemas[db].FindTable(name, qualified: false) != null) return null;
                if (_schemas[db].FindView(name) is { } v) return v;
            }
            return null;
        }
        return FindView(schema, name);
    }

    private Index? FindIndex(string? schema, string name) =>
        schema == null && _bindDb >= 0 ? _schemas[_bindDb].FindIndex(name) : _schemas.FindIndex(schema, name);

    /// <summary>The database a DDL statement's object goes in: the one it names, temp for TEMP, else main (SQLite's "unknown database X").</summary>
    private int TargetDb(string? schema, bool temp)
    {
        if (schema == null) return temp ? DatabaseSchema.TempDb : DatabaseSchema.MainDb;
        int db = _schemas.IndexOf(schema);
        if (db < 0) throw new TernException(ResultCode.Error, "unknown database " + schema);
        return db;
    }

    private Table RequireTable(QualifiedTableName name)
    {
        Table? t = FindTable(name.Schema, name.Name);
        if (t == null && FindView(name.Schema, name.Name) is { } v) throw new TernException(ResultCode.Error, $"cannot modify {v.Name} because it is a view");
        if (t == null) throw new TernException(ResultCode.Error, "no such table: " + MissingTableName(name.Schema, name.Name));
        return t;
    }

    /// <summary>A missing table as SQLite names it: with the schema it was qualified with, or "main." inside a view or trigger.</summary>
    private string MissingTableName(string? schema, string name) =>
        (schema != null ? schema + "." : _bindDb >= 0 ? _schemas.NameOf(_bindDb) + "." : InTrigger ? "main." : "") + name;

    /// <summary>iif()/if(): compiled as a lazy CASE, not looked up in the function catalog.</summary>
    private static bool IsInlineConditional(FunctionCall f) => !f.Star && f.Over == null && f.Name.ToLowerInvariant() is "iif" or "if";

    private static FunctionDef RequireFunction(FunctionCall f)
    {
        int n = f.Star ? 0 : f.Arguments.Count;
        FunctionDef? def = FunctionCatalog.Find(f.Name, n, out bool wrongCount);
        if (def != null) return def;
        if (wrongCount) throw new TernException(ResultCode.Error, $"wrong number of arguments to function {f.Name}()");
        throw new TernException(ResultCode.Error, "no such function: " + f.Name);
    }
}
