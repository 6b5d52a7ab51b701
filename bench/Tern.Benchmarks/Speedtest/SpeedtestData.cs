// The deterministic data of SQLite's speedtest1, rebuilt in C#: its pseudo-random
// generator (two 32-bit states, a Galois shift register xor a linear congruential
// generator, reset to the same seeds at the start of every test), its bit-reversing
// "swizzle" that maps 1..limit onto a scrambled but repeatable order, and its English
// number names ("one hundred twenty three") used as the text column. Both engines get
// exactly the same values, in the same order, from these functions.
using System.Text;

namespace Tern.Benchmarks.Speedtest;

/// <summary>speedtest1's pseudo-random number generator; reset before each test.</summary>
internal sealed class SpeedtestRandom
{
    private const uint SeedX = 0xad131d0b;
    private const uint SeedY = 0x44f9eac8;
    private uint _x = SeedX;
    private uint _y = SeedY;

    /// <summary>Puts the generator back at its seeds (speedtest1 does this when a test begins).</summary>
    public void Reset()
    {
        _x = SeedX;
        _y = SeedY;
    }

    /// <summary>The next 32-bit value.</summary>
    public uint Next()
    {
        // Shift register: shift right, and fold the taps back in when the low bit was set.
        uint taps = (_x & 1) != 0 ? 0xd0000001u : 0u;
        _x = (_x >> 1) ^ taps;
        // Linear congruential step, wrapping at 32 bits.
        _y = unchecked(_y * 1103515245u + 12345u);
        return _x ^ _y;
    }
}

/// <summary>speedtest1's helpers for keys and text values.</summary>
internal static class SpeedtestData
{
    private static readonly string[] Ones =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] Tens = ["", "ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    /// <summary>
    /// Reverses the low bits of <paramref name="value"/>, as many bits as <paramref name="limit"/> has:
    /// a repeatable scrambled order of 1..limit (limit of the form 2^k-1).
    /// </summary>
    public static uint Swizzle(uint value, uint limit)
    {
        uint result = 0;
        while (limit != 0)
        {
            result = (result << 1) | (value & 1);
            value >>= 1;
            limit >>= 1;
        }
        return result;
    }

    /// <summary>The smallest 2^k-1 that is at least <paramref name="limit"/>.</summary>
    public static uint RoundUpAllOnes(uint limit)
    {
        uint m = 1;
        while (m < limit) m = (m << 1) + 1;
        return m;
    }

    /// <summary>An integer square-root estimate by Newton's method, at most ten steps (as speedtest1 computes it).</summary>
    public static int EstimateSquareRoot(int x)
    {
        int guess = x / 2;
        for (int step = 0; guess > 0 && step < 10; step++)
        {
            int next = (guess + x / guess) / 2;
            if (next == guess) break;
            guess = next;
        }
        return guess;
    }

    /// <summary>The English name of <paramref name="n"/>: 123 is "one hundred twenty three".</summary>
    public static string NumberName(uint n)
    {
        var sb = new StringBuilder(64);
        AppendNumberName(sb, n);
        return sb.ToString();
    }

    private static void AppendNumberName(StringBuilder sb, uint n)
    {
        int start = sb.Length;
        AppendGroup(sb, start, ref n, 1_000_000_000, " billion");
        AppendGroup(sb, start, ref n, 1_000_000, " million");
        AppendGroup(sb, start, ref n, 1_000, " thousand");
        if (n >= 100)
        {
            Separate(sb, start);
            sb.Append(Ones[n / 100]).Append(" hundred");
            n %= 100;
        }
        if (n >= 20)
        {
            Separate(sb, start);
            sb.Append(Tens[n / 10]);
            n %= 10;
        }
        if (n > 0)
        {
            Separate(sb, start);
            sb.Append(Ones[n]);
        }
        if (sb.Length == start) sb.Append("zero");
    }

    private static void AppendGroup(StringBuilder sb, int start, ref uint n, uint unit, string unitName)
    {
        if (n < unit) return;
        Separate(sb, start);
        AppendNumberName(sb, n / unit);
        sb.Append(unitName);
        n %= unit;
    }

    private static void Separate(StringBuilder sb, int start)
    {
        if (sb.Length > start) sb.Append(' ');
    }
}
