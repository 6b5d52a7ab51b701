// Differential tests of the built-in scalar functions beyond the first core set:
// printf/format with every conversion and flag, char, concat, quote, unhex, unistr and
// the other string helpers, iif and the likelihood functions, the math functions and
// the date and time functions. Each script runs on Tern and on SQLite 3.50.4 and the
// transcripts must match. Seeded generators add a few hundred printf formats and
// date/time expressions. Values that vary (random(), 'now') are checked by their
// properties instead. 'localtime' and 'utc' are compared in many time zones by
// LocalTimeDifferentialTests.
using System.Globalization;
using System.Text;

namespace Tern.Tests.Engine;

public class FunctionDifferentialTests
{
    public static TheoryData<string> PrintfScripts() => new(
        """
        select printf(''), printf('%s',''), printf('%.0s','abc'), printf('%n'), format('%d', 5), printf(NULL), printf(5), typeof(printf('%d',1));
        select printf('%d|%5d|%-5d|%05d|%+d|% d|%,d|%,d|%,015d|%.3d|%#x|%#X|%#o|%x|%u|%p', 42, 42, 42, 42, 42, 42, 1234567, -1234567, -1234567, 7, 255, 255, 8, -1, -1, 255);
        select printf('%f|%e|%E|%g|%G|%.2f|%10.3f|%-10.1e|%#g|%!g|%!.20f|%.20f|%.0f|%#.0f|%!.0f', 3.14159, 3.14159, 31415.9, 0.0001, 1e20, 2.345, -3.14159, 12345.678, 1.0, 1.0, 0.1, 0.1, 2.5, 2.5, 2.5);
        select printf('%f %f %f %e %g', 1e300, -0.0, 0.0, 0.0, 0.0), printf('%f|%e|%g|%010f|%+f|%05g', 1e400, -1e400, 1e400, 1e400, 1e400, -1e400);
        select printf('%d|%d|%d|%d|%d|%d|%d|%d|%d', '1e3', '  12abc', '9999999999999999999999', 1e100, x'3132', '-0x10', 3.99, -3.99, '-9999999999999999999999'), printf('%f|%f|%s|%s', '1e3x', x'31', 1.5, x'414243');
        select printf('%,f|%,.2f|%,g|%,e|%,x', 1234567.5, 1234.5, 1234567.0, 1234567.0, 1234567)
        """,
        """
        select printf('%*d|%-*d|%.*f|%*.*f|%.*f', 5, 1, -5, 1, 2, 3.14159, 8, 3, 2.5, -2, 3.14159);
        select printf('%c|%5c|%-5c|%.3c|%5.3c|%c|%-5.3c|', 'abc', 'x', 'x', 'é', 'y', 123, 'z');
        select printf('%q|%Q|%w|%Q|%q|%.2q|%10Q|%!.2q', 'it''s', 'it''s', 'a"b', NULL, NULL, 'a''''b', 'x', 'éé');
        select hex(printf('%c', '')), hex(printf('%c')), printf('%5-d', 3), printf('abc%y def'), printf('%'), printf('x%T y'), printf('%r %r %r %r %r %r %r %r', 1,2,3,4,11,12,13,101);
        select printf('%#Q', 'a'||char(10)||'\b'), printf('%#q', 'a'||char(10)||'''\b'), printf('%#w', 'a'||char(10)||'"\b'), printf('%#Q', 'ab\'), printf('%#q', NULL), printf('%#Q', NULL), printf('%#.3Q', 'a'||char(10)||'bcd'), printf('%#20Q|', 'a'||char(10));
        select printf('%#q', 'a\b'), printf('%#q', 'ab'), printf('%#Q', ''), printf('%#q', char(31)), printf('%#.2q', 'a'||char(10)||'b'), printf('%#!.2Q', 'é'||char(10)||'b')
        """,
        """
        select printf('%s|%10s|%-10s|%.2s|%!.2s|%!5s|%5s|%!-5s|', 'abc', 'abc', 'abc', 'héllo', 'héllo', 'é', 'é', 'é');
        select printf('%d %s %f', 1), printf('%d%%', 50), printf('%5%|%-5%|'), printf('%lld %ld %lu', 1, 2, -3), printf('%llx', 255);
        select printf('%.3e', 123456), printf('%.0e', 15), printf('%#.0e', 15), printf('%.10g', 1.0/3), printf('%.17g', 0.1), printf('%!.17g', 0.1), printf('%!.25e', 0.1), printf('%!.30f', 1.0/3);
        select printf('%g|%g|%g|%g|%g|%g', 100000, 1000000, 1e-4, 1e-5, 123456789, 0.000123456);
        select printf('%G|%E|%.3G', 1e-10, 1e-10, 1234567);
        select printf('%x|%X|%o|%#o|%#x', 0, 0, 0, 0, 0), printf('%+u', 5), printf('% x', 5), printf('%+x', 5)
        """,
        """
        select printf('%-05d|%-+5d|%0+5d|%0 5d|%08.3f|%-08.3f|%+08.3f|%08.3e', 42, 42, 42, 42, -3.14159, 3.14159, 3.14159, 31.4159);
        select printf('%d', -9223372036854775808), printf('%u', -9223372036854775808), printf('%x', -9223372036854775808), printf('%,d', -9223372036854775808), printf('%20.15d', 5);
        select printf('%.100f', 1.5), printf('%.50e', 1.5), printf('%300d|', 1);
        select printf('%s', 1e100), printf('%s', 0.1), printf('%d', 2.5), printf('%f', 'abc'), printf('%f', NULL);
        select printf('%.2f|%.2f|%.2f|%.2f|%.1f|%.1f|%.0f|%.0f|%.0f', 0.125, 0.375, 1.005, 2.675, 0.25, 0.35, 0.5, 1.5, 0.49999999999999994);
        select printf('%.15g|%.16g|%.17g|%!.15g|%!.16g|%!.17g|%!.20g', 0.1+0.2, 0.1+0.2, 0.1+0.2, 0.1+0.2, 0.1+0.2, 0.1+0.2, 0.1+0.2)
        """,
        """
        select printf('%e|%e|%e|%e', (1e-150 * 1e-150), 1.7976931348623157e308, 4.9406564584124654e-324, 2.2250738585072014e-308);
        select printf('%5.1s|', 'abc'), printf('%.*s', 2, 'abc'), printf('%*s|', -4, 'a'), printf('%.*s|', -1, 'abc'), printf('%*d', 4294967297, 1);
        select printf('%4.4294967297d', 1), printf('%99999999999d', 1) is null;
        select printf('%s %s', 'a', x'00'), hex(printf('%s', 'a'||char(0)||'b')), printf('%z|%z', 'zz', NULL);
        select printf('%c%c%c', 'h', 'é', '😀'), printf('%.2c', '😀'), printf('%!5c|', 'é'), printf('%5c|', 'é');
        select printf('%q', 'a''b'''), printf('%w', 'x"y'), printf('%Q', 3), printf('%Q', 1.5), printf('%Q', x'41')
        """,
        """
        select printf('%.3d', -5), printf('%+.3d', 5), printf('%08,d', 1234), printf('%,8d', 1234), printf('%-,8d|', 1234);
        select printf('%d %d', 1, 2, 3), printf('%1$d', 5), printf('%h', 5), printf('%hd', 5), printf('%Lf', 1.5), printf('%jd', 1);
        select printf('%.3f', 1e15), printf('%.3f', 123456789012345678), printf('%f', 9007199254740993), printf('%.20e', 123456789.123456789);
        select printf('%g', 1e15), printf('%g', 1e16), printf('%g', 123456), printf('%g', 1234567), printf('%#g', 123456), printf('%#.3g', 1), printf('%!.3g', 1), printf('%#!.3g', 1)
        """,
        """
        select printf('%é'), printf('a%é'), printf('%!c|%.0c|%0c|%#c|%,s|%+s|% s', 'é', 'x', 'x', 'x', 'abc', 'abc', 'abc'), printf(x'2564', 5), printf('%-!5s|%!-5.1s|', 'éa', 'éa');
        select printf('%*d|', -2147483648, 1), printf('%.*d|', -2147483648, 1), printf('%*d|', 2147483648, 1), printf('%*d|', 4294967295, 7), printf('%.*d|', 4294967298, 7), printf('%*.*d|', NULL, NULL, 7);
        select printf('%5.2%|'), printf('%-5c|', ''), printf('%3c|', NULL), printf('%.3c|', NULL) is null, hex(printf('%.3c', '')), printf('%ll'), printf('%l'), printf('%5'), printf('%.'), printf('%.5');
        select printf('%.5l'), printf('%5l'), printf('%.*'), printf('%*'), printf('%-'), printf('%#'), printf('abc%5.3'), printf('%ld|%lld|%llld', 1, 2, 3);
        select printf('%0-5d|%-05d|%05s|%05c|%05q|', 1, 2, 'a', 'b', 'c'), printf('%+.0f|% .0e|%+g', 0.5, 0.5, 0.0), printf('%#.3x|%#10o|%#010x', 1, 8, 255)
        """,
        """
        select printf('%.1e', 9.96), printf('%.0e', 9.5), printf('%.0f', 9.5), printf('%.2g', 0.0995), printf('%g', 999999.5), printf('%g', 9999995), printf('%.3g', 0.00099951), printf('%#.0g', 5);
        select printf('%r|%5r|%-5r|%05r|%,r|%.4r|%+r', 1, 2, 3, 4, 1001, 5, 11), printf('%r', -1), printf('%r', -12), printf('%r', 111), printf('%r', 112), printf('%r', 1013);
        select printf('%s %s %s', 'a', 'b'), printf('%s', printf('%d', 3)), printf(printf('%%%s', 'd'), 42), printf('%c', 'é'||'x');
        select quote(1e15), quote(1e16), quote(123456.789), quote(0.1), quote(1.0/7), quote(-0.000001), quote(2e-308), quote(5e-324), quote(1.7976931348623157e308), quote(9007199254740993.0);
        select printf('%f', 5e-324), printf('%.400f', 5e-324) = printf('%.400f', 0.0), printf('%!.30e', 5e-324), printf('%e', 2.2250738585072014e-308), printf('%.20g', 1.7976931348623157e308)
        """);

