// VACUUM and VACUUM INTO on a connection, as SQLite's sqlite3RunVacuum runs them.
//
//   VACUUM [schema]
//     EXCLUSIVE write transaction on the database (SQLITE_BUSY while another connection
//     reads it in rollback-journal mode)
//       -> rebuild it into a temporary file on the database's own file system
//          (VacuumCopy.Rebuild: no journal, no syncs; the file is thrown away)
//       -> write the temporary file's pages over the database's and cut it to size
//          (VacuumCopy.CopyBack), then COMMIT through the ordinary journal or WAL,
//          so a failure or a crash leaves either the old or the rebuilt database.
//
//   VACUUM [schema] INTO filename
//     read transaction on the database (the open one, if any)
//       -> rebuild it into the new file (SQLITE_ERROR "output file already exists" when
//          the file exists and is not empty); the file is in rollback-journal mode, synced
//          when its transaction commits.
//
// The rebuilt database keeps the page size, reserved bytes and auto-vacuum mode unless
// PRAGMA page_size or PRAGMA auto_vacuum asked for others since (SQLite's nextPagesize and
// nextAutovac; an in-place VACUUM in WAL mode keeps the page size). VACUUM temp does nothing.
using Tern.Schema;
using Tern.Storage;
using Tern.Storage.BTree;
using Tern.Storage.Io;
using Tern.Storage.Pager;
using Tern.Vdbe;

namespace Tern;

public sealed partial class Connection
{
    /// <summary>PRAGMA page_size given while the database had pages: the page size the next VACUUM rebuilds with (0: the database's own).</summary>
    internal int NextPageSize { get; set; }

    /// <summary>PRAGMA auto_vacuum's last value (0 NONE, 1 FULL, 2 INCREMENTAL): the mode the next VACUUM rebuilds with (-1: the database's own).</summary>
    internal int NextAutoVacuum { get; set; } = -1;

    void IVdbeHost.Vacuum(int db, string? into) => Vacuum(db, into);

    int IVdbeHost.NextPageSize
    {
        get => NextPageSize;
        set => NextPageSize = value;
    }

    int IVdbeHost.NextAutoVacuum
    {
        get => NextAutoVacuum;
        set => NextAutoVacuum = value;
    }

    /// <summary>VACUUM database <paramref name="db"/>, in place or, with <paramref name="into"/>, into a new file.</summary>
    internal void Vacuum(int db, string? into)
    {
        if (!AutoCommit) throw new TernException(ResultCode.Error, "cannot VACUUM from within a transaction");
        if (((IVdbeHost)this).ActiveStatements > 0) throw new TernException(ResultCode.Error, "cannot VACUUM - SQL statements in progress");
        if (db == DatabaseSchema.TempDb) return;
        if (_shared != null) throw new TernException(ResultCode.Error, "VACUUM is not supported yet on a shared-cache connection");
        BTree tree = TreeOf(db);
        if (into != null) VacuumInto(db, tree, into);
        else VacuumInPlace(db, tree);
    }

    private void VacuumInPlace(int db, BTree tree)
    {
        if (_db.ReadOnly || tree.Pager.IsReadOnly) TernException.Throw(ResultCode.ReadOnly);
        Pager pager = tree.Pager;
        TempFiles temps = db == 0 ? _db.TempFiles : new TempFiles(pager.FileSystem, pager.Path);
        string tempPath = temps.NewPath("vacuum", "db");
        BTree? temp = null;
        tree.BeginWrite(exclusive: true);
        try
        {
            int pageSize = pager.JournalMode != JournalMode.Wal && NextPageSize != 0 ? NextPageSize : pager.PageSize;
            if (pager.PageCount == 0) pageSize = pager.PageSize;
            if (pageSize != pager.PageSize)
                throw new TernException(ResultCode.Error, "changing the page size of an existing database with VACUUM is not supported yet");
            temp = OpenRebuildTarget(temps.FileSystem, tempPath, tree, pageSize, durable: false);
            temp.BeginWrite();
            (Func<string, bool> autoincrement, Func<string, bool> integerKey) = TableKinds(tree, db);
            VacuumCopy.Rebuild(tree, temp, autoincrement, integerKey);
            temp.Commit();
            temp.BeginRead();
            VacuumCopy.CopyBack(temp, tree);
            temp.EndRead();
            tree.Commit();
        }
        catch
        {
            if (tree.InWriteTransaction) tree.Rollback();
            else tree.EndRead();
            throw;
        }
        finally
        {
            temp?.Dispose();
            DeleteQuietly(temps.FileSystem, tempPath);
            InvalidateSchema();
        }
    }

