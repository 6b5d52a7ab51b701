// The schemas a connection's statements compile against: one per database of the
// connection, numbered as SQLite numbers them —
//
//   0  main    the file the connection opened
//   1  temp    the connection's private TEMP database (empty until first used)
//   2… aux     databases added by ATTACH, in the order they were attached
//
// A name a statement qualifies ("aux.t") is looked up in that schema only; an unqualified
// one is looked up in temp first, then main, then the attached ones in order, so a TEMP
// table hides a main table of the same name (SQLite's sqlite3FindTable order).
namespace Tern.Schema;

/// <summary>The schemas of a connection's databases, by number and name.</summary>
internal sealed class SchemaSet
{
    private readonly string[] _names;
    private readonly DatabaseSchema[] _schemas;

    /// <summary>A set of schemas; <paramref name="names"/>[i] names <paramref name="schemas"/>[i] (main and temp first).</summary>
    public SchemaSet(string[] names, DatabaseSchema[] schemas)
    {
        System.Diagnostics.Debug.Assert(names.Length == schemas.Length && names.Length >= 2);
        _names = names;
        _schemas = schemas;
    }

    /// <summary>Just a main schema (and an empty temp one), for code that knows of no other.</summary>
    public static SchemaSet Of(DatabaseSchema main) => new(["main", "temp"], [main, DatabaseSchema.Empty(DatabaseSchema.TempDb)]);

    /// <summary>Each database's file (full path; "" for an in-memory one), for PRAGMA database_list.</summary>
    public string[]? Files { get; init; }

    /// <summary>Whether the TEMP database has been made (PRAGMA database_list lists it from then on).</summary>
    public bool TempOpen { get; init; }

    /// <summary>How many databases there are (main and temp included).</summary>
    public int Count => _schemas.Length;

    public DatabaseSchema this[int db] => _schemas[db];

    public DatabaseSchema Main => _schemas[DatabaseSchema.MainDb];

    public DatabaseSchema Temp => _schemas[DatabaseSchema.TempDb];

    /// <summary>The name database <paramref name="db"/> was opened or attached under.</summary>
    public string NameOf(int db) => _names[db];

    /// <summary>
    /// The number of the database a statement names (case-insensitive; "main" and "temp" always,
    /// whatever they were attached as), or -1 when there is none by that name.
    /// </summary>
    public int IndexOf(string name)
    {
        for (int i = 0; i < _names.Length; i++)
        {
            if (string.Equals(_names[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }

    /// <summary>The databases in the order an unqualified name is looked up in: temp, main, then the attached ones.</summary>
    public IEnumerable<int> SearchOrder()
    {
        yield return DatabaseSchema.TempDb;
        yield return DatabaseSchema.MainDb;
        for (int i = 2; i < _schemas.Length; i++) yield return i;
    }

    /// <summary>The databases to look in for a name qualified with <paramref name="schema"/> (null: every one, in search order; none for an unknown schema).</summary>
    private IEnumerable<int> Where(string? schema)
    {
        if (schema == null) return SearchOrder();
        int db = IndexOf(schema);
        return db < 0 ? [] : [db];
    }

    /// <summary>A table by name, in <paramref name="schema"/> or (null) wherever it is first found.</summary>
    public Table? FindTable(string? schema, string name)
    {
        foreach (int db in Where(schema))
        {
            if (_schemas[db].FindTable(name, qualified: schema != null) is { } t) return t;
        }
        return null;
    }

    public View? FindView(string? schema, string name)
    {
        foreach (int db in Where(schema))
        {
            if (_schemas[db].FindView(name) is { } v) return v;
        }
        return null;
    }

    public Index? FindIndex(string? schema, string name)
    {
        foreach (int db in Where(schema))
        {
            if (_schemas[db].FindIndex(name) is { } ix) return ix;
        }
        return null;
    }

    public Trigger? FindTrigger(string? schema, string name)
    {
        foreach (int db in Where(schema))
        {
            if (_schemas[db].FindTrigger(name) is { } tr) return tr;
        }
        return null;
    }

    /// <summary>Every table of every database, main's first.</summary>
    public IEnumerable<Table> AllTables()
    {
        for (int i = 0; i < _schemas.Length; i++)
        {
            foreach (Table t in _schemas[i].Tables) yield return t;
        }
    }

    /// <summary>
    /// The triggers on table (or view) <paramref name="name"/> of database <paramref name="db"/>
    /// in the order they fire, as SQLite's sqlite3TriggerList orders them: the TEMP triggers
    /// on it first in the order they were made (a TEMP trigger may be on a table of another
    /// database), then the database's own triggers, newest first.
    /// </summary>
    public IEnumerable<Trigger> TriggersOn(int db, string name)
    {
        var list = new List<Trigger>();
        if (db != DatabaseSchema.TempDb)
        {
            foreach (Trigger tr in Temp.TriggersOn(name))
            {
                if (TempTriggerTarget(tr) == db) list.Add(tr);
            }
        }
        var own = new List<Trigger>();
        foreach (Trigger tr in _schemas[db].TriggersOn(name))
        {
            if (db != DatabaseSchema.TempDb || TempTriggerTarget(tr) == db) own.Add(tr);
        }
        own.Reverse();
        list.AddRange(own);
        return list;
    }

    /// <summary>
    /// Where TEMP triggers were bound when made, by name and text: the database name of the
    /// table each fires on. SQLite binds a TEMP trigger to the table its name found at CREATE
    /// TRIGGER, and a table of that name made later in another database does not take it over.
    /// The connection keeps this across schema reloads.
    /// </summary>
    public Dictionary<string, string>? TempTriggerBindings { get; init; }

    /// <summary>Records the database a new TEMP trigger binds to.</summary>
    public void BindTempTrigger(string name, string sql, int db)
    {
        if (TempTriggerBindings != null) TempTriggerBindings[name + "\0" + sql] = NameOf(db);
    }

    /// <summary>
    /// The database whose table a TEMP trigger fires on: the one it names ("ON main.t"), the
    /// one it was bound to when made, else the first that has a table or view by that name
    /// (-1: none).
    /// </summary>
    public int TempTriggerTarget(Trigger tr)
    {
        if (tr.Definition.TableSchema == null && TempTriggerBindings != null
            && TempTriggerBindings.TryGetValue(tr.Name + "\0" + tr.Sql, out string? bound))
        {
            int db = IndexOf(bound);
            return db >= 0 && (_schemas[db].FindTable(tr.Table) != null || _schemas[db].FindView(tr.Table) != null) ? db : -1;
        }
        foreach (int db in Where(tr.Definition.TableSchema))
        {
            if (_schemas[db].FindTable(tr.Table) != null || _schemas[db].FindView(tr.Table) != null) return db;
        }
        return -1;
    }
}
