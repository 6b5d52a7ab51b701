// Reads the result sets of a command, shaped like Microsoft.Data.Sqlite's
// SqliteDataReader. The reader walks the command's statements: each statement that
// returns columns is a result set (NextResult moves on); the others run to completion on
// the way and add their changes to RecordsAffected. Values are read from the engine
// statement on demand: numbers without allocating, text decoded to a string only when a
// string is asked for (GetTextReader and GetStream read the UTF-8 bytes directly).
// Conversions to CLR types follow Microsoft.Data.Sqlite (see GetFieldValue).
using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Tern.Data;

/// <summary>A forward-only reader over the results of a <see cref="TernCommand"/>.</summary>
public class TernDataReader : DbDataReader
{
    private readonly TernCommand _command;
    private readonly bool _closeConnection;
    private readonly Stopwatch _busyTimer = new();
    private IEnumerator<Statement>? _statements;
    private Statement? _current;
    private bool _closed;
    private int _recordsAffected = -1;

    // The current result set.
    private bool _hasRows;
    private bool _stepped;
    private bool _onRow;
    private bool _done;
    private bool _changesAdded;
    private string[]? _names;
    private Dictionary<string, int>? _ordinals;
    private int?[]? _typeCache;
    private ulong _blobsReadAsText;

    internal TernDataReader(TernCommand command, IEnumerable<Statement> statements, bool closeConnection)
    {
        _command = command;
        _statements = statements.GetEnumerator();
        _closeConnection = closeConnection;
    }

    /// <summary>Nesting depth of the current row: always 0.</summary>
    public override int Depth => 0;

    /// <summary>The number of columns of the current result set.</summary>
    public override int FieldCount => _closed ? throw Closed(nameof(FieldCount)) : _current?.ColumnCount ?? 0;

    /// <summary>Whether the current result set has any row.</summary>
    public override bool HasRows => _current != null && _hasRows;

    /// <summary>Whether the reader is closed.</summary>
    public override bool IsClosed => _closed;

    /// <summary>The rows inserted, updated or deleted by the statements run so far; -1 when none changes rows.</summary>
    public override int RecordsAffected => _recordsAffected;

    /// <summary>The value of the named column.</summary>
    /// <param name="name">The column name.</param>
    public override object this[string name] => GetValue(GetOrdinal(name));

    /// <summary>The value of a column.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override object this[int ordinal] => GetValue(ordinal);

    /// <summary>Enumerates the rows as <see cref="IDataRecord"/>s.</summary>
    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    // ------------------------------------------------------------ moving

    /// <summary>Advances to the next row of the current result set.</summary>
    /// <returns>Whether there is a row.</returns>
    public override bool Read()
    {
        if (_closed) throw Closed(nameof(Read));
        if (_current == null) return false;
        if (!_stepped)
        {
            _stepped = true;
            _onRow = _hasRows;
            if (!_hasRows) FinishCurrent();
            return _hasRows;
        }
        if (_done) return false;
        bool row;
        try
        {
            lock (_command.Gate) row = _current.Step();
        }
        catch (Tern.TernException e)
        {
            _onRow = false;
            _done = true;
            throw TernException.From(e);
        }
        _onRow = row;
        _blobsReadAsText = 0;
        if (!row) FinishCurrent();
        return row;
    }

    /// <summary>Advances to the next row; the token is checked first and interrupts the step when cancelled.</summary>
    /// <param name="cancellationToken">The cancellation token.</param>
    public override Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<bool>(cancellationToken);
        try
        {
            if (!cancellationToken.CanBeCanceled || _closed || _current == null) return Task.FromResult(Read());
            using CancellationTokenRegistration reg = cancellationToken.Register(static c => ((Connection)c!).Interrupt(), _command.Connection!.Engine);
            return Task.FromResult(Read());
        }
        catch (TernException e) when (e.SqliteErrorCode == (int)ResultCode.Interrupt && cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(cancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException<bool>(e);
        }
    }

