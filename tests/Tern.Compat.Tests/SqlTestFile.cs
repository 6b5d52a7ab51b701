// A parsed .sqltest file (format: ../shared/corpus/README.md). The file is a sequence of
//
//   # comment
//   @database :memory: | :temp: | PATH readonly        (one or more)
//   @skip-file "why" | @skip-file-if COND "why" | @requires-file CAP "why"
//   setup NAME { SQL }
//   [decorators] test NAME { SQL } expect [@BACKEND] [raw|unordered|pattern|error] { BODY } ...
//   [decorators] snapshot|snapshot-eqp|matrix NAME { SQL }
//
// with decorators @setup NAME, @skip "why", @skip-if COND "why", @requires CAP "why",
// @backend NAME, @cross-check-integrity and @var NAME { ... } (matrix variables). Blocks
// nest braces; \{ \} and \\ are escapes; the newline right after '{' and the one right
// before '}' are not part of the block.
using System.Text;

namespace Tern.Compat.Tests;

/// <summary>How an expect block compares.</summary>
public enum ExpectKind { Exact, Raw, Unordered, Pattern, Error }

/// <summary>One expect block.</summary>
public sealed record Expectation(ExpectKind Kind, string Body);

/// <summary>A database a file's tests run against.</summary>
public sealed record DatabaseSpec(string Location, bool ReadOnly)
{
    public override string ToString() => ReadOnly ? Location + " readonly" : Location;
}

/// <summary>A test, snapshot or matrix entry with its decorators.</summary>
public sealed class SqlTestCase
{
    public required string Name { get; init; }
    /// <summary>"test", "snapshot", "snapshot-eqp" or "matrix".</summary>
    public required string Kind { get; init; }
    public required string Sql { get; init; }
    public required int Line { get; init; }
    public List<string> Setups { get; } = [];
    /// <summary>Reasons this case is skipped for SQLite (empty: it runs).</summary>
    public List<string> SkipReasons { get; } = [];
    public string? Backend { get; set; }
    public List<string> Requires { get; } = [];
    public bool CrossCheckIntegrity { get; set; }
    public Expectation? Expect { get; set; }
    public Dictionary<string, Expectation> BackendExpects { get; } = new(StringComparer.Ordinal);

    /// <summary>The expectation for the sqlite3 shell: the @cli override if there is one.</summary>
    public Expectation? EffectiveExpect => BackendExpects.TryGetValue("cli", out Expectation? e) ? e : Expect;
}

/// <summary>A parsed .sqltest file.</summary>
public sealed class SqlTestFile
{
    public List<DatabaseSpec> Databases { get; } = [];
    public Dictionary<string, string> Setups { get; } = new(StringComparer.Ordinal);
    public List<SqlTestCase> Cases { get; } = [];
    /// <summary>File-level reasons to skip every case (for SQLite).</summary>
    public List<string> SkipReasons { get; } = [];
    public List<string> Requires { get; } = [];

