// Triggers: CREATE TRIGGER / DROP TRIGGER, and firing. A row trigger's body is compiled
// inline, at the point where the statement that fires it handles one row:
//
//   INSERT row:  BEFORE INSERT triggers (NEW)      UPDATE row:  BEFORE UPDATE (OLD, NEW)
//                constraint checks, write                       checks, write
//                AFTER INSERT triggers (NEW)                    AFTER UPDATE (OLD, NEW)
//   DELETE row:  BEFORE DELETE (OLD), delete, AFTER DELETE (OLD)
//
// OLD and NEW are pseudo tables over a record built from the row's registers (the
// columns, then the rowid), so a body reads them like any other source. Triggers fire
// newest first, as in SQLite. A trigger does not fire again from inside its own body
// (recursive triggers are off, as by default in SQLite). With PRAGMA recursive_triggers on,
// a trigger's body is compiled again inside itself, up to MaxInlineTriggerDepth levels; a
// row that would recurse deeper fails the statement there (SQLite's sub-programs go to
// 1,000 levels). REPLACE then also fires the DELETE triggers of the rows it removes, and
// checks uniqueness again afterwards. WHEN is tested first; RAISE
// (IGNORE) skips the rest of the row, RAISE(ABORT|FAIL|ROLLBACK, msg) fails the
// statement with msg. Rows changed by a body do not count in changes(); each body is a
// counting frame (FrameEnter, ResetCount after each write step, FrameLeave) whose steps'
// changes reach total_changes() as they complete, even if the statement fails afterwards.
using System.Diagnostics;
using Tern.Schema;
using Tern.Sql.Ast;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>OLD and NEW while a trigger body is compiled; empty outside triggers.</summary>
    private readonly List<Source> _triggerSources = [];
    /// <summary>The triggers whose bodies enclose the code being compiled, outermost first (with recursive triggers on, one may appear more than once).</summary>
    private readonly List<string> _firingTriggers = [];

    /// <summary>How many times a trigger's body already encloses the code being compiled.</summary>
    private int FiringDepth(string trigger) => _firingTriggers.Count(n => string.Equals(n, trigger, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Recursive triggers are compiled inline to a bounded depth (and a bounded number of
    /// re-entered bodies per statement, which a body firing itself twice would double at each
    /// level); a row that would go deeper fails the statement when it gets there.
    /// </summary>
    private const int MaxInlineTriggerDepth = 16, MaxInlineTriggerReentries = 256;
    private int _triggerReentries;
    /// <summary>Where RAISE(IGNORE) jumps: past the rest of the row being changed.</summary>
    private int _raiseIgnoreLabel;
    /// <summary>How many change-counting frames (trigger bodies, foreign-key actions) enclose the code being compiled.</summary>
    private int _frameDepth;
    /// <summary>The frame depth at <see cref="_raiseIgnoreLabel"/>: RAISE(IGNORE) leaves the frames above it.</summary>
    private int _raiseIgnoreDepth;

    private bool InTrigger => _firingTriggers.Count > 0;

    /// <summary>PRAGMA recursive_triggers: REPLACE fires DELETE triggers, and a trigger may fire itself.</summary>
    private bool RecursiveTriggersOn => _settings != null && _settings.TryGetValue("recursive_triggers", out long v) && v != 0;

    /// <summary>While a row is written: a register set to 1 once a REPLACE deletion has run DELETE triggers (0: no register, none can).</summary>
    private int _replaceTriggersFired;

    /// <summary>
    /// Whether a double-quoted name that names nothing is a string literal in this statement's
    /// queries and DML (SQLite's DQS_DML switch; on unless the connection turned it off).
    /// </summary>
    private bool DqsInDml => _settings == null || !_settings.TryGetValue(Connection.DqsDmlKey, out long v) || v != 0;

    /// <summary>The same for CREATE TABLE and CREATE INDEX expressions (SQLite's DQS_DDL switch).</summary>
    private bool DqsInDdl => _settings == null || !_settings.TryGetValue(Connection.DqsDdlKey, out long v) || v != 0;

    /// <summary>The OR algorithm of the statement that fired the trigger being compiled (Default: none).</summary>
    private ConflictResolution _triggerConflict;

    /// <summary>A statement's OR algorithm, or inside a trigger body the firing statement's when it has one.</summary>
    private ConflictResolution EffectiveConflict(ConflictResolution own) =>
        InTrigger && _triggerConflict != ConflictResolution.Default ? _triggerConflict : own;

    private void CompileCreateTrigger(CreateTriggerStatement ct)
    {
        _write = true;
        // The trigger goes in temp (TEMP, or an unqualified trigger on a TEMP table), else in
        // the database its name is qualified with (main when none); a trigger outside temp
        // must be on a table of its own database (SQLite's sqlite3BeginTrigger).
        int db = CreateTargetDb(ct.Schema, ct.Temp, "trigger");
        Table? t = FindTable(ct.TableSchema, ct.Table);
        View? v = t == null ? FindView(ct.TableSchema, ct.Table) : null;
        if (!ct.Temp && ct.Schema == null && (t?.Db ?? v?.Db) == DatabaseSchema.TempDb) db = DatabaseSchema.TempDb;
        if (db != DatabaseSchema.TempDb)
        {
            if (ct.TableSchema != null && _schemas.IndexOf(ct.TableSchema) != db)
                throw new TernException(ResultCode.Error, $"trigger {ct.Name} cannot reference objects in database {ct.TableSchema}");
            t = _schemas[db].FindTable(ct.Table);
            v = t == null ? _schemas[db].FindView(ct.Table) : null;
        }
        if (_schemas[db].FindTrigger(ct.Name) != null)
        {
            if (ct.IfNotExists) { NothingToDo(); return; }
            throw new TernException(ResultCode.Error, $"trigger {DatabaseSchema.NameToken(_sql, ct.Start, ct.End)} already exists");
        }
        if (t == null && v == null)
            throw new TernException(ResultCode.Error, "no such table: " + (db != DatabaseSchema.TempDb ? _schemas.NameOf(db) + "." : ct.TableSchema != null ? ct.TableSchema + "." : "") + ct.Table);
        if (t != null && t.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
            throw new TernException(ResultCode.Error, "cannot create trigger on system table");
        if (v != null && ct.Time != TriggerTime.InsteadOf)
            throw new TernException(ResultCode.Error, $"cannot create {(ct.Time == TriggerTime.After ? "AFTER" : "BEFORE")} trigger on view: {v.Name}");
        if (t != null && ct.Time == TriggerTime.InsteadOf)
            throw new TernException(ResultCode.Error, $"cannot create INSTEAD OF trigger on table: {t.Name}");
        string sql = DatabaseSchema.StoredSql(_sql, ct.Start, ct.End, "CREATE TRIGGER ");
        int schemaCursor = NewCursor();
        Emit(Opcode.OpenWrite, schemaCursor, 1, db, 5);
        int root = NewRegister();
        Emit(Opcode.Integer, 0, root, 0);
        InsertSchemaRow(schemaCursor, "trigger", ct.Name, t?.Name ?? v!.Name, root, sql);
        if (db == DatabaseSchema.TempDb) _schemas.BindTempTrigger(ct.Name, sql, t?.Db ?? v!.Db);
        FinishSchemaChange(db);
    }

    private void DropTrigger(DropStatement d, int schemaCursor)
    {
        if (_schemas.FindTrigger(d.Schema, d.Name) is not { } trigger)
        {
            if (d.IfExists) { NothingToDo(); return; }
            throw new TernException(ResultCode.Error, "no such trigger: " + (d.Schema != null ? d.Schema + "." : "") + d.Name);
        }
        Emit(Opcode.OpenWrite, schemaCursor, 1, trigger.Db, 5);
        DeleteSchemaRows(schemaCursor, 1, trigger.Name, "trigger");
        FinishSchemaChange(trigger.Db);
    }

    /// <summary>The triggers that fire for this table, event and time, in firing order (see SchemaSet.TriggersOn), skipping any already firing.</summary>
    private List<Trigger> TriggersFor(Table t, TriggerEvent ev, TriggerTime time, IReadOnlyCollection<int>? updatedColumns)
    {
        var list = new List<Trigger>();
        foreach (Trigger tr in _schemas.TriggersOn(t.Db, t.Name))
        {
            if (tr.Definition.Event != ev || tr.Time != time) continue;
            if (ev == TriggerEvent.Update && !tr.Definition.UpdateColumns.IsEmpty && updatedColumns != null)
            {
                bool hit = false;
                foreach (string c in tr.Definition.UpdateColumns)
                {
                    int k = t.FindColumn(c);
                    if (k >= 0 && updatedColumns.Contains(k)) hit = true;
                }
                if (!hit) continue;
            }
            // A trigger does not fire inside its own body unless recursive triggers are on.
            if (!RecursiveTriggersOn && FiringDepth(tr.Name) > 0) continue;
            list.Add(tr);
        }
        return list;
    }

    /// <summary>Whether any trigger would fire for this table and event (with recursive triggers on, one already firing counts).</summary>
    private bool HasTriggers(Table t, TriggerEvent ev) =>
        _schemas.TriggersOn(t.Db, t.Name).Any(tr => tr.Definition.Event == ev && (RecursiveTriggersOn || FiringDepth(tr.Name) == 0));

    /// <summary>
    /// Runs the matching triggers for one row. <paramref name="oldRow"/> and
    /// <paramref name="newRow"/> are blocks of (columns..., rowid) registers, or -1.
    /// </summary>
    /// <remarks>
    /// <paramref name="orconf"/> is the firing statement's OR algorithm: when it is given, it
    /// replaces the OR clause (and the constraints' own ON CONFLICT clauses) of every INSERT
    /// and UPDATE in the bodies, as in SQLite.
    /// </remarks>
    private void FireTriggers(Table t, TriggerEvent ev, TriggerTime time, int oldRow, int newRow, int ignoreLabel,
        IReadOnlyCollection<int>? updatedColumns = null, ConflictResolution orconf = ConflictResolution.Default)
    {
        if (_triggersSilenced) return;
        List<Trigger> triggers = TriggersFor(t, ev, time, updatedColumns);
        if (triggers.Count == 0) return;
        Source? oldSource = oldRow < 0 ? null : RowSource(t, "old", oldRow, withRowid: true);
        Source? newSource = newRow < 0 ? null : RowSource(t, "new", newRow, withRowid: true);

        foreach (Trigger tr in triggers)
        {
            var savedSources = _triggerSources.ToList();
            byte[] savedSql = _sql;
            int savedIgnore = _raiseIgnoreLabel, savedIgnoreDepth = _raiseIgnoreDepth, savedDepth = _frameDepth;
            CteEnv? savedCtes = _ctes;
            int savedExpanded = _expanded, savedViewDepth = _bindDb;
            ConflictResolution savedConflict = _triggerConflict;
            _triggerConflict = orconf;
            _triggerSources.Clear();
            if (oldSource != null) _triggerSources.Add(oldSource);
            if (newSource != null) _triggerSources.Add(newSource);
            int depth = FiringDepth(tr.Name);
            bool tooDeep = depth > 0 && (depth >= Math.Min(MaxInlineTriggerDepth, _inlineDepthCap) || _triggerReentries >= MaxInlineTriggerReentries);
            CheckInlinedSize();
            if (depth > 0 && !tooDeep) _triggerReentries++;
            _firingTriggers.Add(tr.Name);
            _sql = tr.SqlUtf8;
            _raiseIgnoreLabel = ignoreLabel;
            _raiseIgnoreDepth = _frameDepth;
            _ctes = null;
            // Each body statement is prepared on its own; its tables belong to the trigger's
            // schema (a missing one is "main.x", as in a view), a TEMP trigger's to any.
            _expanded = 0;
            _bindDb = tr.Db == DatabaseSchema.TempDb ? -1 : tr.Db;
            try
            {
                int end = NewLabel();
                Emit(Opcode.FrameEnter, 0, 0, 0);
                _frameDepth = savedDepth + 1;
                if (tr.Definition.When != null) JumpIfFalse(tr.Definition.When, new Scope(), end);
                if (tooDeep)
                {
                    Emit(Opcode.Halt, (int)ResultCode.Error, HaltMode(ConflictResolution.Abort), 0,
                        $"trigger {tr.Name} fires itself more than {depth} levels deep, which is not supported yet");
                }
                else
                {
                    foreach (Tern.Sql.Ast.Statement st in tr.Definition.Body)
                    {
                        CompileTriggerStep(st);
                        if (st is not SelectStatement) Emit(Opcode.ResetCount, 0, 0, 0);
                    }
                }
                Resolve(end);
                _frameDepth = savedDepth;
                Emit(Opcode.FrameLeave, 1, 0, 0);
            }
            finally
            {
                _firingTriggers.RemoveAt(_firingTriggers.Count - 1);
                _triggerSources.Clear();
                _triggerSources.AddRange(savedSources);
                _sql = savedSql;
                _raiseIgnoreLabel = savedIgnore;
                _raiseIgnoreDepth = savedIgnoreDepth;
                _triggerConflict = savedConflict;
                _frameDepth = savedDepth;
                _ctes = savedCtes;
                _expanded = savedExpanded;
                _bindDb = savedViewDepth;
            }
        }
    }

    /// <summary>While set, trigger bodies are compiled without the triggers their statements would fire (a rename's check).</summary>
    private bool _triggersSilenced;

    /// <summary>
    /// Compiles a trigger's WHEN and body alone (the code is thrown away), OLD and NEW over
    /// scratch registers, without the triggers its statements would fire: its names must
    /// resolve. Triggers on views are not checked.
    /// </summary>
    private void ResolveTriggerForRename(Trigger tr)
    {
        if (FindTable(null, tr.Table) is not { } t) return;
        _triggersSilenced = true;
        _sql = tr.SqlUtf8;
        int block = NewRegisters(t.Columns.Count + 1);
        if (tr.Definition.Event != TriggerEvent.Insert) _triggerSources.Add(RowSource(t, "old", block, withRowid: true));
        if (tr.Definition.Event != TriggerEvent.Delete) _triggerSources.Add(RowSource(t, "new", block, withRowid: true));
        _firingTriggers.Add(tr.Name);
        _raiseIgnoreLabel = NewLabel();
        _raiseIgnoreDepth = _frameDepth;
        Emit(Opcode.FrameEnter, 0, 0, 0);
        _frameDepth++;
        if (tr.Definition.When != null) JumpIfFalse(tr.Definition.When, new Scope(), _raiseIgnoreLabel);
        foreach (Tern.Sql.Ast.Statement st in tr.Definition.Body) CompileTriggerStep(st);
    }

    private void CompileTriggerStep(Tern.Sql.Ast.Statement st)
    {
        switch (st)
        {
            case InsertStatement i: CompileInsert(i); break;
            case UpdateStatement u: CompileUpdate(u); break;
            case DeleteStatement d: CompileDelete(d); break;
            case SelectStatement s: CompileSelect(s, null, (_, _) => { }); break;
            default: throw new TernException(ResultCode.Error, "unsupported statement in a trigger body");
        }
    }

    /// <summary>Resolves OLD.x / NEW.x inside a trigger body; (null, 0) elsewhere.</summary>
    private (Source? Source, int Column) ResolveTriggerColumn(ColumnRef c)
    {
        if (_triggerSources.Count == 0) return (null, 0);
        var scope = new Scope();
        scope.Sources.AddRange(_triggerSources);
        if (c.Table == null) return (null, 0);
        (Source? s, int col) = TryResolve(c, scope);
        if (s != null && col < 0) col = s.Table.Columns.Count - 1;
        if (s == null && IsRowidName(c.Column))
        {
            // OLD.oid and NEW._rowid_ name the rowid as OLD.rowid does (the row's last column).
            Source? row = _triggerSources.Find(x => string.Equals(x.Name, c.Table, StringComparison.OrdinalIgnoreCase));
            if (row != null && c.Schema == null) return (row, row.Table.Columns.Count - 1);
        }
        return (s, col);
    }

    private void RaiseCode(RaiseExpr r)
    {
        if (!InTrigger) throw new TernException(ResultCode.Error, "RAISE() may only be used within a trigger-program");
        if (r.Action == RaiseAction.Ignore)
        {
            // The trigger body ends here as if it had finished: what it changed so far is counted.
            Debug.Assert(_frameDepth > _raiseIgnoreDepth, "RAISE(IGNORE) outside a trigger frame");
            Emit(Opcode.FrameLeave, _frameDepth - _raiseIgnoreDepth, 0, 0);
            Emit(Opcode.Goto, 0, _raiseIgnoreLabel, 0);
            return;
        }
        string message = r.Message is Literal { Kind: LiteralKind.String } l ? l.Value : r.Message != null ? SourceText(r.Message) : "";
        int mode = HaltMode(r.Action switch
        {
            RaiseAction.Rollback => ConflictResolution.Rollback,
            RaiseAction.Fail => ConflictResolution.Fail,
            _ => ConflictResolution.Abort,
        });
        Emit(Opcode.Halt, (int)ResultCode.ConstraintTrigger, mode, 0, message);
    }

    /// <summary>
    /// A row held in registers, seen as a one-row table named <paramref name="name"/> with the
    /// table's columns (and a last "rowid" column when <paramref name="withRowid"/>): OLD/NEW,
    /// the row a CHECK constraint tests, RETURNING's row, upsert's excluded.*.
    /// </summary>
    private Source RowSource(Table t, string name, int block, bool withRowid, string[]? rowidNames = null)
    {
        rowidNames ??= ["rowid"];
        int width = t.Columns.Count + (withRowid ? rowidNames.Length : 0);
        int rec = NewRegister(), cursor = NewCursor();
        Emit(Opcode.MakeRecord, block, width, rec);
        Emit(Opcode.OpenPseudo, cursor, rec, width);
        var columns = t.Columns.Select(c => new Column { Name = c.Name, DeclaredType = c.DeclaredType, Affinity = c.Affinity, Collation = c.Collation }).ToList();
        if (withRowid)
        {
            foreach (string rowidName in rowidNames) columns.Add(new Column { Name = rowidName, DeclaredType = "INTEGER", Affinity = Affinity.Integer });
        }
        return new Source
        {
            Table = new Table { Name = name, RootPage = 0, Columns = columns }, Cursor = cursor, Name = name, Materialized = true,
            ColumnNames = columns.Select(c => c.Name).ToArray(), RowidAliasColumn = t.RowidAlias,
        };
    }

    /// <summary>Copies a table row into a (columns..., rowid) block for OLD.</summary>
    private int RowBlockFromCursor(Table t, int cursor, int rowid)
    {
        int ncol = t.Columns.Count;
        int block = NewRegisters(ncol + 1);
        var src = new Source { Table = t, Cursor = cursor, Name = t.Name };
        for (int k = 0; k < ncol; k++)
        {
            if (k == t.RowidAlias) Emit(Opcode.SCopy, rowid, block + k, 0);
            else EmitColumn(src, k, block + k);
        }
        Emit(Opcode.SCopy, rowid, block + ncol, 0);
        return block;
    }

    /// <summary>Copies column registers and a rowid register into a (columns..., rowid) block for NEW.</summary>
    private int RowBlockFromRegisters(Table t, int cols, int rowid)
    {
        int ncol = t.Columns.Count;
        int block = NewRegisters(ncol + 1);
        if (ncol > 0) Emit(Opcode.Copy, cols, block, ncol - 1);
        Emit(Opcode.SCopy, rowid, block + ncol, 0);
        return block;
    }
}
