// The shell's output modes (sqlite3's `.mode` names) and the settings that shape output:
// separators, NULL text, headers, and the options of the columnar modes.
namespace Tern.Cli;

/// <summary>How result rows are printed.</summary>
public enum OutputMode
{
    /// <summary>One value per line: <c>name = value</c>.</summary>
    Line,
    /// <summary>Columns padded to a common width.</summary>
    Column,
    /// <summary>Values joined by the column separator (the default).</summary>
    List,
    /// <summary>HTML table rows.</summary>
    Html,
    /// <summary>TCL list elements.</summary>
    Tcl,
    /// <summary>Comma-separated values (RFC 4180).</summary>
    Csv,
    /// <summary>SQL INSERT statements.</summary>
    Insert,
    /// <summary>Values as SQL literals.</summary>
    Quote,
    /// <summary>Values separated by the ASCII unit and record separators.</summary>
    Ascii,
    /// <summary>A Markdown table.</summary>
    Markdown,
    /// <summary>An ASCII-art table.</summary>
    Table,
    /// <summary>A table drawn with box characters.</summary>
    Box,
    /// <summary>A JSON array of objects.</summary>
    Json,
    /// <summary>Only the number of rows.</summary>
    Count,
    /// <summary>No output.</summary>
    Off,
}

/// <summary>What `.eqp` prints before each statement runs.</summary>
public enum EqpMode
{
    /// <summary>Nothing.</summary>
    Off,
    /// <summary>The query plan.</summary>
    On,
    /// <summary>The query plan (sqlite3 adds the plans of triggers).</summary>
    Trigger,
    /// <summary>The query plan and the bytecode listing.</summary>
    Full,
}

/// <summary>The shell's output settings.</summary>
public sealed class ShellSettings
{
    /// <summary>The output mode.</summary>
    public OutputMode Mode { get; set; } = OutputMode.List;

    /// <summary>Whether column names are printed.</summary>
    public bool ShowHeader { get; set; }

    /// <summary>Whether the header setting was given explicitly (then `.mode column` leaves it alone).</summary>
    public bool HeaderSet { get; set; }

    /// <summary>Printed between columns (list, csv, tabs, ascii, tcl, quote).</summary>
    public string ColumnSeparator { get; set; } = "|";

    /// <summary>Printed after each row.</summary>
    public string RowSeparator { get; set; } = "\n";

    /// <summary>The text printed for NULL.</summary>
    public string NullValue { get; set; } = "";

    /// <summary>The widest a column grows in the columnar modes before its values wrap (0: no limit).</summary>
    public int Wrap { get; set; }

    /// <summary>Columnar modes wrap at spaces when they can.</summary>
    public bool WordWrap { get; set; }

    /// <summary>Columnar modes print values as SQL literals.</summary>
    public bool Quote { get; set; }

    /// <summary>Explicit column widths (`.width`); 0 means automatic, negative means right-aligned.</summary>
    public List<int> ColumnWidths { get; } = [];

    /// <summary>The table name that insert mode writes into, already quoted as needed.</summary>
    public string InsertTable { get; set; } = "\"table\"";

    /// <summary>Insert mode writes line breaks in text as they are rather than through replace() (`.dump --newlines`).</summary>
    public bool NewlinesAsIs { get; set; }

    /// <summary>Stop at the first error.</summary>
    public bool Bail { get; set; }

    /// <summary>Print each command before running it.</summary>
    public bool Echo { get; set; }

    /// <summary>Print "Run Time: real ... user ... sys ..." after each SQL input (`.timer`).</summary>
    public bool Timer { get; set; }

    /// <summary>Print the changes counts after each SQL input that succeeds (`.changes`).</summary>
    public bool CountChanges { get; set; }

    /// <summary>Print each statement's query plan before running it (`.eqp`).</summary>
    public EqpMode Eqp { get; set; }

    /// <summary>Whether the mode is one of the columnar modes, which print all rows at once.</summary>
    public static bool IsColumnar(OutputMode mode) => mode is OutputMode.Column or OutputMode.Table or OutputMode.Box or OutputMode.Markdown;
}
