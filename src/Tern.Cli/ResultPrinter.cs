// Prints the rows of one statement in the current output mode, exactly as the sqlite3
// shell (3.40) prints them.
//
// Row-at-a-time modes (list, csv, line, json, html, tcl, quote, insert, ascii) print each
// row as it is stepped; the header, where the mode has one, goes before the first row, so
// a statement without rows prints nothing. Text is written as a C string (up to its first
// NUL byte), BLOBs as their raw bytes, numbers as their SQL text.
//
// The columnar modes (column, table, box, markdown) collect every row first: each value
// becomes one or more display lines (cut at control characters and at the wrap width),
// each column is as wide as its widest line (header included, shown or not), and then
//
//   column:    name     name2      table: +------+-------+   box: ┌──────┬───────┐
//              -------  -----             | name | name2 |        │ name │ name2 │
//              value    value             +------+-------+        ├──────┼───────┤
//                                         | v    | v     |        │ v    │ v     │
//                                         +------+-------+        └──────┴───────┘
//
// Headers of table, box and markdown are centred. When any value spans several lines,
// rows are set apart (a blank line in column mode, a rule in table and box mode).

namespace Tern.Cli;

/// <summary>Prints result rows for the shell.</summary>
internal sealed class ResultPrinter(ShellSettings settings, ShellOutput output)
{
    private readonly ShellSettings _s = settings;
    private readonly ShellOutput _o = output;

    /// <summary>
    /// Steps <paramref name="statement"/> to the end, printing its rows. An error while
    /// stepping propagates after what was printed (or, in the columnar modes, collected so far)
    /// has been written.
    /// </summary>
    public void Print(Statement statement, Func<bool>? interrupted = null)
    {
        if (!statement.Step()) return;
        if (statement.ExplainMode == 2)
        {
            PrintQueryPlan(statement);
            return;
        }
        int n = statement.ColumnCount;
        if (_s.Mode is OutputMode.Count or OutputMode.Off)
        {
            long rows = 1;
            while (statement.Step()) rows++;
            if (_s.Mode == OutputMode.Count) _o.Write(rows.ToString(System.Globalization.CultureInfo.InvariantCulture) + (rows != 1 ? " rows\n" : " row\n"));
            return;
        }
        if (ShellSettings.IsColumnar(_s.Mode))
        {
            PrintColumnar(statement, n);
            return;
        }
        var names = new byte[n][];
        for (int i = 0; i < n; i++) names[i] = CellText.Utf8(statement.ColumnName(i));
        int rowIndex = 0;
        try
        {
            do
            {
                PrintRow(statement, names, rowIndex++);
                if (interrupted != null && interrupted()) break;
            }
            while (statement.Step());
        }
        finally
        {
            if (_s.Mode == OutputMode.Json) _o.Write("]\n");
        }
    }

    // ------------------------------------------------------------ EXPLAIN QUERY PLAN
    //
    // Whatever the mode, a query plan prints as the sqlite3 shell draws it: "QUERY PLAN",
    // then each note under its parent, "|--" before a note with later siblings and "`--"
    // before the last one, children indented by "|  " or "   " likewise.

    private void PrintQueryPlan(Statement statement)
    {
        var rows = new List<(long Id, long Parent, string Detail)>();
        do rows.Add((statement.GetInt64(0), statement.GetInt64(1), statement.GetString(3) ?? ""));
        while (statement.Step());
        _o.Write("QUERY PLAN\n");
        PrintPlanLevel(rows, 0, "");
    }

    private void PrintPlanLevel(List<(long Id, long Parent, string Detail)> rows, long parent, string prefix)
    {
        var children = rows.FindAll(r => r.Parent == parent);
        for (int i = 0; i < children.Count; i++)
        {
            bool last = i == children.Count - 1;
            _o.Write(prefix + (last ? "`--" : "|--") + children[i].Detail + "\n");
            PrintPlanLevel(rows, children[i].Id, prefix + (last ? "   " : "|  "));
        }
    }

    // ------------------------------------------------------------ EXPLAIN (for .eqp full)
    //
    // The bytecode listing as sqlite3's explain mode lays it out: columns 4, 13, 4, 4, 4,
    // 13, 2 and 13 wide, two spaces apart; a value wider than its column widens it and is
    // followed by one space; the last column is not padded; the header and a dashed rule
    // first. The opcodes inside a loop are indented by two spaces per loop: from the target
    // of a Next/Prev-like jump back to it, and from the target of a Goto back to a Yield,
    // SeekLT/GT, RowSetRead or Rewind (or of a Goto with P1 set).

