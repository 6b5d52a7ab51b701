// The transaction calls the VM makes on a connection's storage, whatever keeps the rows:
// today the B-tree file under its pager (BTree implements this), later an MVCC store beside
// it. Cursors, schema pages and meta values are still reached through the B-tree itself;
// beginning, ending and nesting transactions go through here only.
//
//     None --BeginRead--> Read --BeginWrite--> Write
//       ^                  |                     |
//       +----EndRead-------+                     |
//       +------------Commit / Rollback-----------+
//
// BeginWrite from None takes a read transaction first. A lock another connection holds
// makes BeginRead, BeginWrite or Commit fail with SQLITE_BUSY; a Commit that fails that way
// leaves the write transaction open, so the caller may try again.
namespace Tern.Storage;

/// <summary>A connection's transaction state.</summary>
internal enum TransactionState
{
    /// <summary>No transaction.</summary>
    None,
    /// <summary>A read transaction.</summary>
    Read,
    /// <summary>A write transaction.</summary>
    Write,
}

/// <summary>Begin, end and nest transactions on the storage a connection uses.</summary>
internal interface ITransactionStore
{
    /// <summary>The transaction open now.</summary>
    TransactionState TransactionState { get; }

    /// <summary>Starts a read transaction (nothing when one is open).</summary>
    void BeginRead();

    /// <summary>
    /// Starts a write transaction (nothing when one is open), beginning to read first when
    /// needed; <paramref name="exclusive"/> also keeps every reader out until it ends (BEGIN EXCLUSIVE).
    /// </summary>
    void BeginWrite(bool exclusive = false);

    /// <summary>
    /// Commits the write transaction; with <paramref name="keepReading"/> a read transaction
    /// goes on after it (other statements of the connection are still reading).
    /// </summary>
    void Commit(bool keepReading = false);

    /// <summary>Undoes the write transaction; <paramref name="keepReading"/> as for <see cref="Commit"/>.</summary>
    void Rollback(bool keepReading = false);

    /// <summary>Ends a read transaction.</summary>
    void EndRead();

    /// <summary>Opens a savepoint inside the write transaction and returns its index.</summary>
    int OpenSavepoint();

    /// <summary>Forgets savepoint <paramref name="index"/> and every later one, keeping their changes.</summary>
    void ReleaseSavepoint(int index);

    /// <summary>Undoes the changes made since savepoint <paramref name="index"/>, which stays open.</summary>
    void RollbackToSavepoint(int index);

    /// <summary>How many savepoints are open.</summary>
    int SavepointCount { get; }
}

/// <summary>Helpers over <see cref="ITransactionStore"/>.</summary>
internal static class TransactionStoreExtensions
{
    /// <summary>Ends whatever transaction is open: a write one is committed (or rolled back), a read one ended.</summary>
    public static void End(this ITransactionStore store, bool commit)
    {
        switch (store.TransactionState)
        {
            case TransactionState.Write:
                if (commit) store.Commit();
                else store.Rollback();
                break;
            case TransactionState.Read:
                store.EndRead();
                break;
        }
    }
}
