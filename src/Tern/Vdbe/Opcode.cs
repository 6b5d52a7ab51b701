// The VM's instruction set: SQLite's opcode names with SQLite's operand meanings (see
// https://www.sqlite.org/opcode.html). The enum is dense so the dispatch switch compiles
// to a jump table. Notes below give each opcode's operands where they differ from the
// obvious; "r[X]" is register X, "jump P2" means continue at address P2.
namespace Tern.Vdbe;

/// <summary>VM opcodes.</summary>
internal enum Opcode : byte
{
    Init,           // jump P2
    Goto,           // jump P2
    Halt,           // P1 result code (0 ok), P2 conflict action, P4 message
    HaltIfNull,     // if r[P3] is NULL halt with P1 and message P4
    Transaction,    // P1 database, P2 0 read / 1 write, P3 expected schema cookie
    AutoCommit,     // P1 1 = commit / 0 = begin, P2 1 = rollback
    OpenRead,       // P1 cursor, P2 root page, P3 database, P4 column count or KeyInfo (index)
    OpenWrite,      // as OpenRead, for writing
    OpenEphemeral,  // P1 cursor, P2 column count, P4 KeyInfo: a temporary index in memory
    OpenPseudo,     // P1 cursor reading the record in r[P2], P3 columns
    SorterOpen,     // P1 cursor, P2 column count, P4 KeyInfo; P5 1: a queue (Rewind/Delete take rows in order)
    SorterInsert,   // P1 sorter, r[P2] record
    SorterSort,     // P1 sorter; jump P2 when empty
    SorterNext,     // P1 sorter; jump P2 when more rows
    SorterData,     // r[P2] = current record of sorter P1
    Close,          // P1 cursor
    Rewind,         // P1 cursor; jump P2 when empty
    Last,           // P1 cursor; jump P2 when empty
    Next,           // P1 cursor; jump P2 when there is a next row
    Prev,           // P1 cursor; jump P2 when there is a previous row
    Column,         // r[P3] = column P2 of cursor P1 (P4 default when the record is short)
    Rowid,          // r[P2] = rowid of cursor P1
    IdxRowid,       // r[P2] = rowid (last field) of index cursor P1
    ResultRow,      // output r[P1..P1+P2-1]
    ChangeCount,    // r[P1] = rows this statement has changed so far, or with P2 the new rows it inserted (PRAGMA count_changes)
    MakeRecord,     // r[P3] = record of r[P1..P1+P2-1], P4 affinities
    Affinity,       // apply affinity string P4 to r[P1..P1+P2-1]; P5 1: SQLite's OP_Affinity (REAL keeps small integers as IntReal); P5 2: integers become IntReal, nothing else changes; P5 3: IntReal becomes a plain REAL; P5 4: r[P1..] are fields P4.. of a record made with KeepIntReal, whose IntReal mask is in r[P3], and the marked integers become IntReal again; else REAL makes a REAL
    NewRowid,       // r[P2] = a new rowid for table cursor P1
    Insert,         // cursor P1: insert record r[P2] with rowid r[P3]; P4 table, P5 flags
    Delete,         // delete the current row of cursor P1; P5 flags
    SeekRowid,      // cursor P1 to rowid r[P3]; jump P2 if none (or r[P3] not an integer)
    NotExists,      // as SeekRowid, r[P3] known to be an integer
    SeekGE,         // cursor P1 to first key >= r[P3..P3+P4-1]; jump P2 if none
    SeekGT,
    SeekLE,
    SeekLT,
    IdxGE,          // jump P2 if the index key of P1 >= r[P3..P3+P4-1] (prefix compare)
    IdxGT,
    IdxLE,
    IdxLT,
    IdxInsert,      // insert record r[P2] into index cursor P1
    IdxDelete,      // delete the entry r[P2..P2+P3-1] from index cursor P1
    NoConflict,     // jump P2 if index P1 has no entry with the key r[P3..P3+P4-1] (or it holds a NULL)
    Found,          // jump P2 if index P1 holds record r[P3]
    NotFound,       // jump P2 if index P1 does not hold record r[P3]
    Count,          // r[P2] = number of rows of cursor P1
    Integer,        // r[P2] = P1
    Int64,          // r[P2] = P4 (long)
    Real,           // r[P2] = P4 (double)
    String8,        // r[P2] = P4 (UTF-8 text)
    Blob,           // r[P2] = P4 (bytes)
    Null,           // r[P2..P3] = NULL
    Variable,       // r[P2] = parameter P1 (1-based)
    Copy,           // r[P2..P2+P3] = deep copy of r[P1..P1+P3]
    SCopy,          // r[P2] = shallow copy of r[P1]
    Move,           // move r[P1..P1+P3-1] to r[P2..]
    Add,            // r[P3] = r[P2] + r[P1]
    Subtract,       // r[P3] = r[P2] - r[P1]
    Multiply,
    Divide,
    Remainder,
    Concat,         // r[P3] = r[P2] || r[P1]
    BitAnd,
    BitOr,
    ShiftLeft,      // r[P3] = r[P2] << r[P1]
    ShiftRight,
    BitNot,         // r[P2] = ~r[P1]
    Eq,             // if r[P3] == r[P1] jump P2; P5 affinity|flags, P4 collation
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    If,             // jump P2 if r[P1] is true (NULL: jump if P3 != 0)
    IfNot,          // jump P2 if r[P1] is false (NULL: jump if P3 != 0)
    IsNull,         // jump P2 if r[P1] is NULL
    NotNull,        // jump P2 if r[P1] is not NULL
    Not,            // r[P2] = NOT r[P1]
    IsTrue,         // r[P2] = (truth of r[P1], P3 when NULL) XOR P5: IS [NOT] TRUE/FALSE
    And,            // r[P3] = r[P1] AND r[P2]
    Or,             // r[P3] = r[P1] OR r[P2]
    Cast,           // apply affinity P2 to r[P1] as CAST does
    Function,       // r[P3] = function P4 over P5 arguments from r[P2]
    AggStep,        // accumulator r[P3] steps with P5 arguments from r[P2]; P4 function
    AggFinal,       // r[P1] = final value of accumulator r[P1]; P4 function
    MustBeInt,      // r[P1] must be an integer (LIMIT): else jump P2, or "datatype mismatch" when P2 is 0
    IfPos,          // if r[P1] > 0 then r[P1] -= P3 and jump P2
    DecrJumpZero,   // r[P1] -= 1; jump P2 if it became 0
    Gosub,          // r[P1] = return address; jump P2
    Return,         // jump to the address in r[P1]; with P3 set, fall through when r[P1] is NULL
    Compare,        // compare r[P1..] with r[P2..] over P3 fields, P4 KeyInfo; remember the result
    Jump,           // jump P1 / P2 / P3 on the last Compare less / equal / greater
    Once,           // first time: fall through; after: jump P2
    RowSetAdd,      // add integer r[P2] to the row set in r[P1]
    RowSetRead,     // r[P3] = next integer of row set r[P1]; jump P2 when exhausted
    CreateBtree,    // r[P2] = root page of a new tree in database P1; P3 1 table / 2 index
    Destroy,        // drop the tree with root P1 of database P2
    Clear,          // delete every entry of the tree with root P1 of database P2
    SetCookie,      // header field P2 of database P1 = P3
    ReadCookie,     // r[P2] = header field P3 of database P1
    ParseSchema,    // reload the schema
    NullRow,        // cursor P1 reads as a row of NULLs until it is moved (LEFT JOIN)
    IfNullRow,      // if cursor P1 reads as a row of NULLs: r[P3] = NULL, goto P2
    Noop,
    IntegrityCk,    // r[P1] = the problems (at most P3) found in the trees whose roots are P4 ((uint, bool)[]), one per line, or NULL; r[P2] += their number
    PagerInfo,      // r[P2] = P1: 0 page count, 1 page size (asked to be P3 first when P3 > 0), 2 journal mode, 3 auto_vacuum, 4 synchronous (set to P3-1 when P3 > 0), 5 max page count (set first to max(P3, page count) when P3 > 0), 6 wal_autocheckpoint, 7 journal_size_limit (6, 7: set first to P4 when not null)
    Checkpoint,     // r[P2..P2+2] = busy, log frames, checkpointed frames of a checkpoint in mode P1 (CheckpointMode)
    Setting,        // r[P2] = the connection setting named P4
    SetSetting,     // the connection setting P4 = (name, value)
    Window,         // compute the window functions of WindowPlan P4 over the rows of list cursor P1
    MemMax,         // r[P1] = max(r[P1], r[P2]) (integers)
    TypeCheck,      // r[P1..P1+P2-1] must fit the STRICT table P4's column types
    Savepoint,      // P1: 0 SAVEPOINT, 1 RELEASE, 2 ROLLBACK TO the savepoint named P4
    Attach,         // ATTACH the database file named r[P1] as schema r[P2]
    Detach,         // DETACH the schema named r[P1]
    AutoVacuumMode, // a file not created yet will be created with auto_vacuum P1 (0 none, 1 full, 2 incremental)
    IncrVacuum,     // move up to P1 free pages (all when P1 <= 0) to the end of an auto-vacuum file and cut them off
    Vacuum,         // VACUUM database P1 in place, or (P3 = 1) into the file named by r[P2]
    FrameEnter,     // a trigger body or foreign-key action starts: its changes are counted apart (SQLite's OP_Program)
    FrameLeave,     // P1 frames end (SQLite's Halt inside a sub-program): each adds its changes to total_changes()
    ResetCount,     // a trigger body's step ended: its changes go to total_changes() (and changes() until the frame ends)
    ClrSubtype,     // r[P1] loses its JSON mark (a value crossing a subquery boundary)
    FkCounter,      // add P2 to a foreign-key violation count: P1 0 the statement's immediate one, 1 the connection's deferred one (both the deferred-immediate one while PRAGMA defer_foreign_keys is on)
    FkCheck,        // fail with "FOREIGN KEY constraint failed" (ABORT) while the statement's immediate count is not 0 (before RETURNING rows)
    FkIfZero,       // jump P2 when the count P1 names (0 immediate, 1 deferred) and the deferred-immediate count are both 0
    VFilter,        // cursor P1 := the rows of table-valued function P4 (FunctionCall) for the arguments in r[P3..]; jump P2 when there are none
    OpenDup,        // cursor P1 := a second cursor over the rows of list cursor P2 (a CTE materialized once, read in several places)
}