    /// <summary>Parses the text of a .sqltest file.</summary>
    /// <exception cref="FormatException">The text does not follow the format.</exception>
    public static SqlTestFile Parse(string text)
    {
        var p = new Parser(text.Replace("\r", "", StringComparison.Ordinal));
        return p.ParseFile();
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        private int Line => 1 + text.AsSpan(0, Math.Min(_pos, text.Length)).Count('\n');

        private FormatException Error(string message) => new($"line {Line}: {message}");

        public SqlTestFile ParseFile()
        {
            var file = new SqlTestFile();
            var pending = new Pending();
            while (true)
            {
                SkipSpaceAndComments();
                if (_pos >= text.Length) break;
                string word = Word();
                switch (word)
                {
                    case "@database":
                        {
                            string spec = RestOfLine().Trim();
                            string[] parts = spec.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                            if (parts.Length == 0) throw Error("@database without a value");
                            file.Databases.Add(new DatabaseSpec(parts[0], parts.Length > 1 && parts[1] == "readonly"));
                            break;
                        }
                    case "@skip-file":
                        file.SkipReasons.Add("skip-file: " + RestOfLine().Trim());
                        break;
                    case "@skip-file-if":
                        {
                            string cond = Word();
                            string why = RestOfLine().Trim();
                            if (cond == "sqlite") file.SkipReasons.Add("skip-file-if sqlite: " + why);
                            break;
                        }
                    case "@requires-file":
                        file.Requires.Add(Word());
                        RestOfLine();
                        break;
                    case "setup":
                        {
                            string name = Word();
                            file.Setups[name] = Block();
                            break;
                        }
                    case "@setup":
                        pending.Setups.Add(Word());
                        break;
                    case "@skip":
                        pending.Skips.Add("skip: " + RestOfLine().Trim());
                        break;
                    case "@skip-if":
                        {
                            string cond = Word();
                            string why = RestOfLine().Trim();
                            if (cond == "sqlite") pending.Skips.Add("skip-if sqlite: " + why);
                            break;
                        }
                    case "@requires":
                        pending.Requires.Add(Word());
                        RestOfLine();
                        break;
                    case "@backend":
                        pending.Backend = Word();
                        break;
                    case "@cross-check-integrity":
                        pending.CrossCheck = true;
                        break;
                    case "@var":
                        Word();
                        Block();
                        break;
                    case "test" or "snapshot" or "snapshot-eqp" or "matrix":
                        {
                            int line = Line;
                            string name = Word();
                            string sql = Block();
                            var c = new SqlTestCase { Name = name, Kind = word, Sql = sql, Line = line };
                            c.Setups.AddRange(pending.Setups);
                            c.SkipReasons.AddRange(pending.Skips);
                            c.Requires.AddRange(pending.Requires);
                            c.Backend = pending.Backend;
                            c.CrossCheckIntegrity = pending.CrossCheck;
                            pending = new Pending();
                            if (word == "test") ParseExpects(c);
                            file.Cases.Add(c);
                            break;
                        }
                    default:
                        throw Error($"unexpected '{word}'");
                }
            }
            return file;
        }

        private void ParseExpects(SqlTestCase c)
        {
            while (true)
            {
                int save = _pos;
                SkipSpaceAndComments();
                if (_pos >= text.Length || Peek() != "expect")
                {
                    _pos = save;
                    break;
                }
                Word();
                string? backend = null;
                SkipInlineSpace();
                if (_pos < text.Length && text[_pos] == '@') backend = Word()[1..];
                SkipInlineSpace();
                ExpectKind kind = ExpectKind.Exact;
                if (_pos < text.Length && text[_pos] != '{')
                {
                    string modifier = Word();
                    kind = modifier switch
                    {
                        "raw" => ExpectKind.Raw,
                        "unordered" => ExpectKind.Unordered,
                        "pattern" => ExpectKind.Pattern,
                        "error" => ExpectKind.Error,
                        _ => throw Error($"unknown expect modifier '{modifier}'"),
                    };
                }
                var e = new Expectation(kind, Block());
                if (backend == null) c.Expect = e;
                else c.BackendExpects[backend] = e;
            }
            if (c.Expect == null && c.BackendExpects.Count == 0) throw Error($"test {c.Name} has no expect block");
        }

        private sealed class Pending
        {
            public List<string> Setups { get; } = [];
            public List<string> Skips { get; } = [];
            public List<string> Requires { get; } = [];
            public string? Backend { get; set; }
            public bool CrossCheck { get; set; }
        }

        private void SkipInlineSpace()
        {
            while (_pos < text.Length && text[_pos] is ' ' or '\t') _pos++;
        }

        private void SkipSpaceAndComments()
        {
            while (_pos < text.Length)
            {
                char c = text[_pos];
                if (char.IsWhiteSpace(c)) _pos++;
                else if (c == '#') RestOfLine();
                else break;
            }
        }

        private string Peek()
        {
            int save = _pos;
            string w = Word();
            _pos = save;
            return w;
        }

        // A run of non-space characters, or a double-quoted string (returned without its quotes).
        private string Word()
        {
            SkipInlineSpace();
            if (_pos < text.Length && text[_pos] == '"')
            {
                int end = text.IndexOf('"', _pos + 1);
                if (end < 0) throw Error("unterminated string");
                string s = text[(_pos + 1)..end];
                _pos = end + 1;
                return s;
            }
            int start = _pos;
            while (_pos < text.Length && !char.IsWhiteSpace(text[_pos]) && text[_pos] != '{') _pos++;
            if (_pos == start) throw Error("expected a word");
            return text[start.._pos];
        }

        private string RestOfLine()
        {
            int end = text.IndexOf('\n', _pos);
            if (end < 0) end = text.Length;
            string s = text[_pos..end];
            _pos = Math.Min(end + 1, text.Length);
            return s;
        }

        // A { ... } block: nested braces, \{ \} \\ escapes, the newline after '{' and before '}' dropped.
        private string Block()
        {
            SkipSpaceAndComments();
            if (_pos >= text.Length || text[_pos] != '{') throw Error("expected '{'");
            _pos++;
            var sb = new StringBuilder();
            int depth = 1;
            while (true)
            {
                if (_pos >= text.Length) throw Error("unterminated block");
                char c = text[_pos];
                if (c == '\\' && _pos + 1 < text.Length && text[_pos + 1] is '{' or '}' or '\\')
                {
                    sb.Append(text[_pos + 1]);
                    _pos += 2;
                    continue;
                }
                if (c == '{') depth++;
                else if (c == '}' && --depth == 0)
                {
                    _pos++;
                    break;
                }
                sb.Append(c);
                _pos++;
            }
            string body = sb.ToString();
            if (body.StartsWith('\n')) body = body[1..];
            if (body.EndsWith('\n')) body = body[..^1];
            return body;
        }
    }
}
