// Shrinks a failing fuzz script to a small one that still fails the same way, so the
// failure message is ready to paste into a regression test. A script is a list of
// statements whose last one shows the failure; a signature function replays a candidate
// from scratch and names its failure (null: no failure, or a different one first).
//
// Passes, repeated until none makes progress or the replay budget runs out:
//   1. drop statements before the last (halves, quarters, ... then one at a time);
//   2. drop items of parenthesised comma lists and of the result list;
//   3. replace a balanced "( ... )" group by NULL, 0, 1, '' or one of its operands.
// The generator parenthesises every compound expression, so pass 3 walks expressions.
using System.Text;

namespace Tern.Tests.Fuzz;

internal sealed class FuzzReducer(Func<List<string>, string?> signature, int budget = 3000)
{
    private readonly Func<List<string>, string?> _signature = signature;
    private int _budget = budget;

    /// <summary>Replays used so far.</summary>
    public int Replays { get; private set; }

    public List<string> Reduce(List<string> script)
    {
        string? target = _signature(script);
        if (target == null) return script;
        var current = new List<string>(script);
        bool progress = true;
        while (progress && _budget > 0)
        {
            progress = DropStatements(current, target);
            for (int i = 0; i < current.Count && _budget > 0; i++)
            {
                progress |= ShrinkStatement(current, i, target);
            }
        }
        return current;
    }

    private bool Same(List<string> candidate, string target)
    {
        if (_budget <= 0) return false;
        _budget--;
        Replays++;
        return _signature(candidate) == target;
    }

    private bool DropStatements(List<string> s, string target)
    {
        bool any = false;
        for (int chunk = Math.Max(1, (s.Count - 1) / 2); chunk >= 1; chunk /= 2)
        {
            for (int start = 0; start + chunk <= s.Count - 1;)
            {
                var candidate = new List<string>(s);
                candidate.RemoveRange(start, chunk);
                if (Same(candidate, target))
                {
                    s.Clear();
                    s.AddRange(candidate);
                    any = true;
                }
                else
                {
                    start += chunk;
                }
            }
            if (chunk == 1) break;
        }
        return any;
    }

    private bool ShrinkStatement(List<string> s, int index, string target)
    {
        bool any = false;
        bool again = true;
        while (again && _budget > 0)
        {
            again = false;
            foreach (string candidate in Candidates(s[index]))
            {
                var trial = new List<string>(s) { [index] = candidate };
                if (Same(trial, target))
                {
                    s[index] = candidate;
                    any = again = true;
                    break;
                }
            }
        }
        return any;
    }

    /// <summary>Smaller versions of one statement, most aggressive first.</summary>
    private static IEnumerable<string> Candidates(string sql)
    {
        List<(int Open, int Close)> groups = Groups(sql);
        // Comma lists: drop one item.
        foreach ((int open, int close) in groups)
        {
            List<int> commas = TopLevelCommas(sql, open + 1, close);
            if (commas.Count == 0) continue;
            var bounds = new List<int> { open + 1 };
            bounds.AddRange(commas.Select(c => c + 1));
            var ends = new List<int>(commas) { close };
            for (int k = 0; k < bounds.Count; k++)
            {
                // remove item k with one adjacent comma
                int from = k == 0 ? bounds[0] : commas[k - 1];
                int to = k == 0 ? commas[0] + 1 : ends[k];
                yield return (sql[..from] + sql[to..]).Replace("( ", "(", StringComparison.Ordinal);
            }
        }
        // The result list of the first SELECT.
        int select = sql.IndexOf("SELECT ", StringComparison.Ordinal);
        int fromKw = select < 0 ? -1 : TopLevelIndex(sql, " FROM ", select);
        if (select >= 0 && fromKw > 0)
        {
            List<int> commas = TopLevelCommas(sql, select + 7, fromKw);
            int start = select + 7;
            foreach (int c in commas.Append(fromKw))
            {
                if (commas.Count == 0) break;
                string without = c == fromKw ? sql[..(commas[^1])] + sql[fromKw..] : sql[..start] + sql[(c + 1)..].TrimStart();
                yield return without;
                start = c + 1;
            }
        }
        // Expressions: replace a group by a constant or by one of its operands.
        foreach ((int open, int close) in groups)
        {
            string inner = sql[(open + 1)..close];
            string before = sql[..open];
            if (before.EndsWith("VALUES ", StringComparison.Ordinal) || before.TrimEnd().EndsWith("IN", StringComparison.Ordinal)
                || before.Length > 0 && (char.IsLetterOrDigit(before[^1]) || before[^1] == '_'))
            {
                // a function's or table's parentheses: only operands inside are candidates
                foreach (string operand in Operands(inner)) if (operand != inner) yield return before + "(" + operand + ")" + sql[(close + 1)..];
                continue;
            }
            foreach (string constant in new[] { "NULL", "0", "1", "''" })
                if (inner != constant) yield return before + constant + sql[(close + 1)..];
            foreach (string operand in Operands(inner))
                if (operand != inner) yield return before + operand + sql[(close + 1)..];
        }
    }

