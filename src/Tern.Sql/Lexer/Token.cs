// A token: its kind and where it lies in the UTF-8 input. A plain struct, so lexing
// allocates nothing; the text is read back from the input when it is needed.
namespace Tern.Sql.Lexer;

/// <summary>A lexical token: kind, byte offset and byte length in the UTF-8 input.</summary>
/// <param name="Kind">The token kind.</param>
/// <param name="Start">Byte offset of the first byte.</param>
/// <param name="Length">Length in bytes.</param>
public readonly record struct Token(TokenKind Kind, int Start, int Length)
{
    /// <summary>Byte offset just past the token.</summary>
    public int End => Start + Length;
}