    private static readonly int[] ExplainWidths = [4, 13, 4, 4, 4, 13, 2, 13];

    /// <summary>Steps an EXPLAIN statement to the end, printing its listing in the explain layout.</summary>
    public void PrintExplain(Statement statement)
    {
        var rows = new List<string?[]>();
        int n = Math.Min(statement.ColumnCount, ExplainWidths.Length);
        while (statement.Step())
        {
            var row = new string?[n];
            for (int i = 0; i < n; i++) row[i] = statement.IsNull(i) ? null : statement.GetString(i);
            rows.Add(row);
        }
        if (rows.Count == 0) return;
        int[] indent = ExplainIndents(rows);
        for (int i = 0; i < n; i++)
        {
            Pad(CellText.Utf8(statement.ColumnName(i)), ExplainWidths[i], false);
            _o.Write(i == n - 1 ? "\n" : "  ");
        }
        for (int i = 0; i < n; i++)
        {
            _o.Repeat("-", ExplainWidths[i]);
            _o.Write(i == n - 1 ? "\n" : "  ");
        }
        for (int r = 0; r < rows.Count; r++)
        {
            for (int i = 0; i < n; i++)
            {
                byte[] text = CellText.Utf8(rows[r][i] ?? _s.NullValue);
                int w = i == n - 1 ? 0 : ExplainWidths[i];
                string sep = "  ";
                int width = CellText.Width(text);
                if (width > w)
                {
                    w = width;
                    sep = " ";
                }
                if (i == 1) _o.Spaces(indent[r]);
                Pad(text, w, false);
                _o.Write(i == n - 1 ? "\n" : sep);
            }
        }
    }

    private static int[] ExplainIndents(List<string?[]> rows)
    {
        string[] next = ["Next", "Prev", "VPrev", "VNext", "SorterNext", "NextIfOpen", "PrevIfOpen"];
        string[] yield = ["Yield", "SeekLT", "SeekGT", "RowSetRead", "Rewind"];
        var indent = new int[rows.Count];
        var isYield = new bool[rows.Count];
        for (int op = 0; op < rows.Count; op++)
        {
            string opcode = rows[op][1] ?? "";
            long.TryParse(rows[op][0], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long addr);
            long.TryParse(rows[op].Length > 3 ? rows[op][3] : "0", System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long p2);
            long.TryParse(rows[op].Length > 2 ? rows[op][2] : "0", System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long p1);
            long target = p2 + (op - addr);
            isYield[op] = Array.IndexOf(yield, opcode) >= 0;
            if (Array.IndexOf(next, opcode) >= 0 && target > 0)
            {
                for (long i = target; i < op; i++) indent[i] += 2;
            }
            if (opcode == "Goto" && target >= 0 && target <= op && (isYield[target] || p1 != 0))
            {
                for (long i = target; i < op; i++) indent[i] += 2;
            }
        }
        return indent;
    }

    // ------------------------------------------------------------ row-at-a-time modes

