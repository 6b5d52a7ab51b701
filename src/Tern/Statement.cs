// A prepared statement: the compiled program, a VM to run it, the bound parameters, and
// the typed accessors for the current row. Numbers are read straight from the VM's
// registers (no allocation); text is decoded to a string only when asked for.
//
//   Prepare --> Ready --Step()=true--> Row --Step()...--> Done (Step()=false)
//                 ^                                         |
//                 +------------------ Reset() --------------+
//
// A statement prepared before a schema change re-prepares itself when it starts (the
// Transaction opcode notices the schema cookie moved).
using System.Globalization;
using System.Text;
using Tern.Compiler;
using Tern.Functions;
using Tern.Schema;
using Tern.Storage.Record;
using Tern.Vdbe;
using Ast = Tern.Sql.Ast;

namespace Tern;

/// <summary>A prepared SQL statement. Not thread-safe.</summary>
public sealed class Statement : IDisposable
{
    private readonly Connection _connection;
    private readonly byte[] _sql;
    private readonly Ast.Statement _ast;
    private Vdbe.Program _program;
    private Vm _vm;
    private readonly Mem[] _parameters;
    private Mem[]? _explainRow;
    private int _explainPc = -1;
    private bool _hasRow;
    private bool _disposed;

    internal Statement(Connection connection, byte[] sql, Ast.Statement ast)
    {
        _connection = connection;
        _sql = sql;
        _ast = ast;
        _program = Compile();
        _parameters = new Mem[_program.Parameters.Length];
        _vm = new Vm(_program, connection, _parameters);
    }

    /// <summary>The connection's <see cref="Connection.DatabaseGeneration"/> the program was compiled at.</summary>
    private int _generation;

    private Vdbe.Program Compile()
    {
        _connection.ThrowIfSchemaLocked();
        try
        {
            return CompileAgainstSchema();
        }
        catch (TernException) when (_connection.SchemaIsStale())
        {
            // Another connection changed the schema since this one read it (a table it made
            // is "no such table" here): read it again and retry, as sqlite3_prepare does.
            _connection.InvalidateSchema();
            return CompileAgainstSchema();
        }
    }

    private Vdbe.Program CompileAgainstSchema()
    {
        try
        {
            // Transaction control and setting pragmas never read the schema (so PRAGMA
            // busy_timeout works while another connection holds the file, as in SQLite).
            _generation = _connection.DatabaseGeneration;
            SchemaSet schemas = NeedsNoSchema(_ast) ? SchemaSet.Of(_connection.LoadedSchema ?? DatabaseSchema.Empty()) : _connection.Schemas;
            return CodeGenerator.Compile(_ast, schemas, _sql, _connection.Settings);
        }
        catch (Sql.SqlParseException e)
        {
            throw new TernException(ResultCode.Error, e.Message, e);
        }
    }

    private static bool NeedsNoSchema(Ast.Statement ast) => ast switch
    {
        Ast.BeginStatement or Ast.CommitStatement or Ast.SavepointStatement or Ast.ReleaseStatement => true,
        Ast.RollbackStatement rb => rb.Savepoint == null,
        Ast.PragmaStatement p => CodeGenerator.IsSettingPragma(p),
        Ast.AttachStatement or Ast.DetachStatement => true,
        _ => false,
    };

    /// <summary>The SQL text of this statement.</summary>
    public string Sql => Encoding.UTF8.GetString(_sql, _ast.Start, _ast.End - _ast.Start);

    /// <summary>Whether the statement leaves the database unchanged (<c>sqlite3_stmt_readonly</c>).</summary>
    public bool IsReadOnly => _program.ReadOnly;

    /// <summary>
    /// 1 for an EXPLAIN statement, 2 for EXPLAIN QUERY PLAN (rows: id, parent, notused, detail),
    /// 0 otherwise (<c>sqlite3_stmt_isexplain</c>).
    /// </summary>
    public int ExplainMode => _program.Explained == null ? 0 : _program.ExplainsQueryPlan ? 2 : 1;

    // ------------------------------------------------------------ running

