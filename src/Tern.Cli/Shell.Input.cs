// Reading input and running SQL, as the sqlite3 shell does.
//
// Input is read a line at a time. With nothing pending, a line of only spaces and
// comments is skipped, and a line starting with '.' is a dot command ('#' a comment).
// Other lines collect into a buffer (its leading spaces dropped) until the quick scan says
// the text ends with ';' and InputScanner.IsComplete agrees; a line holding just "/" or
// "go" ends a statement too. The buffer then runs as a whole: each statement in turn is
// prepared and stepped, its rows printed, and the first error stops the rest of the
// buffer. At the end of input, a pending buffer with anything in it runs as it is.
//
// Errors go to standard error as
//
//   Parse error near line N: MESSAGE          (the statement failed to prepare)
//   Runtime error near line N: MESSAGE (RC)   (it failed while running; RC when not 1)
//
// where N is the line the buffer started on. An error with a position in the statement
// (TernException.Offset: a syntax error, a name that does not resolve) adds two lines
// showing where it is:
//
//   Parse error near line 3: near "selec": syntax error
//     selec 1;
//     ^--- error here
//
// Errors count; with bail on the first one ends the input. The exit status is 1 when
// there was any error.
using System.Globalization;
using System.Text;
using Tern.Sql;

namespace Tern.Cli;

public sealed partial class Shell
{
    private const string Prompt = "sqlite> ";
    private const string ContinuePrompt = "   ...> ";

    /// <summary>
    /// Reads and runs commands from <paramref name="input"/> until its end, `.quit`/`.exit`,
    /// an interrupt, or (with bail on) the first error. Returns the number of errors.
    /// </summary>
    public int ProcessInput(TextReader input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var buffer = new StringBuilder();
        var scan = new InputScanner.LineScan();
        int lineNumber = 0;
        int startLine = 0;
        int errorsBefore = ErrorCount;
        while (true)
        {
            if (_interrupted)
            {
                // A script stops at an interrupt; a terminal gets its prompt back.
                if (!Interactive) break;
                _interrupted = false;
                Interlocked.Exchange(ref _interruptCount, 0);
            }
            string? line;
            if (Interactive && input is LineEditor editor)
            {
                _out.Flush();
                line = editor.ReadLine(buffer.Length > 0 ? ContinuePrompt : Prompt);
            }
            else
            {
                if (Interactive)
                {
                    _out.Write(buffer.Length > 0 ? ContinuePrompt : Prompt);
                    _out.Flush();
                }
                line = ReadLine(input);
                // At the end of input a terminal gets a line break after the last prompt.
                if (line == null && Interactive) _out.Write("\n");
            }
            if (line == null) break;
            lineNumber++;
            if (scan.IsPlain && IsCommandTerminator(line) && InputScanner.IsComplete(buffer + ";")) line = ";";
            scan.Scan(line);
            if (scan.IsBlank && buffer.Length == 0)
            {
                EchoInput(line);
                scan = default;
                continue;
            }
            if (buffer.Length == 0 && line.Length > 0 && (line[0] == '.' || line[0] == '#'))
            {
                EchoInput(line);
                scan = default;
                if (line[0] == '.')
                {
                    int rc = DoCommand(line);
                    _out.FlushWritten();
                    if (rc == 2 || ExitRequested) break;
                    if (rc != 0) CountError(null, null);
                    if (ErrorCount > errorsBefore && Settings.Bail) break;
                }
                continue;
            }
            if (buffer.Length == 0)
            {
                int i = 0;
                while (i < line.Length && IsSpace(line[i])) i++;
                buffer.Append(line, i, line.Length - i);
                startLine = lineNumber;
            }
            else
            {
                buffer.Append('\n').Append(line);
            }
            if (buffer.Length > 0 && scan.EndsWithSemicolon && InputScanner.IsComplete(buffer.ToString()))
            {
                string sql = buffer.ToString();
                buffer.Clear();
                scan = default;
                EchoInput(sql);
                RunBuffer(sql, startLine);
                _out.FlushWritten();
                EndOnce();
                if (ErrorCount > errorsBefore && Settings.Bail) break;
            }
            else if (buffer.Length > 0 && scan.IsBlank)
            {
                EchoInput(buffer.ToString());
                buffer.Clear();
                scan = default;
            }
        }
        bool stopped = _interrupted || ExitRequested || (ErrorCount > errorsBefore && Settings.Bail);
        if (!stopped && buffer.Length > 0 && (scan.HasText || !scan.IsPlain))
        {
            string sql = buffer.ToString();
            EchoInput(sql);
            RunBuffer(sql, startLine);
            EndOnce();
        }
        Flush();
        return ErrorCount - errorsBefore;
    }