    /// <summary>Moves to the next result set, running the statements that return no rows on the way.</summary>
    /// <returns>Whether there is another result set.</returns>
    /// <exception cref="TernException">A statement fails; the reader is closed.</exception>
    public override bool NextResult()
    {
        if (_closed) throw Closed(nameof(NextResult));
        if (_current != null)
        {
            EndCurrent();
        }
        while (_statements!.MoveNext())
        {
            Statement s = _statements.Current;
            bool started = false;
            try
            {
                if (!s.IsReadOnly && _command.Connection!.Inner.ReadOnly) throw TernException.ForCode(ResultCode.ReadOnly);
                _busyTimer.Start();
                bool row;
                try
                {
                    row = _command.RetryWhileBusy(() =>
                    {
                        bool r;
                        try
                        {
                            lock (_command.Gate) r = s.Step();
                        }
                        catch (Tern.TernException e) when (e.Code is not (ResultCode.Busy or ResultCode.Locked))
                        {
                            started = true;
                            throw;
                        }
                        started = true;
                        return r;
                    }, _busyTimer);
                }
                finally
                {
                    _busyTimer.Stop();
                    if (started) _command.MarkStarted(s);
                }
                if (s.ColumnCount != 0)
                {
                    StartResultSet(s, row);
                    return true;
                }
                while (row) row = Step(s);
                _command.ResetStatement(s);
                AddChanges(_command.Connection!.Engine.Changes);
                NoteTransactionEnd(s);
            }
            catch
            {
                try
                {
                    _command.ResetStatement(s);
                }
                catch (Tern.TernException)
                {
                }
                _statements.Dispose();
                _statements = null;
                Dispose();
                throw;
            }
        }
        return false;
    }