    private void PrintRow(Statement st, byte[][] names, int rowIndex)
    {
        int n = names.Length;
        byte[] colSep = CellText.Utf8(_s.ColumnSeparator);
        byte[] rowSep = CellText.Utf8(_s.RowSeparator);
        byte[] nullText = CellText.Utf8(_s.NullValue);
        switch (_s.Mode)
        {
            case OutputMode.Line:
                {
                    int w = 5;
                    foreach (byte[] name in names) w = Math.Max(w, name.Length);
                    if (rowIndex > 0) _o.Write(rowSep);
                    for (int i = 0; i < n; i++)
                    {
                        _o.Spaces(w - names[i].Length);
                        _o.Write(names[i]);
                        _o.Write(" = ");
                        _o.Write(st.IsNull(i) ? nullText : CellText.CString(st.GetUtf8(i)));
                        _o.Write(rowSep);
                    }
                    break;
                }
            case OutputMode.List or OutputMode.Ascii:
                if (rowIndex == 0 && _s.ShowHeader)
                {
                    for (int i = 0; i < n; i++)
                    {
                        _o.Write(names[i]);
                        _o.Write(i == n - 1 ? rowSep : colSep);
                    }
                }
                for (int i = 0; i < n; i++)
                {
                    _o.Write(st.IsNull(i) ? nullText : CellText.CString(st.GetUtf8(i)));
                    _o.Write(i == n - 1 ? rowSep : colSep);
                }
                break;
            case OutputMode.Csv:
                if (rowIndex == 0 && _s.ShowHeader)
                {
                    for (int i = 0; i < n; i++)
                    {
                        CellText.WriteCsv(_o, names[i], colSep);
                        if (i < n - 1) _o.Write(colSep);
                    }
                    _o.Write(rowSep);
                }
                for (int i = 0; i < n; i++)
                {
                    if (st.IsNull(i)) _o.Write(nullText);
                    else CellText.WriteCsv(_o, CellText.CString(st.GetUtf8(i)), colSep);
                    if (i < n - 1) _o.Write(colSep);
                }
                _o.Write(rowSep);
                break;
            case OutputMode.Tcl:
                if (rowIndex == 0 && _s.ShowHeader)
                {
                    for (int i = 0; i < n; i++)
                    {
                        CellText.WriteCString(_o, names[i]);
                        if (i < n - 1) _o.Write(colSep);
                    }
                    _o.Write(rowSep);
                }
                for (int i = 0; i < n; i++)
                {
                    CellText.WriteCString(_o, st.IsNull(i) ? nullText : CellText.CString(st.GetUtf8(i)));
                    if (i < n - 1) _o.Write(colSep);
                }
                _o.Write(rowSep);
                break;
            case OutputMode.Html:
                if (rowIndex == 0 && _s.ShowHeader)
                {
                    _o.Write("<TR>");
                    for (int i = 0; i < n; i++)
                    {
                        _o.Write("<TH>");
                        CellText.WriteHtml(_o, names[i]);
                        _o.Write("</TH>\n");
                    }
                    _o.Write("</TR>\n");
                }
                _o.Write("<TR>");
                for (int i = 0; i < n; i++)
                {
                    _o.Write("<TD>");
                    CellText.WriteHtml(_o, st.IsNull(i) ? nullText : CellText.CString(st.GetUtf8(i)));
                    _o.Write("</TD>\n");
                }
                _o.Write("</TR>\n");
                break;
            case OutputMode.Quote:
                if (rowIndex == 0 && _s.ShowHeader)
                {
                    for (int i = 0; i < n; i++)
                    {
                        if (i > 0) _o.Write(colSep);
                        CellText.WriteQuoted(_o, names[i]);
                    }
                    _o.Write(rowSep);
                }
                for (int i = 0; i < n; i++)
                {
                    if (i > 0) _o.Write(colSep);
                    WriteLiteral(st, i, insert: false);
                }
                _o.Write(rowSep);
                break;
            case OutputMode.Insert:
                _o.Write("INSERT INTO ");
                _o.Write(_s.InsertTable);
                if (_s.ShowHeader)
                {
                    _o.Write("(");
                    for (int i = 0; i < n; i++)
                    {
                        if (i > 0) _o.Write(",");
                        _o.Write(CellText.QuoteName(st.ColumnName(i)));
                    }
                    _o.Write(")");
                }
                _o.Write(" VALUES(");
                for (int i = 0; i < n; i++)
                {
                    if (i > 0) _o.Write(",");
                    WriteLiteral(st, i, insert: true);
                }
                _o.Write(");\n");
                break;
            case OutputMode.Json:
                _o.Write(rowIndex == 0 ? "[{" : ",\n{");
                for (int i = 0; i < n; i++)
                {
                    CellText.WriteJsonString(_o, names[i]);
                    _o.Write((byte)':');
                    switch (st.ColumnType(i))
                    {
                        case ValueKind.Null:
                            _o.Write("null");
                            break;
                        case ValueKind.Real:
                            {
                                double r = st.GetDouble(i);
                                if (double.IsPositiveInfinity(r)) _o.Write("1e999");
                                else if (double.IsNegativeInfinity(r)) _o.Write("-1e999");
                                else _o.Write(RealText.Format(r));
                                break;
                            }
                        case ValueKind.Blob:
                            CellText.WriteJsonString(_o, st.GetUtf8(i));
                            break;
                        case ValueKind.Text:
                            CellText.WriteJsonString(_o, CellText.CString(st.GetUtf8(i)));
                            break;
                        default:
                            _o.Write(st.GetUtf8(i));
                            break;
                    }
                    if (i < n - 1) _o.Write((byte)',');
                }
                _o.Write((byte)'}');
                break;
        }
    }

