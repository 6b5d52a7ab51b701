// Expression nodes. They mirror what SQLite's parser builds: parentheses leave no node,
// literal numbers keep their source text (digit separators removed) for the engine to
// convert, strings and names are dequoted, and an unqualified column reference keeps
// how it was quoted, because a double-quoted name that matches no column becomes a
// string literal when names are resolved.
namespace Tern.Sql.Ast;

/// <summary>The kind of a literal.</summary>
public enum LiteralKind
{
    /// <summary>An integer: decimal or <c>0x</c> hexadecimal text.</summary>
    Integer,
    /// <summary>A real number's text.</summary>
    Float,
    /// <summary>A string (the value, dequoted).</summary>
    String,
    /// <summary>A blob (its hex digits).</summary>
    Blob,
    /// <summary>NULL.</summary>
    Null,
    /// <summary>CURRENT_TIME.</summary>
    CurrentTime,
    /// <summary>CURRENT_DATE.</summary>
    CurrentDate,
    /// <summary>CURRENT_TIMESTAMP.</summary>
    CurrentTimestamp,
}

/// <summary>How an identifier was written.</summary>
public enum QuoteStyle
{
    /// <summary>Bare.</summary>
    None,
    /// <summary><c>"name"</c>.</summary>
    Double,
    /// <summary><c>[name]</c>.</summary>
    Bracket,
    /// <summary><c>`name`</c>.</summary>
    Backtick,
    /// <summary><c>'name'</c> where a string may name something.</summary>
    Single,
}

/// <summary>Prefix operators.</summary>
public enum UnaryOperator
{
    /// <summary><c>-x</c></summary>
    Negate,
    /// <summary><c>+x</c></summary>
    Plus,
    /// <summary><c>~x</c></summary>
    BitNot,
    /// <summary><c>NOT x</c></summary>
    Not,
}

/// <summary>Infix operators.</summary>
public enum BinaryOperator
{
    /// <summary>OR</summary>
    Or,
    /// <summary>AND</summary>
    And,
    /// <summary><c>=</c> or <c>==</c></summary>
    Eq,
    /// <summary><c>!=</c> or <c>&lt;&gt;</c></summary>
    Ne,
    /// <summary><c>&lt;</c></summary>
    Lt,
    /// <summary><c>&lt;=</c></summary>
    Le,
    /// <summary><c>&gt;</c></summary>
    Gt,
    /// <summary><c>&gt;=</c></summary>
    Ge,
    /// <summary>IS, IS NOT DISTINCT FROM</summary>
    Is,
    /// <summary>IS NOT, IS DISTINCT FROM</summary>
    IsNot,
    /// <summary><c>&amp;</c></summary>
    BitAnd,
    /// <summary><c>|</c></summary>
    BitOr,
    /// <summary><c>&lt;&lt;</c></summary>
    LShift,
    /// <summary><c>&gt;&gt;</c></summary>
    RShift,
    /// <summary><c>+</c></summary>
    Add,
    /// <summary><c>-</c></summary>
    Subtract,
    /// <summary><c>*</c></summary>
    Multiply,
    /// <summary><c>/</c></summary>
    Divide,
    /// <summary><c>%</c></summary>
    Remainder,
    /// <summary><c>||</c></summary>
    Concat,
    /// <summary><c>-&gt;</c></summary>
    JsonExtract,
    /// <summary><c>-&gt;&gt;</c></summary>
    JsonExtractText,
}

/// <summary>Pattern-matching operators.</summary>
public enum LikeOperator
{
    /// <summary>LIKE</summary>
    Like,
    /// <summary>GLOB</summary>
    Glob,
    /// <summary>REGEXP</summary>
    Regexp,
    /// <summary>MATCH</summary>
    Match,
}

/// <summary>The action of RAISE().</summary>
public enum RaiseAction
{
    /// <summary>RAISE(IGNORE)</summary>
    Ignore,
    /// <summary>RAISE(ROLLBACK, msg)</summary>
    Rollback,
    /// <summary>RAISE(ABORT, msg)</summary>
    Abort,
    /// <summary>RAISE(FAIL, msg)</summary>
    Fail,
}

