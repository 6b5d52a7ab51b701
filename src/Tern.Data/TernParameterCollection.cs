// The parameters of a command, shaped like Microsoft.Data.Sqlite's
// SqliteParameterCollection: a list with lookups by name, AddWithValue, and the binding
// of every parameter to a prepared statement.
using System.Collections;
using System.Data.Common;

namespace Tern.Data;

/// <summary>The parameters of a <see cref="TernCommand"/>.</summary>
public class TernParameterCollection : DbParameterCollection, IEnumerable<TernParameter>
{
    private readonly List<TernParameter> _parameters = [];

    /// <summary>Creates an empty collection.</summary>
    protected internal TernParameterCollection()
    {
    }

    /// <summary>The number of parameters.</summary>
    public override int Count => _parameters.Count;

    /// <summary>An object to synchronise on.</summary>
    public override object SyncRoot => ((ICollection)_parameters).SyncRoot;

    /// <summary>The parameter at <paramref name="index"/>.</summary>
    /// <param name="index">The zero-based index.</param>
    public new virtual TernParameter this[int index]
    {
        get => _parameters[index];
        set
        {
            if (_parameters[index] == value) return;
            _parameters[index] = value;
        }
    }

    /// <summary>The parameter named <paramref name="parameterName"/>.</summary>
    /// <param name="parameterName">The name.</param>
    public new virtual TernParameter this[string parameterName]
    {
        get => this[IndexOfChecked(parameterName)];
        set => this[IndexOfChecked(parameterName)] = value;
    }

    /// <summary>Adds a parameter (must be a <see cref="TernParameter"/>).</summary>
    /// <param name="value">The parameter.</param>
    /// <returns>Its index.</returns>
    public override int Add(object value)
    {
        _parameters.Add((TernParameter)value);
        return Count - 1;
    }

    /// <summary>Adds a parameter.</summary>
    /// <param name="value">The parameter.</param>
    /// <returns>The parameter.</returns>
    public virtual TernParameter Add(TernParameter value)
    {
        _parameters.Add(value);
        return value;
    }

    /// <summary>Adds a parameter with a name and a type.</summary>
    /// <param name="parameterName">The name.</param>
    /// <param name="type">The type.</param>
    public virtual TernParameter Add(string? parameterName, TernType type) => Add(new TernParameter(parameterName, type));

    /// <summary>Adds a parameter with a name, a type and a size.</summary>
    /// <param name="parameterName">The name.</param>
    /// <param name="type">The type.</param>
    /// <param name="size">The size.</param>
    public virtual TernParameter Add(string? parameterName, TernType type, int size) => Add(new TernParameter(parameterName, type, size));

    /// <summary>Adds a parameter with a name, a type, a size and a source column.</summary>
    /// <param name="parameterName">The name.</param>
    /// <param name="type">The type.</param>
    /// <param name="size">The size.</param>
    /// <param name="sourceColumn">The source column.</param>
    public virtual TernParameter Add(string? parameterName, TernType type, int size, string? sourceColumn) =>
        Add(new TernParameter(parameterName, type, size, sourceColumn));

    /// <summary>Adds parameters (each must be a <see cref="TernParameter"/>).</summary>
    /// <param name="values">The parameters.</param>
    public override void AddRange(Array values) => AddRange(values.Cast<TernParameter>());

    /// <summary>Adds parameters.</summary>
    /// <param name="values">The parameters.</param>
    public virtual void AddRange(IEnumerable<TernParameter> values) => _parameters.AddRange(values);

    /// <summary>Adds a parameter with a name and a value.</summary>
    /// <param name="parameterName">The name.</param>
    /// <param name="value">The value.</param>
    public virtual TernParameter AddWithValue(string? parameterName, object? value) => Add(new TernParameter(parameterName, value));

    /// <summary>Removes every parameter.</summary>
    public override void Clear() => _parameters.Clear();

    /// <summary>Whether the collection holds this parameter.</summary>
    /// <param name="value">The parameter.</param>
    public override bool Contains(object value) => value is TernParameter p && _parameters.Contains(p);

    /// <summary>Whether the collection holds this parameter.</summary>
    /// <param name="value">The parameter.</param>
    public virtual bool Contains(TernParameter value) => _parameters.Contains(value);

    /// <summary>Whether the collection holds a parameter with this name.</summary>
    /// <param name="value">The name.</param>
    public override bool Contains(string value) => IndexOf(value) != -1;

    /// <summary>Copies the parameters into an array.</summary>
    /// <param name="array">The array (of <see cref="TernParameter"/>).</param>
    /// <param name="index">Where to start.</param>
    public override void CopyTo(Array array, int index) => CopyTo((TernParameter[])array, index);

