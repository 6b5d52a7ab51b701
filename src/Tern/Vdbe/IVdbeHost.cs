// What the VM needs from the connection that runs it: the b-trees (through cursors and
// the transaction calls), the autocommit flag, change counters, and a way to reload the
// schema after DDL. Keeping this an interface keeps the VM below the API layer.
using Tern.Storage.BTree;

namespace Tern.Vdbe;

/// <summary>The connection as the VM sees it.</summary>
internal interface IVdbeHost
{
    /// <summary>
    /// The b-tree of database <paramref name="db"/> (0 main, 1 temp — made when first asked
    /// for — 2.. attached; see Schema.SchemaSet).
    /// </summary>
    BTree Tree(int db);

    /// <summary>Where the VM begins, ends and nests transactions, on every database of the connection.</summary>
    Storage.TransactionStores Stores { get; }

    /// <summary>ATTACH: opens <paramref name="path"/> (":memory:" or "" for a new in-memory database) as <paramref name="name"/>.</summary>
    void Attach(string path, string name);

    /// <summary>Drops the TEMP database (PRAGMA temp_store changed); an error inside a transaction.</summary>
    void ResetTempDatabase();

    /// <summary>VACUUM database <paramref name="db"/> in place, or into the new file <paramref name="into"/>.</summary>
    void Vacuum(int db, string? into);

    /// <summary>PRAGMA page_size's last valid value: the page size the next VACUUM rebuilds with (0: the database's own).</summary>
    int NextPageSize { get; set; }

    /// <summary>PRAGMA auto_vacuum's last value: the mode the next VACUUM rebuilds with (-1: the database's own).</summary>
    int NextAutoVacuum { get; set; }

    /// <summary>DETACH: closes the attached database <paramref name="name"/>.</summary>
    void Detach(string name);

    bool AutoCommit { get; set; }

    /// <summary>
    /// The connection's statements that have begun and not ended (SQLite's nVdbeActive): while
    /// any is running, the connection's read transaction stays open under it.
    /// </summary>
    int ActiveStatements { get; set; }

    long LastInsertRowId { get; set; }

    /// <summary>Rows changed by the most recent finished INSERT, UPDATE or DELETE (changes()).</summary>
    long Changes { get; set; }

    /// <summary>Rows changed since the connection opened (total_changes()).</summary>
    long TotalChanges { get; set; }

    /// <summary>The main database's schema (read when first needed).</summary>
    Schema.DatabaseSchema Schema { get; }

    void ReloadSchema();

    /// <summary>After a rollback: forgets the schema if it may hold changes the rollback undid.</summary>
    void RollbackSchema();

    /// <summary>
    /// Open SAVEPOINTs, oldest first, with their pager savepoint indexes and the deferred
    /// foreign-key violation counts when each was opened (ROLLBACK TO puts them back).
    /// </summary>
    List<SavepointEntry> Savepoints { get; }

    /// <summary>
    /// Violations of DEFERRABLE INITIALLY DEFERRED foreign keys the open transaction has made and
    /// not repaired (SQLite's nDeferredCons); COMMIT fails while it is not zero.
    /// </summary>
    long DeferredViolations { get; set; }

    /// <summary>
    /// Violations of immediate foreign keys counted while PRAGMA defer_foreign_keys was on (SQLite's
    /// nDeferredImmCons); checked at COMMIT too. Turning the pragma off forgets both counts.
    /// </summary>
    long DeferredImmediateViolations { get; set; }

    /// <summary>Whether the open transaction was started by a SAVEPOINT (releasing the last one commits).</summary>
    bool SavepointStartedTransaction { get; set; }

    /// <summary>Connection settings changed by PRAGMA (name to value); absent means the default.</summary>
    Dictionary<string, long> Settings { get; }

    /// <summary>Whether the connection may only read (its database handle was opened read-only).</summary>
    bool ReadOnly { get; }

    /// <summary>Bytes of rows a sorter keeps in memory before it spills sorted runs to a temporary file (0: never).</summary>
    long SortMemoryLimit { get; }

    /// <summary>Where temporary files (sorter runs, large ephemeral indexes) go: the database's own file system.</summary>
    Storage.Io.TempFiles TempFiles { get; }

    /// <summary>Set by Connection.Interrupt: running statements stop at their next row step.</summary>
    bool IsInterrupted { get; }
}
