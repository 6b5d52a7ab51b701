// Line input at a terminal: the prompt, then keys read one at a time and the line redrawn
// as it is edited, with a history of the lines entered (no native library; Console only).
//
//   Left/Right, Home/End (Ctrl-A/Ctrl-E)   move          Up/Down (Ctrl-P/Ctrl-N)   history
//   Backspace, Delete (Ctrl-D on text)     delete        Ctrl-U, Ctrl-K            cut to start / end
//   Enter                                  the line      Ctrl-D on an empty line   end of input
//   Ctrl-C                                 drops the line and shows the prompt again
//
// When the console cannot read keys (no terminal), it reads plain lines instead.
using System.Text;

namespace Tern.Cli;

/// <summary>Reads lines from the terminal with editing keys and history.</summary>
internal sealed class LineEditor : TextReader
{
    private readonly List<string> _history = [];
    private readonly StringBuilder _line = new();
    private int _cursor;
    private string _prompt = "";

    /// <summary>Shows <paramref name="prompt"/> and reads one line; null at the end of input.</summary>
    public string? ReadLine(string prompt)
    {
        _prompt = prompt;
        Console.Out.Write(prompt);
        Console.Out.Flush();
        string? line;
        try
        {
            line = Edit();
        }
        catch (InvalidOperationException)
        {
            // Keys cannot be read (input is not a terminal after all).
            line = Console.In.ReadLine();
        }
        if (!string.IsNullOrWhiteSpace(line) && (_history.Count == 0 || _history[^1] != line)) _history.Add(line);
        return line;
    }

    /// <inheritdoc/>
    public override string? ReadLine() => ReadLine("");

    private string? Edit()
    {
        // Ctrl-C while typing is a key here (it drops the line), not a signal to the program.
        bool treatControlC = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        try
        {
            return EditKeys();
        }
        finally
        {
            Console.TreatControlCAsInput = treatControlC;
        }
    }

    private string? EditKeys()
    {
        _line.Clear();
        _cursor = 0;
        int historyIndex = _history.Count;
        string pending = "";
        while (true)
        {
            ConsoleKeyInfo k = Console.ReadKey(intercept: true);
            bool control = (k.Modifiers & ConsoleModifiers.Control) != 0;
            if (k.KeyChar == '\x03' || (control && k.Key == ConsoleKey.C))
            {
                // The line typed so far is dropped and the prompt comes back.
                Console.Out.Write("^C\n" + _prompt);
                Console.Out.Flush();
                _line.Clear();
                _cursor = 0;
                historyIndex = _history.Count;
                continue;
            }
            switch (k.Key)
            {
                case ConsoleKey.Enter:
                    Console.Out.Write('\n');
                    return _line.ToString();
                case ConsoleKey.Backspace:
                    if (_cursor > 0)
                    {
                        _line.Remove(--_cursor, 1);
                        Redraw();
                    }
                    continue;
                case ConsoleKey.Delete:
                    Delete();
                    continue;
                case ConsoleKey.LeftArrow:
                    if (_cursor > 0) _cursor--;
                    Redraw();
                    continue;
                case ConsoleKey.RightArrow:
                    if (_cursor < _line.Length) _cursor++;
                    Redraw();
                    continue;
                case ConsoleKey.Home:
                    _cursor = 0;
                    Redraw();
                    continue;
                case ConsoleKey.End:
                    _cursor = _line.Length;
                    Redraw();
                    continue;
                case ConsoleKey.UpArrow:
                    Recall(ref historyIndex, -1, ref pending);
                    continue;
                case ConsoleKey.DownArrow:
                    Recall(ref historyIndex, +1, ref pending);
                    continue;
            }
            if (control)
            {
                switch (k.Key)
                {
                    case ConsoleKey.A: _cursor = 0; Redraw(); continue;
                    case ConsoleKey.E: _cursor = _line.Length; Redraw(); continue;
                    case ConsoleKey.B: if (_cursor > 0) _cursor--; Redraw(); continue;
                    case ConsoleKey.F: if (_cursor < _line.Length) _cursor++; Redraw(); continue;
                    case ConsoleKey.P: Recall(ref historyIndex, -1, ref pending); continue;
                    case ConsoleKey.N: Recall(ref historyIndex, +1, ref pending); continue;
                    case ConsoleKey.U: _line.Remove(0, _cursor); _cursor = 0; Redraw(); continue;
                    case ConsoleKey.K: _line.Length = _cursor; Redraw(); continue;
                    case ConsoleKey.D:
                        if (_line.Length == 0)
                        {
                            Console.Out.Write('\n');
                            return null;
                        }
                        Delete();
                        continue;
                }
            }
            if (k.KeyChar == '\x04' && _line.Length == 0)
            {
                Console.Out.Write('\n');
                return null;
            }
            if (k.KeyChar >= ' ' || k.KeyChar == '\t')
            {
                _line.Insert(_cursor++, k.KeyChar);
                Redraw();
            }
        }
    }

    private void Delete()
    {
        if (_cursor < _line.Length)
        {
            _line.Remove(_cursor, 1);
            Redraw();
        }
    }

    // Steps through the history; the line being typed is kept to come back to.
    private void Recall(ref int index, int step, ref string pending)
    {
        int next = index + step;
        if (next < 0 || next > _history.Count) return;
        if (index == _history.Count) pending = _line.ToString();
        index = next;
        _line.Clear().Append(index == _history.Count ? pending : _history[index]);
        _cursor = _line.Length;
        Redraw();
    }

    // Rewrites the prompt and the line, clears what is left of the old one, and puts the cursor back.
    private void Redraw()
    {
        var sb = new StringBuilder("\r").Append(_prompt).Append(_line).Append("\x1b[K");
        int back = _line.Length - _cursor;
        if (back > 0) sb.Append("\x1b[").Append(back).Append('D');
        Console.Out.Write(sb.ToString());
        Console.Out.Flush();
    }
}
