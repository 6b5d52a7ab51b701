// Tests of record comparison: SQLite's cross-class order, exact integer/real comparison near
// 2^53 and 2^63, BINARY text and blob order, DESC fields, prefixes, corruption, and random
// property tests against a naive reference (exact rationals via BigInteger) and against
// SQLite's own ORDER BY (through the sqlite3 shell).
using System.Numerics;
using System.Text;
using Tern.Storage.Record;
using Tern.Tests.Support;

namespace Tern.Tests.Storage.Record;

public class RecordComparerTests
{
    private static byte[] Rec(params Value[] values) => RecordEncoder.Encode(values);

    private static int Sign(int x) => Math.Sign(x);

    /// <summary>Compares two single values all three ways and checks that the ways agree.</summary>
    private static int CompareAllWays(Value a, Value b)
    {
        int viaRecords = Sign(RecordComparer.Compare(Rec(a), Rec(b), null));
        int viaKey = Sign(RecordComparer.Compare([a], Rec(b), null));
        int viaValues = Sign(RecordComparer.CompareValues(a, b));
        Assert.Equal(viaRecords, viaKey);
        Assert.Equal(viaRecords, viaValues);
        Assert.Equal(-viaRecords, Sign(RecordComparer.Compare(Rec(b), Rec(a), null)));
        return viaRecords;
    }

    [Fact]
    public void Compare_orders_NULL_then_numbers_then_text_then_blob_when_classes_differ()
    {
        Value[] ordered =
        [
            Value.Null,
            Value.FromReal(double.NegativeInfinity),
            Value.FromInteger(long.MinValue),
            Value.FromInteger(-1),
            Value.FromReal(-0.5),
            Value.FromInteger(0),
            Value.FromReal(0.5),
            Value.FromInteger(1),
            Value.FromInteger(long.MaxValue),
            Value.FromReal(double.PositiveInfinity),
            Value.FromText(""),
            Value.FromText("A"),
            Value.FromText("a"),
            Value.FromText("ab"),
            Value.FromText("é"),
            Value.FromBlob([]),
            Value.FromBlob([0]),
            Value.FromBlob([0, 0]),
            Value.FromBlob([1]),
        ];
        for (int i = 0; i < ordered.Length; i++)
        {
            for (int j = 0; j < ordered.Length; j++)
            {
                Assert.Equal(i.CompareTo(j), CompareAllWays(ordered[i], ordered[j]));
            }
        }
    }

    [Theory]
    [InlineData(long.MaxValue, 9223372036854775807.0, -1)]  // the double is 2^63
    [InlineData(long.MaxValue, 9223372036854774784.0, 1)]   // the largest double below 2^63
    [InlineData(9223372036854774784L, 9223372036854774784.0, 0)]
    [InlineData(9223372036854774783L, 9223372036854774784.0, -1)]
    [InlineData(long.MinValue, -9223372036854775808.0, 0)]
    [InlineData(long.MinValue, -9223372036854777856.0, 1)]  // the next double below -2^63
    [InlineData(long.MinValue + 1, -9223372036854775808.0, 1)]
    [InlineData(9007199254740993L, 9007199254740992.0, 1)]  // 2^53 + 1 vs 2^53
    [InlineData(9007199254740992L, 9007199254740992.0, 0)]
    [InlineData(9007199254740993L, 9007199254740994.0, -1)]
    [InlineData(-9007199254740993L, -9007199254740992.0, -1)]
    [InlineData(3L, 3.5, -1)]
    [InlineData(4L, 3.5, 1)]
    [InlineData(-3L, -3.5, 1)]
    [InlineData(-3L, -2.5, -1)]
    [InlineData(-4L, -3.5, -1)]
    [InlineData(0L, 0.0, 0)]
    [InlineData(0L, double.Epsilon, -1)]
    [InlineData(0L, -double.Epsilon, 1)]
    [InlineData(long.MaxValue, double.PositiveInfinity, -1)]
    [InlineData(long.MinValue, double.NegativeInfinity, 1)]
    [InlineData(long.MaxValue, 1e300, -1)]
    [InlineData(long.MinValue, -1e300, 1)]
    public void Compare_compares_exactly_when_an_integer_meets_a_real(long integer, double real, int expected)
    {
        Assert.Equal(expected, CompareAllWays(Value.FromInteger(integer), Value.FromReal(real)));
        Assert.Equal(expected, RecordComparer.CompareIntegerReal(integer, real));
    }

