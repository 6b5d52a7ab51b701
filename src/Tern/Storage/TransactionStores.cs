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
// Commit commits the members one after another, temp and attached ones before main. When
// more than one database file with a rollback journal on disk is written (and main is a
// file), the commit is made atomic across the files with SQLite's super-journal:
//
//   1. every writer saves its cursors and takes its EXCLUSIVE lock (SQLITE_BUSY: nothing
//      written, the transaction stays open);
//   2. "<main>-mjXXXXXXXXX" is created holding the child journals' names, each ending in a
//      NUL byte, and synced with its directory;
//   3. each child runs commit phase one: its journal ends with the super-journal's name and
//      is synced, then its pages are written to its database file and synced;
//   4. the super-journal is deleted: the commit point. A hot journal naming a super-journal
//      that does not exist belongs to a transaction that committed and is not played back;
//   5. each child runs phase two (its journal ended, its locks released).
//
// A failure before step 4 completes rolls every database back (their journals are whole) and
// deletes the super-journal; one in step 5 cannot undo anything and is not reported. The
// other writers (temp, WAL databases) commit between steps 3 and 4, as in SQLite, where
// such databases are not atomic with the rest.
using System.Diagnostics;
using Tern.Storage.BTree;
using Tern.Storage.Io;

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
        if (SuperJournalChildren() is { } children)
        {
            CommitWithSuperJournal(children, keepReading);
            return;
        }
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

    /// <summary>
    /// The databases a super-journal must tie together: more than one in a write transaction
    /// with a rollback journal on disk, while main is a file (SQLite's vdbeCommit rule); null
    /// when a plain commit will do.
    /// </summary>
    private List<BTree.BTree>? SuperJournalChildren()
    {
        if (_members.Count < 3 || _members[0] is not BTree.BTree { Pager.IsFileDatabase: true }) return null;
        List<BTree.BTree>? children = null;
        foreach (ITransactionStore? m in _members)
        {
            if (m is BTree.BTree { TransactionState: TransactionState.Write } b && b.Pager.IsFileDatabase && b.Pager.CanJoinSuperJournal)
                (children ??= []).Add(b);
        }
        return children is { Count: > 1 } ? children : null;
    }

    /// <summary>A commit over several database files, atomic through a super-journal (steps at the top of the file).</summary>
    private void CommitWithSuperJournal(List<BTree.BTree> children, bool keepReading)
    {
        // 1. Nothing is written before every lock is held.
        foreach (BTree.BTree b in children) b.PrepareCommit();
        var main = (BTree.BTree)_members[0]!;
        IFileSystem fs = main.Pager.FileSystem;
        // Names in the super-journal and the child journals are full paths on a real disk, so
        // that recovery from another working directory (or by sqlite3) finds them.
        string Named(string path) => fs is OsFileSystem ? System.IO.Path.GetFullPath(path) : path;
        string super = NewSuperJournalName(fs, Named(main.Pager.Path));
        try
        {
            // 2. The super-journal, durable with its directory entry before any child names it.
            var names = new List<byte>();
            foreach (BTree.BTree b in children)
            {
                names.AddRange(System.Text.Encoding.UTF8.GetBytes(Named(b.Pager.JournalPath)));
                names.Add(0);
            }
            using (IFile file = fs.Open(super, FileOpenMode.ReadWriteCreate))
            {
                file.Write(0, names.ToArray());
                file.Sync();
            }
            fs.SyncDirectory(super);
            // 3. Phase one of each child, then the other writers' whole commits.
            foreach (BTree.BTree b in children) b.CommitPhaseOne(super);
            for (int i = _members.Count - 1; i >= 0; i--)
            {
                if (_members[i] is { TransactionState: TransactionState.Write } m && !children.Contains(m)) m.Commit(keepReading);
            }
            // 4. The commit point.
            fs.Delete(super);
            fs.SyncDirectory(super);
        }
        catch (TernException)
        {
            // Every journal still undoes its file: the whole transaction goes back (a child
            // whose own phase failed has rolled back already). When a rollback fails too, the
            // journals left on disk decide at the next read, all alike: played back while the
            // super-journal exists, left unplayed once it is gone.
            try
            {
                Rollback(keepReading);
            }
            catch (TernException)
            {
            }
            try
            {
                if (fs.Exists(super)) fs.Delete(super);
            }
            catch (TernException)
            {
            }
            throw;
        }
        // 5. Committed: the journals are ended (failures here are not reported).
        foreach (BTree.BTree b in children)
        {
            try
            {
                b.CommitPhaseTwo(keepReading);
            }
            catch (TernException)
            {
            }
        }
        for (int i = _members.Count - 1; i >= 0; i--)
        {
            if (_members[i] is { TransactionState: TransactionState.Read } m && !keepReading) m.EndRead();
        }
        _savepoints = 0;
    }

    /// <summary>A super-journal name no file has yet: the main database's path + "-mj" + 9 hex digits, as SQLite names it.</summary>
    private static string NewSuperJournalName(IFileSystem fs, string mainPath)
    {
        while (true)
        {
            int r = Random.Shared.Next();
            string name = $"{mainPath}-mj{(r >> 8) & 0xFFFFFF:X6}9{r & 0xFF:X2}";
            if (!fs.Exists(name)) return name;
        }
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