    /// <summary>Runs SQL text as if it were the whole of the input.</summary>
    public int ProcessInput(string script) => ProcessInput(new StringReader(script));

    // A line ends at '\n'; one '\r' before it is dropped. Null at the end of input.
    private static string? ReadLine(TextReader input)
    {
        var sb = new StringBuilder();
        int c;
        bool any = false;
        while ((c = input.Read()) >= 0)
        {
            any = true;
            if (c == '\n') break;
            sb.Append((char)c);
        }
        if (!any) return null;
        if (sb.Length > 0 && sb[^1] == '\r') sb.Length--;
        return sb.ToString();
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    // A line that is just "/" or "go" (any case), with spaces around, ends a statement.
    private static bool IsCommandTerminator(string line)
    {
        string t = line.Trim(' ', '\t', '\n', '\v', '\f', '\r');
        return t == "/" || t.Equals("go", StringComparison.OrdinalIgnoreCase);
    }

    private void EchoInput(string text)
    {
        if (!Settings.Echo) return;
        _out.Write(text);
        _out.Write("\n");
    }

    private void RunBuffer(string sql, int startLine)
    {
        EnsureOpen();
        RunTimer? timer = Settings.Timer ? RunTimer.Start() : null;
        ExecuteSql(sql, out string? error);
        if (timer != null) _out.Write(timer.Report());
        if (error == null)
        {
            if (Settings.CountChanges)
            {
                _out.Write(string.Create(CultureInfo.InvariantCulture, $"changes: {_conn!.Changes}   total_changes: {_conn.TotalChanges}\n"));
            }
            return;
        }
        string kind, text;
        if (error.StartsWith("in prepare, ", StringComparison.Ordinal))
        {
            kind = "Parse error";
            text = error["in prepare, ".Length..];
        }
        else if (error.StartsWith("stepping, ", StringComparison.Ordinal))
        {
            kind = "Runtime error";
            text = error["stepping, ".Length..];
        }
        else
        {
            kind = "Error";
            text = error;
        }
        string prefix = Interactive ? kind + ":" : $"{kind} near line {startLine}:";
        _err.Write(prefix + " " + text + "\n");
        _out.Flush();
        _err.Flush();
    }

    private void CountError(string? message, Exception? exception)
    {
        ErrorCount++;
        if (FirstErrorMessage == null && message != null)
        {
            FirstErrorMessage = message;
            FirstException = exception;
        }
    }

    /// <summary>
    /// Runs every statement of <paramref name="sql"/>, printing rows; stops at the first error.
    /// Returns 0, or the error's result code with <paramref name="error"/> set to the shell's
    /// text for it ("in prepare, ..." or "stepping, ...", with the result code when it is not 1
    /// and, for syntax errors, the lines that point at the error).
    /// </summary>
    private int ExecuteSql(string sql, out string? error)
    {
        error = null;
        Connection conn = _conn!;
        var printer = new ResultPrinter(Settings, _out);
        int pos = 0;
        while (pos < sql.Length && !_interrupted)
        {
            while (pos < sql.Length && IsSpace(sql[pos])) pos++;
            if (pos >= sql.Length) break;
            // Only the text up to the ';' that ends the statement goes to Prepare, so a buffer
            // holding many statements is not converted again for each one. Empty statements
            // (";", comments) are passed over as SQLite's prepare passes over them; an error's
            // position still counts from where this statement's text began.
            int start = pos;
            int chunkStart = pos;
            Statement? st = null;
            while (true)
            {
                int end = InputScanner.FirstStatementEnd(sql, chunkStart);
                string chunk = end < 0 ? sql[chunkStart..] : sql[chunkStart..end];
                int tail;
                try
                {
                    // Encoded here rather than by the engine so that input bytes that are not
                    // UTF-8 reach it unchanged (RawUtf8).
                    byte[] utf8 = RawUtf8.Encode(chunk);
                    st = conn.Prepare(utf8, 0, out int tailBytes);
                    tail = CharsInBytes(chunk, tailBytes);
                }
                catch (Exception e)
                {
                    int code = ResultCodeOf(e);
                    string message = MessageOf(e);
                    CountError(message, e);
                    int before = RawUtf8.ByteCount(sql.AsSpan(start, chunkStart - start));
                    error = "in prepare, " + message + (code > 1 ? $" ({code})" : "") + ErrorContext(sql[start..], e, before);
                    return code;
                }
                if (st != null)
                {
                    pos = chunkStart + tail;
                    break;
                }
                if (end < 0)
                {
                    pos = sql.Length;
                    break;
                }
                chunkStart = end;
            }
            if (st == null) break;
            using (st)
            {
                try
                {
                    BindParameters(st);
                    if (Settings.Eqp != EqpMode.Off && st.ExplainMode == 0) PrintAutoExplain(st, printer);
                    printer.Print(st, () => _interrupted);
                }
                catch (Exception e)
                {
                    int code = ResultCodeOf(e);
                    string message = MessageOf(e);
                    CountError(message, e);
                    error = "stepping, " + message + (code > 1 ? $" ({code})" : "");
                    return code;
                }
            }
        }
        return 0;
    }

    // The number of characters of text whose RawUtf8 encoding is its first byteCount bytes.
    private static int CharsInBytes(string text, int byteCount)
    {
        int chars = 0;
        int bytes = 0;
        while (bytes < byteCount && chars < text.Length)
        {
            int step = char.IsHighSurrogate(text[chars]) && chars + 1 < text.Length && char.IsLowSurrogate(text[chars + 1]) ? 2 : 1;
            bytes += RawUtf8.ByteCount(text.AsSpan(chars, step));
            chars += step;
        }
        return chars;
    }

    private static int ResultCodeOf(Exception e) => e is TernException te ? (int)te.Code : 1;

    private static string MessageOf(Exception e) => e is TernException ? e.Message : e.GetType().Name + ": " + e.Message;

    /// <summary>
    /// The two lines sqlite3 adds under an error that has a position in the statement: up to
    /// 78 bytes of the statement (spaces for line breaks), moved along so that the error is
    /// within the first 50, and a marker under the error.
    /// </summary>
    private static string ErrorContext(string sql, Exception e, int offsetDelta)
    {
        // The engine's offset of the error (sqlite3_error_offset), from where this statement's
        // text was given to Prepare; -1 when the error has no position.
        if (e is not TernException { Offset: >= 0 } te) return "";
        byte[] z = RawUtf8.Encode(sql);
        int offset = te.Offset + offsetDelta;
        if (offset < 0 || offset > z.Length) return "";
        int start = 0;
        while (offset > 50)
        {
            offset--;
            start++;
            while (start < z.Length && (z[start] & 0xC0) == 0x80)
            {
                start++;
                offset--;
            }
        }
        int len = z.Length - start;
        if (len > 78)
        {
            len = 78;
            while (start + len < z.Length && (z[start + len] & 0xC0) == 0x80) len--;
        }
        if (len < 0) len = 0;
        var code = new byte[len];
        for (int i = 0; i < len; i++)
        {
            byte b = z[start + i];
            code[i] = b is (byte)' ' or (byte)'\t' or (byte)'\n' or 0x0b or (byte)'\f' or (byte)'\r' ? (byte)' ' : b;
        }
        int nul = Array.IndexOf(code, (byte)0);
        string text = RawUtf8.Decode(code.AsSpan(0, nul < 0 ? code.Length : nul));
        if (offset < 0) offset = 0;
        return offset < 25
            ? "\n  " + text + "\n  " + new string(' ', offset) + "^--- error here"
            : "\n  " + text + "\n  " + new string(' ', offset - 14) + "error here ---^";
    }
}
