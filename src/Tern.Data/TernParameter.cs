// A command parameter, shaped like Microsoft.Data.Sqlite's SqliteParameter: a name (with
// or without its $, @ or : prefix), a value converted to an SQLite storage class when
// bound (see ValueBinder), an optional TernType that picks the representation of dates,
// times, GUIDs and chars, and an optional Size that truncates text and blobs.
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Tern.Data;

/// <summary>A parameter of a <see cref="TernCommand"/>.</summary>
public class TernParameter : DbParameter
{
    private static readonly char[] Prefixes = ['@', '$', ':'];

    private string _parameterName = "";
    private string _sourceColumn = "";
    private int? _size;
    private TernType? _ternType;

    /// <summary>Creates a parameter.</summary>
    public TernParameter()
    {
    }

    /// <summary>Creates a parameter with a name and a value.</summary>
    /// <param name="name">The name, e.g. <c>$id</c> or <c>id</c>.</param>
    /// <param name="value">The value; null or <see cref="DBNull.Value"/> binds NULL.</param>
    public TernParameter(string? name, object? value)
    {
        ParameterName = name;
        Value = value;
    }

    /// <summary>Creates a parameter with a name and a type.</summary>
    /// <param name="name">The name.</param>
    /// <param name="type">The type to bind as.</param>
    public TernParameter(string? name, TernType type)
    {
        ParameterName = name;
        TernType = type;
    }

    /// <summary>Creates a parameter with a name, a type and a size.</summary>
    /// <param name="name">The name.</param>
    /// <param name="type">The type to bind as.</param>
    /// <param name="size">The most characters (text) or bytes (blob) to bind.</param>
    public TernParameter(string? name, TernType type, int size)
        : this(name, type) => Size = size;

    /// <summary>Creates a parameter with a name, a type, a size and a source column.</summary>
    /// <param name="name">The name.</param>
    /// <param name="type">The type to bind as.</param>
    /// <param name="size">The most characters (text) or bytes (blob) to bind.</param>
    /// <param name="sourceColumn">The source column (for data adapters).</param>
    public TernParameter(string? name, TernType type, int size, string? sourceColumn)
        : this(name, type, size) => SourceColumn = sourceColumn;

    /// <summary>The DbType; informational only, values are not converted by it.</summary>
    public override DbType DbType { get; set; } = DbType.String;

    /// <summary>The storage class the value binds as; inferred from the value unless set.</summary>
    public virtual TernType TernType
    {
        get => _ternType ?? ValueBinder.InferType(Value);
        set => _ternType = value;
    }

    /// <summary>Only <see cref="ParameterDirection.Input"/> is supported.</summary>
    public override ParameterDirection Direction
    {
        get => ParameterDirection.Input;
        set
        {
            if (value != ParameterDirection.Input) throw new ArgumentException($"The ParameterDirection '{value}' is not supported.");
        }
    }

    /// <summary>Whether the parameter accepts nulls (informational).</summary>
    public override bool IsNullable { get; set; }

    /// <summary>The parameter's name, with or without its prefix.</summary>
    [AllowNull]
    public override string ParameterName
    {
        get => _parameterName;
        set => _parameterName = value ?? "";
    }

    /// <summary>The most characters (text) or bytes (blob) bound; -1 or unset binds everything.</summary>
    public override int Size
    {
        get => _size ?? (Value is string s ? s.Length : Value is byte[] b ? b.Length : 0);
        set
        {
            if (value < -1) throw new ArgumentOutOfRangeException(nameof(value), value, null);
            _size = value;
        }
    }

    /// <summary>The source column (for data adapters).</summary>
    [AllowNull]
    public override string SourceColumn
    {
        get => _sourceColumn;
        set => _sourceColumn = value ?? "";
    }

    /// <summary>Whether the source column is nullable (for data adapters).</summary>
    public override bool SourceColumnNullMapping { get; set; }

    /// <summary>The value.</summary>
    public override object? Value { get; set; }

    /// <summary>Resets <see cref="DbType"/> and <see cref="TernType"/>.</summary>
    public override void ResetDbType() => ResetTernType();

    /// <summary>Resets <see cref="TernType"/> to be inferred from the value again.</summary>
    public virtual void ResetTernType()
    {
        DbType = DbType.String;
        _ternType = null;
    }

    /// <summary>Binds this parameter to the statement parameter of the same name; false when the statement has none.</summary>
    internal bool Bind(Statement statement)
    {
        if (string.IsNullOrEmpty(ParameterName)) throw new InvalidOperationException("ParameterName must be set.");
        int index = statement.ParameterIndex(ParameterName);
        if (index == 0 && (index = FindWithPrefix(statement)) == 0) return false;
        if (Value == null) throw new InvalidOperationException("Value must be set.");
        ValueBinder.Bind(statement, index, Value, _ternType, _size);
        return true;
    }

    /// <summary>Binds this parameter's value to the statement parameter at <paramref name="index"/>.</summary>
    internal void BindAt(Statement statement, int index)
    {
        if (Value == null) throw new InvalidOperationException("Value must be set.");
        ValueBinder.Bind(statement, index, Value, _ternType, _size);
    }

    private int FindWithPrefix(Statement statement)
    {
        if (Array.IndexOf(Prefixes, ParameterName[0]) >= 0) return 0;
        int found = 0;
        foreach (char p in Prefixes)
        {
            int i = statement.ParameterIndex(p + ParameterName);
            if (i == 0) continue;
            if (found != 0)
                throw new InvalidOperationException($"Cannot bind the value for parameter '{ParameterName}' because multiple matching parameters were found in the command text. Specify the parameter name with the symbol prefix, e.g. '@{ParameterName}'.");
            found = i;
        }
        return found;
    }
}
