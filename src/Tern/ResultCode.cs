// SQLite's result codes, primary and extended, with the same numbers SQLite uses, so that
// an error raised anywhere in Tern can be reported exactly as SQLite reports it.
namespace Tern;

/// <summary>SQLite's primary and extended result codes (same numeric values as SQLite).</summary>
public enum ResultCode
{
    /// <summary>Successful result.</summary>
    Ok = 0,
    /// <summary>Generic error.</summary>
    Error = 1,
    /// <summary>Internal logic error.</summary>
    Internal = 2,
    /// <summary>Access permission denied.</summary>
    Perm = 3,
    /// <summary>Callback routine requested an abort.</summary>
    Abort = 4,
    /// <summary>The database file is locked.</summary>
    Busy = 5,
    /// <summary>A table in the database is locked.</summary>
    Locked = 6,
    /// <summary>A memory allocation failed.</summary>
    NoMem = 7,
    /// <summary>Attempt to write a read-only database.</summary>
    ReadOnly = 8,
    /// <summary>Operation terminated by interrupt.</summary>
    Interrupt = 9,
    /// <summary>Some kind of disk I/O error occurred.</summary>
    IoErr = 10,
    /// <summary>The database disk image is malformed.</summary>
    Corrupt = 11,
    /// <summary>Unknown opcode or table not found.</summary>
    NotFound = 12,
    /// <summary>Insertion failed because the database is full.</summary>
    Full = 13,
    /// <summary>Unable to open the database file.</summary>
    CantOpen = 14,
    /// <summary>Database lock protocol error.</summary>
    Protocol = 15,
    /// <summary>Internal use only.</summary>
    Empty = 16,
    /// <summary>The database schema changed.</summary>
    Schema = 17,
    /// <summary>String or BLOB exceeds size limit.</summary>
    TooBig = 18,
    /// <summary>Abort due to constraint violation.</summary>
    Constraint = 19,
    /// <summary>Data type mismatch.</summary>
    Mismatch = 20,
    /// <summary>Library used incorrectly.</summary>
    Misuse = 21,
    /// <summary>Uses OS features not supported on host.</summary>
    NoLfs = 22,
    /// <summary>Authorization denied.</summary>
    Auth = 23,
    /// <summary>Not used.</summary>
    Format = 24,
    /// <summary>Bind parameter out of range.</summary>
    Range = 25,
    /// <summary>File opened that is not a database file.</summary>
    NotADb = 26,
    /// <summary>Notifications from sqlite3_log().</summary>
    Notice = 27,
    /// <summary>Warnings from sqlite3_log().</summary>
    Warning = 28,
    /// <summary>sqlite3_step() has another row ready.</summary>
    Row = 100,
    /// <summary>sqlite3_step() has finished executing.</summary>
    Done = 101,

    /// <summary>I/O error while reading.</summary>
    IoErrRead = IoErr | (1 << 8),
    /// <summary>A read returned fewer bytes than asked for.</summary>
    IoErrShortRead = IoErr | (2 << 8),
    /// <summary>I/O error while writing.</summary>
    IoErrWrite = IoErr | (3 << 8),
    /// <summary>I/O error while syncing.</summary>
    IoErrFsync = IoErr | (4 << 8),
    /// <summary>I/O error while syncing a directory.</summary>
    IoErrDirFsync = IoErr | (5 << 8),
    /// <summary>I/O error while truncating.</summary>
    IoErrTruncate = IoErr | (6 << 8),
    /// <summary>I/O error while querying a file's size.</summary>
    IoErrFstat = IoErr | (7 << 8),
    /// <summary>I/O error while releasing a file lock.</summary>
    IoErrUnlock = IoErr | (8 << 8),
    /// <summary>I/O error while lowering a file lock to a read lock.</summary>
    IoErrRdLock = IoErr | (9 << 8),
    /// <summary>I/O error while deleting a file.</summary>
    IoErrDelete = IoErr | (10 << 8),
    /// <summary>I/O error while checking whether a file exists.</summary>
    IoErrAccess = IoErr | (13 << 8),
    /// <summary>I/O error while checking whether another handle holds a reserved lock.</summary>
    IoErrCheckReservedLock = IoErr | (14 << 8),
    /// <summary>I/O error while taking a file lock.</summary>
    IoErrLock = IoErr | (15 << 8),
    /// <summary>I/O error while opening the shared memory (the -shm file).</summary>
    IoErrShmOpen = IoErr | (18 << 8),
    /// <summary>I/O error while growing the shared memory.</summary>
    IoErrShmSize = IoErr | (19 << 8),
    /// <summary>I/O error while taking or releasing a shared-memory lock.</summary>
    IoErrShmLock = IoErr | (20 << 8),
    /// <summary>I/O error while mapping the shared memory.</summary>
    IoErrShmMap = IoErr | (21 << 8),
    /// <summary>Another connection is rebuilding the wal-index (SQLITE_BUSY_RECOVERY).</summary>
    BusyRecovery = Busy | (1 << 8),
    /// <summary>A read transaction's snapshot is older than the log: it cannot become a write transaction (SQLITE_BUSY_SNAPSHOT).</summary>
    BusySnapshot = Busy | (2 << 8),
    /// <summary>The transaction a statement was reading in was rolled back under it (SQLITE_ABORT_ROLLBACK).</summary>
    AbortRollback = Abort | (2 << 8),
    /// <summary>Another connection of a shared cache holds a conflicting table lock (SQLITE_LOCKED_SHAREDCACHE).</summary>
    LockedSharedCache = Locked | (1 << 8),
    /// <summary>The shared memory needs initializing but could be opened only for reading.</summary>
    ReadOnlyCantInit = ReadOnly | (5 << 8),
    /// <summary>The database file is corrupt in a way found by the pager or B-tree layer.</summary>
    CorruptIndex = Corrupt | (3 << 8),
    /// <summary>A database was opened read-only and a write was attempted.</summary>
    ReadOnlyDbMoved = ReadOnly | (4 << 8),
    /// <summary>A NOT NULL constraint failed.</summary>
    ConstraintNotNull = Constraint | (5 << 8),
    /// <summary>A PRIMARY KEY constraint failed.</summary>
    ConstraintPrimaryKey = Constraint | (6 << 8),
    /// <summary>A UNIQUE constraint failed.</summary>
    ConstraintUnique = Constraint | (8 << 8),
    /// <summary>A value does not fit a STRICT table's column type.</summary>
    ConstraintDataType = Constraint | (12 << 8),
    /// <summary>A FOREIGN KEY constraint failed.</summary>
    ConstraintForeignKey = Constraint | (3 << 8),
    /// <summary>A CHECK constraint failed.</summary>
    ConstraintCheck = Constraint | (1 << 8),
    /// <summary>RAISE() in a trigger failed the statement.</summary>
    ConstraintTrigger = Constraint | (7 << 8),
}