    /// <summary>Copies the parameters into an array.</summary>
    /// <param name="array">The array.</param>
    /// <param name="index">Where to start.</param>
    public virtual void CopyTo(TernParameter[] array, int index) => _parameters.CopyTo(array, index);

    /// <summary>Enumerates the parameters.</summary>
    public override IEnumerator GetEnumerator() => _parameters.GetEnumerator();

    IEnumerator<TernParameter> IEnumerable<TernParameter>.GetEnumerator() => _parameters.GetEnumerator();

    /// <summary>The parameter at an index.</summary>
    /// <param name="index">The index.</param>
    protected override DbParameter GetParameter(int index) => this[index];

    /// <summary>The parameter with a name.</summary>
    /// <param name="parameterName">The name.</param>
    protected override DbParameter GetParameter(string parameterName) => GetParameter(IndexOfChecked(parameterName));

    /// <summary>The index of a parameter, or -1.</summary>
    /// <param name="value">The parameter.</param>
    public override int IndexOf(object value) => value is TernParameter p ? _parameters.IndexOf(p) : -1;

    /// <summary>The index of a parameter, or -1.</summary>
    /// <param name="value">The parameter.</param>
    public virtual int IndexOf(TernParameter value) => _parameters.IndexOf(value);

    /// <summary>The index of the parameter with this exact name, or -1.</summary>
    /// <param name="parameterName">The name.</param>
    public override int IndexOf(string parameterName) => _parameters.FindIndex(p => p.ParameterName == parameterName);

    /// <summary>Inserts a parameter.</summary>
    /// <param name="index">Where.</param>
    /// <param name="value">The parameter.</param>
    public override void Insert(int index, object value) => _parameters.Insert(index, (TernParameter)value);

    /// <summary>Inserts a parameter.</summary>
    /// <param name="index">Where.</param>
    /// <param name="value">The parameter.</param>
    public virtual void Insert(int index, TernParameter value) => _parameters.Insert(index, value);

    /// <summary>Removes a parameter.</summary>
    /// <param name="value">The parameter.</param>
    public override void Remove(object value) => _parameters.Remove((TernParameter)value);

    /// <summary>Removes a parameter.</summary>
    /// <param name="value">The parameter.</param>
    public virtual void Remove(TernParameter value) => _parameters.Remove(value);

    /// <summary>Removes the parameter at an index.</summary>
    /// <param name="index">The index.</param>
    public override void RemoveAt(int index) => _parameters.RemoveAt(index);

    /// <summary>Removes the parameter with a name.</summary>
    /// <param name="parameterName">The name.</param>
    public override void RemoveAt(string parameterName) => RemoveAt(IndexOfChecked(parameterName));

    /// <summary>Replaces the parameter at an index.</summary>
    /// <param name="index">The index.</param>
    /// <param name="value">The parameter.</param>
    protected override void SetParameter(int index, DbParameter value) => this[index] = (TernParameter)value;

    /// <summary>Replaces the parameter with a name.</summary>
    /// <param name="parameterName">The name.</param>
    /// <param name="value">The parameter.</param>
    protected override void SetParameter(string parameterName, DbParameter value) => SetParameter(IndexOfChecked(parameterName), value);

    /// <summary>
    /// Binds every parameter that names a parameter of the statement; returns how many did. Parameters
    /// without a name fill the statement's nameless <c>?</c> parameters in order (an extension:
    /// Microsoft.Data.Sqlite binds by name only and refuses a parameter without a name, as this does when
    /// the statement has parameters but no <c>?</c> left for it; a statement with no parameters ignores it).
    /// </summary>
    internal int Bind(Statement statement)
    {
        int bound = 0;
        int nextPositional = 1;
        foreach (TernParameter p in _parameters)
        {
            if (p.ParameterName.Length == 0)
            {
                while (nextPositional <= statement.ParameterCount && statement.ParameterName(nextPositional) != null) nextPositional++;
                if (nextPositional > statement.ParameterCount)
                {
                    if (statement.ParameterCount == 0) continue;
                    throw new InvalidOperationException("ParameterName must be set.");
                }
                p.BindAt(statement, nextPositional++);
                bound++;
            }
            else if (p.Bind(statement)) bound++;
        }
        return bound;
    }

    private int IndexOfChecked(string parameterName)
    {
        int i = IndexOf(parameterName);
        if (i == -1) throw new IndexOutOfRangeException($"A TernParameter with ParameterName '{parameterName}' is not contained by this TernParameterCollection.");
        return i;
    }
}