    public static TheoryData<string> StringScripts() => new(
        """
        select hex(char(65, 0x10ffff, 0x110000, -1, NULL, 0xD800, 233, 2.9, '66')), char(), typeof(char());
        select concat(1, NULL, 2.5, 'x', x'41'), concat(NULL), typeof(concat(NULL)), concat_ws(',', 1, NULL, 'b'), concat_ws(NULL, 1, 2), concat_ws(',', NULL), typeof(concat_ws(',', NULL)), concat_ws(1.5, 'a', 'b'), hex(concat_ws(',', x'00', 'b'));
        select concat_ws(',', '', 'a', '', 'b'), concat_ws(',', 'a', ''), concat_ws('', 'a', 'b'), concat('', ''), typeof(concat('')), concat_ws(',', 'a'), concat_ws(',',1,2.5,x'41'), hex(concat(x'0041', 'b'));
        select concat();
        select concat_ws(',');
        select min();
        select coalesce(1);
        select octet_length('héllo'), octet_length(x'0102'), octet_length(12.5), octet_length(NULL), octet_length(100), octet_length('')
        """,
        """
        select quote(1), quote(1.5), quote(0.1+0.2), quote('it''s'), quote(x'00ff'), quote(NULL), quote(1e300), quote(-1e400), quote(x''), quote(''), quote(1e100), quote(123456789012345678.0), quote(-9223372036854775808), quote(1.0/3), quote(100.0);
        select sign(5), sign(-2.5), sign(0), sign(0.0), sign('12'), sign('-1.5'), sign('abc'), sign(x'01'), sign(NULL), sign(' 5 '), sign('5x'), sign(-9223372036854775808), sign('1e3');
        select unhex('414243'), unhex('41 42', ' '), unhex('4 1', ' '), unhex('zz'), unhex(NULL), unhex('41', NULL), unhex('abc'), unhex(''), typeof(unhex('')), unhex('41-42-43', '-'), unhex('-4142-', '-'), unhex(4142), unhex('41éé42', 'é'), unhex(x'3431');
        select unhex('4'), unhex('414', ''), unhex(' 41', ' '), unhex('41 ', ' '), unhex('4142', 'xyz'), unhex('41x42', ''), unhex('414'), hex(unhex('aAbB')), unhex('41'||char(0)||'42');
        select unicode('é'), unicode(''), unicode(NULL), unicode(65), unicode(x'41'), unicode(x'ff'), unicode(x'c3'), unicode(x'e0a0'), unicode(x'f4908080'), unicode(x'c080'), unicode(x'80'), unicode(x'00'), unicode('😀'), unicode(x'eda080'), unicode(x'efbfbf');
        select unistr('a\u00e9b'), unistr('\\'), unistr('\0041\+01F600\U0001F600'), unistr(NULL), unistr(12), unistr('abc'), hex(unistr('\U00110000')), hex(unistr('\ud800')), hex(unistr('a\0000b')), unistr('\u00E9\u00e9'), unistr('a\\\\b'), unistr('\00e9x');
        select unistr('\x');
        select unistr('\u12')
        """,
        """
        select unistr('\');
        select unistr('\+00e9');
        select unistr('ab\');
        select hex(unistr('a'||char(0)||'\x'));
        select unistr_quote('a'''), unistr_quote(char(10)||'x\'), unistr_quote(12), unistr_quote(NULL), unistr_quote(x'01'), unistr_quote(1.5), unistr_quote('a'||char(7)||'b'||char(127)||'c'||char(0x80));
        select unistr_quote(char(27)||char(31)||char(1)), unistr_quote('a'||char(0)||char(1)), quote('a'||char(0)||'b'), hex(quote(x'00')), quote(cast('a'||char(0)||'b' as blob));
        select hex(zeroblob(3)), zeroblob(0), typeof(zeroblob(-1)), hex(zeroblob('2')), zeroblob(NULL), typeof(zeroblob(NULL)), length(randomblob(0)), length(randomblob(-5)), length(randomblob(10)), typeof(randomblob(NULL)), length(randomblob(NULL)), typeof(random()), length(zeroblob(2.9));
        select trim('xxaxx', 'x'), ltrim('xyaxy', 'yx'), rtrim('axyz', 'zy'), trim('abc', ''), trim(NULL, 'x'), trim('x', NULL), trim(123, 1), trim('ééaé', 'é'), typeof(trim(5)), trim(x'41', 'A'), typeof(trim(x'41', 'A')), ltrim('  a  '), trim(' a ', ' '), rtrim(1.50, '0'), trim('abcba', 'ab')
        """,
        """
        select iif(1, 'a', 'b'), iif(0, 'a', 'b'), iif(NULL, 'a', 'b'), iif('1', 1, 2), iif(0.5, 1, 2), iif(0, 1), iif(1,2,3,4), IIF(0,1,0,2,3), if(0,1,0,2), if(1, 'x');
        select iif(1);
        select IIF();
        select iif(1, 2, abs(-9223372036854775808)), iif(0, abs(-9223372036854775808), 3);
        select likely(5), unlikely('a'), likelihood(3, 0.0), likelihood(3, 1.0), typeof(likely(1.5)), likelihood(1, 0.25e0), likelihood(1, (0.5)), likelihood(1, .5);
        select likelihood(1, 1.5);
        select likelihood(1, '0.5');
        select likelihood(1, 1)
        """,
        """
        select likelihood(1, -0.5);
        select likely(1, 2);
        select likelihood(1);
        select sqlite_version(), sqlite_source_id(), typeof(sqlite_version())
        """,
        """
        select printf('%.2000000000d', 1) is null, printf('%2000000000d', 1) is null, printf('%-2000000000s|', 'a') is null;
        select zeroblob(1000000001);
        select randomblob(1000000001);
        select length(zeroblob(1000))
        """,
        """
        create table t(a, b);
        insert into t values (1, 'x'), (2, 'y'), (3, 'x');
        select iif(count(*) > 1, 'many', 'one'), likely(count(*)), unlikely(sum(a)) from t;
        select b, iif(sum(a) > 2, 'big', 'small'), printf('%d/%s', count(*), b) from t group by b order by b;
        select b from t group by b having iif(count(*) > 1, 1, 0);
        select a from t where likely(a > 1) order by a;
        select a from t where likelihood(a > 1, 0.9) and unlikely(b = 'x');
        select group_concat(printf('%03d', a)) from t;
        select max(date('2023-01-01', '+' || a || ' days')) from t
        """,
        """
        select substr('abcdef', '1e1'), substr('abcdef', 2, '2e0'), substr('abcdef', 2.9), substr('abcdef', '  3x'), substr(x'010203', '2');
        select abs('1e3'), abs(' -5 '), abs('abc'), abs(x'3132'), abs(-0.0), abs('-9223372036854775808');
        select length(1e3), hex(1.5), hex(-0.0), lower(1e20), instr(12345, 34), replace(1.5, '.', ','), trim(-0.0), upper(1e-5), length(-0.0);
        select round(-0.0), round(-0.0, 1), typeof(round(-0.4)), round(-0.4), round(1e15 + 0.5), round(123.456, 1e1), max(1, '2', 2.5), min(x'00', 'a', 1)
        """);