    /// <summary>Balanced parenthesis pairs outside quotes, outermost first.</summary>
    private static List<(int, int)> Groups(string sql)
    {
        var result = new List<(int, int)>();
        var stack = new Stack<int>();
        char quote = '\0';
        for (int i = 0; i < sql.Length; i++)
        {
            char ch = sql[i];
            if (quote != '\0')
            {
                if (ch == quote) quote = '\0';
                continue;
            }
            if (ch is '\'' or '"') quote = ch;
            else if (ch == '(') stack.Push(i);
            else if (ch == ')' && stack.Count > 0) result.Add((stack.Pop(), i));
        }
        result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }

    private static List<int> TopLevelCommas(string sql, int start, int end) =>
        TopLevelPositions(sql, start, end).Where(i => sql[i] == ',').ToList();

    private static int TopLevelIndex(string sql, string word, int start)
    {
        foreach (int i in TopLevelPositions(sql, start, sql.Length))
        {
            if (string.CompareOrdinal(sql, i, word, 0, word.Length) == 0) return i;
        }
        return -1;
    }

    /// <summary>Positions of the characters outside quotes and parentheses (parentheses themselves excluded).</summary>
    private static IEnumerable<int> TopLevelPositions(string sql, int start, int end)
    {
        int depth = 0;
        char quote = '\0';
        for (int i = start; i < end; i++)
        {
            char ch = sql[i];
            if (quote != '\0')
            {
                if (ch == quote) quote = '\0';
                continue;
            }
            if (ch is '\'' or '"') quote = ch;
            else if (ch == '(') depth++;
            else if (ch == ')') depth--;
            else if (depth == 0) yield return i;
        }
    }

    /// <summary>The top-level operands of an expression: parenthesised groups and words that are not keywords or operators.</summary>
    private static IEnumerable<string> Operands(string inner)
    {
        var tokens = new List<string>();
        int depth = 0;
        char quote = '\0';
        var sb = new StringBuilder();
        void Flush()
        {
            if (sb.Length > 0) tokens.Add(sb.ToString());
            sb.Clear();
        }
        foreach (char ch in inner)
        {
            if (quote != '\0')
            {
                sb.Append(ch);
                if (ch == quote) quote = '\0';
                continue;
            }
            if (depth == 0 && (ch == ' ' || ch == ','))
            {
                Flush();
                continue;
            }
            if (ch is '\'' or '"') quote = ch;
            else if (ch == '(') depth++;
            else if (ch == ')') depth--;
            sb.Append(ch);
        }
        Flush();
        foreach (string t in tokens)
        {
            if (t.Length == 0) continue;
            bool word = char.IsLetter(t[0]) && t.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '.');
            bool keyword = word && !t.Contains('.') && !(t.Length >= 2 && t[0] is 'c' or 'a' or 's' && char.IsDigit(t[1]));
            if (keyword) continue;
            if (t.All(c => "+-*/%|&<>=!~".Contains(c))) continue;
            yield return t;
        }
    }
}
