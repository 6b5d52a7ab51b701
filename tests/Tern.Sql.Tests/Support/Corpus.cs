// Reads the SQL of the shared conformance corpora (../shared/corpus, see its README):
// sqllogictest records and sqltest test/setup bodies, with what each expects.
using System.Text;
using System.Text.RegularExpressions;

namespace Tern.Sql.Tests.Support;

/// <summary>One SQL script from the corpus.</summary>
/// <param name="Id">file:line of the record.</param>
/// <param name="Sql">The script (one or more statements).</param>
/// <param name="ExpectError">The corpus expects the script to fail.</param>
/// <param name="ErrorPattern">For sqltest, the expected message as a regular expression (null: any).</param>
/// <param name="IsSlt">True for sqllogictest records.</param>
public sealed record CorpusScript(string Id, string Sql, bool ExpectError, string? ErrorPattern, bool IsSlt);

public static class Corpus
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Tern.slnx"))) dir = Path.GetDirectoryName(dir);
        if (dir is null) throw new InvalidOperationException("repository root (Tern.slnx) not found above the test assembly");
        string corpus = Path.GetFullPath(Path.Combine(dir, "..", "shared", "corpus"));
        if (!Directory.Exists(corpus)) throw new InvalidOperationException($"corpus not found at {corpus}");
        return corpus;
    }

    private static readonly Lazy<IReadOnlyList<CorpusScript>> AllScripts = new(() => [.. Slt(), .. SqlTest()]);

    public static IReadOnlyList<CorpusScript> All => AllScripts.Value;

    public static IEnumerable<CorpusScript> Slt()
    {
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Root, "slt"), "*.test", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string rel = Path.GetRelativePath(Root, file);
            string[] lines = File.ReadAllText(file).Replace("\r", "").Split('\n');
            int i = 0;
            bool skip = false;
            while (i < lines.Length)
            {
                string line = lines[i];
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    if (line.Length == 0) skip = false;
                    i++;
                    continue;
                }
                if (line.StartsWith("skipif ")) { if (line[7..].Trim() == "sqlite") skip = true; i++; continue; }
                if (line.StartsWith("onlyif ")) { if (line[7..].Trim() != "sqlite") skip = true; i++; continue; }
                if (line == "halt")
                {
                    if (!skip) break;
                    i++;
                    continue;
                }
                if (line.StartsWith("statement ") || line.StartsWith("query "))
                {
                    int start = i;
                    bool isError = line.StartsWith("statement error");
                    i++;
                    var sql = new StringBuilder();
                    while (i < lines.Length && lines[i].Length > 0 && lines[i] != "----")
                    {
                        sql.Append(lines[i]).Append('\n');
                        i++;
                    }
                    while (i < lines.Length && lines[i].Length > 0) i++;
                    if (!skip) yield return new CorpusScript($"{rel}:{start + 1}", sql.ToString(), isError, null, true);
                    skip = false;
                    continue;
                }
                i++;
            }
        }
    }

    public static IEnumerable<CorpusScript> SqlTest()
    {
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Root, "sqltest"), "*.sqltest", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string rel = Path.GetRelativePath(Root, file);
            string text = File.ReadAllText(file).Replace("\r", "");
            if (Regex.IsMatch(text, @"^@skip-file-if\s+sqlite\b", RegexOptions.Multiline) || Regex.IsMatch(text, @"^@skip-file\b(?!-)", RegexOptions.Multiline))
            {
                continue;
            }
            foreach (CorpusScript s in ParseSqlTest(rel, text)) yield return s;
        }
    }

    private static IEnumerable<CorpusScript> ParseSqlTest(string rel, string text)
    {
        int pos = 0;
        int line = 1;
        bool skipNext = false;
        string? pendingTestId = null;
        string? pendingTestSql = null;
        bool pendingSkip = false;
        while (pos < text.Length)
        {
            int eol = text.IndexOf('\n', pos);
            if (eol < 0) eol = text.Length;
            string l = text[pos..eol].Trim();
            int lineNo = line;
            pos = eol + 1;
            line++;
            if (l.StartsWith("@skip-if") && Regex.IsMatch(l, @"^@skip-if\s+sqlite\b")) skipNext = true;
            if (Regex.IsMatch(l, @"^@skip\s")) skipNext = skipNext || false;
            if (!l.EndsWith('{')) continue;
            Match header = Regex.Match(l, @"^(\S+)\s*(.*?)\s*\{$");
            if (!header.Success) continue;
            string keyword = header.Groups[1].Value;
            string rest = header.Groups[2].Value;
            string body = ReadBlock(text, ref pos, ref line);
            switch (keyword)
            {
                case "setup":
                    yield return new CorpusScript($"{rel}:{lineNo}", Expand(body), false, null, false);
                    break;
                case "test":
                    pendingTestId = $"{rel}:{lineNo}";
                    pendingTestSql = Expand(body);
                    pendingSkip = skipNext;
                    skipNext = false;
                    break;
                case "expect":
                    if (pendingTestSql is null) break;
                    if (rest.StartsWith('@') && !rest.StartsWith("@cli")) break;
                    bool isError = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("error");
                    string? pattern = isError ? Expand(body).Trim() : null;
                    if (!pendingSkip)
                    {
                        yield return new CorpusScript(pendingTestId!, pendingTestSql, isError, string.IsNullOrEmpty(pattern) ? null : pattern, false);
                    }
                    // A later "expect @cli" for the same test replaces this one only if it exists;
                    // keep it simple: the first plain or @cli expectation wins.
                    pendingTestSql = null;
                    break;
                default:
                    skipNext = false;
                    break;
            }
        }
    }

    // Reads a brace block whose '{' ended the previous line; handles nesting and \{ \} \\.
    private static string ReadBlock(string text, ref int pos, ref int line)
    {
        var sb = new StringBuilder();
        int depth = 1;
        while (pos < text.Length)
        {
            char c = text[pos];
            if (c == '\\' && pos + 1 < text.Length && text[pos + 1] is '{' or '}' or '\\')
            {
                sb.Append(text[pos + 1]);
                pos += 2;
                continue;
            }
            if (c == '{') depth++;
            if (c == '}')
            {
                depth--;
                if (depth == 0)
                {
                    pos++;
                    break;
                }
            }
            if (c == '\n') line++;
            sb.Append(c);
            pos++;
        }
        // Single-line blocks ("expect { 1 }") and the usual multi-line ones.
        return sb.ToString().Trim('\n');
    }

    private const int ExprDepthLimit = 100;

    private static string Expand(string s)
    {
        // Lines that are sqlite3 shell dot-commands (.headers on, .dbconfig ...) are not SQL.
        s = Regex.Replace(s, @"^[ \t]*\..*$", "", RegexOptions.Multiline);
        s = s.Replace("{{expr_depth_limit}}", ExprDepthLimit.ToString());
        return Regex.Replace(s, @"\{\{repeat:([^:]+):(.*?)\}\}", m =>
        {
            string n = m.Groups[1].Value.Replace("expr_depth_limit", ExprDepthLimit.ToString());
            int count = EvalCount(n);
            return string.Concat(Enumerable.Repeat(m.Groups[2].Value, count));
        }, RegexOptions.Singleline);
    }

    private static int EvalCount(string expr)
    {
        Match m = Regex.Match(expr.Trim(), @"^(\d+)\s*([+-])\s*(\d+)$");
        if (m.Success)
        {
            int a = int.Parse(m.Groups[1].Value), b = int.Parse(m.Groups[3].Value);
            return m.Groups[2].Value == "+" ? a + b : a - b;
        }
        return int.Parse(expr.Trim());
    }
}
