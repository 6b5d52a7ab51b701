// The one error type of Tern.Sql: a statement SQLite's parser would reject, with the
// message SQLite gives (near "X": syntax error, incomplete input, unrecognized token:
// "X", and the few semantic errors SQLite raises while parsing).
namespace Tern.Sql;

/// <summary>SQL that does not parse, with SQLite's message text.</summary>
public sealed class SqlParseException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">SQLite's message text.</param>
    /// <param name="offset">Byte offset in the UTF-8 input where the error was found.</param>
    public SqlParseException(string message, int offset)
        : base(message)
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the UTF-8 input of the token where the error was found.</summary>
    public int Offset { get; }
}
