// The virtual machine: runs a Program's instructions over registers and cursors in one
// loop with a switch over the dense Opcode enum. Step() runs until the next ResultRow
// (returns true, the row in Row()) or Halt (returns false).
//
//   state:  Ready --Step--> Running --ResultRow--> HasRow --Step--> Running ...
//                               \--Halt/error--> Done --Reset--> Ready
//
// Transactions: the Transaction opcode starts a read or write transaction when none is
// open (checking the schema cookie); Halt commits it when the connection is in
// autocommit mode, and an error rolls it back.
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Tern.Functions;
using Tern.Storage;
using Tern.Storage.BTree;
using Tern.Storage.Pager;
using Tern.Storage.Record;
using Tern.Storage.Wal;

namespace Tern.Vdbe;

/// <summary>Executes one program.</summary>
internal sealed partial class Vm
{
    /// <summary>
    /// Once the largest rowid is taken, SQLite tries up to 100 random positive rowids and
    /// takes the first free one; when all are taken the table is full.
    /// </summary>
    private static long RandomFreeRowid(BTreeCursor c)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            long v = (BitConverter.ToInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)) & (long.MaxValue >> 1)) + 1;
            if (!c.SeekRowId(v)) return v;
        }
        TernException.Throw(ResultCode.Full);
        return 0;
    }

    private readonly Program _program;
    private readonly IVdbeHost _host;
    private readonly Mem[] _r;
    private readonly byte[]?[] _owned;
    private readonly VdbeCursor?[] _cursors;
    private readonly bool[] _once;
    private Value[] _keyScratch = new Value[8];
    private int _pc;
    private int _compareResult;
    private bool _started;
    private bool _done;
    private bool _startedTransaction;
    private bool _wrote;

    public Vm(Program program, IVdbeHost host, Mem[] parameters)
    {
        _program = program;
        _host = host;
        _r = new Mem[Math.Max(program.RegisterCount, 1)];
        _owned = new byte[]?[_r.Length];
        _cursors = new VdbeCursor?[program.CursorCount];
        _once = new bool[program.Instructions.Length];
        Parameters = parameters;
    }

    public Mem[] Parameters { get; }

    /// <summary>New rows this run inserted (an upsert's DO UPDATE and trigger rows not counted): PRAGMA count_changes of an INSERT.</summary>
    private long _rowsInserted;

    /// <summary>Rows changed by this run (Insert/Delete with the NChange flag).</summary>
    public long Changes { get; private set; }

    // Change counting in trigger bodies and foreign-key actions, which SQLite runs as
    // sub-programs: rows a body changes count in its frame, not in changes(). Each INSERT,
    // UPDATE or DELETE step of a body that completes hands its count to total_changes() at
    // once (and, until the body ends, to changes(): SQLite's ResetCount), so those rows stay
    // counted even if the statement fails later; a frame that ends normally or by
    // RAISE(IGNORE) hands over what is left. A step cut short by an error adds nothing.
    //
    //   FrameEnter:   push (_frameChanges, changes()); _frameChanges = 0
    //   Insert/Delete with P5Flags.TotalChange: _frameChanges++
    //   ResetCount:   total_changes += _frameChanges; changes() = _frameChanges; _frameChanges = 0
    //   FrameLeave n: n times { total_changes += _frameChanges; (_frameChanges, changes()) = pop }
    private long _frameChanges;
    private readonly Stack<(long FrameChanges, long DbChanges)> _frames = new();

    /// <summary>Where the current result row starts and how wide it is.</summary>
    public int RowStart { get; private set; }

    public ref Mem Register(int i) => ref _r[i];

    public bool Done => _done;

    /// <summary>Whether Step has run since the last Reset.</summary>
    public bool Started => _started;

    /// <summary>The statement's savepoint inside an explicit transaction, or -1.</summary>
    private int _statementSavepoint = -1;

    // How a failing Halt ends the statement (its P2): SQLite's OE_Rollback, OE_Abort, OE_Fail.
    private const int HaltRollback = 1, HaltAbort = 2, HaltFail = 3;
    private int _haltMode = HaltAbort;

    // Foreign-key violation counting (SQLite's fkey.c): a write that leaves a child row
    // without its parent adds one, a write that repairs such a row takes one away.
    //
    //   FkCounter P1 P2:  defer_foreign_keys on: DeferredImmediateViolations += P2
    //                     else P1 (a deferred key): DeferredViolations += P2
    //                     else _fkViolations += P2  (this run's immediate count)
    //   FkIfZero P1 P2:   jump P2 when the count P1 names (and DeferredImmediateViolations) is 0
    //
    //   Halt (success):   _fkViolations > 0              -> "FOREIGN KEY constraint failed" (ABORT)
    //                     autocommit, deferred counts > 0 -> the same, and the transaction rolls back
    //   COMMIT, RELEASE of the savepoint that began the transaction: deferred counts > 0 fail
    //                     and leave the transaction open
    //   statement rollback: deferred counts back to what they were when the run began;
    //   ROLLBACK TO:      back to what they were at the SAVEPOINT;
    //   COMMIT/ROLLBACK:  counts 0, defer_foreign_keys off;
    //   PRAGMA defer_foreign_keys = OFF: counts 0.

    /// <summary>Immediate foreign-key violations this run has made and not repaired (SQLite's nFkConstraint).</summary>
    private long _fkViolations;

    /// <summary>The connection's deferred violation counts when this run began.</summary>
    private long _startDeferred, _startDeferredImmediate;

    /// <summary>
    /// Whether this run began a transaction or ran BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE (SQLite's
    /// bIsReader): ending in autocommit mode, even by an error, it ends the connection's
    /// transaction, and with it the deferred counts and PRAGMA defer_foreign_keys.
    /// </summary>
    private bool EndsTransaction => _counted || _transactionControl;

    private bool _transactionControl;

    /// <summary>Runs to the next row (true) or to the end (false).</summary>
    public bool Step()
    {
        if (_done) return false;
        if (!_started)
        {
            _started = true;
            _pc = 0;
            _fkViolations = 0;
            _transactionControl = false;
            _startDeferred = _host.DeferredViolations;
            _startDeferredImmediate = _host.DeferredImmediateViolations;
        }
        try
        {
            return Run();
        }
        catch (Exception e)
        {
            if (Abort(e) is { } replaced) throw replaced;
            throw;
        }
    }

    /// <summary>Whether the connection's deferred foreign-key counts are not both zero.</summary>
    private bool DeferredViolationsRemain => _host.DeferredViolations + _host.DeferredImmediateViolations > 0;

    private static TernException ForeignKeyFailed() => new(ResultCode.ConstraintForeignKey, "FOREIGN KEY constraint failed");

    /// <summary>The transaction ended (committed or rolled back): its deferred counts go, and so does PRAGMA defer_foreign_keys.</summary>
    private void ForgetDeferredViolations()
    {
        _host.DeferredViolations = 0;
        _host.DeferredImmediateViolations = 0;
        _host.Settings.Remove("defer_foreign_keys");
    }

    /// <summary>Puts the VM back at the start; an unfinished statement ends its transaction work.</summary>
    public void Reset()
    {
        if (_started && !_done) Finish(commit: true);
        _started = false;
        _done = false;
        Changes = 0;
        _rowsInserted = 0;
        _frameChanges = 0;
        _frames.Clear();
        _wrote = false;
        _writeStatement = false;
        Array.Clear(_once);
        for (int i = 0; i < _r.Length; i++) _r[i] = default;
        CloseCursors();
    }

    /// <summary>
    /// Whether an error means the file system failed (SQLITE_IOERR, SQLITE_FULL): SQLite then
    /// rolls the whole transaction back, whatever the statement's conflict mode, because a
    /// half-written page, a failed spill or a failed commit leaves nothing a statement
    /// rollback could trust.
    /// </summary>
    private static bool IsIoFailure(Exception e) => e is TernException { Code: ResultCode.IoErr or ResultCode.Full };

    /// <summary>Whether this run began a write transaction (SQLite: the statement is not read-only).</summary>
    private bool _writeStatement;

    /// <summary>Ends a failed run; returns the error to report instead of <paramref name="e"/>, if any.</summary>
    private TernException? Abort(Exception e)
    {
        bool hadTransaction = EndsTransaction;
        Uncount();
        int mode = _haltMode;
        _haltMode = HaltAbort;
        TernException? replaced = null;
        // A FAIL keeps the statement's changes, so its foreign keys are checked as at a
        // successful end; a violation makes it an ABORT with the foreign-key error instead.
        if (mode == HaltFail && !IsIoFailure(e)
            && (_fkViolations > 0 || (_host.AutoCommit && hadTransaction && DeferredViolationsRemain)))
        {
            mode = HaltAbort;
            replaced = ForeignKeyFailed();
        }
        // An interrupted statement that writes takes the whole transaction with it, as in
        // SQLite's sqlite3VdbeHalt; an interrupted read only stops.
        if (IsIoFailure(e) || (_writeStatement && e is TernException { Code: ResultCode.Interrupt }))
        {
            Changes = 0;
            _done = true;
            CloseCursors();
            RollbackAfterIoFailure();
            return replaced;
        }
        if (mode == HaltFail)
        {
            // FAIL: the statement stops with its error, but what it changed so far stays
            // (and, outside BEGIN, is committed with the statement's implicit transaction).
            if (_host.AutoCommit && hadTransaction) ForgetDeferredViolations();
            Finish(commit: true);
            return replaced;
        }
        // The statement is undone, and so are the deferred violations it counted.
        _host.DeferredViolations = _startDeferred;
        _host.DeferredImmediateViolations = _startDeferredImmediate;
        // Every other failure undoes the statement's changes, and so counts none (changes() is 0).
        // Trigger frames that had ended stay counted in total_changes(), as in SQLite.
        Changes = 0;
        _done = true;
        CloseCursors();
        if (mode == HaltRollback && !_host.AutoCommit)
        {
            // ROLLBACK: the whole transaction goes, and with it every savepoint.
            _statementSavepoint = -1;
            EndTransaction(commit: false);
            _host.Savepoints.Clear();
            _host.AutoCommit = true;
            _startedTransaction = false;
            _host.RollbackSchema();
            ForgetDeferredViolations();
            return replaced;
        }
        if (_statementSavepoint >= 0)
        {
            TransactionStores store = _host.Stores;
            int sp = _statementSavepoint;
            _statementSavepoint = -1;
            if (store.TransactionState == TransactionState.Write && sp < store.SavepointCount)
            {
                store.RollbackToSavepoint(sp);
                store.ReleaseSavepoint(sp);
                _host.RollbackSchema();
            }
        }
        if (_startedTransaction || (_wrote && _host.AutoCommit))
        {
            EndTransaction(commit: false);
            _host.AutoCommit = true;
            _startedTransaction = false;
            _host.RollbackSchema();
        }
        if (_host.AutoCommit && hadTransaction) ForgetDeferredViolations();
        return replaced;
    }

    /// <summary>
    /// After an I/O error: rolls the transaction back (a failed commit has already done so in
    /// the pager) and puts the connection back in autocommit mode. A rollback that fails in
    /// turn leaves the pager to recover from the journal at its next read; the caller still
    /// sees the first error.
    /// </summary>
    private void RollbackAfterIoFailure()
    {
        _statementSavepoint = -1;
        _startedTransaction = false;
        try
        {
            _host.Stores.End(commit: false);
        }
        catch (TernException)
        {
            // The pager is in its error state now (see Pager.FailTransaction).
        }
        _host.Savepoints.Clear();
        _host.SavepointStartedTransaction = false;
        _host.AutoCommit = true;
        _host.RollbackSchema();
        ForgetDeferredViolations();
    }

    private void Finish(bool commit)
    {
        _done = true;
        // A run that read or wrote the database in autocommit mode ends its transaction.
        if (EndsTransaction && _host.AutoCommit) ForgetDeferredViolations();
        Uncount();
        CloseCursors();
        if (_statementSavepoint >= 0)
        {
            _host.Stores.ReleaseSavepoint(_statementSavepoint);
            _statementSavepoint = -1;
        }
        if (_host.AutoCommit) EndTransaction(commit);
        _startedTransaction = false;
    }

    /// <summary>Whether this run is counted in the connection's active statements.</summary>
    private bool _counted;

    /// <summary>This run no longer holds the connection's transaction open.</summary>
    private void Uncount()
    {
        if (!_counted) return;
        _counted = false;
        _host.ActiveStatements--;
        Debug.Assert(_host.ActiveStatements >= 0);
    }

    /// <summary>
    /// Ends the connection's transaction (committing or rolling back a write one); while other
    /// statements of the connection are still running, a write transaction ends but the read
    /// transaction goes on under them (SQLite's btreeEndTransaction with other active
    /// statements), and a read transaction is left as it is.
    /// </summary>
    private void EndTransaction(bool commit)
    {
        TransactionStores store = _host.Stores;
        if (_host.ActiveStatements == 0) store.End(commit);
        else if (store.TransactionState == TransactionState.Write && commit) store.Commit(keepReading: true);
        else if (store.TransactionState == TransactionState.Write) store.Rollback(keepReading: true);
    }

    private void CloseCursors()
    {
        for (int i = 0; i < _cursors.Length; i++)
        {
            _cursors[i]?.Close();
            _cursors[i] = null;
        }
    }

    private bool Run()
    {
        Instruction[] code = _program.Instructions;
        Mem[] r = _r;
        while (true)
        {
            ref Instruction op = ref code[_pc];
            switch (op.Op)
            {
                case Opcode.Init:
                case Opcode.Goto:
                    _pc = op.P2;
                    continue;
                case Opcode.IntegrityCk:
                    {
                        var (roots, keys) = (((uint Root, bool IsTable)[], Dictionary<uint, KeyInfo>))op.P4!;
                        List<string> problems = new IntegrityChecker(_host.Tree(op.P5), Math.Max(op.P3, 1)).Check(roots, keys);
                        if (problems.Count == 0)
                        {
                            r[op.P1].SetNull();
                            break;
                        }
                        r[op.P1].SetText(string.Join("\n", problems));
                        r[op.P2].SetInt(r[op.P2].I + problems.Count);
                        break;
                    }
                case Opcode.PagerInfo:
                    {
                        Pager pager = _host.Tree(0).Pager;
                        switch (op.P1)
                        {
                            case 0: r[op.P2].SetInt(pager.PageCount); break;
                            case 1:
                                if (op.P3 > 0)
                                {
                                    // The size the next VACUUM rebuilds with, even once the database has pages.
                                    if (Storage.Pager.DatabaseHeader.IsValidPageSize(op.P3)) _host.NextPageSize = op.P3;
                                    pager.RequestPageSize(op.P3);
                                }
                                r[op.P2].SetInt(pager.PageSize);
                                break;
                            case 2:
                                r[op.P2].SetText(SetJournalMode(op.P3 > 0 ? (JournalMode)(op.P3 - 1) : null).ToString().ToLowerInvariant());
                                break;
                            case 4:
                                if (op.P3 > 0) pager.Synchronous = (SynchronousMode)Math.Min(op.P3 - 1, (int)SynchronousMode.Full);
                                else r[op.P2].SetInt((int)pager.Synchronous);
                                break;
                            case 6:
                                // As sqlite3_wal_autocheckpoint: 0 or less (or a value past 32 bits,
                                // which SQLite reads as 0) turns the automatic checkpoint off, and
                                // the pragma then answers 0.
                                if (op.P4 is long every) pager.WalAutoCheckpoint = every is > 0 and <= int.MaxValue ? (int)every : 0;
                                r[op.P2].SetInt(pager.WalAutoCheckpoint);
                                break;
                            case 7:
                                if (op.P4 is long limit) pager.JournalSizeLimit = Math.Max(limit, -1);
                                r[op.P2].SetInt(pager.JournalSizeLimit);
                                break;
                            case 5:
                                if (op.P3 > 0) pager.MaxPageCount = Math.Max((uint)op.P3, pager.PageCount);
                                r[op.P2].SetInt(pager.MaxPageCount);
                                break;
                            case 3: r[op.P2].SetInt(_host.Tree(0).AutoVacuum ? (_host.Tree(0).IncrementalVacuum ? 2 : 1) : 0); break;
                            case 8: r[op.P2].SetInt(_host.Tree(op.P3).Pager.DataVersion); break;
                        }
                        break;
                    }
                case Opcode.Checkpoint:
                    {
                        if (_host.Stores.TransactionState != TransactionState.None) TernException.Throw(ResultCode.Locked);
                        CheckpointResult c;
                        try
                        {
                            c = _host.Tree(0).Pager.Checkpoint((CheckpointMode)op.P1);
                        }
                        catch (TernException e) when (e.Code == ResultCode.Busy)
                        {
                            c = new CheckpointResult(true, -1, -1);
                        }
                        r[op.P2].SetInt(c.Busy ? 1 : 0);
                        r[op.P2 + 1].SetInt(c.LogFrames);
                        r[op.P2 + 2].SetInt(c.Checkpointed);
                        break;
                    }
                case Opcode.Setting:
                    {
                        string name = (string)op.P4!;
                        r[op.P2].SetInt(_host.Settings.TryGetValue(name, out long v) ? v : Compiler.CodeGenerator.SettingDefaults[name]);
                        break;
                    }
                case Opcode.SetSetting:
                    {
                        (string name, long value) = ((string, long))op.P4!;
                        // Changing temp_store drops the TEMP database and everything in it (SQLite's invalidateTempStorage).
                        if (name.Equals("temp_store", StringComparison.OrdinalIgnoreCase) && _host.Settings.GetValueOrDefault(name) != value)
                            _host.ResetTempDatabase();
                        // foreign_keys cannot change inside a transaction (SQLite ignores the attempt);
                        // turning defer_foreign_keys off forgets every deferred violation, those of
                        // DEFERRABLE INITIALLY DEFERRED keys too (as SQLite 3.50 does).
                        if (name.Equals("foreign_keys", StringComparison.OrdinalIgnoreCase) && !_host.AutoCommit) break;
                        if (name.Equals("defer_foreign_keys", StringComparison.OrdinalIgnoreCase) && value == 0)
                        {
                            _host.DeferredViolations = 0;
                            _host.DeferredImmediateViolations = 0;
                        }
                        _host.Settings[name] = value;
                        if (name.Equals("cache_size", StringComparison.OrdinalIgnoreCase)) SetCacheSize(value);
                        break;
                    }
                case Opcode.Window:
                    WindowEngine.Run(_cursors[op.P1]!.Rows!, (WindowPlan)op.P4!);
                    break;
                case Opcode.MemMax:
                    if (r[op.P2].I > r[op.P1].I) r[op.P1].SetInt(r[op.P2].I);
                    break;
                case Opcode.TypeCheck:
                    TypeCheck(op.P1, op.P2, (Schema.Table)op.P4!);
                    break;
                case Opcode.Savepoint:
                    _transactionControl = true;
                    DoSavepoint(op.P1, (string)op.P4!);
                    break;
                case Opcode.Attach:
                    _host.Attach(r[op.P1].IsNull ? "" : TextOf(r[op.P1]), r[op.P2].IsNull ? "" : TextOf(r[op.P2]));
                    break;
                case Opcode.Detach:
                    _host.Detach(r[op.P1].IsNull ? "" : TextOf(r[op.P1]));
                    break;
                case Opcode.Noop:
                    break;
                case Opcode.FrameEnter:
                    _frames.Push((_frameChanges, _host.Changes));
                    _frameChanges = 0;
                    break;
                case Opcode.ResetCount:
                    Debug.Assert(_frames.Count > 0, "ResetCount outside a frame");
                    _host.TotalChanges += _frameChanges;
                    _host.Changes = _frameChanges;
                    _frameChanges = 0;
                    break;
                case Opcode.FrameLeave:
                    for (int k = 0; k < op.P1; k++)
                    {
                        Debug.Assert(_frames.Count > 0, "FrameLeave without FrameEnter");
                        _host.TotalChanges += _frameChanges;
                        (_frameChanges, long dbChanges) = _frames.Pop();
                        _host.Changes = dbChanges;
                    }
                    break;
                case Opcode.ClrSubtype:
                    if (r[op.P1].Kind == MemKind.Text && ReferenceEquals(r[op.P1].Obj, r[op.P1].Bytes)) r[op.P1].Obj = null;
                    break;
                case Opcode.IfNullRow:
                    if (_cursors[op.P1]!.NullRow)
                    {
                        r[op.P3].SetNull();
                        _pc = op.P2;
                        continue;
                    }
                    break;
                case Opcode.NullRow:
                    {
                        // A cursor the program has not opened yet (a loop never reached) becomes
                        // a pseudo cursor on its NULL row, as SQLite's OP_NullRow does.
                        VdbeCursor c = _cursors[op.P1] ??= new VdbeCursor { Kind = CursorKind.Pseudo };
                        c.NullRow = true;
                        c.Valid = false;
                        break;
                    }
                case Opcode.Halt:
                    if (op.P1 != 0)
                    {
                        ThrowHalt(op);
                    }
                    // Immediate foreign keys are checked at the statement's end, deferred ones
                    // when its autocommit transaction would commit.
                    if (_fkViolations > 0 || (_host.AutoCommit && _counted && DeferredViolationsRemain)) throw ForeignKeyFailed();
                    Finish(commit: true);
                    return false;
                case Opcode.FkCounter:
                    if (_host.Settings.GetValueOrDefault("defer_foreign_keys") != 0) _host.DeferredImmediateViolations += op.P2;
                    else if (op.P1 != 0) _host.DeferredViolations += op.P2;
                    else _fkViolations += op.P2;
                    break;
                case Opcode.FkCheck:
                    if (_fkViolations > 0) throw ForeignKeyFailed();
                    break;
                case Opcode.FkIfZero:
                    if ((op.P1 != 0 ? _host.DeferredViolations : _fkViolations) == 0 && _host.DeferredImmediateViolations == 0)
                    {
                        _pc = op.P2;
                        continue;
                    }
                    break;
                case Opcode.HaltIfNull:
                    if (r[op.P3].IsNull) ThrowHalt(op);
                    break;
                case Opcode.Transaction:
                    // PRAGMA query_only refuses every write transaction, temp's too (SQLite's OP_Transaction).
                    if (op.P2 != 0 && _host.Settings.TryGetValue("query_only", out long queryOnly) && queryOnly != 0)
                        TernException.Throw(ResultCode.ReadOnly, "attempt to write a readonly database");
                    BeginTransaction(op.P1, op.P2 != 0, (uint)op.P3, exclusive: op.P2 == 2, checkCookie: op.P5 == 0);
                    break;
                case Opcode.AutoCommit:
                    _transactionControl = true;
                    DoAutoCommit(op.P1 != 0, op.P2 != 0);
                    break;
                case Opcode.OpenRead:
                case Opcode.OpenWrite:
                    {
                        bool index = op.P4 is KeyInfo;
                        var c = new VdbeCursor
                        {
                            Kind = index ? CursorKind.Index : CursorKind.Table,
                            KeyInfo = op.P4 as KeyInfo,
                        };
                        int root = (op.P5 & 0x10) != 0 ? (int)r[op.P2].I : op.P2;
                        c.BTree = new BTreeCursor(_host.Tree(op.P3), (uint)root, !index, c.KeyInfo);
                        SetCursor(op.P1, c);
                        break;
                    }
                case Opcode.OpenEphemeral when op.P5 == 1:
                    {
                        // A transient index b-tree (an automatic index): an index cursor over
                        // a b-tree in a temporary file, closed with the cursor.
                        var tree = new EphemeralTree(_host.TempFiles, op.P4 as KeyInfo, _host.SortMemoryLimit > 0 ? _host.SortMemoryLimit : long.MaxValue);
                        SetCursor(op.P1, new VdbeCursor { Kind = CursorKind.Index, KeyInfo = op.P4 as KeyInfo, BTree = tree.Cursor, Tree = tree, Transient = true });
                        break;
                    }
                case Opcode.SorterOpen when op.P5 == 1:
                    // A queue (a recursive CTE's rows to visit): FIFO, or by the key fields.
                    SetCursor(op.P1, new VdbeCursor
                    {
                        Kind = CursorKind.Sorter,
                        KeyInfo = op.P4 as KeyInfo,
                        Queue = new SorterQueue(op.P4 as KeyInfo, _host.SortMemoryLimit, _host.TempFiles),
                    });
                    break;
                case Opcode.OpenEphemeral:
                case Opcode.SorterOpen:
                    SetCursor(op.P1, new VdbeCursor
                    {
                        Kind = op.Op == Opcode.SorterOpen ? CursorKind.Sorter : CursorKind.Ephemeral,
                        KeyInfo = op.P4 as KeyInfo,
                        Rows = [],
                        Position = -1,
                        SpillLimit = _host.SortMemoryLimit,
                        TempFiles = _host.TempFiles,
                    });
                    break;
                case Opcode.OpenDup:
                    {
                        VdbeCursor original = _cursors[op.P2]!;
                        SetCursor(op.P1, new VdbeCursor { Kind = original.Kind, KeyInfo = original.KeyInfo, Rows = original.Rows, Position = -1 });
                        break;
                    }
                case Opcode.OpenPseudo:
                    SetCursor(op.P1, new VdbeCursor { Kind = CursorKind.Pseudo, PseudoRegister = op.P2 });
                    break;
                case Opcode.Close:
                    _cursors[op.P1]?.Close();
                    _cursors[op.P1] = null;
                    break;
                case Opcode.SorterInsert:
                    {
                        VdbeCursor c = _cursors[op.P1]!;
                        if (c.Queue != null) c.Queue.Add(r[op.P2].Span.ToArray());
                        else c.SorterAdd(r[op.P2].Span.ToArray());
                        break;
                    }
                case Opcode.SorterSort:
                    {
                        VdbeCursor c = _cursors[op.P1]!;
                        if (!c.SorterSort())
                        {
                            _pc = op.P2;
                            continue;
                        }
                        break;
                    }
                case Opcode.SorterNext:
                    {
                        VdbeCursor c = _cursors[op.P1]!;
                        if (c.SorterNext())
                        {
                            _pc = op.P2;
                            continue;
                        }
                        break;
                    }
                case Opcode.SorterData:
                    {
                        VdbeCursor c = _cursors[op.P1]!;
                        byte[] rec = c.CurrentRow;
                        r[op.P2].SetBytes(MemKind.Blob, rec, 0, rec.Length);
                        break;
                    }
                case Opcode.Rewind:
                case Opcode.Last:
                    {
                        VdbeCursor c = _cursors[op.P1]!;
                        bool any;
                        if (c.Queue != null) any = c.Queue.First();
                        else if (c.IsBTree) any = c.Valid = op.Op == Opcode.Rewind ? c.BTree!.First() : c.BTree!.Last();
                        else if (c.Tree != null) any = c.Valid = op.Op == Opcode.Rewind ? c.Tree.Cursor.First() : c.Tree.Cursor.Last();
                        else
                        {
                            c.Position = op.Op == Opcode.Rewind ? 0 : c.Rows!.Count - 1;
                            any = c.Rows!.Count > 0;
                        }
                        c.NullRow = false;
                        if (!any)
                        {
                            _pc = op.P2;
                            continue;
                        }
                        break;
                    }
                case Opcode.Next:
                case Opcode.Prev:
                    {
                        if (_host.IsInterrupted) ThrowInterrupted();
                        VdbeCursor c = _cursors[op.P1]!;
                        if (c.NullRow)
                        {
                            c.NullRow = false;
                            break;
                        }
                        bool more;
                        if (c.Kind == CursorKind.Function) more = c.FunctionNext();
                        else if (c.IsBTree) more = c.Valid = op.Op == Opcode.Next ? c.BTree!.Next() : c.BTree!.Prev();
                        else if (c.Tree != null) more = c.Valid = op.Op == Opcode.Next ? c.Tree.Cursor.Next() : c.Tree.Cursor.Prev();
                        else
                        {
                            c.Position += op.Op == Opcode.Next ? 1 : -1;
                            more = c.Position >= 0 && c.Position < c.Rows!.Count;
                        }
                        if (more)
                        {
                            _pc = op.P2;
                            continue;
                        }
                        break;
                    }
                case Opcode.Column:
                    DoColumn(op);
                    break;
                case Opcode.VFilter:
                    {
                        var call = (Functions.TableFunctionCall)op.P4!;
                        var args = new Mem[call.Given.Length];
                        for (int k = 0; k < args.Length; k++)
                        {
                            if (!call.Given[k]) continue;
                            args[k] = r[op.P3 + k];
                            args[k].MakeOwned();
                        }
                        var c = new VdbeCursor { Kind = CursorKind.Function, Function = call.Function };
                        SetCursor(op.P1, c);
                        c.FunctionRows = call.Function.Rows(args, call.Given).GetEnumerator();
                        if (!c.FunctionNext())
                        {
                            _pc = op.P2;
                            continue;
                        }
                        break;
                    }
                case Opcode.Rowid:
                    {
                        VdbeCursor c = _cursors[op.P1]!;
                        if (c.NullRow) r[op.P2].SetNull();
                        else if (c.Kind == CursorKind.Function) r[op.P2].SetInt(c.Function!.Rowid(c.FunctionRow!, c.FunctionRowCount - 1));
                        else if (!c.IsBTree && c.Rows != null) r[op.P2].SetInt(c.Position + 1);
                        else if (c.KeyInfo?.PrimaryKeyFields != null) SetPrimaryKey(c, ref r[op.P2]);
                        else r[op.P2].SetInt(c.BTree!.RowId);
                        break;
                    }
                case Opcode.IdxRowid when _cursors[op.P1]!.KeyInfo?.PrimaryKeyFields != null:
                    SetPrimaryKey(_cursors[op.P1]!, ref r[op.P2]);
                    break;
                case Opcode.IdxRowid:
                    r[op.P2].SetInt(IndexRowid(_cursors[op.P1]!));
                    break;
                case Opcode.ResultRow:
                    RowStart = op.P1;
                    _pc++;
                    return true;
                case Opcode.ChangeCount:
                    r[op.P1].SetInt(op.P2 != 0 ? _rowsInserted : Changes);
                    break;
                case Opcode.MakeRecord:
                    DoMakeRecord(op);
                    break;
                case Opcode.Affinity:
                    {
                        if (op.P5 == 4)
                        {
                            // Fields P4.. of a record made with KeepIntReal: the integers its mask r[P3] marks are marked real again.
                            long mask = r[op.P3].Kind == MemKind.Int ? r[op.P3].I : 0;
                            int first = (int)op.P4!;
                            for (int i = 0; i < op.P2; i++)
                            {
                                int field = first + i;
                                if (field < 63 && (mask & (1L << field)) != 0 && r[op.P1 + i].Kind == MemKind.Int) r[op.P1 + i].SetIntReal(r[op.P1 + i].I);
                            }
                            break;
                        }
                        string aff = (string)op.P4!;
                        if (op.P5 == 3)
                        {
                            // An integer marked real becomes a plain REAL (it is not read back with REAL affinity).
                            for (int i = 0; i < op.P2; i++)
                            {
                                if (r[op.P1 + i].IntReal) r[op.P1 + i].SetReal(r[op.P1 + i].R);
                            }
                            break;
                        }
                        if (op.P5 == 2)
                        {
                            // A materialized subquery's REAL-affinity column: the integer a record made of an IntReal holds is one again.
                            for (int i = 0; i < op.P2; i++)
                            {
                                if (r[op.P1 + i].Kind == MemKind.Int) r[op.P1 + i].SetIntReal(r[op.P1 + i].I);
                            }
                            break;
                        }
                        if (op.P5 == 1)
                        {
                            // SQLite's OP_Affinity, where REAL affinity marks an integer as real (IntReal).
                            for (int i = 0; i < op.P2; i++)
                            {
                                ref Mem m = ref r[op.P1 + i];
                                if (aff[i] != (char)Affinity.Real)
                                {
                                    Affinities.Apply(ref m, (Affinity)aff[i]);
                                    continue;
                                }
                                // A whole-number text or real becomes an integer first (so -0.0 is 0).
                                if (m.Kind == MemKind.Text) Affinities.TextToNumeric(ref m);
                                if (m.Kind == MemKind.Real && NumericText.IsExactInt(m.R, out long whole) && whole is > long.MinValue and < long.MaxValue) m.SetInt(whole);
                                if (m.Kind == MemKind.Int) m.SetIntReal(m.I);
                            }
                            break;
                        }
                        for (int i = 0; i < op.P2; i++) Affinities.Apply(ref r[op.P1 + i], (Affinity)aff[i]);
                        break;
                    }
                case Opcode.NewRowid:
                    {
                        BTreeCursor c = _cursors[op.P1]!.BTree!;
                        long next = 1;
                        bool random = false;
                        if (c.Last())
                        {
                            long max = c.RowId;
                            if (max == long.MaxValue) random = true;
                            else next = max + 1;
                        }
                        if (op.P3 != 0)
                        {
                            // AUTOINCREMENT: above every rowid sqlite_sequence has seen; never reused.
                            long seen = r[op.P3].I;
                            if (seen == long.MaxValue || random) TernException.Throw(ResultCode.Full);
                            next = Math.Max(next, seen + 1);
                        }
                        else if (random) next = RandomFreeRowid(c);
                        r[op.P2].SetInt(next);
                        break;
                    }
                case Opcode.Insert:
                    {
                        VdbeCursor c = _cursors[op.P1]!;
                        long rowid = r[op.P3].I;
                        bool withoutRowid = c.KeyInfo?.PrimaryKeyFields != null;
                        if (withoutRowid)
                        {
                            // The entry with the same key (r[P3]) is replaced, as a rowid table's row is.
                            if (SeekPrimaryKey(c, r[op.P3])) c.BTree!.Delete();
                            c.BTree!.Insert(r[op.P2].Span);
                        }
                        else c.BTree!.Insert(rowid, r[op.P2].Span);
                        c.Valid = false;
                        _wrote = true;
                        if ((op.P5 & P5Flags.NChange) != 0)
                        {
                            Changes++;
                            if ((op.P5 & P5Flags.LastRowid) != 0) _rowsInserted++;
                        }
                        else if ((op.P5 & P5Flags.TotalChange) != 0) _frameChanges++;
                        if ((op.P5 & P5Flags.LastRowid) != 0 && !withoutRowid) _host.LastInsertRowId = rowid;
                        break;
                    }
                case Opcode.Delete when _cursors[op.P1]!.Queue is { } queue:
                    queue.RemoveFirst();
                    break;
                case Opcode.Delete:
                    _cursors[op.P1]!.BTree!.Delete();
                    _wrote = true;
                    if ((op.P5 & P5Flags.NChange) != 0) Changes++;
                    else if ((op.P5 & P5Flags.TotalChange) != 0) _frameChanges++;
                    break;
                case Opcode.SeekRowid when _cursors[op.P1]!.KeyInfo?.PrimaryKeyFields != null:
                case Opcode.NotExists when _cursors[op.P1]!.KeyInfo?.PrimaryKeyFields != null:
                    if (!SeekPrimaryKey(_cursors[op.P1]!, r[op.P3]))
                    {
                        _pc = op.P2;
                        continue;
                    }
                    break;
                case Opcode.SeekRowid:
                case Opcode.NotExists:
                    {
                        VdbeCursor c = _cursors[op.P1]!;
                        c.NullRow = false;
                        Mem key = r[op.P3];
                        if (key.Kind != MemKind.Int)
                        {
                            Affinities.Apply(ref key, Affinity.Integer);
                            if (key.Kind != MemKind.Int)
                            {
                                c.Valid = false;
                                _pc = op.P2;
                                continue;
                            }
                        }
                        c.NullRow = false;
                        if (!(c.Valid = c.BTree!.SeekRowId(key.I)))
                        {
                            _pc = op.P2;
                            continue;
                        }
                        break;
                    }
                case Opcode.SeekGE:
                case Opcode.SeekGT:
                case Opcode.SeekLE:
                case Opcode.SeekLT:
                    if (!DoSeek(op))
                    {
                        _pc = op.P2;
                        continue;
                    }
                    break;
                case Opcode.IdxGE:
                case Opcode.IdxGT:
                case Opcode.IdxLE:
                case Opcode.IdxLT:
                    {
                        VdbeCursor c = _cursors[op.P1]!;
                        int n = (int)op.P4!;
                        ReadOnlySpan<Value> key = LoadKey(op.P3, n);
                        // compare the index entry with the key: >0 entry after key
                        int cmp = -RecordComparer.Compare(key, c.BTree!.Payload, c.KeyInfo);
                        bool jump = op.Op switch
                        {
                            Opcode.IdxGE => cmp >= 0,
                            Opcode.IdxGT => cmp > 0,
                            Opcode.IdxLE => cmp <= 0,
                            _ => cmp < 0,
                        };
                        if (jump)
                        {
                            _pc = op.P2;
                            continue;
                        }
                        break;
                    }
                case Opcode.IdxInsert:
                    {
                        VdbeCursor c = _cursors[op.P1]!;
                        if (c.Kind == CursorKind.Ephemeral) c.EphemeralInsert(r[op.P2].Span.ToArray());
                        else
                        {
                            c.BTree!.Insert(r[op.P2].Span);
                            c.Valid = false;
                            _wrote |= !c.Transient;
                        }
                        break;
                    }
                case Opcode.IdxDelete:
                    {
                        VdbeCursor c = _cursors[op.P1]!;
                        byte[] rec = EncodeRecord(op.P2, op.P3, false);
                        if (c.Kind == CursorKind.Ephemeral)
                        {
                            c.EphemeralDelete(rec);
                            break;
                        }
                        if (c.BTree!.MoveTo(rec) == 0) c.BTree.Delete();
                        _wrote = true;
                        break;
                    }
                case Opcode.NoConflict:
                    {
                        VdbeCursor c = _cursors[op.P1]!;
                        int n = (int)op.P4!;
                        bool hasNull = false;
                        for (int i = 0; i < n; i++) hasNull |= r[op.P3 + i].IsNull;
                        bool found = !hasNull && c.BTree!.Seek(LoadKey(op.P3, n), SeekOp.GE)
                            && RecordComparer.Compare(LoadKey(op.P3, n), c.BTree.Payload, c.KeyInfo) == 0;
                        c.Valid = found;
                        if (!found)
                        {
                            _pc = op.P2;
                            continue;
                        }
                        break;
                    }
                case Opcode.Found:
                case Opcode.NotFound:
                    {
                        VdbeCursor c = _cursors[op.P1]!;
                        bool found;
                        if (c.Kind == CursorKind.Ephemeral) found = c.EphemeralFind(r[op.P3].Span);
                        else
                        {
                            int? m = c.BTree!.MoveTo(r[op.P3].Span);
                            found = m == 0;
                        }
                        if (found == (op.Op == Opcode.Found))
                        {
                            _pc = op.P2;
                            continue;
                        }
                        break;
                    }
                case Opcode.Count:
                    {
                        VdbeCursor c = _cursors[op.P1]!;
                        r[op.P2].SetInt(c.IsBTree ? c.BTree!.Count() : c.RowCount);
                        break;
                    }
                case Opcode.Integer:
                    r[op.P2].SetInt(op.P1);
                    break;
                case Opcode.Int64:
                    r[op.P2].SetInt((long)op.P4!);
                    break;
                case Opcode.Real:
                    r[op.P2].SetReal((double)op.P4!);
                    break;
                case Opcode.String8:
                    {
                        byte[] s = (byte[])op.P4!;
                        r[op.P2].SetBytes(MemKind.Text, s, 0, s.Length);
                        break;
                    }
                case Opcode.Blob:
                    {
                        byte[] s = (byte[])op.P4!;
                        r[op.P2].SetBytes(MemKind.Blob, s, 0, s.Length);
                        break;
                    }
                case Opcode.Null:
                    for (int i = op.P2; i <= Math.Max(op.P2, op.P3); i++) r[i].SetNull();
                    break;
                case Opcode.Variable:
                    r[op.P2] = op.P1 - 1 < Parameters.Length ? Parameters[op.P1 - 1] : default;
                    break;
                case Opcode.Copy:
                    for (int i = 0; i <= op.P3; i++)
                    {
                        r[op.P2 + i] = r[op.P1 + i];
                        r[op.P2 + i].MakeOwned();
                    }
                    break;
                case Opcode.SCopy:
                    r[op.P2] = r[op.P1];
                    break;
                case Opcode.Move:
                    for (int i = 0; i < op.P3; i++)
                    {
                        r[op.P2 + i] = r[op.P1 + i];
                        r[op.P1 + i].SetNull();
                    }
                    break;
                case Opcode.Add:
                case Opcode.Subtract:
                case Opcode.Multiply:
                case Opcode.Divide:
                case Opcode.Remainder:
                    Arithmetic(op.Op, in r[op.P2], in r[op.P1], ref r[op.P3]);
                    break;
                case Opcode.Concat:
                    {
                        if (r[op.P1].IsNull || r[op.P2].IsNull)
                        {
                            r[op.P3].SetNull();
                            break;
                        }
                        byte[] a = NumericText.ToUtf8(r[op.P2]), b = NumericText.ToUtf8(r[op.P1]);
                        var res = new byte[a.Length + b.Length];
                        a.CopyTo(res, 0);
                        b.CopyTo(res, a.Length);
                        r[op.P3].SetText(res);
                        break;
                    }
                case Opcode.BitAnd:
                case Opcode.BitOr:
                case Opcode.ShiftLeft:
                case Opcode.ShiftRight:
                    {
                        if (r[op.P1].IsNull || r[op.P2].IsNull)
                        {
                            r[op.P3].SetNull();
                            break;
                        }
                        long a = NumericText.ToInt64(r[op.P2]), b = NumericText.ToInt64(r[op.P1]);
                        r[op.P3].SetInt(op.Op switch
                        {
                            Opcode.BitAnd => a & b,
                            Opcode.BitOr => a | b,
                            Opcode.ShiftLeft => Shift(a, b),
                            _ => Shift(a, b == long.MinValue ? long.MaxValue : -b),
                        });
                        break;
                    }
                case Opcode.BitNot:
                    if (r[op.P1].IsNull) r[op.P2].SetNull();
                    else r[op.P2].SetInt(~NumericText.ToInt64(r[op.P1]));
                    break;
                case Opcode.Eq:
                case Opcode.Ne:
                case Opcode.Lt:
                case Opcode.Le:
                case Opcode.Gt:
                case Opcode.Ge:
                    if (DoCompare(op))
                    {
                        _pc = op.P2;
                        continue;
                    }
                    break;
                case Opcode.If:
                case Opcode.IfNot:
                    {
                        int t = Truth(r[op.P1]);
                        bool jump = t < 0 ? op.P3 != 0 : (t == 1) == (op.Op == Opcode.If);
                        if (jump)
                        {
                            _pc = op.P2;
                            continue;
                        }
                        break;
                    }
                case Opcode.IsNull:
                    if (r[op.P1].IsNull)
                    {
                        _pc = op.P2;
                        continue;
                    }
                    break;
                case Opcode.NotNull:
                    if (!r[op.P1].IsNull)
                    {
                        _pc = op.P2;
                        continue;
                    }
                    break;
                case Opcode.Not:
                    {
                        int t = Truth(r[op.P1]);
                        if (t < 0) r[op.P2].SetNull(); else r[op.P2].SetInt(1 - t);
                        break;
                    }
                case Opcode.IsTrue:
                    {
                        int t = Truth(r[op.P1]);
                        r[op.P2].SetInt((t < 0 ? op.P3 : t) ^ op.P5);
                        break;
                    }
                case Opcode.And:
                case Opcode.Or:
                    {
                        int a = Truth(r[op.P1]), b = Truth(r[op.P2]);
                        int res;
                        if (op.Op == Opcode.And) res = a == 0 || b == 0 ? 0 : a < 0 || b < 0 ? -1 : 1;
                        else res = a == 1 || b == 1 ? 1 : a < 0 || b < 0 ? -1 : 0;
                        if (res < 0) r[op.P3].SetNull(); else r[op.P3].SetInt(res);
                        break;
                    }
                case Opcode.Cast:
                    Cast(ref r[op.P1], (Affinity)op.P2);
                    break;
                case Opcode.Function:
                    {
                        var f = (ScalarFunction)op.P4!;
                        Mem result = default;
                        if (f.FromConnection != null) result.SetInt(f.FromConnection(_host));
                        else f.Body(r.AsSpan(op.P2, op.P5), ref result);
                        r[op.P3] = result;
                        break;
                    }
                case Opcode.AggStep:
                    {
                        var f = (AggregateFunction)op.P4!;
                        ref Mem acc = ref r[op.P3];
                        if (acc.Kind != MemKind.Agg)
                        {
                            acc.SetNull();
                            acc.Kind = MemKind.Agg;
                            acc.Obj = f.NewState();
                        }
                        // P1 > 0: r[P1-1] is set to 1 when the row must not load the bare columns.
                        if (op.P1 > 0)
                        {
                            if (f.StepSkipsBareColumns(acc.Obj!, r.AsSpan(op.P2, op.P5))) r[op.P1 - 1].SetInt(1);
                        }
                        else f.Step(acc.Obj!, r.AsSpan(op.P2, op.P5));
                        break;
                    }
                case Opcode.AggFinal:
                    {
                        var f = (AggregateFunction)op.P4!;
                        ref Mem acc = ref r[op.P1];
                        object state = acc.Kind == MemKind.Agg ? acc.Obj! : f.NewState();
                        Mem result = default;
                        f.Final(state, ref result);
                        acc = result;
                        break;
                    }
                case Opcode.MustBeInt:
                    {
                        Mem m = r[op.P1];
                        if (m.Kind != MemKind.Int)
                        {
                            Affinities.Apply(ref m, Affinity.Integer);
                            if (m.Kind != MemKind.Int && op.P2 != 0)
                            {
                                _pc = op.P2;
                                continue;
                            }
                            if (m.Kind != MemKind.Int) TernException.Throw(ResultCode.Mismatch, "datatype mismatch");
                            r[op.P1] = m;
                        }
                        break;
                    }
                case Opcode.IfPos:
                    if (r[op.P1].I > 0)
                    {
                        r[op.P1].I -= op.P3;
                        _pc = op.P2;
                        continue;
                    }
                    break;
                case Opcode.DecrJumpZero:
                    if (--r[op.P1].I == 0)
                    {
                        _pc = op.P2;
                        continue;
                    }
                    break;
                case Opcode.Gosub:
                    r[op.P1].SetInt(_pc);
                    _pc = op.P2;
                    continue;
                case Opcode.Return:
                    // P3 set: fall through when r[P1] holds no return address (the subroutine's
                    // code was reached inline, after a Null into r[P1]).
                    if (op.P3 != 0 && r[op.P1].IsNull) break;
                    _pc = (int)r[op.P1].I + 1;
                    continue;
                case Opcode.Compare:
                    {
                        var info = op.P4 as KeyInfo;
                        _compareResult = 0;
                        for (int i = 0; i < op.P3 && _compareResult == 0; i++)
                        {
                            int c = MemCompare.Compare(r[op.P1 + i], r[op.P2 + i], info?.CollationOf(i) ?? Collation.Binary);
                            if (c != 0 && info is { HasLargeNulls: true } && (r[op.P1 + i].IsNull || r[op.P2 + i].IsNull) && info.NullsLarge(i)) c = -c;
                            _compareResult = info != null && info.IsDescending(i) ? -c : c;
                        }
                        break;
                    }
                case Opcode.Jump:
                    _pc = _compareResult < 0 ? op.P1 : _compareResult == 0 ? op.P2 : op.P3;
                    continue;
                case Opcode.Once:
                    if (_once[_pc])
                    {
                        _pc = op.P2;
                        continue;
                    }
                    _once[_pc] = true;
                    break;
                case Opcode.RowSetAdd:
                    {
                        ref Mem set = ref r[op.P1];
                        if (r[op.P2].Kind == MemKind.Blob)
                        {
                            // The keys of WITHOUT ROWID rows (records of their PRIMARY KEY fields).
                            if (set.Obj is not List<byte[]> keys)
                            {
                                set.SetNull();
                                set.Kind = MemKind.Agg;
                                set.Obj = keys = [];
                                set.I = 0;
                            }
                            keys.Add(r[op.P2].Span.ToArray());
                            break;
                        }
                        if (set.Obj is not List<long> list)
                        {
                            set.SetNull();
                            set.Kind = MemKind.Agg;
                            set.Obj = list = [];
                            set.I = 0;
                        }
                        list.Add(r[op.P2].I);
                        break;
                    }
                case Opcode.RowSetRead:
                    {
                        ref Mem set = ref r[op.P1];
                        if (set.Obj is List<byte[]> keys && set.I < keys.Count)
                        {
                            byte[] key = keys[(int)set.I++];
                            r[op.P3].SetBytes(MemKind.Blob, key, 0, key.Length);
                            break;
                        }
                        if (set.Obj is not List<long> list || set.I >= list.Count)
                        {
                            set.SetNull();
                            _pc = op.P2;
                            continue;
                        }
                        r[op.P3].SetInt(list[(int)set.I++]);
                        break;
                    }
                case Opcode.CreateBtree:
                    r[op.P2].SetInt(op.P3 == 1 ? _host.Tree(op.P1).CreateTable() : _host.Tree(op.P1).CreateIndex());
                    _wrote = true;
                    break;
                case Opcode.Destroy:
                    _host.Tree(op.P2).DropTree((uint)op.P1);
                    _wrote = true;
                    break;
                case Opcode.Clear:
                    _host.Tree(op.P2).ClearTree((uint)op.P1);
                    _wrote = true;
                    break;
                case Opcode.SetCookie:
                    _host.Tree(op.P1).SetMeta(op.P2, (uint)op.P3);
                    break;
                case Opcode.ReadCookie:
                    r[op.P2].SetInt(_host.Tree(op.P1).GetMeta(op.P3));
                    break;
                case Opcode.ParseSchema:
                    _host.ReloadSchema();
                    break;
                case Opcode.AutoVacuumMode:
                    _host.NextAutoVacuum = op.P1;
                    if (!_host.Tree(0).SetAutoVacuumForNewFile(op.P1 != 0, op.P1 == 2) && op.P1 != 0 && _host.Tree(0).AutoVacuum
                        && _host.Tree(0).IncrementalVacuum != (op.P1 == 2))
                    {
                        // An auto-vacuum file switches between FULL and INCREMENTAL in its header;
                        // NONE <-> FULL/INCREMENTAL would need a VACUUM, and is ignored as in SQLite.
                        if (_host.ReadOnly) TernException.Throw(ResultCode.ReadOnly);
                        if (_host.Stores.TransactionState != TransactionState.Write)
                        {
                            _host.Stores.BeginWrite();
                            _startedTransaction |= _host.AutoCommit;
                            OpenPendingSavepoints(_host.Stores);
                        }
                        _wrote = true;
                        _host.Tree(0).SetIncrementalVacuum(op.P1 == 2);
                    }
                    break;
                case Opcode.Vacuum:
                    {
                        string? into = null;
                        if (op.P3 != 0)
                        {
                            if (r[op.P2].Kind != MemKind.Text) throw new TernException(ResultCode.Error, "non-text filename");
                            into = TextOf(r[op.P2]);
                        }
                        // This statement's own read transaction (an INTO operand that reads a
                        // table) is not another statement in progress.
                        if (_counted) _host.ActiveStatements--;
                        try
                        {
                            _host.Vacuum(op.P1, into);
                        }
                        finally
                        {
                            if (_counted) _host.ActiveStatements++;
                        }
                        break;
                    }
                case Opcode.IncrVacuum:
                    _host.Tree(0).Vacuum(op.P1 > 0 ? (uint)op.P1 : null);
                    break;
                default:
                    throw new TernException(ResultCode.Internal, "unimplemented opcode " + op.Op);
            }
            _pc++;
        }
    }

    /// <summary>
    /// PRAGMA journal_mode: answers the mode, after switching to <paramref name="mode"/> when
    /// given one. Into or out of WAL only outside a transaction (SQLite's error otherwise); the
    /// read transaction this statement opened is given up for the switch.
    /// </summary>
    private JournalMode SetJournalMode(JournalMode? mode)
    {
        BTree tree = _host.Tree(0);
        JournalMode old = tree.Pager.JournalMode;
        if (mode is not { } want || want == old) return old;
        // A transaction that has changed pages keeps its mode, silently (SQLite's
        // sqlite3PagerOkToChangeJournalMode); only then is switching WAL an error.
        if (tree.Pager.State == PagerState.Writer && tree.Pager.HasChanged) return old;
        if (want == JournalMode.Wal || old == JournalMode.Wal)
        {
            if (!_host.AutoCommit || tree.TransactionState == TransactionState.Write || (!_startedTransaction && tree.TransactionState != TransactionState.None))
                TernException.Throw(ResultCode.Error, $"cannot change {(want == JournalMode.Wal ? "into" : "out of")} wal mode from within a transaction");
            _startedTransaction = false;
            JournalMode now = tree.SetJournalMode(want);
            _host.ReloadSchema();
            return now;
        }
        return tree.SetJournalMode(want);
    }

    private static long Shift(long a, long b)
    {
        if (b >= 64) return 0;
        if (b <= -64) return a < 0 ? -1 : 0;
        return b >= 0 ? a << (int)b : a >> (int)-b;
    }

    private void SetCursor(int i, VdbeCursor c)
    {
        _cursors[i]?.Close();
        _cursors[i] = c;
    }

    [DoesNotReturn]
    private static void ThrowInterrupted() => throw new TernException(ResultCode.Interrupt, "interrupted");

    [DoesNotReturn]
    private void ThrowHalt(in Instruction op)
    {
        _haltMode = op.P2;
        var code = (ResultCode)op.P1;
        throw new TernException(code, op.P4 as string ?? TernException.DefaultMessage(code));
    }

    /// <summary>
    /// The Transaction opcode: begins a read (or write) transaction on database
    /// <paramref name="db"/> and checks its schema cookie against the one the program was
    /// compiled with (SQLITE_SCHEMA when another statement or connection changed the schema).
    /// </summary>
    private void BeginTransaction(int db, bool write, uint cookie, bool exclusive = false, bool checkCookie = true)
    {
        if (!_counted)
        {
            // Until it ends, this statement keeps the connection's transaction open for itself.
            _counted = true;
            _host.ActiveStatements++;
        }
        TransactionStores store = _host.Stores;
        BTree tree = _host.Tree(db);
        TransactionState state = store.StateOf(db);
        if (write && _host.ReadOnly && db != Schema.DatabaseSchema.TempDb) TernException.Throw(ResultCode.ReadOnly);
        _writeStatement |= write;
        if (write && (state != TransactionState.Write || exclusive))
        {
            store.BeginWrite(db, exclusive);
            _startedTransaction = _host.AutoCommit;
            OpenPendingSavepoints(store);
        }
        if (write && !_host.AutoCommit && _statementSavepoint < 0)
        {
            // Inside BEGIN ... COMMIT a failing statement undoes only its own changes.
            _statementSavepoint = store.OpenSavepoint();
        }
        else if (state == TransactionState.None)
        {
            store.BeginRead(db);
            _startedTransaction = _host.AutoCommit;
        }
        if (checkCookie && tree.GetMeta(DatabaseHeader.SchemaCookieOffset) != cookie)
        {
            _host.ReloadSchema();
            throw new TernException(ResultCode.Schema, "database schema has changed");
        }
        if (db == 0 && store[0] is SharedCacheConnection shared) LockTables(shared);
    }

    /// <summary>A register's value as text, as a file name or schema name in ATTACH/DETACH.</summary>
    private static string TextOf(in Mem m) => m.Kind is MemKind.Int or MemKind.Real
        ? System.Text.Encoding.UTF8.GetString(NumericText.ToUtf8(m))
        : System.Text.Encoding.UTF8.GetString(m.Span);

    /// <summary>
    /// Shared cache: locks every table the program uses, as SQLite's OP_TableLock instructions
    /// after OP_Transaction do — a read lock for a table (or an index of it) the program only
    /// reads, a write lock for one it changes; none for reading with PRAGMA read_uncommitted.
    /// </summary>
    private void LockTables(SharedCacheConnection shared)
    {
        (uint Root, bool Write, string Name)[] locks = _program.TableLocks ??= TableLocksOf(_program, _host.Schema);
        bool readUncommitted = _host.Settings.GetValueOrDefault("read_uncommitted") != 0;
        foreach ((uint root, bool write, string name) in locks)
        {
            if (write || !readUncommitted) shared.LockTable(root, write, name);
        }
    }

    /// <summary>The tables <paramref name="program"/> opens cursors on or empties, each once, written if any use writes.</summary>
    private static (uint Root, bool Write, string Name)[] TableLocksOf(Program program, Schema.DatabaseSchema schema)
    {
        var owners = new Dictionary<uint, (uint Root, string Name)> { [SharedCache.SchemaRoot] = (SharedCache.SchemaRoot, "sqlite_master") };
        foreach (Schema.Table t in schema.Tables)
        {
            if (t.RootPage != 0) owners[t.RootPage] = (t.RootPage, t.Name);
            foreach (Schema.Index i in t.Indexes)
            {
                if (i.RootPage != 0) owners[i.RootPage] = (t.RootPage, t.Name);
            }
        }
        var locks = new List<(uint Root, bool Write, string Name)>();
        foreach (Instruction op in program.Instructions)
        {
            (uint root, bool write) = op.Op switch
            {
                Opcode.OpenRead or Opcode.OpenWrite when (op.P5 & 0x10) == 0 => ((uint)op.P2, op.Op == Opcode.OpenWrite),
                Opcode.Clear => ((uint)op.P1, true),
                _ => (0u, false),
            };
            if (root == 0 || !owners.TryGetValue(root, out (uint Root, string Name) owner)) continue;
            int k = locks.FindIndex(l => l.Root == owner.Root);
            if (k < 0) locks.Add((owner.Root, write, owner.Name));
            else if (write) locks[k] = (owner.Root, true, owner.Name);
        }
        return [.. locks];
    }

    /// <summary>A STRICT table's values: NULL or the column's type (an integer fits REAL; ANY takes anything).</summary>
    private void TypeCheck(int start, int count, Schema.Table t)
    {
        for (int i = 0; i < count; i++)
        {
            ref Mem m = ref _r[start + i];
            if (m.IsNull || i == t.RowidAlias) continue;
            MemKind want = t.Columns[i].StrictKind;
            if (want == MemKind.Null || m.Kind == want || (want == MemKind.Real && m.Kind == MemKind.Int)) continue;
            string type = t.Columns[i].DeclaredType!.ToUpperInvariant();
            string kind = m.Kind switch { MemKind.Int => "INTEGER", MemKind.Real => "REAL", MemKind.Text => "TEXT", _ => "BLOB" };
            throw new TernException(ResultCode.ConstraintDataType, $"cannot store {kind} value in {type} column {t.Name}.{t.Columns[i].Name}");
        }
    }

    /// <summary>
    /// SAVEPOINT opens a savepoint (and the transaction when none is open) — in the pager at
    /// once inside a write transaction, else when the write transaction begins, as SQLite's
    /// SAVEPOINT takes no lock itself; RELEASE forgets it and every later one (committing when
    /// the transaction was started by the outermost SAVEPOINT); ROLLBACK TO undoes the
    /// changes made since it and keeps it open.
    /// </summary>
    private void DoSavepoint(int action, string name)
    {
        TransactionStores store = _host.Stores;
        List<SavepointEntry> sps = _host.Savepoints;
        if (action == 0)
        {
            if (_host.AutoCommit)
            {
                _host.AutoCommit = false;
                _host.SavepointStartedTransaction = true;
            }
            sps.Add(new SavepointEntry(name, store.TransactionState == TransactionState.Write ? store.OpenSavepoint() : PendingSavepoint,
                _host.DeferredViolations, _host.DeferredImmediateViolations));
            return;
        }
        int k = sps.FindLastIndex(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
        if (k < 0) TernException.Throw(ResultCode.Error, "no such savepoint: " + name);
        if (action == 1)
        {
            // Releasing the savepoint that began the transaction commits it: deferred
            // foreign keys must hold first, else nothing changes.
            bool commits = k == 0 && _host.SavepointStartedTransaction;
            if (commits && DeferredViolationsRemain) throw ForeignKeyFailed();
            if (sps[k].PagerIndex != PendingSavepoint) store.ReleaseSavepoint(sps[k].PagerIndex);
            sps.RemoveRange(k, sps.Count - k);
            if (commits)
            {
                _host.SavepointStartedTransaction = false;
                _host.AutoCommit = true;
                EndTransaction(commit: true);
                ForgetDeferredViolations();
            }
            return;
        }
        // A savepoint opened before the transaction wrote has nothing to undo.
        if (sps[k].PagerIndex != PendingSavepoint) store.RollbackToSavepoint(sps[k].PagerIndex);
        sps.RemoveRange(k + 1, sps.Count - k - 1);
        _host.DeferredViolations = sps[k].DeferredViolations;
        _host.DeferredImmediateViolations = sps[k].DeferredImmediateViolations;
        _host.RollbackSchema();
    }

    /// <summary>The pager index of a savepoint opened before its transaction began to write.</summary>
    private const int PendingSavepoint = -1;

    /// <summary>When a write transaction begins, the savepoints opened before it open in the pager, oldest first.</summary>
    private void OpenPendingSavepoints(TransactionStores store)
    {
        List<SavepointEntry> sps = _host.Savepoints;
        for (int i = 0; i < sps.Count; i++)
        {
            if (sps[i].PagerIndex == PendingSavepoint) sps[i] = sps[i] with { PagerIndex = store.OpenSavepoint() };
        }
    }

    private void DoAutoCommit(bool toAutoCommit, bool rollback)
    {
        TransactionStores store = _host.Stores;
        if (!toAutoCommit)
        {
            if (!_host.AutoCommit) TernException.Throw(ResultCode.Error, "cannot start a transaction within a transaction");
            _host.AutoCommit = false;
            return;
        }
        if (_host.AutoCommit)
        {
            TernException.Throw(ResultCode.Error, rollback
                ? "cannot rollback - no transaction is active"
                : "cannot commit - no transaction is active");
        }
        // A COMMIT with deferred foreign keys still violated fails and leaves the transaction
        // open, to be repaired and committed again (or rolled back).
        if (!rollback && DeferredViolationsRemain) throw ForeignKeyFailed();
        // A COMMIT that cannot take the EXCLUSIVE lock (readers are still at work) fails with
        // SQLITE_BUSY and leaves the transaction as it was, to be committed again later.
        if (!rollback) EndTransaction(commit: true);
        ForgetDeferredViolations();
        _host.AutoCommit = true;
        _host.Savepoints.Clear();
        _host.SavepointStartedTransaction = false;
        if (rollback && store.TransactionState == TransactionState.Write)
        {
            EndTransaction(commit: false);
            _host.RollbackSchema();
        }
        else if (rollback) EndTransaction(commit: false);
    }

    /// <summary>
    /// PRAGMA cache_size: N pages, or -N kibibytes of pages (SQLite's two forms). The pager
    /// spills dirty pages to the file once the bound is reached, as SQLite's does.
    /// </summary>
    private void SetCacheSize(long value)
    {
        Pager pager = _host.Tree(0).Pager;
        double pages = value >= 0 ? value : -(double)value * 1024 / pager.PageSize;
        pager.CacheSize = (int)Math.Min(pages, int.MaxValue);
    }

    /// <summary>
    /// The key of the WITHOUT ROWID row cursor <paramref name="c"/> is on (its table's entry or
    /// an index entry): the record of its PRIMARY KEY fields, as a BLOB.
    /// </summary>
    private static void SetPrimaryKey(VdbeCursor c, ref Mem dest)
    {
        int[] fields = c.KeyInfo!.PrimaryKeyFields!;
        var rr = new RecordReader(c.BTree!.Payload, stackalloc ulong[RecordReader.DefaultBufferLength]);
        var values = new Value[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            if (fields[i] >= rr.ColumnCount) TernException.ThrowCorrupt();
            values[i] = rr.GetValue(fields[i]);
        }
        byte[] key = RecordEncoder.Encode(values);
        dest.SetBytes(MemKind.Blob, key, 0, key.Length);
    }

    /// <summary>
    /// Moves a WITHOUT ROWID table's cursor to the row whose PRIMARY KEY fields equal the key
    /// record in <paramref name="key"/> (as made by <see cref="SetPrimaryKey"/>); false when there is none.
    /// </summary>
    private static bool SeekPrimaryKey(VdbeCursor c, in Mem key)
    {
        c.NullRow = false;
        if (key.Kind != MemKind.Blob) return c.Valid = false;
        Value[] values = RecordReader.Decode(key.Span);
        Debug.Assert(values.Length == c.KeyInfo!.PrimaryKeyFields!.Length, "a key has one field per PRIMARY KEY column");
        c.Valid = c.BTree!.Seek(values, SeekOp.GE) && RecordComparer.Compare(values, c.BTree.Payload, c.KeyInfo) == 0;
        return c.Valid;
    }

    // Kept out of Run: a stackalloc inside the dispatch loop would grow the stack per row.
    private static long IndexRowid(VdbeCursor c)
    {
        var rr = new RecordReader(c.BTree!.Payload, stackalloc ulong[RecordReader.DefaultBufferLength]);
        // The rowid is the last field and an integer (serial types 1-6, 8, 9); anything else is a damaged entry.
        if (rr.ColumnCount < 1 || rr.GetSerialType(rr.ColumnCount - 1) is 0 or 7 or > 9) TernException.ThrowCorrupt();
        return rr.GetInt64(rr.ColumnCount - 1);
    }

    private void DoColumn(in Instruction op)
    {
        VdbeCursor c = _cursors[op.P1]!;
        ref Mem dest = ref _r[op.P3];
        if (c.NullRow)
        {
            dest.SetNull();
            return;
        }
        if (c.Kind == CursorKind.Function)
        {
            Mem[]? row = c.FunctionRow;
            if (row == null || op.P2 >= row.Length) dest.SetNull();
            else dest = row[op.P2];
            return;
        }
        ReadOnlySpan<byte> record = c.Kind switch
        {
            CursorKind.Table or CursorKind.Index => c.BTree!.Payload,
            CursorKind.Pseudo => _r[c.PseudoRegister].Span,
            _ => c.Tree != null ? c.Tree.Cursor.Payload : c.CurrentRow,
        };
        var rr = new RecordReader(record, stackalloc ulong[RecordReader.DefaultBufferLength]);
        int col = op.P2;
        if (col >= rr.ColumnCount)
        {
            if (op.P4 is Mem def) dest = def;
            else dest.SetNull();
            return;
        }
        switch (rr.GetKind(col))
        {
            case ValueKind.Null:
                dest.SetNull();
                break;
            case ValueKind.Integer:
                dest.SetInt(rr.GetInt64(col));
                break;
            case ValueKind.Real:
                dest.SetReal(rr.GetDouble(col));
                break;
            default:
                {
                    ReadOnlySpan<byte> bytes = rr.GetBytes(col);
                    byte[]? buf = _owned[op.P3];
                    if (buf == null || buf.Length < bytes.Length)
                    {
                        buf = new byte[Math.Max(bytes.Length, 32)];
                        _owned[op.P3] = buf;
                    }
                    bytes.CopyTo(buf);
                    dest.SetBytes(rr.GetKind(col) == ValueKind.Text ? MemKind.Text : MemKind.Blob, buf, 0, bytes.Length);
                    break;
                }
        }
    }

    private void DoMakeRecord(in Instruction op)
    {
        string? aff = op.P4 as string;
        if (aff != null)
        {
            for (int i = 0; i < op.P2 && i < aff.Length; i++) Affinities.Apply(ref _r[op.P1 + i], (Affinity)aff[i]);
        }
        byte[] rec = (op.P5 & P5Flags.KeepIntReal) != 0 ? EncodeRecordWithIntRealMask(op.P1, op.P2)
            : EncodeRecord(op.P1, op.P2, (op.P5 & P5Flags.IntRealAsInteger) != 0);
        _r[op.P3].SetBytes(MemKind.Blob, rec, 0, rec.Length);
    }

    private byte[] EncodeRecord(int start, int count, bool intRealAsInteger)
    {
        ReadOnlySpan<Value> values = LoadKey(start, count, intRealAsInteger);
        return RecordEncoder.Encode(values);
    }

    /// <summary>
    /// A record of r[start..start+count-1] (integers marked real stored as integers) and one
    /// more field: the mask of the fields that were marked (bit i for field i, i &lt; 63).
    /// </summary>
    private byte[] EncodeRecordWithIntRealMask(int start, int count)
    {
        if (_keyScratch.Length < count + 1) _keyScratch = new Value[Math.Max(count + 1, _keyScratch.Length * 2)];
        long mask = 0;
        for (int i = 0; i < count; i++)
        {
            ref Mem m = ref _r[start + i];
            _keyScratch[i] = m.ToRecordValue();
            if (m.IntReal && m.Kind == MemKind.Real && i < 63) mask |= 1L << i;
        }
        _keyScratch[count] = Value.FromInteger(mask);
        return RecordEncoder.Encode(_keyScratch.AsSpan(0, count + 1));
    }

    private ReadOnlySpan<Value> LoadKey(int start, int count, bool intRealAsInteger = false)
    {
        if (_keyScratch.Length < count) _keyScratch = new Value[Math.Max(count, _keyScratch.Length * 2)];
        if (intRealAsInteger)
        {
            for (int i = 0; i < count; i++) _keyScratch[i] = _r[start + i].ToRecordValue();
        }
        else
        {
            for (int i = 0; i < count; i++) _keyScratch[i] = _r[start + i].ToValue();
        }
        return _keyScratch.AsSpan(0, count);
    }

    private bool DoSeek(in Instruction op)
    {
        VdbeCursor c = _cursors[op.P1]!;
        SeekOp s = op.Op switch
        {
            Opcode.SeekGE => SeekOp.GE,
            Opcode.SeekGT => SeekOp.GT,
            Opcode.SeekLE => SeekOp.LE,
            _ => SeekOp.LT,
        };
        c.NullRow = false;
        if (c.Kind == CursorKind.Table)
        {
            Mem key = _r[op.P3];
            NumericText.ToNumeric(ref key);
            long k;
            if (key.Kind == MemKind.Int) k = key.I;
            else if (key.Kind == MemKind.Real)
            {
                double d = key.R;
                k = NumericText.RealToInt(d);
                if (d != k)
                {
                    // non-integer bound: GE/GT round up, LE/LT round down
                    if (s is SeekOp.GE or SeekOp.GT) { k = (long)Math.Ceiling(d); s = SeekOp.GE; }
                    else { k = (long)Math.Floor(d); s = SeekOp.LE; }
                }
            }
            else return c.Valid = false;
            return c.Valid = c.BTree!.Seek(k, s);
        }
        return c.Valid = c.BTree!.Seek(LoadKey(op.P3, (int)op.P4!), s);
    }

    /// <summary>Truth of a value: 1 true, 0 false, -1 NULL (numeric value non-zero is true).</summary>
    internal static int Truth(in Mem m)
    {
        switch (m.Kind)
        {
            case MemKind.Null: return -1;
            case MemKind.Int: return m.I != 0 ? 1 : 0;
            case MemKind.Real: return m.R != 0 ? 1 : 0;
            default: return NumericText.ToDouble(m) != 0 ? 1 : 0;
        }
    }

    private bool DoCompare(in Instruction op)
    {
        Mem a = _r[op.P3], b = _r[op.P1];
        ushort p5 = op.P5;
        bool store = (p5 & P5Flags.StoreP2) != 0;
        if (a.IsNull || b.IsNull)
        {
            if ((p5 & P5Flags.NullEq) != 0)
            {
                bool eq = a.IsNull && b.IsNull;
                bool res = op.Op == Opcode.Eq ? eq : !eq;
                if (store)
                {
                    _r[op.P2].SetInt(res ? 1 : 0);
                    return false;
                }
                return res;
            }
            if (store)
            {
                _r[op.P2].SetNull();
                return false;
            }
            return (p5 & P5Flags.JumpIfNull) != 0;
        }
        var aff = (Affinity)(p5 & P5Flags.AffinityMask);
        if (Affinities.IsNumeric(aff))
        {
            if (a.Kind == MemKind.Text) Affinities.TextToNumeric(ref a);
            if (b.Kind == MemKind.Text) Affinities.TextToNumeric(ref b);
        }
        else if (aff == Affinity.Text)
        {
            if (a.Kind is MemKind.Int or MemKind.Real) NumericText.ToText(ref a);
            if (b.Kind is MemKind.Int or MemKind.Real) NumericText.ToText(ref b);
        }
        int c = MemCompare.Compare(a, b, op.P4 is Collation coll ? coll : Collation.Binary);
        bool r = op.Op switch
        {
            Opcode.Eq => c == 0,
            Opcode.Ne => c != 0,
            Opcode.Lt => c < 0,
            Opcode.Le => c <= 0,
            Opcode.Gt => c > 0,
            _ => c >= 0,
        };
        if (store)
        {
            _r[op.P2].SetInt(r ? 1 : 0);
            return false;
        }
        return r;
    }

    private static void Arithmetic(Opcode opc, in Mem left, in Mem right, ref Mem dest)
    {
        if (left.IsNull || right.IsNull)
        {
            dest.SetNull();
            return;
        }
        Mem a = left, b = right;
        NumericText.ToNumeric(ref a);
        NumericText.ToNumeric(ref b);
        if (a.Kind == MemKind.Int && b.Kind == MemKind.Int)
        {
            long x = a.I, y = b.I, z;
            switch (opc)
            {
                case Opcode.Add:
                    if (!OverflowAdd(x, y, out z)) { dest.SetInt(z); return; }
                    break;
                case Opcode.Subtract:
                    if (!OverflowSub(x, y, out z)) { dest.SetInt(z); return; }
                    break;
                case Opcode.Multiply:
                    if (!OverflowMul(x, y, out z)) { dest.SetInt(z); return; }
                    break;
                case Opcode.Divide:
                    if (y == 0) { dest.SetNull(); return; }
                    if (x == long.MinValue && y == -1) break;
                    dest.SetInt(x / y);
                    return;
                default:
                    if (y == 0) { dest.SetNull(); return; }
                    if (y == -1) { dest.SetInt(0); return; }
                    dest.SetInt(x % y);
                    return;
            }
        }
        // In real arithmetic a text operand is read again as a real, as sqlite3VdbeRealValue
        // does, so '-0' is -0.0 there.
        double p = left.Kind is MemKind.Text or MemKind.Blob ? NumericText.ToDouble(left) : a.Kind == MemKind.Int ? a.I : a.R;
        double q = right.Kind is MemKind.Text or MemKind.Blob ? NumericText.ToDouble(right) : b.Kind == MemKind.Int ? b.I : b.R;
        double res;
        switch (opc)
        {
            case Opcode.Add: res = p + q; break;
            case Opcode.Subtract: res = p - q; break;
            case Opcode.Multiply: res = p * q; break;
            case Opcode.Divide:
                if (q == 0) { dest.SetNull(); return; }
                res = p / q;
                break;
            default:
                {
                    // SQLite takes both operands as integers here the way sqlite3_value_int64 does:
                    // text by its integer prefix ('1e+100' is 1), reals clamped to 64 bits.
                    long xi = NumericText.ToInt64(left), yi = NumericText.ToInt64(right);
                    if (yi == 0) { dest.SetNull(); return; }
                    if (yi == -1) yi = 1;
                    res = xi % yi;
                    break;
                }
        }
        dest.SetReal(res);
    }

    private static bool OverflowAdd(long x, long y, out long z)
    {
        z = unchecked(x + y);
        return ((x ^ z) & (y ^ z)) < 0;
    }

    private static bool OverflowSub(long x, long y, out long z)
    {
        z = unchecked(x - y);
        return ((x ^ y) & (x ^ z)) < 0;
    }

    private static bool OverflowMul(long x, long y, out long z)
    {
        z = unchecked(x * y);
        return Math.BigMul(x, y, out long low) != (low >> 63) || low != z;
    }

    /// <summary>CAST(x AS type) with the type's affinity.</summary>
    internal static void Cast(ref Mem m, Affinity a)
    {
        if (m.IsNull) return;
        switch (a)
        {
            case Affinity.Text:
                NumericText.ToText(ref m);
                break;
            case Affinity.Blob:
                if (m.Kind is MemKind.Int or MemKind.Real) NumericText.ToText(ref m);
                m.Kind = MemKind.Blob;
                break;
            case Affinity.Integer:
                m.SetInt(NumericText.ToInt64(m));
                m.Bytes = null;
                break;
            case Affinity.Real:
                m.SetReal(NumericText.ToDouble(m));
                m.Bytes = null;
                break;
            default:
                if (m.Kind is MemKind.Text or MemKind.Blob)
                {
                    NumericText.ParsePrefix(m.Span, out long i, out double r, out bool isInt);
                    if (isInt) m.SetInt(i);
                    // A real becomes an integer only when it is zero or a whole number of
                    // magnitude below 2^51 (SQLite's sqlite3RealSameAsInt): '3.0' is 3 but
                    // '1e18' stays 1.0e+18.
                    else if (r == 0) m.SetInt(0);
                    else if (NumericText.IsExactInt(r, out long ri) && ri >= -2251799813685248L && ri < 2251799813685248L) m.SetInt(ri);
                    else m.SetReal(r);
                    m.Bytes = null;
                }
                // A REAL stays REAL: CAST(1.0 AS NUMERIC) is 1.0, as SQLite's numerify leaves numbers alone.
                break;
        }
    }
}