    [Fact]
    public void Compare_treats_negative_zero_as_zero_when_compared_with_numbers()
    {
        Value negativeZero = Value.FromReal(-0.0);
        Assert.Equal(0, CompareAllWays(Value.FromInteger(0), negativeZero));
        Assert.Equal(0, CompareAllWays(Value.FromReal(0.0), negativeZero));
        Assert.Equal(1, CompareAllWays(negativeZero, Value.FromInteger(-1)));
        Assert.Equal(0, RecordComparer.CompareIntegerReal(0, -0.0));
    }

    [Fact]
    public void Compare_orders_every_integer_encoding_when_integers_span_the_sizes()
    {
        long[] ordered = [long.MinValue, -(1L << 47) - 1, -(1L << 47), -(1L << 31) - 1, -(1L << 31), -(1L << 23) - 1, -(1L << 23), -32769, -32768, -129, -128, -1, 0, 1, 2, 127, 128, 32767, 32768, (1L << 23) - 1, 1L << 23, (1L << 31) - 1, 1L << 31, (1L << 47) - 1, 1L << 47, long.MaxValue];
        for (int i = 0; i < ordered.Length; i++)
        {
            for (int j = 0; j < ordered.Length; j++)
            {
                Assert.Equal(i.CompareTo(j), CompareAllWays(Value.FromInteger(ordered[i]), Value.FromInteger(ordered[j])));
            }
        }
    }

    [Theory]
    [InlineData("abc", "abd", -1)]
    [InlineData("ab", "abc", -1)]
    [InlineData("", "a", -1)]
    [InlineData("Z", "a", -1)]
    [InlineData("z", "é", -1)]    // UTF-8 bytes: 0x7A < 0xC3
    [InlineData("abc", "abc", 0)]
    [InlineData("b", "abc", 1)]
    public void Compare_uses_memcmp_then_length_when_both_are_text(string a, string b, int expected)
    {
        Assert.Equal(expected, CompareAllWays(Value.FromText(a), Value.FromText(b)));
        Assert.Equal(expected, CompareAllWays(Value.FromBlob(Encoding.UTF8.GetBytes(a)), Value.FromBlob(Encoding.UTF8.GetBytes(b))));
    }

    [Fact]
    public void Compare_treats_a_NaN_real_as_NULL_when_one_is_stored()
    {
        byte[] nanRecord = Convert.FromHexString("02077FF8000000000000");
        Assert.Equal(0, RecordComparer.Compare(nanRecord, Rec(Value.Null), null));
        Assert.True(RecordComparer.Compare(nanRecord, Rec(Value.FromInteger(long.MinValue)), null) < 0);
        Assert.True(RecordComparer.Compare(nanRecord, Rec(Value.FromReal(double.NegativeInfinity)), null) < 0);
        Assert.True(RecordComparer.Compare([Value.FromInteger(0)], nanRecord, null) > 0);
        Assert.Equal(0, RecordComparer.Compare([Value.FromReal(double.NaN)], nanRecord, null));
    }

    [Fact]
    public void Compare_decides_on_the_first_unequal_field_when_records_have_several()
    {
        byte[] a = Rec(Value.FromInteger(1), Value.FromText("b"), Value.FromInteger(0));
        byte[] b = Rec(Value.FromInteger(1), Value.FromText("c"), Value.FromInteger(-100));
        Assert.True(RecordComparer.Compare(a, b, null) < 0);
        Assert.True(RecordComparer.Compare(b, a, null) > 0);
        Assert.Equal(0, RecordComparer.Compare(a, a, null));
    }

    [Fact]
    public void Compare_negates_a_field_when_it_is_descending()
    {
        var info = new KeyInfo(false, true);
        byte[] a = Rec(Value.FromInteger(1), Value.FromText("b"));
        byte[] b = Rec(Value.FromInteger(1), Value.FromText("c"));
        byte[] c = Rec(Value.FromInteger(2), Value.FromText("a"));

        Assert.True(RecordComparer.Compare(a, b, info) > 0);
        Assert.True(RecordComparer.Compare(b, a, info) < 0);
        Assert.True(RecordComparer.Compare(a, c, info) < 0); // field 0 is still ascending
        Assert.True(RecordComparer.Compare([Value.FromInteger(1), Value.FromText("b")], b, info) > 0);
        Assert.True(RecordComparer.Compare([Value.FromInteger(1), Value.Null], b, info) > 0); // NULL is last in DESC
        Assert.True(RecordComparer.Compare(a, b, new KeyInfo(2)) < 0);
        Assert.True(RecordComparer.Compare(a, b, new KeyInfo(true)) < 0); // fields past the KeyInfo ascend
    }