    public static TheoryData<string> MathScripts() => new(
        """
        select ceil(1.2), ceil(-1.2), ceil(5), ceil('5'), ceil('5.0'), ceil('abc'), ceil(x'35'), ceil(NULL), ceiling(-0.5), floor(-0.5), trunc(-2.7), trunc(2.7), trunc(9223372036854775807), floor('  -3.5 ');
        select ln(0), ln(-1), log(100), log(2, 8), log(1, 8), log(0.5, 8), log(2, -8), log(2, 'abc'), log('abc', 8), log(2, '8abc'), log10(1000), log2(8), log(8, 2), log(-2, 8), log(2, 0);
        select exp(1), exp(1000), pow(2, 10), power(2, 0.5), pow(0, -1), pow(-8, 1.0/3), mod(7, 3), mod(-7, 3), mod(7, 0), mod(7.5, 2), typeof(mod(7,3)), atan2(1, 1), pi(), degrees(pi()), radians(180), sqrt(2), sqrt(-1), sqrt('4');
        select sin(1), cos(1), tan(1), asin(2), acos(0.5), atan(1), sinh(1), cosh(1), tanh(1), asinh(1), acosh(1), acosh(0.5), atanh(0.5), atanh(1), atanh(2), sin('x'), sin(x'31');
        select pow(2, 1024), pow(-2, 0.5), pow(0, 0), pow(NULL, 1), pow(1, NULL), mod(NULL, 1), atan2(0, -1), atan2(-0.0, -1), mod(5, 1e308), exp(-1000), log(1e308), ln(1e-320), degrees(1e308), radians(1e-320);
        select ceil(9007199254740993.5), floor(-1e300), trunc(1e20), ceil('1e3'), typeof(ceil('1e3')), floor(' 7 '), typeof(floor(' 7 ')), trunc(-0.0), ceil(-0.0)
        """,
        """
        select sin(3.14159), cos(1e10), tan(1.5707963267948966), asin(1), acos(-1), atan(1e308), sinh(710), cosh(-710), tanh(-20), asinh(-1e300), acosh(1e300), atanh(-0.999999)
        """);