    private void WriteLiteral(Statement st, int i, bool insert)
    {
        switch (st.ColumnType(i))
        {
            case ValueKind.Null:
                _o.Write("NULL");
                break;
            case ValueKind.Integer:
                _o.Write(st.GetUtf8(i));
                break;
            case ValueKind.Real:
                {
                    double r = st.GetDouble(i);
                    if (insert && double.IsPositiveInfinity(r)) _o.Write("1e999");
                    else if (insert && double.IsNegativeInfinity(r)) _o.Write("-1e999");
                    else _o.Write(RealText.Format(r));
                    break;
                }
            case ValueKind.Blob:
                CellText.WriteBlobLiteral(_o, st.GetUtf8(i));
                break;
            default:
                if (insert && !_s.NewlinesAsIs) CellText.WriteQuotedEscaped(_o, CellText.CString(st.GetUtf8(i)));
                else CellText.WriteQuoted(_o, CellText.CString(st.GetUtf8(i)));
                break;
        }
    }

    // ------------------------------------------------------------ columnar modes

    private void PrintColumnar(Statement st, int n)
    {
        byte[] nullText = CellText.Utf8(_s.Quote ? "NULL" : _s.NullValue);
        var limits = new int[n];
        var widths = new int[n];
        for (int i = 0; i < n; i++)
        {
            int w = i < _s.ColumnWidths.Count ? _s.ColumnWidths[i] : 0;
            limits[i] = w != 0 ? Math.Abs(w) : _s.Wrap;
            widths[i] = Math.Abs(w);
        }
        // Display rows: the header first, then every line of every row.
        var lines = new List<byte[][]>();
        var rowEnds = new List<bool>();
        bool multiLine = false;
        var header = new byte[n][];
        for (int i = 0; i < n; i++) header[i] = CellText.DisplayLine(CellText.Utf8(st.ColumnName(i)), 0, limits[i], _s.WordWrap, out _);
        lines.Add(header);
        rowEnds.Add(true);
        Exception? error = null;
        try
        {
            do
            {
                var values = new byte[n][];
                for (int i = 0; i < n; i++) values[i] = ColumnarValue(st, i, nullText);
                var next = new int[n];
                bool first = true;
                bool more;
                do
                {
                    more = false;
                    var line = new byte[n][];
                    for (int i = 0; i < n; i++)
                    {
                        if (!first && next[i] < 0)
                        {
                            line[i] = [];
                            continue;
                        }
                        line[i] = CellText.DisplayLine(values[i], first ? 0 : next[i], limits[i], _s.WordWrap, out next[i]);
                        if (next[i] >= 0) more = true;
                    }
                    first = false;
                    lines.Add(line);
                    rowEnds.Add(!more);
                    if (more) multiLine = true;
                }
                while (more);
            }
            while (st.Step());
        }
        catch (Exception e)
        {
            error = e;
        }
        foreach (byte[][] line in lines)
        {
            for (int i = 0; i < n; i++) widths[i] = Math.Max(widths[i], CellText.Width(line[i]));
        }
        WriteColumnar(lines, rowEnds, multiLine, widths, n);
        if (error != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
    }

    private byte[] ColumnarValue(Statement st, int i, byte[] nullText)
    {
        if (st.IsNull(i)) return nullText;
        if (!_s.Quote) return CellText.CString(st.GetUtf8(i)).ToArray();
        var buffer = new MemoryStream();
        var o = new ShellOutput(buffer);
        switch (st.ColumnType(i))
        {
            case ValueKind.Integer: o.Write(st.GetUtf8(i)); break;
            case ValueKind.Real: o.Write(RealText.Format(st.GetDouble(i), 15)); break;
            case ValueKind.Blob: CellText.WriteBlobLiteral(o, st.GetUtf8(i)); break;
            default: CellText.WriteQuoted(o, CellText.CString(st.GetUtf8(i))); break;
        }
        o.Flush();
        return buffer.ToArray();
    }

    private bool RightAligned(int i) => i < _s.ColumnWidths.Count && _s.ColumnWidths[i] < 0;

    private void Pad(byte[] text, int width, bool right)
    {
        int n = CellText.Width(text);
        if (n >= width)
        {
            // Only as many characters as fit.
            int count = 0, p = 0;
            for (; p < text.Length; p++)
            {
                if ((text[p] & 0xC0) != 0x80)
                {
                    if (count == width) break;
                    count++;
                }
            }
            _o.Write(text.AsSpan(0, p));
            return;
        }
        if (right)
        {
            _o.Spaces(width - n);
            _o.Write(text);
        }
        else
        {
            _o.Write(text);
            _o.Spaces(width - n);
        }
    }

    private void Centered(byte[] text, int width)
    {
        int n = CellText.Width(text);
        int free = Math.Max(0, width - n);
        _o.Spaces(free / 2);
        _o.Write(text);
        _o.Spaces((free + 1) / 2);
    }

    private void Rule(int[] widths, string left, string fill, string middle, string right)
    {
        _o.Write(left);
        for (int i = 0; i < widths.Length; i++)
        {
            if (i > 0) _o.Write(middle);
            _o.Repeat(fill, widths[i] + 2);
        }
        _o.Write(right);
        _o.Write("\n");
    }

    private void WriteColumnar(List<byte[][]> lines, List<bool> rowEnds, bool multiLine, int[] widths, int n)
    {
        byte[][] header = lines[0];
        string colSep, rowStart, rowEnd;
        switch (_s.Mode)
        {
            case OutputMode.Column:
                colSep = "  ";
                rowStart = "";
                rowEnd = "\n";
                if (_s.ShowHeader)
                {
                    for (int i = 0; i < n; i++)
                    {
                        Pad(header[i], widths[i], RightAligned(i));
                        _o.Write(i == n - 1 ? "\n" : "  ");
                    }
                    for (int i = 0; i < n; i++)
                    {
                        _o.Repeat("-", widths[i]);
                        _o.Write(i == n - 1 ? "\n" : "  ");
                    }
                }
                break;
            case OutputMode.Table:
                colSep = " | ";
                rowStart = "| ";
                rowEnd = " |\n";
                Rule(widths, "+", "-", "+", "+");
                _o.Write("| ");
                for (int i = 0; i < n; i++)
                {
                    Centered(header[i], widths[i]);
                    _o.Write(i == n - 1 ? " |\n" : " | ");
                }
                Rule(widths, "+", "-", "+", "+");
                break;
            case OutputMode.Markdown:
                colSep = " | ";
                rowStart = "| ";
                rowEnd = " |\n";
                _o.Write("| ");
                for (int i = 0; i < n; i++)
                {
                    Centered(header[i], widths[i]);
                    _o.Write(i == n - 1 ? " |\n" : " | ");
                }
                Rule(widths, "|", "-", "|", "|");
                break;
            default: // Box
                colSep = " \u2502 ";
                rowStart = "\u2502 ";
                rowEnd = " \u2502\n";
                Rule(widths, "\u250c", "\u2500", "\u252c", "\u2510");
                _o.Write("\u2502 ");
                for (int i = 0; i < n; i++)
                {
                    Centered(header[i], widths[i]);
                    _o.Write(i == n - 1 ? " \u2502\n" : " \u2502 ");
                }
                Rule(widths, "\u251c", "\u2500", "\u253c", "\u2524");
                break;
        }
        for (int r = 1; r < lines.Count; r++)
        {
            _o.Write(rowStart);
            for (int i = 0; i < n; i++)
            {
                Pad(lines[r][i], widths[i], RightAligned(i));
                _o.Write(i == n - 1 ? rowEnd : colSep);
            }
            if (multiLine && rowEnds[r] && r + 1 < lines.Count)
            {
                switch (_s.Mode)
                {
                    case OutputMode.Table: Rule(widths, "+", "-", "+", "+"); break;
                    case OutputMode.Box: Rule(widths, "\u251c", "\u2500", "\u253c", "\u2524"); break;
                    case OutputMode.Column: _o.Write("\n"); break;
                }
            }
        }
        if (_s.Mode == OutputMode.Table) Rule(widths, "+", "-", "+", "+");
        else if (_s.Mode == OutputMode.Box) Rule(widths, "\u2514", "\u2500", "\u2534", "\u2518");
    }
}
