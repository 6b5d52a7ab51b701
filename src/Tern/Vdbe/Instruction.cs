// One instruction of a program: an opcode, three integer operands, an optional P4 object
// (text, number, KeyInfo, function, affinity string) and the P5 flags, as EXPLAIN shows.
namespace Tern.Vdbe;

/// <summary>A VM instruction.</summary>
internal struct Instruction
{
    public Opcode Op;
    public ushort P5;
    public int P1;
    public int P2;
    public int P3;
    public object? P4;
    public string? Comment;

    public Instruction(Opcode op, int p1, int p2, int p3, object? p4 = null, ushort p5 = 0)
    {
        Op = op;
        P1 = p1;
        P2 = p2;
        P3 = p3;
        P4 = p4;
        P5 = p5;
        Comment = null;
    }
}

/// <summary>Flags carried in P5.</summary>
internal static class P5Flags
{
    /// <summary>Comparison: the low byte holds the affinity letter.</summary>
    public const ushort AffinityMask = 0x00FF;
    /// <summary>Comparison: jump when either operand is NULL.</summary>
    public const ushort JumpIfNull = 0x0100;
    /// <summary>Comparison: store 1/0/NULL in r[P2] instead of jumping.</summary>
    public const ushort StoreP2 = 0x0200;
    /// <summary>Comparison: NULL equals NULL (IS / IS NOT).</summary>
    public const ushort NullEq = 0x0400;
    /// <summary>Insert/Delete: count the change.</summary>
    public const ushort NChange = 0x01;
    /// <summary>Insert: remember the rowid as the last insert rowid.</summary>
    public const ushort LastRowid = 0x20;
    /// <summary>Insert/Delete inside a trigger body or a foreign-key action: counts toward total_changes() only.</summary>
    public const ushort TotalChange = 0x40;
    /// <summary>
    /// MakeRecord: an integer marked real (Mem.IntReal) is stored as its integer, as SQLite's
    /// records store it; set where SQLite reads the record back without REAL affinity (table
    /// rows, ORDER BY sorters, compound results, an aggregate's ORDER BY, temporary tables).
    /// Without it (or <see cref="KeepIntReal"/>) the value is stored as a plain REAL: records
    /// SQLite reads back through REAL affinity, or values it computes after its sort (GROUP BY).
    /// </summary>
    public const ushort IntRealAsInteger = 0x80;
    /// <summary>
    /// MakeRecord: stored as with <see cref="IntRealAsInteger"/>, and the record gets one more
    /// field, an integer whose bit i says field i (i &lt; 63) was marked, so that Affinity with
    /// P5 4 can mark it again: set on Tern's own sorters where SQLite has none (an ORDER BY or
    /// GROUP BY its loops already give, INSERT ... SELECT without a temporary table).
    /// </summary>
    public const ushort KeepIntReal = 0x100;
}