    /// <summary>Moves to the next result set (synchronously; the token is checked first).</summary>
    /// <param name="cancellationToken">The cancellation token.</param>
    public override Task<bool> NextResultAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<bool>(cancellationToken);
        try
        {
            return Task.FromResult(NextResult());
        }
        catch (Exception e)
        {
            return Task.FromException<bool>(e);
        }
    }

    private bool Step(Statement s)
    {
        try
        {
            lock (_command.Gate) return s.Step();
        }
        catch (Tern.TernException e)
        {
            throw TernException.From(e);
        }
    }

    private void StartResultSet(Statement s, bool hasRow)
    {
        _current = s;
        _hasRows = hasRow;
        _stepped = false;
        _onRow = false;
        _done = !hasRow;
        _changesAdded = false;
        _names = null;
        _ordinals = null;
        _typeCache = null;
        _blobsReadAsText = 0;
    }

    private void FinishCurrent()
    {
        _done = true;
        _onRow = false;
        if (!_changesAdded)
        {
            _changesAdded = true;
            if (!_current!.IsReadOnly) AddChanges(_command.Connection!.Engine.Changes);
        }
        NoteTransactionEnd(_current!);
    }

    private void EndCurrent()
    {
        Statement s = _current!;
        _current = null;
        if (!_done)
        {
            _done = true;
            if (!_changesAdded && !s.IsReadOnly)
            {
                // Finish a changing statement (INSERT ... RETURNING) whose rows were not all read.
                try
                {
                    lock (_command.Gate)
                    {
                        while (s.Step())
                        {
                        }
                    }
                }
                catch (Tern.TernException)
                {
                }
                _changesAdded = true;
                AddChanges(_command.Connection!.Engine.Changes);
            }
        }
        _command.ResetStatement(s);
        NoteTransactionEnd(s);
    }

    private void AddChanges(long changes) => _recordsAffected = _recordsAffected == -1 ? (int)changes : _recordsAffected + (int)changes;

    /// <summary>Notices a COMMIT or ROLLBACK run as SQL inside a <see cref="TernTransaction"/>.</summary>
    private void NoteTransactionEnd(Statement s)
    {
        TernConnection? c = _command.Connection;
        if (c?.Transaction is { } t && c.State == ConnectionState.Open && c.Engine.AutoCommit) t.EndedExternally(s.Sql);
    }

    /// <summary>Closes the reader, running any statements not yet reached.</summary>
    public override void Close() => Dispose(true);

    /// <summary>Closes the reader.</summary>
    /// <param name="disposing">Whether managed resources are released.</param>
    protected override void Dispose(bool disposing)
    {
        if (!disposing || _closed) return;
        _command.DataReader = null;
        if (_current != null) EndCurrent();
        if (_statements != null)
        {
            try
            {
                while (NextResult())
                {
                }
            }
            catch (TernException)
            {
            }
            _statements?.Dispose();
        }
        _closed = true;
        if (_closeConnection) _command.Connection!.Close();
    }

    // ------------------------------------------------------------ columns

    /// <summary>The name of a column.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override string GetName(int ordinal)
    {
        Statement s = Current(nameof(GetName));
        // As in the reference: once a name was asked for, an ordinal out of range indexes the name cache.
        if (_names != null && (uint)ordinal >= (uint)_names.Length) throw new IndexOutOfRangeException("Index was outside the bounds of the array.");
        CheckOrdinal(s, ordinal);
        _names ??= new string[s.ColumnCount];
        return _names[ordinal] ??= s.ColumnName(ordinal);
    }

    /// <summary>The ordinal of a column: an exact match first, then one ignoring case.</summary>
    /// <param name="name">The column name.</param>
    public override int GetOrdinal(string name)
    {
        Statement s = Current(nameof(GetOrdinal));
        if (_ordinals == null)
        {
            _ordinals = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < s.ColumnCount; i++) _ordinals[GetName(i)] = i;
        }
        if (_ordinals.TryGetValue(name, out int ordinal)) return ordinal;
        KeyValuePair<string, int>? match = null;
        foreach (KeyValuePair<string, int> kv in _ordinals)
        {
            if (!string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)) continue;
            if (match != null)
                throw new InvalidOperationException($"The name '{name}' is ambiguous between columns '{match.Value.Key}' and '{kv.Key}'. Specify one using its exact case.");
            match = kv;
        }
        if (match == null) throw new ArgumentOutOfRangeException(nameof(name), name, null);
        _ordinals.Add(name, match.Value.Value);
        return match.Value.Value;
    }

    /// <summary>The declared type of a column (without its size), or the storage class of its value for an expression.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override string GetDataTypeName(int ordinal)
    {
        Statement s = Current(nameof(GetDataTypeName));
        CheckOrdinal(s, ordinal);
        string? declared = s.ColumnDeclaredType(ordinal);
        if (declared != null)
        {
            int paren = declared.IndexOf('(', StringComparison.Ordinal);
            return paren < 0 ? declared : declared[..paren];
        }
        return StorageClass(s, ordinal) switch
        {
            ValueKind.Integer => "INTEGER",
            ValueKind.Real => "REAL",
            ValueKind.Text => "TEXT",
            _ => "BLOB",
        };
    }

    /// <summary>The CLR type of a column's values: from the current row, else from the declared type's affinity.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicFields)]
    public override Type GetFieldType(int ordinal)
    {
        Statement s = Current(nameof(GetFieldType));
        CheckOrdinal(s, ordinal);
        ValueKind kind = StorageClass(s, ordinal);
        if (kind == ValueKind.Null)
        {
            kind = _typeCache?[ordinal] is int cached ? (ValueKind)cached : AffinityKind(GetDataTypeName(ordinal));
        }
        else
        {
            _typeCache ??= new int?[s.ColumnCount];
            _typeCache[ordinal] = (int)kind;
        }
        return ClrType(kind);
    }

    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicFields)]
    internal static Type ClrType(ValueKind kind) => kind switch
    {
        ValueKind.Integer => typeof(long),
        ValueKind.Real => typeof(double),
        ValueKind.Text => typeof(string),
        _ => typeof(byte[]),
    };

    /// <summary>The storage class a declared type's affinity suggests (NUMERIC counts as text, none as blob).</summary>
    internal static ValueKind AffinityKind(string? declared)
    {
        if (declared == null) return ValueKind.Blob;
        if (declared.Contains("INT", StringComparison.OrdinalIgnoreCase)) return ValueKind.Integer;
        if (declared.Contains("CHAR", StringComparison.OrdinalIgnoreCase) || declared.Contains("CLOB", StringComparison.OrdinalIgnoreCase)
            || declared.Contains("TEXT", StringComparison.OrdinalIgnoreCase)) return ValueKind.Text;
        if (declared.Contains("BLOB", StringComparison.OrdinalIgnoreCase)) return ValueKind.Blob;
        if (declared.Contains("REAL", StringComparison.OrdinalIgnoreCase) || declared.Contains("FLOA", StringComparison.OrdinalIgnoreCase)
            || declared.Contains("DOUB", StringComparison.OrdinalIgnoreCase)) return ValueKind.Real;
        return ValueKind.Text;
    }

    // ------------------------------------------------------------ values

    /// <summary>Whether a column of the current row is NULL.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override bool IsDBNull(int ordinal) => Kind(ordinal, nameof(IsDBNull)) == ValueKind.Null;

    /// <summary>A column's value as its storage class's CLR type: long, double, string, byte[], or DBNull.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override object GetValue(int ordinal) => Kind(ordinal, nameof(GetValue)) switch
    {
        ValueKind.Integer => _current!.GetInt64(ordinal),
        ValueKind.Real => _current!.GetDouble(ordinal),
        ValueKind.Text => ReadString(ordinal),
        ValueKind.Blob => _current!.GetBlob(ordinal)!,
        _ => DBNull.Value,
    };

    /// <summary>
    /// The text of a column. As in SQLite, reading a BLOB as text converts the value in place: for the rest of
    /// the row the column reports TEXT (Microsoft.Data.Sqlite users see this through GetFieldType and GetValue).
    /// </summary>
    private string ReadString(int ordinal)
    {
        if (ordinal < 64 && _current!.ColumnType(ordinal) == ValueKind.Blob) _blobsReadAsText |= 1UL << ordinal;
        return _current!.GetString(ordinal)!;
    }

    /// <summary>Copies the current row's values into an array.</summary>
    /// <param name="values">The array.</param>
    /// <returns>The number of values copied.</returns>
    public override int GetValues(object[] values)
    {
        int n = FieldCount;
        int i;
        for (i = 0; i < n; i++) values[i] = GetValue(i);
        return i;
    }

    /// <summary>A column as a long (text is converted as SQLite converts it).</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override long GetInt64(int ordinal)
    {
        NotNull(ordinal, nameof(GetInt64));
        return _current!.GetInt64(ordinal);
    }

    /// <summary>A column as an int (overflow throws).</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override int GetInt32(int ordinal) => checked((int)GetInt64(ordinal));

    /// <summary>A column as a short (overflow throws).</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override short GetInt16(int ordinal) => checked((short)GetInt64(ordinal));

    /// <summary>A column as a byte (overflow throws).</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override byte GetByte(int ordinal) => checked((byte)GetInt64(ordinal));

    /// <summary>A column as a bool (non-zero is true).</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override bool GetBoolean(int ordinal) => GetInt64(ordinal) != 0;

    /// <summary>A column as a char: a one-character text, else the integer's code point.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override char GetChar(int ordinal)
    {
        if (TypedKind(ordinal, nameof(GetChar)) == ValueKind.Text)
        {
            string v = ReadString(ordinal);
            if (v.Length == 1) return v[0];
        }
        return checked((char)GetInt64(ordinal));
    }

    /// <summary>A column as a double.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override double GetDouble(int ordinal)
    {
        NotNull(ordinal, nameof(GetDouble));
        return _current!.GetDouble(ordinal);
    }

    /// <summary>A column as a float.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override float GetFloat(int ordinal) => (float)GetDouble(ordinal);

    /// <summary>A column as a decimal, parsed from its text.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override decimal GetDecimal(int ordinal) =>
        decimal.Parse(GetString(ordinal), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);

    /// <summary>A column as a string (numbers rendered as SQLite renders them).</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override string GetString(int ordinal)
    {
        NotNull(ordinal, nameof(GetString));
        return ReadString(ordinal);
    }

    /// <summary>A column as a DateTime: text is parsed; a number is a Julian day.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override DateTime GetDateTime(int ordinal) => TypedKind(ordinal, nameof(GetDateTime)) is ValueKind.Integer or ValueKind.Real
        ? JulianDay.ToDateTime(GetDouble(ordinal))
        : DateTime.Parse(GetString(ordinal), CultureInfo.InvariantCulture);

    /// <summary>A column as a DateTimeOffset: text is parsed; a number is a Julian day.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public virtual DateTimeOffset GetDateTimeOffset(int ordinal) => TypedKind(ordinal, nameof(GetDateTimeOffset)) is ValueKind.Integer or ValueKind.Real
        ? new DateTimeOffset(JulianDay.ToDateTime(GetDouble(ordinal)))
        : DateTimeOffset.Parse(GetString(ordinal), CultureInfo.InvariantCulture);

    /// <summary>A column as a DateOnly: text is parsed; a number is a Julian day.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public virtual DateOnly GetDateOnly(int ordinal) => TypedKind(ordinal, nameof(GetDateOnly)) is ValueKind.Integer or ValueKind.Real
        ? DateOnly.FromDateTime(JulianDay.ToDateTime(GetDouble(ordinal)))
        : DateOnly.Parse(GetString(ordinal), CultureInfo.InvariantCulture);

    /// <summary>A column as a TimeOnly, parsed from its text.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public virtual TimeOnly GetTimeOnly(int ordinal) => TimeOnly.Parse(GetString(ordinal), CultureInfo.InvariantCulture);

    /// <summary>A column as a TimeSpan: text is parsed; a number is a count of days.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public virtual TimeSpan GetTimeSpan(int ordinal) => TypedKind(ordinal, nameof(GetTimeSpan)) is ValueKind.Integer or ValueKind.Real
        ? TimeSpan.FromDays(GetDouble(ordinal))
        : TimeSpan.Parse(GetString(ordinal), CultureInfo.InvariantCulture);

    /// <summary>A column as a Guid: a 16-byte blob, else its text.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override Guid GetGuid(int ordinal)
    {
        if (TypedKind(ordinal, nameof(GetGuid)) == ValueKind.Blob)
        {
            byte[] b = _current!.GetBlob(ordinal)!;
            return b.Length == 16 ? new Guid(b) : new Guid(Encoding.UTF8.GetString(b));
        }
        return new Guid(GetString(ordinal));
    }

    /// <summary>Copies bytes of a column (its blob, or its text's UTF-8) into a buffer; with no buffer, returns the length.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    /// <param name="dataOffset">Where in the value to start.</param>
    /// <param name="buffer">The buffer, or null for the length.</param>
    /// <param name="bufferOffset">Where in the buffer to write.</param>
    /// <param name="length">The most bytes to copy.</param>
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        using Stream stream = GetStream(ordinal);
        if (buffer == null) return stream.Length;
        stream.Position = dataOffset;
        return stream.Read(buffer, bufferOffset, length);
    }

    /// <summary>Copies characters of a column into a buffer; with no buffer, returns the number of characters.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    /// <param name="dataOffset">Where in the value to start, in characters.</param>
    /// <param name="buffer">The buffer, or null for the length.</param>
    /// <param name="bufferOffset">Where in the buffer to write.</param>
    /// <param name="length">The most characters to copy.</param>
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        using var reader = new StreamReader(GetStream(ordinal), Encoding.UTF8);
        if (buffer == null)
        {
            long count = 0;
            while (reader.Read() != -1) count++;
            return count;
        }
        for (long i = 0; i < dataOffset; i++)
        {
            if (reader.Read() == -1) throw new ArgumentOutOfRangeException(nameof(dataOffset), dataOffset, null);
        }
        return reader.Read(buffer, bufferOffset, length);
    }

    /// <summary>A read-only stream over a column's bytes (a blob, or text as UTF-8).</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override Stream GetStream(int ordinal)
    {
        Statement s = Current(nameof(GetStream));
        if ((uint)ordinal >= (uint)s.ColumnCount) throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, null);
        if (Kind(ordinal, nameof(GetStream)) == ValueKind.Null) throw new InvalidOperationException(NullMessage(ordinal));
        return new MemoryStream(s.GetUtf8(ordinal).ToArray(), writable: false);
    }

    /// <summary>A reader over a column's text, decoded from its UTF-8 bytes.</summary>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override TextReader GetTextReader(int ordinal) =>
        IsDBNull(ordinal) ? new StringReader("") : new StreamReader(GetStream(ordinal), Encoding.UTF8);

    /// <summary>
    /// A column converted to <typeparamref name="T"/> as Microsoft.Data.Sqlite converts it: numbers, bool, char,
    /// decimal, dates and times, TimeSpan, Guid, string, byte[], Stream, TextReader, enums and nullable types.
    /// NULL becomes null for reference and nullable types and throws for the others.
    /// </summary>
    /// <typeparam name="T">The type wanted.</typeparam>
    /// <param name="ordinal">The zero-based column ordinal.</param>
    public override T GetFieldValue<T>(int ordinal)
    {
        Type t = typeof(T);
        if (t == typeof(Stream)) return (T)(object)GetStream(ordinal);
        if (t == typeof(TextReader)) return (T)(object)GetTextReader(ordinal);
        // The primitive types convert directly (and throw on NULL).
        if (t.IsPrimitive || t == typeof(decimal) || t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(DateOnly)
            || t == typeof(TimeOnly) || t == typeof(TimeSpan) || t == typeof(Guid))
        {
            return (T)Convert(ordinal, t)!;
        }
        if (IsDBNull(ordinal))
        {
            if (t.IsValueType && Nullable.GetUnderlyingType(t) == null) throw new InvalidCastException();
            if (t == typeof(DBNull) || t == typeof(object)) return (T)(object)DBNull.Value;
            throw new InvalidOperationException(NullMessage(ordinal));
        }
        if (t == typeof(string)) return (T)(object)GetString(ordinal);
        Type u = Nullable.GetUnderlyingType(t) ?? t;
        if (u.IsEnum) u = Enum.GetUnderlyingType(u);
        // Boxed as the underlying type and unboxed as T, as the reference does: an enum unboxes from its
        // underlying integer, a nullable enum does not (InvalidCastException).
        object? v = Convert(ordinal, u);
        return v == null ? (T)GetValue(ordinal) : (T)v;
    }

    private object? Convert(int ordinal, Type u)
    {
        if (u == typeof(bool)) return GetBoolean(ordinal);
        if (u == typeof(byte)) return GetByte(ordinal);
        if (u == typeof(sbyte)) return checked((sbyte)GetInt64(ordinal));
        if (u == typeof(short)) return GetInt16(ordinal);
        if (u == typeof(ushort)) return checked((ushort)GetInt64(ordinal));
        if (u == typeof(int)) return GetInt32(ordinal);
        if (u == typeof(uint)) return checked((uint)GetInt64(ordinal));
        if (u == typeof(long)) return GetInt64(ordinal);
        if (u == typeof(ulong)) return unchecked((ulong)GetInt64(ordinal));
        if (u == typeof(char)) return GetChar(ordinal);
        if (u == typeof(double)) return GetDouble(ordinal);
        if (u == typeof(float)) return GetFloat(ordinal);
        if (u == typeof(decimal)) return GetDecimal(ordinal);
        if (u == typeof(DateTime)) return GetDateTime(ordinal);
        if (u == typeof(DateTimeOffset)) return GetDateTimeOffset(ordinal);
        if (u == typeof(DateOnly)) return GetDateOnly(ordinal);
        if (u == typeof(TimeOnly)) return GetTimeOnly(ordinal);
        if (u == typeof(TimeSpan)) return GetTimeSpan(ordinal);
        if (u == typeof(Guid)) return GetGuid(ordinal);
        if (u == typeof(string)) return GetString(ordinal);
        if (u == typeof(byte[])) return IsDBNull(ordinal) ? null : _current!.GetBlob(ordinal);
        return null;
    }

    /// <summary>A table describing the result set's columns (names, types, origin where known).</summary>
    public override DataTable GetSchemaTable() => SchemaTable.Build(this, Current(nameof(GetSchemaTable)), _command.Connection!);

    // ------------------------------------------------------------ helpers

    internal Statement CurrentStatement => _current!;

    private Statement Current(string operation)
    {
        if (_closed) throw Closed(operation);
        return _current ?? throw new InvalidOperationException("No data exists for the row/column.");
    }

    private static void CheckOrdinal(Statement s, int ordinal)
    {
        if ((uint)ordinal >= (uint)s.ColumnCount) throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, null);
    }

    /// <summary>Whether the statement sits on a row: the first one before Read is called, or the one Read moved to.</summary>
    private bool Positioned => _stepped ? _onRow : _hasRows;

    /// <summary>The storage class of a column where the statement is; NULL when it is on no row.</summary>
    private ValueKind StorageClass(Statement s, int ordinal)
    {
        if (!Positioned) return ValueKind.Null;
        if (ordinal < 64 && (_blobsReadAsText & (1UL << ordinal)) != 0) return ValueKind.Text;
        return s.ColumnType(ordinal);
    }

    /// <summary>The storage class for IsDBNull and GetValue, which need Read to have moved to a row.</summary>
    private ValueKind Kind(int ordinal, string operation)
    {
        Statement s = Current(operation);
        CheckOrdinal(s, ordinal);
        if (!_stepped || !_onRow) throw new InvalidOperationException("No data exists for the row/column.");
        return StorageClass(s, ordinal);
    }

    /// <summary>The storage class for the typed getters (NULL when there is no row, as SQLite reports it).</summary>
    private ValueKind TypedKind(int ordinal, string operation)
    {
        Statement s = Current(operation);
        CheckOrdinal(s, ordinal);
        return StorageClass(s, ordinal);
    }

    private void NotNull(int ordinal, string operation)
    {
        if (Kind(ordinal, operation) == ValueKind.Null) throw new InvalidOperationException(NullMessage(ordinal));
    }

    private static string NullMessage(int ordinal) =>
        $"The data is NULL at ordinal {ordinal.ToString(CultureInfo.InvariantCulture)}. This method can't be called on NULL values. Check using IsDBNull before calling.";

    private static InvalidOperationException Closed(string operation) => new($"Invalid attempt to call {operation} when reader is closed.");
}