    private void VacuumInto(int db, BTree tree, string path)
    {
        Pager pager = tree.Pager;
        // An in-memory database writes its copy to the operating system's files, as ATTACH opens them.
        IFileSystem fs = pager.Path is ":memory:" or "" ? OsFileSystem.Instance : pager.FileSystem;
        if (fs.GetSize(path) > 0) RefuseExistingOutput(fs, path);
        bool started = tree.TransactionState == TransactionState.None;
        if (started) tree.BeginRead();
        BTree? output = null;
        bool created = !fs.Exists(path);
        try
        {
            int pageSize = NextPageSize != 0 ? NextPageSize : pager.PageSize;
            output = OpenRebuildTarget(fs, path, tree, pageSize, durable: true);
            output.BeginWrite();
            VacuumCopy.Rebuild(tree, output, TableKinds(tree, db).Autoincrement);
            output.Commit();
        }
        catch
        {
            if (output is { InWriteTransaction: true }) output.Rollback();
            output?.Dispose();
            output = null;
            if (created) DeleteQuietly(fs, path);
            throw;
        }
        finally
        {
            output?.Dispose();
            if (started) tree.EndRead();
        }
    }

    /// <summary>
    /// VACUUM INTO a file that is not empty: SQLite opens it as a database first, so a file that
    /// is not one fails as opening it fails (SQLITE_NOTADB), and a database "already exists".
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void RefuseExistingOutput(IFileSystem fs, string path)
    {
        using (BTree existing = BTree.Open(fs, path, new PagerOptions { ReadOnly = true }))
        {
            SchemaTable.Read(existing);
        }
        throw new TernException(ResultCode.Error, "output file already exists");
    }

    /// <summary>Opens the empty file a database is rebuilt into, with the page size, reserved bytes and auto-vacuum mode it is to have.</summary>
    private BTree OpenRebuildTarget(IFileSystem fs, string path, BTree source, int pageSize, bool durable)
    {
        bool autoVacuum = NextAutoVacuum >= 0 ? NextAutoVacuum != 0 : source.AutoVacuum;
        bool incremental = NextAutoVacuum >= 0 ? NextAutoVacuum == 2 : source.IncrementalVacuum;
        var options = new PagerOptions
        {
            PageSize = pageSize,
            ReservedBytes = source.Pager.ReservedBytes,
            CacheSize = source.Pager.CacheSize,
            // The temporary copy needs neither a journal nor syncs; VACUUM INTO's file is synced when it commits.
            Synchronous = durable ? SynchronousMode.Full : SynchronousMode.Off,
            JournalMode = JournalMode.Off,
        };
        BTree target = BTree.Open(fs, path, options, autoVacuum, incremental);
        if (target.Pager.PageSize != pageSize)
        {
            target.Dispose();
            throw new TernException(ResultCode.Error, "cannot VACUUM with reserved bytes at this page size");
        }
        return target;
    }

    /// <summary>
    /// Which tables of database <paramref name="db"/> use AUTOINCREMENT, and which have an
    /// INTEGER PRIMARY KEY (by name), from its schema as the open transaction sees it.
    /// </summary>
    private static (Func<string, bool> Autoincrement, Func<string, bool> IntegerKey) TableKinds(BTree tree, int db)
    {
        DatabaseSchema schema = DatabaseSchema.Load(tree, tree.GetMeta(Storage.Pager.DatabaseHeader.SchemaCookieOffset), db);
        var autoincrement = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var integerKey = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (Table t in schema.Tables)
        {
            if (t.AutoIncrement) autoincrement.Add(t.Name);
            if (t.RowidAlias >= 0) integerKey.Add(t.Name);
        }
        return (autoincrement.Contains, integerKey.Contains);
    }

    private static void DeleteQuietly(IFileSystem fs, string path)
    {
        try
        {
            fs.Delete(path);
        }
        catch (TernException)
        {
            // A temporary file that cannot be deleted is left behind, as SQLite leaves it.
        }
    }
}