    public static TheoryData<string> DateTimeScripts() => new(
        """
        select date('2023-06-15'), time('2023-06-15 12:34:56'), datetime('2023-06-15T12:34:56.789'), julianday('2023-06-15'), unixepoch('2023-06-15 00:00:01');
        select date('2023-02-31'), datetime('2023-02-31 10:00'), date('2023-02-29'), date('2024-02-30'), date('2023-04-31'), date('2023-13-01'), date('2023-00-10'), date('2023-01-32'), date('2023-01-00');
        select datetime('2023-01-01 24:00:00'), time('24:00'), time('24:59:59'), time('25:00'), time('12:60'), time('12:59:60'), datetime('2023-01-01 12:00:00.5'), time('12:00:00.9999', 'subsec');
        select datetime('2023-01-01 12:00:00+02:00'), datetime('2023-01-01 12:00:00-05:30'), datetime('2023-01-01 12:00Z'), datetime('2023-01-01 12:00:00 +14:00'), datetime('2023-01-01 12:00:00 +15:00'), datetime('2023-01-01T12:00:00.123z'), datetime('2023-01-01 12:00 z  ');
        select date(2460000.5), date(0), date(-1), date(5373484.49), date(5373484.5), datetime(2460000.25), date('2460000.5'), date(' 2460000.5 '), date('2460000.5x'), julianday(2460000), typeof(julianday(2460000));
        select datetime(1700000000, 'unixepoch'), datetime(1700000000.5, 'unixepoch', 'subsec'), datetime(-1, 'unixepoch'), datetime('1700000000', 'unixepoch'), datetime(1700000000, 'start of day', 'unixepoch'), datetime(1e20, 'unixepoch'), datetime(253402300799, 'unixepoch'), datetime(253402300800, 'unixepoch')
        """,
        """
        select datetime(1700000000, 'auto'), datetime(2460000.5, 'auto'), datetime(-1, 'auto'), datetime(-210866760000, 'auto'), datetime(-210866760001, 'auto'), datetime('2023-01-01', 'auto'), datetime(1700000000, '+1 day', 'auto');
        select datetime(2460000.5, 'julianday'), datetime(-1, 'julianday'), datetime('2023-01-01', 'julianday'), datetime(2460000.5, '+1 day', 'julianday'), datetime(1e10, 'julianday');
        select date('2023-01-31', '+1 month'), date('2023-01-31', '+1 month', 'floor'), date('2023-01-31', '+1 month', 'ceiling'), date('2024-01-31', '+1 month'), date('2024-01-31', '+1 month', 'floor'), date('2023-03-31', '-1 month'), date('2024-02-29', '+1 year'), date('2024-02-29', '+1 year', 'floor'), date('2024-02-29', '-4 years');
        select date('2023-01-31', '+1 month', 'floor'), date('2023-01-31', '+1 month', '+1 day', 'floor'), date('2023-01-31', '+1 month', '+0 day', 'floor'), date('2023-03-31', '-1 month', 'floor'), date('2023-01-31', '+1 month', 'ceiling');
        select datetime('2023-06-15 12:00', '+1.5 days'), datetime('2023-06-15 12:00', '-1.5 hours'), datetime('2023-06-15 12:00', '+90 minutes'), datetime('2023-06-15 12:00', '+3661 seconds'), datetime('2023-06-15 12:00', '+1.5 months'), datetime('2023-06-15 12:00', '+1.5 years'), datetime('2023-06-15 12:00', '+0.001 seconds', 'subsec');
        select datetime('2023-06-15 12:00', '+1 DAYS'), datetime('2023-06-15 12:00', '1 day'), datetime('2023-06-15 12:00', '+1day'), datetime('2023-06-15 12:00', '+1  day'), datetime('2023-06-15 12:00', '+1 day '), datetime('2023-06-15 12:00', ' +1 day'), datetime('2023-06-15 12:00', '+1 fortnight'), datetime('2023-06-15 12:00', '+1 sec')
        """,
        """
        select datetime('2023-06-15 12:00', '+12:30'), datetime('2023-06-15 12:00', '-12:30'), datetime('2023-06-15 12:00', '+12:30:45.5'), datetime('2023-06-15 12:00', '+24:00'), datetime('2023-06-15 12:00', '+25:00'), datetime('2023-06-15 12:00', '12:30'), datetime('2023-06-15 12:00', '+1:30'), datetime('2023-06-15 12:00', '+12:30Z'), datetime('2023-06-15 12:00', '+12:30+01:00');
        select datetime('2023-06-15 12:00', '+0001-02-03'), datetime('2023-06-15 12:00', '-0001-02-03'), datetime('2023-06-15 12:00', '+0001-12-00'), datetime('2023-06-15 12:00', '+0001-00-31'), datetime('2023-06-15 12:00', '+0000-00-30 01:02:03'), datetime('2023-06-15 12:00', '0001-00-00'), datetime('2023-06-15 12:00', '+00001-00-00'), datetime('2023-06-15 12:00', '+0001-00-00x');
        select datetime('2023-06-15 12:34:56', 'start of day'), datetime('2023-06-15 12:34:56', 'start of month'), datetime('2023-06-15 12:34:56', 'start of year'), datetime('2023-06-15 12:34:56', 'start of week'), datetime('2023-06-15 12:34:56', 'START OF DAY'), datetime('2023-02-31', 'start of day'), date('2023-02-31', 'start of month'), datetime(1e20, 'start of day');
        select date('2023-06-15', 'weekday 0'), date('2023-06-15', 'weekday 4'), date('2023-06-15', 'weekday 6'), date('2023-06-15', 'weekday 7'), date('2023-06-15', 'weekday 1.5'), date('2023-06-15', 'weekday  3'), date('2023-06-15', 'weekday 3.0'), date('2023-06-15', 'weekday'), date('2023-06-15', 'WEEKDAY 1');
        select datetime('2023-06-15 12:34:56.789', 'subsec'), datetime('2023-06-15 12:34:56.789', 'subsecond'), time('12:34:56.789', 'subsec'), unixepoch('2023-06-15 12:34:56.789', 'subsec'), unixepoch('2023-06-15 12:34:56.789'), julianday('2023-06-15 12:34:56.789'), strftime('%s', '2023-06-15 12:34:56.789', 'subsec');
        select strftime('%d|%e|%f|%F|%H|%I|%j|%J|%k|%l|%m|%M|%p|%P|%R|%s|%S|%T|%u|%w|%W|%G|%g|%V|%U|%Y|%%', '2023-01-01 08:05:09.5')
        """,
        """
        select strftime('%d|%e|%f|%F|%H|%I|%j|%J|%k|%l|%m|%M|%p|%P|%R|%s|%S|%T|%u|%w|%W|%G|%g|%V|%U|%Y|%%', '2024-12-31 23:59:59.999');
        select strftime('%d|%e|%f|%F|%H|%I|%j|%J|%k|%l|%m|%M|%p|%P|%R|%s|%S|%T|%u|%w|%W|%G|%g|%V|%U|%Y|%%', '-0044-03-15 00:00:00');
        select strftime('%y', '2023-01-01'), strftime('%C', '2023-01-01'), strftime('%a', '2023-01-01'), strftime('abc%', '2023-01-01'), strftime('%Y %%', '2023-01-01'), strftime('', '2023-01-01'), typeof(strftime('', '2023-01-01')), strftime(NULL, '2023-01-01'), strftime('%Y', NULL), strftime('x%Yy', '2023-01-01', '+1 year');
        select date('-4713-11-24'), datetime('-4713-11-24 12:00:00'), datetime('-4713-11-24 11:59:59'), date('9999-12-31'), datetime('9999-12-31 23:59:59.999', 'subsec'), date('9999-12-31', '+1 day'), date('0000-01-01'), date('-0001-12-31'), julianday('-4713-11-24 12:00:00'), date('10000-01-01');
        select timediff('2024-01-01', '2023-01-01'), timediff('2023-01-01', '2024-01-01'), timediff('2023-03-31', '2023-02-28'), timediff('2023-02-28', '2023-03-31'), timediff('2024-03-01 12:34:56.789', '2023-01-31 01:02:03'), timediff('2023-01-01', '2023-01-01'), timediff(NULL, '2023-01-01'), timediff('2023-01-01', 'x');
        select timediff('2000-02-29', '1999-03-01'), timediff('1999-03-01', '2000-02-29'), timediff('2023-05-31', '2023-04-30'), timediff('2023-04-30', '2023-05-31'), timediff('2023-12-31 23:59:59', '2023-01-01'), timediff(2460000.5, 2450000.5), timediff('2023-01-31', '2023-02-28')
        """,
        """
        select date('2023-06-15 12:34:56', '+1 day', 'start of month', '-1 day'), date(' 2023-06-15'), date('2023-06-15 '), date('2023-06-15T'), date('2023-06-15TT12:00'), date('2023-6-15'), date('20230615'), date('2023/06/15'), time('1:00'), time('01:00:5');
        select date(NULL), date(''), date('now', NULL), date(x'323032332d30362d3135'), date(20230615), julianday('x'), date('2023-06-15', ''), datetime('12:00'), date('12:00'), julianday('12:00');
        select datetime('2023-06-15', '+5373485 days'), datetime('2023-06-15', '-5373484 days'), datetime('2023-06-15', '+176546 months'), datetime('2023-06-15', '+176545 months'), datetime('2023-06-15', '+14713 years'), datetime('2023-06-15', '+7977 years'), datetime('2023-06-15', '+7976 years'), datetime('2023-06-15', '+1e3 days'), datetime('2023-06-15', '+.5 days');
        select datetime('2023-06-15', '+464269060799 seconds'), datetime('2000-01-01', '+4.6427e14 seconds'), datetime('2000-01-01', '-1e15 seconds'), datetime('2000-01-01', '+7.7378e12 minutes');
        select strftime('%W %U %V %G', '2021-01-01'), strftime('%W %U %V %G', '2021-01-03'), strftime('%W %U %V %G', '2021-01-04'), strftime('%W %U %V %G', '2020-12-31'), strftime('%W %U %V %G %g', '2027-01-01'), strftime('%j', '2024-12-31'), strftime('%J', '2023-06-15 12:00:00.123'), strftime('%J', 0);
        select julianday('2023-06-15 12:00:00.0005'), julianday('2023-06-15 12:00:00.0015'), unixepoch('2023-06-15 12:00:00.9999', 'subsec'), datetime(1e-3, 'julianday'), julianday(2460000.123456789), unixepoch(2460000.123456789)
        """,
        """
        select date('2023-06-15', 5), date('2023-06-15', 1.5), date('2023-06-15', x'2b3120646179'), date('2023-06-15', '+1 day', NULL), typeof(date('NOW')), typeof(date(' now')), typeof(date('Now ')), typeof(datetime('SUBSEC')), length(datetime('subsecond'));
        select date('2023-06-15', '+1 month', '-1 month'), date('2023-01-31', '+1 month', '-1 month'), date('2023-01-31', '+1 month', '-1 month', 'floor'), date('2023-05-31', '-1 month', 'ceiling'), date('2023-05-31', '-1 month', 'floor'), date('2023-05-31', '-1 month', '+0 days', 'floor');
        select date('2023-01-31', '+1 months', 'floor', 'floor'), date('2023-03-31', 'floor'), date('2023-02-31', 'floor'), date('2023-02-31', '+0 day'), date('2023-02-31', 'start of month'), date('2023-02-31', 'weekday 1'), date('2024-02-31', 'floor'), date('2100-02-29', 'floor');
        select datetime('2023-06-15 12:00', '+1 day', '+1 day', '+1 day', '+1 day', '+1 day', '+1 day', '+1 day', '+1 day', '+1 day', '+1 day'), datetime('2023-06-15', 'start of year', '+6 months', 'weekday 1', '-7 days', 'start of day', '+12 hours');
        select time('12:00', '+1 hour'), time('23:30', '+1 hour'), date('12:00', '+1 day'), julianday('12:00', 'start of day'), datetime('12:00', 'start of month'), time('12:00:00.123', 'subsec', '+0.0005 seconds');
        select datetime(0.5), datetime('0.5'), datetime('-0.5'), datetime('-0.5', 'unixepoch'), datetime(1.5, 'auto'), datetime(5373484.4999, 'auto'), datetime(5373484.5, 'auto'), datetime(253402300799.9, 'auto'), datetime(-210866760000.5, 'auto')
        """,
        """
        select unixepoch('1970-01-01'), unixepoch('1969-12-31 23:59:59.999', 'subsec'), unixepoch('1969-12-31 23:59:59.999'), unixepoch(0, 'julianday', 'subsec'), julianday('1970-01-01', 'subsec'), unixepoch(-1, 'unixepoch', 'subsec');
        select strftime('%f', '2023-06-15 12:00:59.9995'), strftime('%S %f', 59.9999, 'unixepoch'), strftime('%s', '2023-06-15 12:00:00.5', 'subsec'), strftime('%s', '-1000-01-01'), strftime('%J', '2023-06-15 12:00:00.001'), strftime('%J', 2460000.123456789);
        select strftime('%%%d%%', '2023-06-15'), strftime('%d%', '2023-06-15'), strftime('%%', '2023-06-15'), strftime('%Y', '2023-06-15', 'bad'), strftime('%H:%M', '12:34'), strftime('%F %T', 'now') is not null, strftime('é%Yé', '2023-06-15');
        select timediff('2023-06-15 12:00', '2023-06-15 11:59:59.999'), timediff('2023-06-15', '2023-06-15 00:00:00.001'), timediff('2024-02-29', '2023-02-28'), timediff('2023-02-28', '2024-02-29'), timediff('9999-12-31', '-4713-11-24 12:00'), timediff('-4713-11-24 12:00', '9999-12-31 23:59:59.999');
        select timediff('2023-01-31', '2023-03-01'), timediff('2023-03-01', '2023-01-31'), timediff('2023-03-31 12:00', '2023-02-28 13:00'), timediff('2023-02-31', '2023-03-01'), timediff(0, 1), timediff(1, 0), timediff('12:00', '11:00');
        select date('2023-06-15 12:00:00.5+01:00'), datetime('2023-06-15 12:00:00 - 01:00'), datetime('2023-06-15 12:00:00-1:00'), datetime('2023-06-15 12:00-01:00:00'), datetime('2023-06-15 12:00 +01:00 '), datetime('2023-06-15 12:00+01:00Z'), datetime('2023-06-15 12:00ZZ'), time('12:00 Z'), time('12:00+02:00');
        select datetime('2023-06-15 12:00+02:00', 'utc'), datetime('2023-06-15 12:00+02:00', 'subsec'), datetime('12:00+02:00'), date('2023-06-15 01:00+02:00'), date('2023-06-15 23:00-02:00'), datetime('-0001-01-01 00:00+01:00'), datetime('-4713-11-24 12:00+01:00'), datetime('9999-12-31 23:00-01:00')
        """);