    /// <summary>
    /// Runs to the next result row (true) or to completion (false). A statement that has
    /// completed or failed starts over (sqlite3_step resets it first, since SQLite 3.7.0).
    /// </summary>
    /// <exception cref="TernException">The statement failed; the database is as it was before it started.</exception>
    public bool Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_program.Explained != null) return StepExplain();
        lock (_connection.SyncRoot) return StepLocked();
    }

    private bool StepLocked()
    {
        if (_vm.Done) _vm.Reset();
        if (!_vm.Started)
        {
            _connection.ClearInterrupt();
            if (_generation != _connection.DatabaseGeneration)
            {
                // ATTACH or DETACH renumbered the databases since this was compiled.
                _program = Compile();
                _vm = new Vm(_program, _connection, _parameters);
            }
        }
        int attempts = 0;
        while (true)
        {
            try
            {
                bool row = _vm.Step();
                _hasRow = row;
                if (!row && (_ast is Ast.InsertStatement or Ast.UpdateStatement or Ast.DeleteStatement || _program.CountsChanges))
                {
                    _connection.Changes = _vm.Changes;
                    _connection.TotalChanges += _vm.Changes;
                }
                return row;
            }
            catch (TernException e) when (e.Code == ResultCode.Schema && !_hasRow && attempts++ < 3)
            {
                _program = Compile();
                _vm = new Vm(_program, _connection, _parameters);
            }
            catch (TernException e) when (e.Code is ResultCode.Busy or ResultCode.Locked)
            {
                // A lock another connection holds: the statement changed nothing and starts over
                // at its next step, so a caller may simply try again (as after SQLITE_BUSY).
                // As in SQLite, an INSERT, UPDATE or DELETE that ends this way reports no changes.
                _hasRow = false;
                _vm.Reset();
                if (_ast is Ast.InsertStatement or Ast.UpdateStatement or Ast.DeleteStatement) _connection.Changes = 0;
                throw;
            }
            catch
            {
                _hasRow = false;
                if ((_ast is Ast.InsertStatement or Ast.UpdateStatement or Ast.DeleteStatement || _program.CountsChanges) && _vm.Done)
                {
                    // A failed statement reports what it kept: nothing, or with OR FAIL the rows done.
                    _connection.Changes = _vm.Changes;
                    _connection.TotalChanges += _vm.Changes;
                }
                throw;
            }
        }
    }

    /// <summary>Puts the statement back at its start; bindings are kept.</summary>
    public void Reset()
    {
        _hasRow = false;
        _explainPc = -1;
        lock (_connection.SyncRoot) _vm.Reset();
    }

    /// <summary>Resets the statement and releases what it holds.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        Reset();
        _disposed = true;
    }

    // ------------------------------------------------------------ parameters

    /// <summary>The number of parameters (the largest parameter index).</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>The name of parameter <paramref name="index"/> (1-based) with its prefix (":a", "@a", "$a", "?5"), or null for "?".</summary>
    public string? ParameterName(int index)
    {
        CheckParameter(index);
        return _program.Parameters[index - 1];
    }

    /// <summary>The index (1-based) of the parameter with this name (prefix included), or 0 when there is none.</summary>
    public int ParameterIndex(string name)
    {
        for (int i = 0; i < _program.Parameters.Length; i++)
        {
            if (_program.Parameters[i] == name) return i + 1;
        }
        return 0;
    }

    /// <summary>Binds NULL to parameter <paramref name="index"/> (1-based).</summary>
    public void BindNull(int index) => Set(index, default);

    /// <summary>Binds an integer to parameter <paramref name="index"/> (1-based).</summary>
    public void Bind(int index, long value)
    {
        var m = default(Mem);
        m.SetInt(value);
        Set(index, m);
    }

    /// <summary>Binds a double to parameter <paramref name="index"/> (1-based); NaN binds NULL.</summary>
    public void Bind(int index, double value)
    {
        var m = default(Mem);
        m.SetReal(value);
        Set(index, m);
    }

    /// <summary>Binds a text (null binds NULL) to parameter <paramref name="index"/> (1-based).</summary>
    public void Bind(int index, string? value)
    {
        var m = default(Mem);
        if (value != null) m.SetText(value);
        Set(index, m);
    }

    /// <summary>Binds a BLOB (copied; null binds NULL) to parameter <paramref name="index"/> (1-based).</summary>
    public void Bind(int index, byte[]? value)
    {
        var m = default(Mem);
        if (value != null) m.SetBytes(MemKind.Blob, (byte[])value.Clone(), 0, value.Length);
        Set(index, m);
    }

    /// <summary>Binds NULL to the named parameter (prefix included, e.g. ":a").</summary>
    public void BindNull(string name) => BindNull(NamedIndex(name));

    /// <summary>Binds an integer to the named parameter.</summary>
    public void Bind(string name, long value) => Bind(NamedIndex(name), value);

    /// <summary>Binds a double to the named parameter.</summary>
    public void Bind(string name, double value) => Bind(NamedIndex(name), value);

    /// <summary>Binds a text to the named parameter.</summary>
    public void Bind(string name, string? value) => Bind(NamedIndex(name), value);

    /// <summary>Binds a BLOB to the named parameter.</summary>
    public void Bind(string name, byte[]? value) => Bind(NamedIndex(name), value);

    /// <summary>Sets every parameter back to NULL.</summary>
    public void ClearBindings() => Array.Clear(_parameters);

    private int NamedIndex(string name)
    {
        int i = ParameterIndex(name);
        if (i == 0) throw new TernException(ResultCode.Range, "column index out of range");
        return i;
    }

    private void Set(int index, Mem m)
    {
        CheckParameter(index);
        if (_vm.Started) throw new TernException(ResultCode.Misuse, "bad parameter or other API misuse");
        _parameters[index - 1] = m;
    }

    private void CheckParameter(int index)
    {
        if (index < 1 || index > _parameters.Length) throw new TernException(ResultCode.Range, "column index out of range");
    }

    // ------------------------------------------------------------ result columns

    /// <summary>The number of result columns (0 for statements that return no rows).</summary>
    public int ColumnCount => _program.ColumnNames.Length;

    /// <summary>The name of result column <paramref name="i"/> (0-based), as SQLite names it.</summary>
    public string ColumnName(int i)
    {
        CheckColumn(i);
        return _program.ColumnNames[i];
    }

    /// <summary>The declared type of the table column behind result column <paramref name="i"/>, or null for an expression.</summary>
    public string? ColumnDeclaredType(int i)
    {
        CheckColumn(i);
        return _program.DeclaredTypes[i];
    }

    /// <summary>
    /// The table that result column <paramref name="i"/> reads (<c>sqlite3_column_table_name</c>), also through views,
    /// subqueries and CTEs, or null for an expression.
    /// </summary>
    public string? ColumnTableName(int i)
    {
        CheckColumn(i);
        return i < _program.ColumnOrigins.Length ? _program.ColumnOrigins[i]?.Table : null;
    }

    /// <summary>
    /// The table column that result column <paramref name="i"/> reads (<c>sqlite3_column_origin_name</c>), also
    /// through views, subqueries and CTEs, or null for an expression.
    /// </summary>
    public string? ColumnOriginName(int i)
    {
        CheckColumn(i);
        return i < _program.ColumnOrigins.Length ? _program.ColumnOrigins[i]?.Column : null;
    }

    /// <summary>The storage class of column <paramref name="i"/> in the current row.</summary>
    public ValueKind ColumnType(int i) => Cell(i).Kind switch
    {
        MemKind.Int => ValueKind.Integer,
        MemKind.Real => ValueKind.Real,
        MemKind.Text => ValueKind.Text,
        MemKind.Blob => ValueKind.Blob,
        _ => ValueKind.Null,
    };

    /// <summary>Whether column <paramref name="i"/> of the current row is NULL.</summary>
    public bool IsNull(int i) => Cell(i).IsNull;

    /// <summary>Column <paramref name="i"/> as an integer, converted as <c>sqlite3_column_int64</c> does. Does not allocate.</summary>
    public long GetInt64(int i) => NumericText.ToInt64(Cell(i));

    /// <summary>Column <paramref name="i"/> as a double, converted as <c>sqlite3_column_double</c> does. Does not allocate.</summary>
    public double GetDouble(int i) => NumericText.ToDouble(Cell(i));

    /// <summary>Column <paramref name="i"/> as text (numbers rendered as SQLite renders them), or null for NULL.</summary>
    public string? GetString(int i)
    {
        ref readonly Mem m = ref Cell(i);
        return m.Kind switch
        {
            MemKind.Null => null,
            MemKind.Int => m.I.ToString(CultureInfo.InvariantCulture),
            MemKind.Real => NumericText.FormatReal(m.R),
            _ => Encoding.UTF8.GetString(m.Span),
        };
    }

    /// <summary>Column <paramref name="i"/> as UTF-8 text (valid until the next Step or Reset); empty for NULL.</summary>
    public ReadOnlySpan<byte> GetUtf8(int i)
    {
        ref readonly Mem m = ref Cell(i);
        return m.Kind switch
        {
            MemKind.Null => default,
            MemKind.Int or MemKind.Real => NumericText.ToUtf8(m),
            _ => m.Span,
        };
    }

    /// <summary>Column <paramref name="i"/> as bytes (a copy), or null for NULL.</summary>
    public byte[]? GetBlob(int i)
    {
        ref readonly Mem m = ref Cell(i);
        return m.Kind switch
        {
            MemKind.Null => null,
            MemKind.Int or MemKind.Real => NumericText.ToUtf8(m),
            _ => m.Span.ToArray(),
        };
    }

    /// <summary>Column <paramref name="i"/> as a <see cref="Value"/> (allocates for text and blobs).</summary>
    public Value GetValue(int i) => Cell(i).ToValue();

    private void CheckColumn(int i)
    {
        if ((uint)i >= (uint)_program.ColumnNames.Length) throw new TernException(ResultCode.Range, "column index out of range");
    }

    private ref readonly Mem Cell(int i)
    {
        CheckColumn(i);
        if (!_hasRow) throw new TernException(ResultCode.Misuse, "no current row");
        if (_explainRow != null) return ref _explainRow[i];
        return ref _vm.Register(_vm.RowStart + i);
    }

    // ------------------------------------------------------------ EXPLAIN

    private bool StepExplain()
    {
        if (_program.ExplainsQueryPlan) return StepQueryPlan();
        Instruction[] code = _program.Explained!.Instructions;
        _explainPc++;
        if (_explainPc >= code.Length)
        {
            _hasRow = false;
            return false;
        }
        Instruction op = code[_explainPc];
        _explainRow ??= new Mem[8];
        _explainRow[0].SetInt(_explainPc);
        _explainRow[1].SetText(op.Op.ToString());
        _explainRow[2].SetInt(op.P1);
        _explainRow[3].SetInt(op.P2);
        _explainRow[4].SetInt(op.P3);
        string? p4 = P4Text(op.P4);
        if (p4 == null) _explainRow[5].SetNull(); else _explainRow[5].SetText(p4);
        _explainRow[6].SetInt(op.P5);
        if (op.Comment == null) _explainRow[7].SetNull(); else _explainRow[7].SetText(op.Comment);
        _hasRow = true;
        return true;
    }

    private bool StepQueryPlan()
    {
        Compiler.PlanNote[] plan = _program.Explained!.QueryPlan;
        _explainPc++;
        if (_explainPc >= plan.Length)
        {
            _hasRow = false;
            return false;
        }
        Compiler.PlanNote note = plan[_explainPc];
        _explainRow ??= new Mem[4];
        _explainRow[0].SetInt(note.Id);
        _explainRow[1].SetInt(note.Parent);
        _explainRow[2].SetInt(0);
        _explainRow[3].SetText(note.Detail);
        _hasRow = true;
        return true;
    }

    private static string KeyInfoText(KeyInfo k)
    {
        var parts = new string[k.FieldCount];
        for (int i = 0; i < parts.Length; i++)
        {
            Collation c = k.CollationOf(i);
            parts[i] = (k.IsDescending(i) ? "-" : "") + (c == Collation.Binary ? "B" : Collations.Name(c));
        }
        return "k(" + k.FieldCount.ToString(CultureInfo.InvariantCulture) + (parts.Length > 0 ? "," : "") + string.Join(",", parts) + ")";
    }

    private static string? P4Text(object? p4) => p4 switch
    {
        null => null,
        byte[] b => Encoding.UTF8.GetString(b),
        string s => s,
        KeyInfo k => KeyInfoText(k),
        FunctionDef f => f.ToString(),
        Collation c => c.ToString().ToUpperInvariant(),
        Mem m => m.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => p4.ToString(),
    };
}