/// <summary>A literal value.</summary>
/// <param name="Kind">What kind of literal.</param>
/// <param name="Value">Numbers: source text without digit separators; strings: the value; blobs: hex digits; otherwise the keyword.</param>
public sealed record Literal(LiteralKind Kind, string Value) : Expr;

/// <summary>A bound parameter.</summary>
/// <param name="Name">The token as written: <c>?</c>, <c>?3</c>, <c>:a</c>, <c>@a</c>, <c>$a</c>, <c>#a</c>.</param>
/// <param name="Number">
/// The parameter's index as SQLite numbers them within a statement: <c>?</c> takes the next
/// number, <c>?N</c> is N, a name reuses its number from an earlier appearance (or that
/// of a <c>?N</c> with no name of its own yet) and otherwise takes the next number.
/// </param>
public sealed record ParameterExpr(string Name, int Number) : Expr;

/// <summary>A column (or, when it names no column and is double-quoted, a string).</summary>
/// <param name="Schema">Schema name, or null.</param>
/// <param name="Table">Table name, or null.</param>
/// <param name="Column">Column name (dequoted).</param>
/// <param name="Quote">How the column name was quoted; for an unqualified name, "double-quoted or not" takes part in equality.</param>
public sealed record ColumnRef(string? Schema, string? Table, string Column, QuoteStyle Quote = QuoteStyle.None) : Expr
{
    /// <summary>True when written as <c>"name"</c>.</summary>
    public bool IsDoubleQuoted => Quote == QuoteStyle.Double;

    /// <inheritdoc/>
    public bool Equals(ColumnRef? other) =>
        other is not null && base.Equals(other) && Schema == other.Schema && Table == other.Table
        && Column == other.Column && (Table is not null || IsDoubleQuoted == other.IsDoubleQuoted);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Schema, Table, Column, Table is null && IsDoubleQuoted);
}

/// <summary>A prefix operator applied to an operand.</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Operand">The operand.</param>
public sealed record UnaryExpr(UnaryOperator Operator, Expr Operand) : Expr;

/// <summary>An infix operator.</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Left">Left operand.</param>
/// <param name="Right">Right operand.</param>
public sealed record BinaryExpr(BinaryOperator Operator, Expr Left, Expr Right) : Expr;

/// <summary><c>x [NOT] LIKE|GLOB|REGEXP|MATCH y [ESCAPE z]</c>.</summary>
/// <param name="Operator">Which operator.</param>
/// <param name="Not">True for the NOT form.</param>
/// <param name="Left">The value matched.</param>
/// <param name="Pattern">The pattern.</param>
/// <param name="Escape">The ESCAPE expression, or null.</param>
public sealed record LikeExpr(LikeOperator Operator, bool Not, Expr Left, Expr Pattern, Expr? Escape) : Expr;

/// <summary><c>x [NOT] BETWEEN low AND high</c>.</summary>
/// <param name="Not">True for NOT BETWEEN.</param>
/// <param name="Operand">The value tested.</param>
/// <param name="Low">Lower bound.</param>
/// <param name="High">Upper bound.</param>
public sealed record BetweenExpr(bool Not, Expr Operand, Expr Low, Expr High) : Expr;

/// <summary><c>x [NOT] IN (a, b, ...)</c>; the list may be empty.</summary>
/// <param name="Not">True for NOT IN.</param>
/// <param name="Operand">The value tested.</param>
/// <param name="Items">The list.</param>
public sealed record InListExpr(bool Not, Expr Operand, NodeList<Expr> Items) : Expr;

/// <summary><c>x [NOT] IN (SELECT ...)</c>.</summary>
/// <param name="Not">True for NOT IN.</param>
/// <param name="Operand">The value tested.</param>
/// <param name="Select">The subquery.</param>
public sealed record InSelectExpr(bool Not, Expr Operand, SelectStatement Select) : Expr;

