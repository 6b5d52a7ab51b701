// Where in the SQL text a prepare error is: SQLite's sqlite3_error_offset, the byte offset
// (from the start of the text given to prepare) of the token the error is about, or -1.
//
// SQLite records an offset for the tokenizer's and parser's errors (the token it stopped
// at) and for the name-resolution errors that point at an expression of the statement:
//
//   near "X": syntax error, unrecognized token: "X",     the token
//   variable number must be between ?1 and ?N
//   no such column: [s.][t.]c, ambiguous column name: …  the column reference (its first part)
//   no such function: f, wrong number of arguments to    the function call (its name)
//   function f(), misuse of aggregate: f(), misuse of
//   window function f()
//   table X already exists, view X already exists        the name in CREATE TABLE/VIEW
//
// Errors about objects of the schema (a view's or trigger's own SQL) have no offset in the
// statement's text, and neither does anything else. The compiler reports these errors by
// message, and where it knows the node, its position (TernException.Position); the offset
// is found here, after the fact: that node if it is one of the names the parser read in the
// statement's own text (ParsedStatement.Names), else the first of them, in text order, that
// the message names.
// Names that came from the schema are not among them, so an error inside a view or
// trigger gets -1, as in SQLite.
using System.Diagnostics;
using Tern.Sql;
using Tern.Sql.Ast;

namespace Tern;

internal static class ErrorOffsets
{
    /// <summary>The offset of a parse error relative to <paramref name="start"/>, or -1 for the parse errors SQLite records none for.</summary>
    public static int OfParseError(SqlParseException e, int start)
    {
        string m = e.Message;
        bool positioned = m.StartsWith("near \"", StringComparison.Ordinal)
            || m.StartsWith("unrecognized token: ", StringComparison.Ordinal)
            || m.StartsWith("variable number must be between ", StringComparison.Ordinal);
        return positioned && e.Offset >= start ? e.Offset - start : -1;
    }

    /// <summary>
    /// The offset, relative to <paramref name="start"/>, of the first name in <paramref name="statement"/>'s
    /// text that a compile error's message names; -1 when the message is not one SQLite gives an offset
    /// for, or names nothing in the statement's own text.
    /// </summary>
    public static int OfCompileError(TernException e, ParsedStatement statement, int start)
    {
        // CREATE of a name in use: the compiler knows where the name is in this statement's text.
        if (e.Message.EndsWith(" already exists", StringComparison.Ordinal) && (e.Message.StartsWith("table ", StringComparison.Ordinal) || e.Message.StartsWith("view ", StringComparison.Ordinal)))
            return e.Position >= start && e.Position <= statement.End ? e.Position - start : -1;
        Func<SqlNode, bool>? match = Matcher(e.Message);
        if (match == null) return -1;
        // The node the compiler named, when it is one of the statement's own (not a view's).
        foreach (Expr n in statement.Names)
        {
            if (n.Start == e.Position && match(n)) return n.Start >= start ? n.Start - start : -1;
        }
        foreach (Expr n in statement.Names)
        {
            if (!match(n)) continue;
            Debug.Assert(n.Start >= statement.Start && n.Start <= statement.End);
            return n.Start >= start ? n.Start - start : -1;
        }
        return -1;
    }

    private static Func<SqlNode, bool>? Matcher(string message)
    {
        if (After(message, "no such column: ") is { } column) return n => n is ColumnRef c && (Spelled(c) == column || DoubleQuotedMessage(c) == column);
        if (After(message, "ambiguous column name: ") is { } ambiguous) return n => n is ColumnRef c && Spelled(c) == ambiguous;
        if (After(message, "no such function: ") is { } function) return n => n is FunctionCall f && f.Name.Equals(function, StringComparison.OrdinalIgnoreCase);
        foreach (string prefix in (string[])["wrong number of arguments to function ", "misuse of aggregate: ", "misuse of aggregate function ", "misuse of window function "])
        {
            if (After(message, prefix) is { } call && call.EndsWith("()", StringComparison.Ordinal))
            {
                string name = call[..^2];
                return n => n is FunctionCall f && f.Name.Equals(name, StringComparison.OrdinalIgnoreCase);
            }
        }
        return null;
    }

    private static string? After(string message, string prefix) =>
        message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : null;

    private static string Spelled(ColumnRef c) =>
        (c.Schema != null ? c.Schema + "." : "") + (c.Table != null ? c.Table + "." : "") + c.Column;

    private static string? DoubleQuotedMessage(ColumnRef c) =>
        c.Table == null && c.IsDoubleQuoted ? $"\"{c.Column}\" - should this be a string literal in single-quotes?" : null;
}