    [Fact]
    public void Compare_returns_zero_when_the_shorter_side_is_an_equal_prefix()
    {
        byte[] full = Rec(Value.FromInteger(7), Value.FromText("x"), Value.FromInteger(99));
        byte[] prefix = Rec(Value.FromInteger(7), Value.FromText("x"));

        Assert.Equal(0, RecordComparer.Compare(prefix, full, null));
        Assert.Equal(0, RecordComparer.Compare(full, prefix, null));
        Assert.Equal(0, RecordComparer.Compare([Value.FromInteger(7)], full, null));
        Assert.Equal(0, RecordComparer.Compare(ReadOnlySpan<Value>.Empty, full, null));
        Assert.Equal(0, RecordComparer.Compare([Value.FromInteger(7), Value.FromText("x"), Value.FromInteger(1), Value.FromInteger(1)], prefix, null));
        Assert.True(RecordComparer.Compare([Value.FromInteger(7), Value.FromText("w")], full, null) < 0);
        Assert.True(RecordComparer.Compare([Value.FromInteger(8)], full, null) > 0);
    }

    public static TheoryData<string> CorruptRecords() => new()
    {
        "",            // no header
        "05010203",    // header size past the end
        "020A",        // reserved serial type 10
        "020B",        // reserved serial type 11
        "021361",      // text of 3 bytes, 1 present
        "02060000",    // 8-byte integer, 2 present
        "0281",        // serial type varint past the header's end
    };

    [Theory]
    [MemberData(nameof(CorruptRecords))]
    public void Compare_throws_corrupt_when_a_record_is_malformed(string hex)
    {
        byte[] bad = Convert.FromHexString(hex);
        byte[] good = Rec(Value.FromInteger(1), Value.FromInteger(2));

        Assert.Equal(ResultCode.Corrupt, Assert.Throws<TernException>(() => RecordComparer.Compare(bad, good, null)).Code);
        Assert.Equal(ResultCode.Corrupt, Assert.Throws<TernException>(() => RecordComparer.Compare(good, bad, null)).Code);
        Assert.Equal(ResultCode.Corrupt, Assert.Throws<TernException>(() => RecordComparer.Compare([Value.FromInteger(1)], bad, null)).Code);
    }