/// <summary><c>x [NOT] IN [schema.]table</c> or <c>x IN func(args)</c> (a table-valued function).</summary>
/// <param name="Not">True for NOT IN.</param>
/// <param name="Operand">The value tested.</param>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Table">Table or function name.</param>
/// <param name="Arguments">Table-valued function arguments (empty when none).</param>
public sealed record InTableExpr(bool Not, Expr Operand, string? Schema, string Table, NodeList<Expr> Arguments) : Expr;

/// <summary><c>x ISNULL</c>, <c>x NOTNULL</c>, <c>x NOT NULL</c>.</summary>
/// <param name="Operand">The value tested.</param>
/// <param name="NotNull">True for NOTNULL / NOT NULL.</param>
public sealed record NullTestExpr(Expr Operand, bool NotNull) : Expr;

/// <summary><c>x COLLATE name</c>.</summary>
/// <param name="Operand">The operand.</param>
/// <param name="Collation">Collation name (dequoted).</param>
public sealed record CollateExpr(Expr Operand, string Collation) : Expr;

/// <summary><c>CAST(x AS type)</c>.</summary>
/// <param name="Operand">The value converted.</param>
/// <param name="TypeName">The type name's source text (may be empty).</param>
public sealed record CastExpr(Expr Operand, string TypeName) : Expr;

/// <summary>A function call, aggregate or window function.</summary>
/// <param name="Name">Function name (dequoted).</param>
/// <param name="Distinct">True for <c>f(DISTINCT ...)</c>.</param>
/// <param name="Arguments">Arguments (empty for <c>f()</c> and <c>f(*)</c>).</param>
/// <param name="Star">True for <c>f(*)</c>.</param>
/// <param name="OrderBy">ORDER BY inside the argument list.</param>
/// <param name="Filter">FILTER (WHERE ...) expression, or null.</param>
/// <param name="Over">OVER clause, or null.</param>
public sealed record FunctionCall(
    string Name, bool Distinct, NodeList<Expr> Arguments, bool Star,
    NodeList<OrderingTerm> OrderBy, Expr? Filter, OverClause? Over) : Expr;

/// <summary>The OVER clause of a window function: a window name or an inline window.</summary>
/// <param name="WindowName">For <c>OVER name</c>.</param>
/// <param name="Window">For <c>OVER (...)</c>.</param>
public sealed record OverClause(string? WindowName, WindowSpec? Window) : SqlNode;

/// <summary><c>CASE [x] WHEN ... THEN ... [ELSE ...] END</c>.</summary>
/// <param name="Operand">The value compared, or null.</param>
/// <param name="Whens">The WHEN/THEN pairs.</param>
/// <param name="Else">The ELSE result, or null.</param>
public sealed record CaseExpr(Expr? Operand, NodeList<CaseWhen> Whens, Expr? Else) : Expr;

/// <summary>One <c>WHEN condition THEN result</c>.</summary>
/// <param name="Condition">The condition (or the value compared with the CASE operand).</param>
/// <param name="Result">The result.</param>
public sealed record CaseWhen(Expr Condition, Expr Result) : SqlNode;

/// <summary><c>EXISTS (SELECT ...)</c>.</summary>
/// <param name="Select">The subquery.</param>
public sealed record ExistsExpr(SelectStatement Select) : Expr;

/// <summary>A scalar subquery <c>(SELECT ...)</c>.</summary>
/// <param name="Select">The subquery.</param>
public sealed record SubqueryExpr(SelectStatement Select) : Expr;

/// <summary>A row value <c>(a, b, ...)</c> (two or more items).</summary>
/// <param name="Items">The items.</param>
public sealed record RowValueExpr(NodeList<Expr> Items) : Expr;

/// <summary><c>RAISE(IGNORE)</c> or <c>RAISE(action, message)</c>.</summary>
/// <param name="Action">The action.</param>
/// <param name="Message">The message expression (null for IGNORE).</param>
public sealed record RaiseExpr(RaiseAction Action, Expr? Message) : Expr;
