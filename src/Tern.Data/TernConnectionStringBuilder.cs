// Builds and parses connection strings with Microsoft.Data.Sqlite's keywords: Data Source
// (aliases DataSource, Filename), Mode, Cache, Password, Foreign Keys, Recursive
// Triggers, Default Timeout (alias Command Timeout) and Pooling. Keywords are matched
// ignoring case; an unknown keyword is an ArgumentException.
using System.Collections;
using System.Collections.ObjectModel;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Tern.Data;

/// <summary>Creates and reads the connection strings of <see cref="TernConnection"/>.</summary>
public class TernConnectionStringBuilder : DbConnectionStringBuilder
{
    private enum Key
    {
        DataSource,
        Mode,
        Cache,
        Password,
        ForeignKeys,
        RecursiveTriggers,
        DefaultTimeout,
        Pooling,
        Vfs,
    }

    private static readonly string[] CanonicalNames =
        ["Data Source", "Mode", "Cache", "Password", "Foreign Keys", "Recursive Triggers", "Default Timeout", "Pooling", "Vfs"];

    private static readonly Dictionary<string, Key> Keys_ = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Data Source"] = Key.DataSource,
        ["DataSource"] = Key.DataSource,
        ["Filename"] = Key.DataSource,
        ["Mode"] = Key.Mode,
        ["Cache"] = Key.Cache,
        ["Password"] = Key.Password,
        ["Foreign Keys"] = Key.ForeignKeys,
        ["Recursive Triggers"] = Key.RecursiveTriggers,
        ["Default Timeout"] = Key.DefaultTimeout,
        ["Command Timeout"] = Key.DefaultTimeout,
        ["Pooling"] = Key.Pooling,
        ["Vfs"] = Key.Vfs,
    };

    private string _dataSource = "";
    private TernOpenMode _mode;
    private TernCacheMode _cache;
    private string _password = "";
    private bool? _foreignKeys;
    private bool _recursiveTriggers;
    private int _defaultTimeout = 30;
    private bool _pooling = true;
    private string? _vfs;

    /// <summary>Creates an empty builder.</summary>
    public TernConnectionStringBuilder()
    {
    }

    /// <summary>Creates a builder holding <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">The connection string to parse; may be null.</param>
    public TernConnectionStringBuilder(string? connectionString) => ConnectionString = connectionString;

    /// <summary>The database file, <c>:memory:</c>, or the name of an in-memory database.</summary>
    [AllowNull]
    public virtual string DataSource
    {
        get => _dataSource;
        set => base[CanonicalNames[(int)Key.DataSource]] = _dataSource = value ?? "";
    }

    /// <summary>The mode the database is opened in.</summary>
    public virtual TernOpenMode Mode
    {
        get => _mode;
        set => base[CanonicalNames[(int)Key.Mode]] = _mode = value;
    }

    /// <summary>The caching mode (whether named in-memory databases are shared).</summary>
    public virtual TernCacheMode Cache
    {
        get => _cache;
        set => base[CanonicalNames[(int)Key.Cache]] = _cache = value;
    }

    /// <summary>The encryption key. Encryption is not supported yet; a non-empty password fails to open.</summary>
    [AllowNull]
    public string Password
    {
        get => _password;
        set => base[CanonicalNames[(int)Key.Password]] = _password = value ?? "";
    }

    /// <summary>
    /// Whether foreign key constraints are enforced: true sends <c>PRAGMA foreign_keys = 1</c> on open,
    /// false sends <c>PRAGMA foreign_keys = 0</c>, null sends nothing.
    /// </summary>
    public bool? ForeignKeys
    {
        get => _foreignKeys;
        set => base[CanonicalNames[(int)Key.ForeignKeys]] = _foreignKeys = value;
    }

    /// <summary>Whether <c>PRAGMA recursive_triggers = 1</c> is sent on open.</summary>
    public bool RecursiveTriggers
    {
        get => _recursiveTriggers;
        set => base[CanonicalNames[(int)Key.RecursiveTriggers]] = _recursiveTriggers = value;
    }

    /// <summary>The default command timeout in seconds (how long a command waits for a locked database). Default 30.</summary>
    public int DefaultTimeout
    {
        get => _defaultTimeout;
        set => base[CanonicalNames[(int)Key.DefaultTimeout]] = _defaultTimeout = value;
    }

    /// <summary>Whether closed connections are kept in a pool for reuse. Default true.</summary>
    public bool Pooling
    {
        get => _pooling;
        set => base[CanonicalNames[(int)Key.Pooling]] = _pooling = value;
    }

    /// <summary>The name of the file-system layer to open the database with; only the default (null) exists.</summary>
    public string? Vfs
    {
        get => _vfs;
        set => base[CanonicalNames[(int)Key.Vfs]] = _vfs = value;
    }

    /// <summary>The keywords this builder knows, in their canonical spelling.</summary>
    public override ICollection Keys => new ReadOnlyCollection<string>(CanonicalNames);

    /// <summary>The values of every keyword, in the order of <see cref="Keys"/>.</summary>
    public override ICollection Values =>
        new ReadOnlyCollection<object?>(Enumerable.Range(0, CanonicalNames.Length).Select(i => Get((Key)i)).ToArray());

    /// <summary>Gets or sets the value of a keyword (any alias, ignoring case).</summary>
    /// <param name="keyword">The keyword.</param>
    /// <exception cref="ArgumentException">The keyword is not supported.</exception>
    [AllowNull]
    public override object this[string keyword]
    {
        get => Get(Lookup(keyword))!;
        set
        {
            if (value == null)
            {
                Remove(keyword);
                return;
            }
            switch (Lookup(keyword))
            {
                case Key.DataSource: DataSource = Convert.ToString(value, CultureInfo.InvariantCulture); break;
                case Key.Mode: Mode = ToEnum<TernOpenMode>(value); break;
                case Key.Cache: Cache = ToEnum<TernCacheMode>(value); break;
                case Key.Password: Password = Convert.ToString(value, CultureInfo.InvariantCulture); break;
                case Key.ForeignKeys: ForeignKeys = value is string { Length: 0 } ? null : Convert.ToBoolean(value, CultureInfo.InvariantCulture); break;
                case Key.RecursiveTriggers: RecursiveTriggers = Convert.ToBoolean(value, CultureInfo.InvariantCulture); break;
                case Key.DefaultTimeout: DefaultTimeout = Convert.ToInt32(value, CultureInfo.InvariantCulture); break;
                case Key.Pooling: Pooling = Convert.ToBoolean(value, CultureInfo.InvariantCulture); break;
                case Key.Vfs: Vfs = Convert.ToString(value, CultureInfo.InvariantCulture); break;
            }
        }
    }

    /// <summary>Clears every keyword back to its default.</summary>
    public override void Clear()
    {
        base.Clear();
        for (int i = 0; i < CanonicalNames.Length; i++) Reset((Key)i);
    }

    /// <summary>Whether <paramref name="keyword"/> is a keyword this builder knows.</summary>
    /// <param name="keyword">The keyword.</param>
    public override bool ContainsKey(string keyword) => Keys_.ContainsKey(keyword);

    /// <summary>Removes a keyword (sets it back to its default).</summary>
    /// <param name="keyword">The keyword.</param>
    /// <returns>Whether the keyword was set.</returns>
    public override bool Remove(string keyword)
    {
        if (!Keys_.TryGetValue(keyword, out Key k) || !base.Remove(CanonicalNames[(int)k])) return false;
        Reset(k);
        return true;
    }

    /// <summary>Whether the keyword is set and so appears in the connection string.</summary>
    /// <param name="keyword">The keyword.</param>
    public override bool ShouldSerialize(string keyword) =>
        Keys_.TryGetValue(keyword, out Key k) && base.ShouldSerialize(CanonicalNames[(int)k]);

    /// <summary>Gets a keyword's value.</summary>
    /// <param name="keyword">The keyword.</param>
    /// <param name="value">The value, when the keyword is known.</param>
    /// <returns>Whether the keyword is known.</returns>
    public override bool TryGetValue(string keyword, [NotNullWhen(true)] out object? value)
    {
        if (!Keys_.TryGetValue(keyword, out Key k))
        {
            value = null;
            return false;
        }
        value = Get(k)!;
        return true;
    }

    private static Key Lookup(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        if (Keys_.TryGetValue(keyword, out Key k)) return k;
        throw new ArgumentException(
            $"Connection string keyword '{keyword}' is not supported. For a possible alternative, see https://go.microsoft.com/fwlink/?linkid=2142181.");
    }

    private object? Get(Key k) => k switch
    {
        Key.DataSource => DataSource,
        Key.Mode => Mode,
        Key.Cache => Cache,
        Key.Password => Password,
        Key.ForeignKeys => ForeignKeys,
        Key.RecursiveTriggers => RecursiveTriggers,
        Key.DefaultTimeout => DefaultTimeout,
        Key.Pooling => Pooling,
        _ => Vfs,
    };

    private void Reset(Key k)
    {
        switch (k)
        {
            case Key.DataSource: _dataSource = ""; break;
            case Key.Mode: _mode = TernOpenMode.ReadWriteCreate; break;
            case Key.Cache: _cache = TernCacheMode.Default; break;
            case Key.Password: _password = ""; break;
            case Key.ForeignKeys: _foreignKeys = null; break;
            case Key.RecursiveTriggers: _recursiveTriggers = false; break;
            case Key.DefaultTimeout: _defaultTimeout = 30; break;
            case Key.Pooling: _pooling = true; break;
            case Key.Vfs: _vfs = null; break;
        }
    }

    private static T ToEnum<T>(object value)
        where T : struct, Enum
    {
        if (value is string s) return Enum.Parse<T>(s, ignoreCase: true);
        T result;
        if (value is T t) result = t;
        else if (value.GetType().IsEnum) throw new ArgumentException($"Cannot convert object of type '{value.GetType()}' to object of type '{typeof(T)}'.");
        else result = (T)Enum.ToObject(typeof(T), value);
        if (!Enum.IsDefined(result))
            throw new ArgumentOutOfRangeException(nameof(value), value, $"The {typeof(T)} enumeration value, {result}, is invalid.");
        return result;
    }
}