    [Fact]
    public void Compare_does_not_allocate_when_comparing_records_or_keys()
    {
        byte[] a = Rec(Value.FromInteger(1), Value.FromText("hello"), Value.FromReal(2.5), Value.FromBlob([1, 2, 3]));
        byte[] b = Rec(Value.FromInteger(1), Value.FromText("hello"), Value.FromInteger(2), Value.FromBlob([1, 2, 4]));
        Value[] key = [Value.FromInteger(1), Value.FromText("hello"), Value.FromReal(2.5), Value.FromBlob([1, 2, 3])];
        var info = new KeyInfo(false, false, true, false);
        int sum = RecordComparer.Compare(a, b, info) + RecordComparer.Compare(key, b, info);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            sum += RecordComparer.Compare(a, b, info) + RecordComparer.Compare(key, b, info);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, sum);
    }

    [Fact]
    public void Compare_agrees_with_a_naive_reference_when_values_are_random()
    {
        var random = new Random(2024);
        Value[] values = Enumerable.Range(0, 400).Select(_ => RandomValue(random)).ToArray();
        byte[][] records = values.Select(v => Rec(v)).ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            for (int j = 0; j < values.Length; j++)
            {
                int expected = ReferenceCompare(values[i], values[j]);
                if (Sign(RecordComparer.Compare(records[i], records[j], null)) != expected
                    || Sign(RecordComparer.Compare([values[i]], records[j], null)) != expected
                    || Sign(RecordComparer.CompareValues(values[i], values[j])) != expected)
                {
                    Assert.Fail($"{values[i]} vs {values[j]}: expected {expected}");
                }
            }
        }
    }

    [Fact]
    public void Compare_agrees_with_a_naive_lexicographic_reference_when_records_are_random_with_desc_fields()
    {
        var random = new Random(99);
        for (int round = 0; round < 3000; round++)
        {
            int fields = random.Next(1, 5);
            var descending = new bool[fields];
            for (int f = 0; f < fields; f++)
            {
                descending[f] = random.Next(2) == 0;
            }
            var info = new KeyInfo(descending);
            // Few distinct values per field, so that many comparisons go past the first field.
            Value[] a = Enumerable.Range(0, random.Next(1, fields + 1)).Select(_ => SmallValue(random)).ToArray();
            Value[] b = Enumerable.Range(0, random.Next(1, fields + 1)).Select(_ => SmallValue(random)).ToArray();

            int expected = 0;
            for (int f = 0; f < Math.Min(a.Length, b.Length) && expected == 0; f++)
            {
                expected = ReferenceCompare(a[f], b[f]) * (descending[f] ? -1 : 1);
            }

            Assert.Equal(expected, Sign(RecordComparer.Compare(Rec(a), Rec(b), info)));
            Assert.Equal(expected, Sign(RecordComparer.Compare(a, Rec(b), info)));
        }
    }

    [Fact]
    public void Compare_sorts_like_SQLite_ORDER_BY_when_values_are_random()
    {
        var random = new Random(31337);
        var values = new List<Value>();
        while (values.Count < 500)
        {
            Value v = RandomValue(random);
            if (ToSqlLiteral(v) is not null)
            {
                values.Add(v);
            }
        }

        // Ties (e.g. 2 and 2.0) are broken by position on both sides.
        var sql = new StringBuilder("SELECT column1 FROM (VALUES ");
        for (int i = 0; i < values.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append('(').Append(i).Append(", ").Append(ToSqlLiteral(values[i])).Append(')');
        }
        sql.Append(") ORDER BY column2, column1;\n");
        string output = SqliteShell.Run(":memory:", sql.ToString());
        int[] sqliteOrder = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();

        byte[][] records = values.Select(v => Rec(v)).ToArray();
        int[] ourOrder = Enumerable.Range(0, values.Count).ToArray();
        Array.Sort(ourOrder, (x, y) =>
        {
            int c = RecordComparer.Compare(records[x], records[y], null);
            return c != 0 ? c : x.CompareTo(y);
        });

        Assert.Equal(sqliteOrder, ourOrder);
    }

    // ----- Reference ordering, written naively: exact rationals, byte-by-byte loops. -----

    private static int ReferenceRank(Value v) => v.Kind switch
    {
        ValueKind.Null => 0,
        ValueKind.Real when double.IsNaN(v.AsReal) => 0,
        ValueKind.Integer or ValueKind.Real => 1,
        ValueKind.Text => 2,
        _ => 3,
    };

    private static int ReferenceCompare(Value a, Value b)
    {
        int ra = ReferenceRank(a);
        int rb = ReferenceRank(b);
        if (ra != rb)
        {
            return ra.CompareTo(rb);
        }
        switch (ra)
        {
            case 0:
                return 0;
            case 1:
                return CompareExact(a, b);
            default:
                ReadOnlySpan<byte> x = a.AsBytes;
                ReadOnlySpan<byte> y = b.AsBytes;
                for (int i = 0; i < x.Length && i < y.Length; i++)
                {
                    if (x[i] != y[i])
                    {
                        return x[i] < y[i] ? -1 : 1;
                    }
                }
                return x.Length.CompareTo(y.Length);
        }
    }

    private static int CompareExact(Value a, Value b)
    {
        // Infinities first; then both sides as exact fractions n/d with d > 0.
        double ia = Infinity(a);
        double ib = Infinity(b);
        if (ia != 0 || ib != 0)
        {
            return ia.CompareTo(ib);
        }
        (BigInteger na, BigInteger da) = Exact(a);
        (BigInteger nb, BigInteger db) = Exact(b);
        return (na * db).CompareTo(nb * da);

        static double Infinity(Value v) =>
            v.Kind == ValueKind.Real && double.IsInfinity(v.AsReal) ? Math.Sign(v.AsReal) : 0;
    }

    private static (BigInteger Numerator, BigInteger Denominator) Exact(Value v)
    {
        if (v.Kind == ValueKind.Integer)
        {
            return (v.AsInteger, BigInteger.One);
        }
        long bits = BitConverter.DoubleToInt64Bits(v.AsReal);
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xF_FFFF_FFFF_FFFF;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }
        exponent -= 1075;
        BigInteger n = mantissa;
        BigInteger d = BigInteger.One;
        if (exponent > 0)
        {
            n <<= exponent;
        }
        else
        {
            d <<= -exponent;
        }
        return (bits < 0 ? -n : n, d);
    }

    // ----- Random values that stress the interesting boundaries. -----

    private static readonly long[] InterestingIntegers =
    [
        0, 1, -1, 2, 127, 128, -128, -129, long.MaxValue, long.MinValue, long.MaxValue - 1, long.MinValue + 1,
        1L << 53, (1L << 53) + 1, (1L << 53) - 1, -(1L << 53), -(1L << 53) - 1, 9223372036854774784, 9223372036854774783,
        1L << 62, -(1L << 62), 3, -3, 1000000, 1L << 31, -(1L << 31),
    ];

    private static readonly double[] InterestingReals =
    [
        0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2.5, 3.0, -3.0, 9007199254740992.0, 9007199254740994.0, -9007199254740992.0,
        9223372036854775808.0, -9223372036854775808.0, 9223372036854774784.0, 4611686018427387904.0,
        1e300, -1e300, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, 1e18, -1e18, 1000000.5,
    ];

    private static Value RandomValue(Random random) => random.Next(10) switch
    {
        0 => Value.Null,
        1 => Value.FromInteger(InterestingIntegers[random.Next(InterestingIntegers.Length)] + random.Next(-2, 3)),
        2 => Value.FromInteger(random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64)),
        3 => Value.FromReal(InterestingReals[random.Next(InterestingReals.Length)]),
        4 => Value.FromReal((double)(random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64))),
        5 => Value.FromReal((random.NextInt64(-1L << 40, 1L << 40) >> random.Next(40)) + random.Next(4) * 0.25),
        6 => Value.FromReal(BitConverter.Int64BitsToDouble(random.NextInt64()) is var d && !double.IsNaN(d) ? d : 0.0),
        7 or 8 => Value.FromText(RandomText(random)),
        _ => Value.FromBlob(RandomBytes(random)),
    };

    private static Value SmallValue(Random random) => random.Next(8) switch
    {
        0 => Value.Null,
        1 or 2 => Value.FromInteger(random.Next(-1, 3)),
        3 => Value.FromReal(random.Next(-2, 4) * 0.5),
        4 or 5 => Value.FromText(random.Next(3) switch { 0 => "", 1 => "a", _ => "ab" }),
        _ => Value.FromBlob(random.Next(2) == 0 ? [] : [(byte)random.Next(2)]),
    };

    private static string RandomText(Random random)
    {
        string[] pieces = ["a", "b", "A", "z", "é", "€", "😀", "ab", " ", "\0"];
        var sb = new StringBuilder();
        int length = random.Next(5);
        for (int i = 0; i < length; i++)
        {
            sb.Append(pieces[random.Next(pieces.Length)]);
        }
        return sb.ToString();
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(5)];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(random.Next(3) == 0 ? random.Next(256) : random.Next(3));
        }
        return bytes;
    }

    /// <summary>
    /// A SQL literal whose value SQLite parses to exactly this value, or null when that is not
    /// certain (reals that are not integral or small dyadic fractions, text with NUL).
    /// </summary>
    private static string? ToSqlLiteral(Value v)
    {
        switch (v.Kind)
        {
            case ValueKind.Null:
                return "NULL";
            case ValueKind.Integer:
                return v.AsInteger == long.MinValue ? "(-9223372036854775807 - 1)" : v.AsInteger.ToString(System.Globalization.CultureInfo.InvariantCulture);
            case ValueKind.Real:
                double d = v.AsReal;
                if (double.IsInfinity(d))
                {
                    return d > 0 ? "1e999" : "-1e999";
                }
                bool simple = Math.Abs(d) < 1.8e19 && (Math.Floor(d) == d || (Math.Abs(d) < 1e12 && Math.Floor(d * 4) == d * 4));
                if (!simple)
                {
                    return null;
                }
                string r = d.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                return r.Contains('.') || r.Contains('E') ? r : r + ".0"; // keep it a REAL literal
            case ValueKind.Text:
                string s = v.AsString();
                return s.Contains('\0') ? null : "'" + s.Replace("'", "''") + "'";
            default:
                return "x'" + Convert.ToHexString(v.AsBytes) + "'";
        }
    }
}