    [Theory]
    [MemberData(nameof(PrintfScripts))]
    public void Printf_matches_sqlite(string script) => Differential.AssertSame(script);

    [Theory]
    [MemberData(nameof(StringScripts))]
    public void String_functions_match_sqlite(string script) => Differential.AssertSame(script);

    [Theory]
    [MemberData(nameof(MathScripts))]
    public void Math_functions_match_sqlite(string script) => Differential.AssertSame(script);

    [Theory]
    [MemberData(nameof(DateTimeScripts))]
    public void Date_and_time_functions_match_sqlite(string script) => Differential.AssertSame(script);

    [Fact]
    public void Functions_on_table_values_match_sqlite() => Differential.AssertSame(
        """
        CREATE TABLE t(a, b TEXT, c REAL, d BLOB);
        INSERT INTO t VALUES (1, '2023-06-15', 2.5, x'41'), (-7, '12:30', -0.25, x''), (NULL, 'x', NULL, NULL), ('9', ' 2460000.5 ', 1e20, x'c3a9');
        SELECT printf('%5d|%-8s|%.3f|%s', a, b, c, d), quote(a), quote(b), quote(c), quote(d), unicode(b), octet_length(d) FROM t;
        SELECT date(b), time(b), julianday(b), sign(a), abs(c), ceil(c), floor(c), trunc(c), sqrt(c), concat(a, b, c), concat_ws('-', a, b, c, d) FROM t;
        SELECT iif(a > 0, 'pos', 'other'), if(c, 'c', 'no c'), likely(a), coalesce(unhex(hex(d)), 'none'), char(a + 64) FROM t WHERE b <> 'nope' ORDER BY 1;
        SELECT count(*), sum(sign(a)), group_concat(printf('%02d', a), '/') FROM t;
        SELECT a FROM t WHERE iif(a IS NULL, 1, a < 0) ORDER BY a
        """);

