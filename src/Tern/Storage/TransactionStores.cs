// The transaction stores of all of a connection's databases (main, temp, attached ones) as
// one store, the way SQLite's VM treats a connection's b-trees: a statement begins a read or
// write transaction on each database it uses (by number, see SchemaSet), and commit,
// rollback and savepoints act on every database in a transaction.
//
//   member    main(0)   temp(1)   aux(2) ...     (a member is null until it exists)
//   state     Write     None      Read
//
// The set's state is the strongest of its members'. Savepoints are kept in step: every
// member in a write transaction has exactly SavepointCount savepoints open, so savepoint
// number i means the same point in each. A member that begins writing while savepoints are
// open opens that many at once; they have nothing to undo before that moment, which is
// right, since the member changed nothing before then.
//
// Commit commits the members one after another, temp and attached ones before main. Without
// a super-journal that is not atomic across files: a failure between two files' commits
// leaves the first committed (SQLite writes a super-journal to make it atomic).
using System.Diagnostics;

namespace Tern.Storage;

/// <summary>The transaction stores of a connection's databases, begun one by one and ended together.</summary>
internal sealed class TransactionStores : ITransactionStore
{
    private readonly List<ITransactionStore?> _members = [];
    private int _savepoints;

    /// <summary>A set whose main database (number 0) is <paramref name="main"/>.</summary>
    public TransactionStores(ITransactionStore main)
    {
        _members.Add(main);
        _members.Add(null);
    }

    /// <summary>The store of database <paramref name="db"/> (null while a temp database has not been made).</summary>
    public ITransactionStore? this[int db] => db < _members.Count ? _members[db] : null;

    /// <summary>Sets the store of database <paramref name="db"/>, which must not be in a transaction.</summary>
    public void Set(int db, ITransactionStore? store)
    {
        Debug.Assert(store == null || store.TransactionState == TransactionState.None);
        while (_members.Count <= db) _members.Add(null);
        _members[db] = store;
    }

    /// <summary>Forgets database <paramref name="db"/>; later ones move down one number (DETACH).</summary>
    public void Remove(int db)
    {
        Debug.Assert(db >= 2 && _members[db]?.TransactionState is null or TransactionState.None);
        _members.RemoveAt(db);
    }

    public TransactionState TransactionState
    {
        get
        {
            TransactionState state = TransactionState.None;
            foreach (ITransactionStore? m in _members)
            {
                if (m != null && m.TransactionState > state) state = m.TransactionState;
            }
            return state;
        }
    }

    /// <summary>The transaction database <paramref name="db"/> is in.</summary>
    public TransactionState StateOf(int db) => this[db]?.TransactionState ?? TransactionState.None;

    /// <summary>Begins a read transaction on the main database.</summary>
    public void BeginRead() => BeginRead(0);

    /// <summary>Begins a read transaction on database <paramref name="db"/> (nothing when it has one).</summary>
    public void BeginRead(int db) => Member(db).BeginRead();

    /// <summary>Begins a write transaction on the main database.</summary>
    public void BeginWrite(bool exclusive = false) => BeginWrite(0, exclusive);

    /// <summary>
    /// Begins a write transaction on database <paramref name="db"/>, opening as many savepoints
    /// in it as the set has open.
    /// </summary>
    public void BeginWrite(int db, bool exclusive = false)
    {
        ITransactionStore m = Member(db);
        if (TransactionState != TransactionState.Write) _savepoints = 0;
        bool joining = m.TransactionState != TransactionState.Write;
        m.BeginWrite(exclusive);
        if (!joining) return;
        for (int i = m.SavepointCount; i < _savepoints; i++) m.OpenSavepoint();
        Debug.Assert(m.SavepointCount == _savepoints);
    }

    private ITransactionStore Member(int db) =>
        this[db] ?? throw new TernException(ResultCode.Internal, "no database number " + db);

    /// <summary>Ends every database's transaction, the members other than main first.</summary>
    private void ForEachEnding(Action<ITransactionStore> end)
    {
        TernException? first = null;
        for (int i = _members.Count - 1; i >= 0; i--)
        {
            if (_members[i] is not { } m || m.TransactionState == TransactionState.None) continue;
            try
            {
                end(m);
            }
            catch (TernException e) when (i > 0 && m.TransactionState == TransactionState.None)
            {
                // A member that failed and ended anyway: the others still end; the error is reported.
                first ??= e;
            }
        }
        if (first != null) throw first;
    }

    public void Commit(bool keepReading = false)
    {
        // A commit that fails on one file (SQLITE_BUSY) leaves the write transactions open, to
        // be committed again; the members already committed stay so (no super-journal).
        for (int i = _members.Count - 1; i >= 0; i--)
        {
            if (_members[i] is not { } m) continue;
            if (m.TransactionState == TransactionState.Write) m.Commit(keepReading);
            else if (m.TransactionState == TransactionState.Read && !keepReading) m.EndRead();
        }
        _savepoints = 0;
    }

    public void Rollback(bool keepReading = false)
    {
        _savepoints = 0;
        ForEachEnding(m =>
        {
            if (m.TransactionState == TransactionState.Write) m.Rollback(keepReading);
            else if (!keepReading) m.EndRead();
        });
    }

    public void EndRead()
    {
        ForEachEnding(m =>
        {
            if (m.TransactionState == TransactionState.Read) m.EndRead();
        });
        if (TransactionState != TransactionState.Write) _savepoints = 0;
    }

    public int OpenSavepoint()
    {
        foreach (ITransactionStore? m in _members)
        {
            if (m is { TransactionState: TransactionState.Write })
            {
                int k = m.OpenSavepoint();
                Debug.Assert(k == _savepoints);
            }
        }
        return _savepoints++;
    }

    public void ReleaseSavepoint(int index)
    {
        foreach (ITransactionStore? m in _members)
        {
            if (m is { TransactionState: TransactionState.Write } && index < m.SavepointCount) m.ReleaseSavepoint(index);
        }
        if (index < _savepoints) _savepoints = index;
    }

    public void RollbackToSavepoint(int index)
    {
        foreach (ITransactionStore? m in _members)
        {
            if (m is { TransactionState: TransactionState.Write } && index < m.SavepointCount) m.RollbackToSavepoint(index);
        }
        // The savepoint stays open; those opened after it are gone (as in each member).
        if (index < _savepoints) _savepoints = index + 1;
    }

    public int SavepointCount => TransactionState == TransactionState.Write ? _savepoints : 0;
}
