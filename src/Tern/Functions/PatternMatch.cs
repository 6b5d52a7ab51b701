// LIKE and GLOB. LIKE: '%' any run of characters, '_' one character, ASCII letters match
// case-insensitively, an optional ESCAPE character makes the next one literal. GLOB:
// '*', '?', and '[...]' character classes ('^' negates, ranges with '-'), case-sensitive.
// like(pattern, text[, escape]) and glob(pattern, text) take the pattern first, as in SQLite.
// Pattern and text end at their first NUL, as C strings do. Under PRAGMA case_sensitive_like
// the compiler calls the case-sensitive like() below instead (letters must match exactly).
// A BLOB pattern or text matches nothing (0, even beside a NULL): the oracle build of SQLite
// is compiled with SQLITE_LIKE_DOESNT_MATCH_BLOBS, and so is the Debian sqlite3 shell.
using System.Text;
using Tern.Vdbe;

namespace Tern.Functions;

internal static class PatternMatch
{
    public static void Like(ReadOnlySpan<Mem> a, ref Mem r) => Like(a, ref r, caseSensitive: false);

    /// <summary>like() as PRAGMA case_sensitive_like = ON makes it: letters match only in the same case.</summary>
    public static void LikeCaseSensitive(ReadOnlySpan<Mem> a, ref Mem r) => Like(a, ref r, caseSensitive: true);

    /// <summary>The case-sensitive like() with two and with three arguments.</summary>
    public static readonly ScalarFunction CaseSensitiveLike2 = new("like", 2, LikeCaseSensitive), CaseSensitiveLike3 = new("like", 3, LikeCaseSensitive);

    private static void Like(ReadOnlySpan<Mem> a, ref Mem r, bool caseSensitive)
    {
        // SQLite's order: BLOB operands, the pattern's length, then the ESCAPE argument (NULL
        // gives NULL, more or less than one character is an error), and only then NULL operands.
        if (a[0].Kind == MemKind.Blob || a[1].Kind == MemKind.Blob)
        {
            r.SetInt(0);
            return;
        }
        CheckPatternLength(a[0]);
        int esc = -1;
        if (a.Length > 2)
        {
            if (a[2].IsNull)
            {
                r.SetNull();
                return;
            }
            int[] e = CodePoints(Encoding.UTF8.GetString(NumericText.ToUtf8(a[2])));
            if (e.Length != 1) throw new TernException(ResultCode.Error, "ESCAPE expression must be a single character");
            esc = e[0];
        }
        if (a[0].IsNull || a[1].IsNull)
        {
            r.SetNull();
            return;
        }
        int[] pattern = UpToNul(NumericText.ToUtf8(a[0]));
        int[] text = UpToNul(NumericText.ToUtf8(a[1]));
        r.SetInt(LikeMatch(pattern, 0, text, 0, esc, caseSensitive ? 0 : 32) ? 1 : 0);
    }

    /// <summary>SQLITE_MAX_LIKE_PATTERN_LENGTH: a longer pattern is refused before matching.</summary>
    private static void CheckPatternLength(in Mem pattern)
    {
        if (!pattern.IsNull && NumericText.ToUtf8(pattern).Length > Compiler.Limits.MaxLikePatternLength)
            throw new TernException(ResultCode.Error, "LIKE or GLOB pattern too complex");
    }

    public static void Glob(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (a[0].Kind == MemKind.Blob || a[1].Kind == MemKind.Blob)
        {
            r.SetInt(0);
            return;
        }
        CheckPatternLength(a[0]);
        if (a[0].IsNull || a[1].IsNull)
        {
            r.SetNull();
            return;
        }
        int[] pattern = UpToNul(NumericText.ToUtf8(a[0]));
        int[] text = UpToNul(NumericText.ToUtf8(a[1]));
        r.SetInt(GlobMatch(pattern, 0, text, 0) ? 1 : 0);
    }

    /// <summary>Text as SQLite's matcher reads it: a C string, ending at the first NUL.</summary>
    private static int[] UpToNul(ReadOnlySpan<byte> utf8)
    {
        int nul = utf8.IndexOf((byte)0);
        return CodePoints(Encoding.UTF8.GetString(nul >= 0 ? utf8[..nul] : utf8));
    }

    /// <summary>Characters as SQLite counts them: code points, so '_' and '?' match one emoji.</summary>
    private static int[] CodePoints(string text)
    {
        var list = new List<int>(text.Length);
        foreach (Rune rune in text.EnumerateRunes()) list.Add(rune.Value);
        return [.. list];
    }

    /// <summary>An ASCII upper-case letter moved by <paramref name="fold"/> (32: to lower case; 0: kept).</summary>
    private static int Fold(int c, int fold) => c is >= 'A' and <= 'Z' ? c + fold : c;

    private static bool LikeMatch(int[] p, int pi, int[] s, int si, int esc, int fold)
    {
        while (pi < p.Length)
        {
            int c = p[pi];
            if (c == esc)
            {
                pi++;
                if (pi >= p.Length) return false;
                if (si >= s.Length || Fold(p[pi], fold) != Fold(s[si], fold)) return false;
                pi++;
                si++;
                continue;
            }
            if (c == '%')
            {
                while (pi < p.Length && p[pi] == '%') pi++;
                if (pi == p.Length) return true;
                for (int k = si; k <= s.Length; k++)
                {
                    if (LikeMatch(p, pi, s, k, esc, fold)) return true;
                }
                return false;
            }
            if (si >= s.Length) return false;
            if (c != '_' && Fold(c, fold) != Fold(s[si], fold)) return false;
            pi++;
            si++;
        }
        return si == s.Length;
    }

    private static bool GlobMatch(int[] p, int pi, int[] s, int si)
    {
        while (pi < p.Length)
        {
            int c = p[pi];
            if (c == '*')
            {
                while (pi < p.Length && p[pi] == '*') pi++;
                if (pi == p.Length) return true;
                for (int k = si; k <= s.Length; k++)
                {
                    if (GlobMatch(p, pi, s, k)) return true;
                }
                return false;
            }
            if (si >= s.Length) return false;
            if (c == '?')
            {
                pi++;
                si++;
                continue;
            }
            if (c == '[')
            {
                int q = pi + 1;
                bool negate = q < p.Length && p[q] == '^';
                if (negate) q++;
                bool matched = false;
                bool first = true;
                while (q < p.Length && (first || p[q] != ']'))
                {
                    first = false;
                    if (q + 2 < p.Length && p[q + 1] == '-' && p[q + 2] != ']')
                    {
                        if (s[si] >= p[q] && s[si] <= p[q + 2]) matched = true;
                        q += 3;
                    }
                    else
                    {
                        if (s[si] == p[q]) matched = true;
                        q++;
                    }
                }
                if (q >= p.Length) return false;
                if (matched == negate) return false;
                pi = q + 1;
                si++;
                continue;
            }
            if (c != s[si]) return false;
            pi++;
            si++;
        }
        return si == s.Length;
    }
}