    [Fact]
    public void Current_time_keywords_are_wall_clock_values()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        using Statement s = c.Prepare("SELECT CURRENT_DATE, CURRENT_TIME, CURRENT_TIMESTAMP, unixepoch(CURRENT_TIMESTAMP)");
        Assert.True(s.Step());
        long after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", s.GetString(0)!);
        Assert.Matches(@"^\d{2}:\d{2}:\d{2}$", s.GetString(1)!);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", s.GetString(2)!);
        Assert.InRange(s.GetInt64(3), before, after);
    }

    [Fact]
    public void Now_is_the_wall_clock_in_every_form()
    {
        DateTime before = DateTime.UtcNow;
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        using Statement s = c.Prepare(
            "SELECT unixepoch(), unixepoch('now', 'subsec'), julianday('now'), datetime('now'), date(), time(), strftime('%s'), datetime('now', 'subsec'), datetime('subsec'), datetime('now', 'localtime')");
        Assert.True(s.Step());
        DateTime after = DateTime.UtcNow;
        long seconds = s.GetInt64(0);
        Assert.InRange(seconds, new DateTimeOffset(before).ToUnixTimeSeconds(), new DateTimeOffset(after).ToUnixTimeSeconds());
        Assert.Equal(ValueKind.Real, s.ColumnType(1));
        Assert.InRange(s.GetDouble(1), new DateTimeOffset(before).ToUnixTimeMilliseconds() / 1000.0, new DateTimeOffset(after).ToUnixTimeMilliseconds() / 1000.0);
        double jd = s.GetDouble(2);
        Assert.InRange(jd, before.ToOADate() + 2415018.5 - 1e-6, after.ToOADate() + 2415018.5 + 1e-6);
        DateTime parsed = DateTime.ParseExact(s.GetString(3)!, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.InRange(parsed, before.AddSeconds(-1), after);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", s.GetString(4)!);
        Assert.Matches(@"^\d{2}:\d{2}:\d{2}$", s.GetString(5)!);
        Assert.Matches(@"^\d+$", s.GetString(6)!);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$", s.GetString(7)!);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$", s.GetString(8)!);
        Assert.InRange(DateTime.ParseExact(s.GetString(9)!, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), before.AddSeconds(-1), after);
    }

    [Fact]
    public void Random_values_have_the_right_shape()
    {
        List<string> rows = Differential.RunTern(
            "SELECT typeof(random()), random() <> random(), typeof(randomblob(8)), length(randomblob(8)), length(randomblob(0)), randomblob(16) <> randomblob(16), length(randomblob(-3)), typeof(randomblob(NULL))");
        Assert.Equal("t:integer|i:1|t:blob|i:8|i:1|i:1|i:1|t:blob", rows[1]);
        var seen = new HashSet<string>();
        foreach (string row in Differential.RunTern("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 200) SELECT random() FROM n").Skip(1)) seen.Add(row);
        Assert.True(seen.Count > 190);
    }

    [Fact]
    public void Seeded_printf_formats_match_sqlite()
    {
        var rng = new Random(20250730);
        string[] realFlags = ["", "-", "+", " ", "#", "!", "0", ",", "!#", "0+", "-!", "#0", ",0"];
        string[] intFlags = ["", "-", "+", " ", "#", "!", "0", ",", "0,", "-0", "#0"];
        string[] widths = ["", "", "5", "12", "25"];
        string[] realPrecisions = ["", "", ".0", ".1", ".3", ".10", ".15", ".16", ".17", ".20", ".25", ".30"];
        string[] intPrecisions = ["", "", ".0", ".1", ".3", ".10", ".20"];
        string[] scales = ["1e10", "1e-10", "1e100", "1e-100", "1e200", "1e-200", "1e300", "65536.0"];
        long[] divisors = [1, 3, 7, 1000, 1000000000, 1000000000000000, 1L << 40, 17, 999999937];
        var sql = new StringBuilder();
        for (int k = 0; k < 250; k++)
        {
            long a = rng.Next(3) switch
            {
                0 => rng.NextInt64(-1000000000000000000, 1000000000000000000),
                1 => rng.Next(-1000, 1001),
                _ => rng.Next(1, 1000001),
            };
            string value = $"({a} / {divisors[rng.Next(divisors.Length)]}.0)";
            if (rng.Next(10) < 3) value = $"({value} * {scales[rng.Next(scales.Length)]})";
            var parts = new List<string>();
            for (int j = 0; j < 4; j++)
            {
                parts.Add("%" + realFlags[rng.Next(realFlags.Length)] + widths[rng.Next(widths.Length)]
                    + realPrecisions[rng.Next(realPrecisions.Length)] + "feEgG"[rng.Next(5)]);
            }
            sql.Append($"SELECT printf('{string.Join("|", parts)}', {value}, {value}, {value}, {value});\n");
        }
        for (int k = 0; k < 150; k++)
        {
            long v = rng.Next(4) switch
            {
                0 => rng.NextInt64(long.MinValue, long.MaxValue),
                1 => rng.Next(-1000, 1001),
                2 => 0,
                _ => -1,
            };
            var parts = new List<string>();
            for (int j = 0; j < 4; j++)
            {
                string[] convs = ["d", "i", "u", "x", "X", "o", "p", "r", "c", "s", "q", "Q", "w"];
                parts.Add("%" + intFlags[rng.Next(intFlags.Length)] + widths[rng.Next(widths.Length)]
                    + intPrecisions[rng.Next(intPrecisions.Length)] + convs[rng.Next(convs.Length)]);
            }
            sql.Append($"SELECT printf('{string.Join("|", parts)}', {v}, {v}, {v}, {v});\n");
        }
        Differential.AssertSame(sql.ToString());
    }

    [Fact]
    public void Seeded_real_to_text_conversions_match_sqlite()
    {
        // The text of a REAL is "%!.15g" with SQLite's half-up rounding of its own digits.
        var rng = new Random(15);
        long[] divisors = [1, 3, 7, 1000, 1000000000, 1000000000000000, 1L << 40, 17, 999999937, 10000000000000000, 100000000000000000];
        string[] scales = ["1e10", "1e-10", "1e100", "1e-100", "1e300", "65536.0", "1e15", "1e16"];
        var sql = new StringBuilder();
        for (int k = 0; k < 400; k++)
        {
            long a = rng.Next(3) switch
            {
                0 => rng.NextInt64(-1000000000000000000, 1000000000000000000),
                1 => rng.Next(-1000, 1001),
                _ => rng.Next(1, 1000001),
            };
            string value = $"({a} / {divisors[rng.Next(divisors.Length)]}.0)";
            if (rng.Next(10) < 3) value = $"({value} * {scales[rng.Next(scales.Length)]})";
            sql.Append($"SELECT CAST({value} AS TEXT), '' || {value}, quote({value});\n");
        }
        sql.Append("SELECT CAST(-0.0 AS TEXT), ceil(-0.5) || '', 1e15 || '', 1e14 || '', 0.0001 || '', 0.00001 || '', 123456789012345.6 || '', 1e100 || '', -1e-100 || '';\n");
        Differential.AssertSame(sql.ToString());
    }

    [Fact]
    public void Seeded_real_literals_and_round_match_sqlite()
    {
        // Decimal text is read with SQLite's own (not always nearest) double-double scaling;
        // round() prints with "%!.*f" and reads the text back the same way.
        var rng = new Random(30);
        var sql = new StringBuilder();
        int[] digitCounts = [1, 2, 3, 5, 10, 15, 16, 17, 18, 19, 20, 25];
        for (int k = 0; k < 300; k++)
        {
            var digits = new StringBuilder();
            int count = digitCounts[rng.Next(digitCounts.Length)];
            for (int j = 0; j < count; j++) digits.Append((char)('0' + rng.Next(10)));
            string d = digits.ToString().TrimStart('0');
            if (d.Length == 0) d = "1";
            int point = rng.Next(d.Length + 1);
            string number = point < d.Length ? d[..point] + "." + d[point..] : d + ".0";
            if (number[0] == '.') number = "0" + number;
            number += rng.Next(4) switch
            {
                0 => "e" + rng.Next(-320, 309).ToString(CultureInfo.InvariantCulture),
                1 => "e" + rng.Next(-30, 31).ToString(CultureInfo.InvariantCulture),
                _ => "",
            };
            sql.Append($"SELECT {number}, CAST('{number}' AS REAL), '{number}' + 0, round({number}, {rng.Next(-1, 32)});\n");
        }
        long[] divisors = [1, 3, 7, 8, 16, 1000, 1000000, 1000000000, 1000000000000000, 1L << 40];
        for (int k = 0; k < 200; k++)
        {
            long a = rng.Next(2) == 0 ? rng.NextInt64(-1000000000000000000, 1000000000000000000) : rng.Next(-100000, 100001);
            string value = $"({a} / {divisors[rng.Next(divisors.Length)]}.0)";
            sql.Append($"SELECT round({value}), round({value}, {rng.Next(0, 17)}), round({value}, '2'), round({value}, 2.7);\n");
        }
        sql.Append("SELECT round(2.5), round(-2.5), round(0.5), round(-0.4), round(-0.004, 2), round('abc'), round(x'31'), round(NULL), round(1, NULL), round(1e300, 2), round(4503599627370497.0), round(2.675, 2), round(1.005, 2), round(0.285, 2), typeof(round(5));\n");
        Differential.AssertSame(sql.ToString());
    }

    [Fact]
    public void Seeded_date_expressions_match_sqlite()
    {
        var rng = new Random(4713);
        string[] modifiers =
        [
            "+1 day", "-1 day", "+1.5 days", "+13 months", "-13 months", "+1 year", "-100 years", "+3600 seconds", "-90 minutes",
            "+25 hours", "start of day", "start of month", "start of year", "weekday 0", "weekday 3", "weekday 6", "subsec", "floor",
            "ceiling", "unixepoch", "julianday", "auto", "+12:30", "-01:15:30.5", "+0001-02-03", "-0002-11-30", "+0000-00-01 12:00",
            "+7 months", "-0.5 months", "+2.25 years", "+1000000 seconds", "-12345.678 minutes",
        ];
        string[] functions = ["date", "time", "datetime", "julianday", "unixepoch"];
        string TimeValue()
        {
            double k = rng.NextDouble();
            if (k > 0.9)
            {
                return rng.Next(3) switch
                {
                    0 => rng.NextInt64(-100000000000, 300000000000).ToString(CultureInfo.InvariantCulture),
                    1 => (rng.NextDouble() * 5373484).ToString("F4", CultureInfo.InvariantCulture),
                    _ => "'" + rng.Next().ToString(CultureInfo.InvariantCulture) + "'",
                };
            }
            int[] years = [rng.Next(-4713, 10000), rng.Next(1900, 2101), 2000, 2024, 1970, 9999, -4713, 0, 1, 1600];
            int y = years[rng.Next(years.Length)];
            int[] days = [rng.Next(1, 29), 29, 30, 31];
            string s = (y < 0 ? "-" + (-y).ToString("D4", CultureInfo.InvariantCulture) : y.ToString("D4", CultureInfo.InvariantCulture))
                + "-" + rng.Next(1, 13).ToString("D2", CultureInfo.InvariantCulture) + "-" + days[rng.Next(4)].ToString("D2", CultureInfo.InvariantCulture);
            if (k < 0.6)
            {
                s += (rng.Next(2) == 0 ? " " : "T") + rng.Next(0, 25).ToString("D2", CultureInfo.InvariantCulture) + ":" + rng.Next(0, 60).ToString("D2", CultureInfo.InvariantCulture);
                if (rng.NextDouble() < 0.7)
                {
                    s += ":" + rng.Next(0, 60).ToString("D2", CultureInfo.InvariantCulture);
                    if (rng.NextDouble() < 0.5) s += "." + rng.Next(0, 100000).ToString(CultureInfo.InvariantCulture)[..1];
                }
                string[] zones = ["Z", "+01:00", "-05:30", " +14:00", "-00:45"];
                if (rng.NextDouble() < 0.2) s += zones[rng.Next(zones.Length)];
            }
            return "'" + s + "'";
        }
        var sql = new StringBuilder();
        for (int k = 0; k < 400; k++)
        {
            var args = new List<string> { TimeValue() };
            int count = new[] { 0, 1, 1, 2, 2, 3, 4 }[rng.Next(7)];
            foreach (string m in modifiers.OrderBy(_ => rng.Next()).Take(count)) args.Add("'" + m + "'");
            string list = string.Join(", ", args);
            sql.Append($"SELECT {functions[rng.Next(functions.Length)]}({list}), strftime('%Y-%m-%d %H:%M:%f %j %J %s %u %w %W %U %V %G %I %p', {list});\n");
        }
        for (int k = 0; k < 100; k++) sql.Append($"SELECT timediff({TimeValue()}, {TimeValue()});\n");
        Differential.AssertSame(sql.ToString());
    }
}
