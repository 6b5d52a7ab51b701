// The provider's exception: a DbException carrying SQLite's primary and extended result
// codes, with the message shaped as Microsoft.Data.Sqlite shapes it
// ("SQLite Error 1: 'no such table: t'."). Engine errors are translated here.
using System.Data.Common;
using System.Globalization;

namespace Tern.Data;

/// <summary>An error reported by the database, with SQLite's result codes.</summary>
public class TernException : DbException
{
    /// <summary>Creates an exception with a message and a result code.</summary>
    /// <param name="message">The message.</param>
    /// <param name="errorCode">SQLite's primary result code.</param>
    public TernException(string? message, int errorCode)
        : this(message, errorCode, errorCode)
    {
    }

    /// <summary>Creates an exception with a message, a result code and an extended result code.</summary>
    /// <param name="message">The message.</param>
    /// <param name="errorCode">SQLite's primary result code.</param>
    /// <param name="extendedErrorCode">SQLite's extended result code.</param>
    public TernException(string? message, int errorCode, int extendedErrorCode)
        : base(message)
    {
        SqliteErrorCode = errorCode;
        SqliteExtendedErrorCode = extendedErrorCode;
    }

    private TernException(string message, int errorCode, int extendedErrorCode, Exception inner)
        : base(message, inner)
    {
        SqliteErrorCode = errorCode;
        SqliteExtendedErrorCode = extendedErrorCode;
    }

    /// <summary>SQLite's primary result code (for example 19 for a constraint failure).</summary>
    public virtual int SqliteErrorCode { get; }

    /// <summary>SQLite's extended result code (for example 2067 for a UNIQUE constraint failure).</summary>
    public virtual int SqliteExtendedErrorCode { get; }

    /// <summary>Wraps an engine error, keeping its codes and SQLite's message text.</summary>
    internal static TernException From(Tern.TernException e)
    {
        int primary = (int)e.Code;
        return new TernException(Format(primary, e.Message), primary, (int)e.ExtendedCode, e);
    }

    /// <summary>An exception for a result code with SQLite's generic text for it.</summary>
    internal static TernException ForCode(ResultCode code) =>
        new(Format((int)code, Tern.TernException.DefaultMessage(code)), (int)code & 0xFF, (int)code);

    private static string Format(int code, string message) =>
        string.Format(CultureInfo.InvariantCulture, "SQLite Error {0}: '{1}'.", code, message);
}
