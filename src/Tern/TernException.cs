// The one exception type that Tern raises at its API: it carries SQLite's result code
// (primary and extended) and SQLite's message text.
using System.Diagnostics.CodeAnalysis;

namespace Tern;

/// <summary>An error reported by Tern, carrying SQLite's result code and message.</summary>
public class TernException : Exception
{
    /// <summary>Creates an exception with a result code and SQLite's message text.</summary>
    public TernException(ResultCode code, string message, Exception? inner = null)
        : base(message, inner)
    {
        ExtendedCode = code;
    }

    /// <summary>The extended result code (equal to the primary code when none is more precise).</summary>
    public ResultCode ExtendedCode { get; }

    /// <summary>
    /// For an error preparing a statement, the byte offset in the UTF-8 text given to
    /// <c>Prepare</c> of the token the error is about (a syntax error's token, the name that
    /// does not resolve), as <c>sqlite3_error_offset</c> gives it; -1 when there is none.
    /// </summary>
    public int Offset { get; internal set; } = -1;

    /// <summary>
    /// Where the compiler saw the error: the byte position (in the parsed text) of the node it
    /// is about, when the throwing code knows it; Prepare turns it into <see cref="Offset"/>.
    /// </summary>
    internal int Position { get; init; } = -1;

    /// <summary>The primary result code (the low eight bits of the extended code).</summary>
    public ResultCode Code => (ResultCode)((int)ExtendedCode & 0xFF);

    /// <summary>SQLite's generic text for a result code, as <c>sqlite3_errstr</c> gives it.</summary>
    public static string DefaultMessage(ResultCode code) => ((ResultCode)((int)code & 0xFF)) switch
    {
        ResultCode.Ok => "not an error",
        ResultCode.Error => "SQL logic error",
        ResultCode.Internal => "internal logic error",
        ResultCode.Perm => "access permission denied",
        ResultCode.Abort => "query aborted",
        ResultCode.Busy => "database is locked",
        ResultCode.Locked => "database table is locked",
        ResultCode.NoMem => "out of memory",
        ResultCode.ReadOnly => "attempt to write a readonly database",
        ResultCode.Interrupt => "interrupted",
        ResultCode.IoErr => "disk I/O error",
        ResultCode.Corrupt => "database disk image is malformed",
        ResultCode.NotFound => "unknown operation",
        ResultCode.Full => "database or disk is full",
        ResultCode.CantOpen => "unable to open database file",
        ResultCode.Protocol => "locking protocol",
        ResultCode.Schema => "database schema has changed",
        ResultCode.TooBig => "string or blob too big",
        ResultCode.Constraint => "constraint failed",
        ResultCode.Mismatch => "datatype mismatch",
        ResultCode.Misuse => "bad parameter or other API misuse",
        ResultCode.NoLfs => "large file support is disabled",
        ResultCode.Auth => "authorization denied",
        ResultCode.Range => "column index out of range",
        ResultCode.NotADb => "file is not a database",
        _ => "unknown error",
    };

    /// <summary>Throws a <see cref="TernException"/> with SQLite's generic message for the code.</summary>
    [DoesNotReturn]
    internal static void Throw(ResultCode code) => throw new TernException(code, DefaultMessage(code));

    /// <summary>Throws a <see cref="TernException"/> with the given message.</summary>
    [DoesNotReturn]
    internal static void Throw(ResultCode code, string message) => throw new TernException(code, message);

    /// <summary>Throws SQLITE_CORRUPT ("database disk image is malformed").</summary>
    [DoesNotReturn]
    internal static void ThrowCorrupt() => throw new TernException(ResultCode.Corrupt, DefaultMessage(ResultCode.Corrupt));

    /// <summary>Throws SQLITE_CORRUPT, generic over the return type so it can end an expression.</summary>
    [DoesNotReturn]
    internal static T ThrowCorrupt<T>() => throw new TernException(ResultCode.Corrupt, DefaultMessage(ResultCode.Corrupt));
}
