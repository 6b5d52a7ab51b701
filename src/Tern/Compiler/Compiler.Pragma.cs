// PRAGMA statements. Three kinds:
//   - schema pragmas (table_info, table_xinfo, index_list, index_info, index_xinfo,
//     table_list): rows computed from the schema while compiling;
//   - header pragmas (user_version, application_id, schema_version, freelist_count,
//     page_count, page_size): read or written in the database header at run time;
//   - connection settings (foreign_keys, recursive_triggers, cache_size, ...): kept per
//     connection (foreign_keys cannot change inside a transaction);
//   - foreign_key_check: generated code over each child table (Compiler.ForeignKey.cs);
//   - integrity_check / quick_check: the b-tree checker over every table and index, then
//     (integrity_check only) generated code that looks up every row's entry in each index
//     and compares entry counts, one result row per problem, as SQLite's pragma.c does.
// An unknown pragma does nothing and returns no rows, as in SQLite.
using System.Globalization;
using System.Text;
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Sql.Ast;
using Tern.Storage.Pager;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>Connection settings a PRAGMA reads and writes, with SQLite's defaults.</summary>
    internal static readonly Dictionary<string, long> SettingDefaults = new(StringComparer.OrdinalIgnoreCase)
    {
        ["foreign_keys"] = 0,
        ["recursive_triggers"] = 0,
        ["read_uncommitted"] = 0,
        ["cache_size"] = -2000,
        ["ignore_check_constraints"] = 0,
        ["case_sensitive_like"] = 0,
        ["temp_store"] = 0,
        ["cache_spill"] = 1,
        ["busy_timeout"] = 0,
        ["defer_foreign_keys"] = 0,
        ["reverse_unordered_selects"] = 0,
        ["automatic_index"] = 1,
        ["count_changes"] = 0,
        ["full_column_names"] = 0,
        ["short_column_names"] = 1,
        ["legacy_alter_table"] = 0,
        ["query_only"] = 0,
        ["cell_size_check"] = 0,
        ["secure_delete"] = 0,
        ["trusted_schema"] = 1,
        ["analysis_limit"] = 0,
        ["checkpoint_fullfsync"] = 0,
        ["fullfsync"] = 0,
        ["empty_result_callbacks"] = 0,
        ["writable_schema"] = 0,
        ["soft_heap_limit"] = 0,
        ["hard_heap_limit"] = 0,
        ["threads"] = 0,
        ["mmap_size"] = 0,
    };

    /// <summary>
    /// A PRAGMA that needs neither the schema nor a transaction: one that only reads or sets a
    /// connection setting (PRAGMA busy_timeout works while another connection holds the
    /// file), and wal_checkpoint, which must run outside any read transaction of its own.
    /// </summary>
    internal static bool IsSettingPragma(PragmaStatement p) =>
        NoTransactionPragmas.Contains(p.Name)
        || (p.Schema == null && !p.Name.Equals("cache_size", StringComparison.OrdinalIgnoreCase) && SettingDefaults.ContainsKey(p.Name));

    /// <summary>
    /// A PRAGMA whose program opens no transaction: the setting pragmas above, and PRAGMA
    /// journal_mode and the page_size question, which answer what the pager last saw (as
    /// SQLite's do) though they read the schema when compiled.
    /// </summary>
    private static bool OpensNoTransaction(PragmaStatement p) =>
        IsSettingPragma(p) || p.Name.Equals("journal_mode", StringComparison.OrdinalIgnoreCase)
        || (p.Value == null && p.Name.Equals("page_size", StringComparison.OrdinalIgnoreCase));

    private static readonly HashSet<string> NoTransactionPragmas = new(StringComparer.OrdinalIgnoreCase)
    {
        "wal_checkpoint", "wal_autocheckpoint", "journal_size_limit", "synchronous",
    };

    private void CompilePragma(PragmaStatement p)
    {
        string name = p.Name.ToLowerInvariant();
        if (p.Schema != null && _schemas.IndexOf(p.Schema) < 0)
            throw new TernException(ResultCode.Error, "unknown database " + p.Schema);
        int db = p.Schema != null ? _schemas.IndexOf(p.Schema) : DatabaseSchema.MainDb;
        switch (name)
        {
            case "table_info":
            case "table_xinfo":
                if (p.Value != null) TableInfo(p.Schema, p.Value.Text, name == "table_xinfo");
                return;
            case "index_list":
                if (p.Value != null) IndexList(p.Schema, p.Value.Text);
                return;
            case "index_info":
            case "index_xinfo":
                if (p.Value != null) IndexInfo(p.Schema, p.Value.Text, name == "index_xinfo");
                return;
            case "database_list":
                {
                    var rows = new List<object?[]>();
                    for (int i = 0; i < _schemas.Count; i++)
                    {
                        if (i == DatabaseSchema.TempDb && !_schemas.TempOpen) continue;
                        rows.Add([(long)i, _schemas.NameOf(i), _schemas.Files?[i] ?? ""]);
                    }
                    Rows(["seq", "name", "file"], rows);
                    return;
                }
            case "table_list":
                Rows(["schema", "name", "type", "ncol", "wr", "strict"], TableListRows(p.Schema, p.Value?.Text));
                return;
            case "foreign_key_list":
                if (p.Value != null) ForeignKeyList(p.Schema, p.Value.Text);
                return;
            case "foreign_key_check":
                ForeignKeyCheckPragma(p.Schema, p.Value?.Text);
                return;
            case "integrity_check":
            case "quick_check":
                {
                    var roots = new List<(uint Root, bool IsTable)>();
                    var keys = new Dictionary<uint, Storage.Record.KeyInfo>();
                    foreach (Table t in _schemas[db].Tables)
                    {
                        if (t.RootPage != 0) roots.Add((t.RootPage, !t.WithoutRowid));
                        if (t.RootPage != 0 && t.WithoutRowid) keys[t.RootPage] = WithoutRowidLayout.TableKeyInfo(t);
                        foreach (Index ix in t.Indexes)
                        {
                            if (ix.RootPage == 0) continue;
                            roots.Add((ix.RootPage, false));
                            keys[ix.RootPage] = ix.KeyInfo();
                        }
                    }
                    // integrity_check(N): at most N problems (100 by default; N < 1 is 100).
                    long limit = p.Value != null && long.TryParse(p.Value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) && n > 0 ? n : 100;
                    int r = NewRegister();
                    int errors = NewRegister();
                    int max = NewRegister();
                    Emit(Opcode.Integer, 0, errors, 0);
                    Emit(Opcode.Int64, 0, max, 0, limit);
                    _columnNames = [name];
                    _declaredTypes = new string?[1];
                    int end = NewLabel();
                    int structureOk = NewLabel();
                    Emit(Opcode.IntegrityCk, r, errors, (int)Math.Min(limit, int.MaxValue), (roots.ToArray(), keys), (ushort)db);
                    Emit(Opcode.IsNull, r, structureOk, 0);
                    PragmaRow(r, 1);
                    Emit(Opcode.Ge, max, end, errors);
                    Resolve(structureOk);
                    RowContentChecks(db, r, errors, max, end, quick: name == "quick_check");
                    Emit(Opcode.IfPos, errors, end, 0);
                    Emit(Opcode.String8, 0, r, 0, "ok"u8.ToArray());
                    PragmaRow(r, 1);
                    Resolve(end);
                    return;
                }
            case "user_version":
            case "application_id":
            case "schema_version":
                {
                    int offset = name switch
                    {
                        "user_version" => DatabaseHeader.UserVersionOffset,
                        "application_id" => DatabaseHeader.ApplicationIdOffset,
                        _ => DatabaseHeader.SchemaCookieOffset,
                    };
                    if (p.Value != null)
                    {
                        _write = true;
                        // SQLite reads the value with sqlite3Atoi: "10.9" is 10, "12abc" 12, too big 0.
                        long v = LeadingInt32(p.Value.Text);
                        Emit(Opcode.SetCookie, 0, offset, unchecked((int)v));
                        if (name == "schema_version") Emit(Opcode.ParseSchema, 0, 0, 0);
                        return;
                    }
                    int r = NewRegister();
                    Emit(Opcode.ReadCookie, 0, r, offset);
                    if (name != "schema_version") Emit(Opcode.Function, 0, r, r, SignedInt32, 1);
                    Result([name], r, 1);
                    return;
                }
            case "freelist_count":
                {
                    int r = NewRegister();
                    Emit(Opcode.ReadCookie, 0, r, DatabaseHeader.FreelistCountOffset);
                    Result([name], r, 1);
                    return;
                }
            case "page_count":
            case "page_size":
                {
                    int r = NewRegister();
                    if (name == "page_size" && p.Value != null)
                    {
                        // Only while the database has no pages; no result row.
                        long size = PragmaInteger(p.Value);
                        if (size is >= 512 and <= 65536) Emit(Opcode.PagerInfo, 1, r, (int)size);
                        return;
                    }
                    Emit(Opcode.PagerInfo, name == "page_count" ? 0 : 1, r, 0);
                    Result([name], r, 1);
                    return;
                }
            case "journal_mode":
                {
                    // P3: 0 asks; 1 + the mode sets it; -1 (a name SQLite does not know) leaves
                    // it and answers the mode in force, as SQLite answers when it cannot switch.
                    int r = NewRegister();
                    int set = 0;
                    if (p.Value != null)
                    {
                        set = p.Value.Text.ToLowerInvariant() switch
                        {
                            "delete" => 1 + (int)Storage.Pager.JournalMode.Delete,
                            "persist" => 1 + (int)Storage.Pager.JournalMode.Persist,
                            "off" => 1 + (int)Storage.Pager.JournalMode.Off,
                            "truncate" => 1 + (int)Storage.Pager.JournalMode.Truncate,
                            "memory" => 1 + (int)Storage.Pager.JournalMode.Memory,
                            "wal" => 1 + (int)Storage.Pager.JournalMode.Wal,
                            _ => -1,
                        };
                    }
                    _notReadOnly = true;
                    Emit(Opcode.PagerInfo, 2, r, set);
                    Result([name], r, 1);
                    return;
                }
            case "encoding":
                {
                    // Setting answers no row. Tern databases are UTF-8: a UTF-16 encoding is refused
                    // (SQLite would make a new database UTF-16), any other name as SQLite refuses it.
                    if (p.Value == null)
                    {
                        ConstantRow([name], "UTF-8");
                        return;
                    }
                    string enc = p.Value.Text.ToUpperInvariant();
                    if (enc is "UTF-8" or "UTF8") return;
                    if (enc is "UTF-16" or "UTF16" or "UTF-16LE" or "UTF16LE" or "UTF-16BE" or "UTF16BE")
                        throw new TernException(ResultCode.Error, "UTF-16 databases are not supported yet");
                    throw new TernException(ResultCode.Error, "unsupported encoding: " + p.Value.Text);
                }
            case "case_sensitive_like":
                // Only sets (like() turns case-sensitive for statements prepared afterwards); never answers a row.
                if (p.Value != null) Emit(Opcode.SetSetting, 0, 0, 0, (name, SettingValue(name, p.Value)));
                return;
            case "writable_schema":
                {
                    // Reads 0; turning it on (which lets SQL edit sqlite_schema) is not offered. RESET turns it off.
                    if (p.Value == null) break;
                    string v = p.Value.Text.ToLowerInvariant();
                    if (v != "reset" && SettingValue(name, p.Value) != 0)
                        throw new TernException(ResultCode.Error, "PRAGMA writable_schema is not supported yet");
                    return;
                }
            case "secure_delete":
                {
                    // FAST is 2, otherwise a boolean; the row answers the value in force. (Tern keeps
                    // the setting; freed content is not overwritten.)
                    if (p.Value != null)
                        Emit(Opcode.SetSetting, 0, 0, 0, (name, p.Value.Text.Equals("fast", StringComparison.OrdinalIgnoreCase) ? 2L : SafetyLevel(p.Value.Text) != 0 ? 1L : 0L));
                    int r = NewRegister();
                    Emit(Opcode.Setting, 0, r, 0, name);
                    Result([name], r, 1);
                    return;
                }
            case "soft_heap_limit":
            case "hard_heap_limit":
            case "threads":
                {
                    // SQLite's memory limits (process-wide there, per connection here; Tern does not
                    // enforce them) and the sorter's worker-thread limit (at most 8; Tern sorts on the
                    // calling thread): set as SQLite's pragma.c sets them, answered in force.
                    if (p.Value != null && DecOrHexInteger(p.Value.Text) is long n)
                    {
                        long soft = CurrentSetting("soft_heap_limit"), hard = CurrentSetting("hard_heap_limit");
                        long? set = name switch
                        {
                            "soft_heap_limit" when n >= 0 => hard > 0 && (n > hard || n == 0) ? hard : n,
                            "hard_heap_limit" when n > 0 && (hard == 0 || hard > n) => n,
                            "threads" when n >= 0 => Math.Min(n & 0x7fffffff, 8),
                            _ => null,
                        };
                        if (set is long value)
                        {
                            Emit(Opcode.SetSetting, 0, 0, 0, (name, value));
                            // Lowering the hard limit below the soft one lowers the soft one too.
                            if (name == "hard_heap_limit" && (soft == 0 || soft > value)) Emit(Opcode.SetSetting, 0, 0, 0, ("soft_heap_limit", value));
                        }
                    }
                    int r = NewRegister();
                    Emit(Opcode.Setting, 0, r, 0, name);
                    Result([name], r, 1);
                    return;
                }
            case "mmap_size":
                {
                    // Memory-mapped I/O is not used by Tern; the limit is kept and answered as SQLite's
                    // unix VFS answers it (at most 0x7fff0000; no row for a database without a file).
                    if (p.Value != null)
                    {
                        long sz = DecOrHexInteger(p.Value.Text) ?? 0;
                        Emit(Opcode.SetSetting, 0, 0, 0, (name, Math.Min(Math.Max(sz, 0), 0x7fff0000)));
                    }
                    if (db == DatabaseSchema.TempDb || string.IsNullOrEmpty(_schemas.Files?[db])) return;
                    int r = NewRegister();
                    Emit(Opcode.Setting, 0, r, 0, name);
                    Result([name], r, 1);
                    return;
                }
            case "locking_mode":
                {
                    // Only NORMAL locking is offered: EXCLUSIVE is refused when prepared. Asked without
                    // a schema, the connection's default answers ("normal"); otherwise (or when set) the
                    // database's pager does, which for temp and in-memory databases is "exclusive".
                    string? mode = p.Value?.Text.ToLowerInvariant();
                    if (mode == "exclusive") throw new TernException(ResultCode.Error, "PRAGMA locking_mode=EXCLUSIVE is not supported yet");
                    bool memory = db == DatabaseSchema.TempDb || string.IsNullOrEmpty(_schemas.Files?[db]);
                    bool pager = p.Schema != null || mode == "normal";
                    ConstantRow([name], pager && memory ? "exclusive" : "normal");
                    return;
                }
            case "auto_vacuum":
                {
                    if (p.Value != null)
                    {
                        // Takes effect only in a file that has no pages yet (SQLite: before the first table).
                        string mode = p.Value.Text.ToLowerInvariant();
                        int av = mode switch
                        {
                            "none" => 0,
                            "full" => 1,
                            "incremental" => 2,
                            _ => PragmaInteger(p.Value) is long n and >= 0 and <= 2 ? (int)n : 0,
                        };
                        Emit(Opcode.AutoVacuumMode, av, 0, 0);
                        return;
                    }
                    int r = NewRegister();
                    Emit(Opcode.PagerInfo, 3, r, 0);
                    Result([name], r, 1);
                    return;
                }
            case "synchronous":
                {
                    // P3: 0 asks; 1 + the level sets it (no row), as SQLite's getSafetyLevel reads
                    // it: OFF/NO/FALSE 0, NORMAL/ON/YES/TRUE 1, FULL 2, EXTRA 3, or a number.
                    int r = NewRegister();
                    if (p.Value != null)
                    {
                        string t = p.Value.Text.ToLowerInvariant();
                        long level = t switch
                        {
                            "off" or "no" or "false" => 0,
                            "normal" or "on" or "yes" or "true" => 1,
                            "full" => 2,
                            "extra" => 3,
                            _ => LeadingInt32(t),
                        };
                        Emit(Opcode.PagerInfo, 4, r, 1 + (int)(level is >= 0 and <= 3 ? level : 0));
                        return;
                    }
                    Emit(Opcode.PagerInfo, 4, r, 0);
                    Result([name], r, 1);
                    return;
                }
            case "wal_autocheckpoint":
            case "journal_size_limit":
                {
                    // Both answer the value in force, after setting it when given one (a
                    // journal_size_limit below -1 is -1).
                    int r = NewRegister();
                    long? value = p.Value != null ? PragmaInteger(p.Value) : null;
                    Emit(Opcode.PagerInfo, name == "wal_autocheckpoint" ? 6 : 7, r, 0, value);
                    Result([name], r, 1);
                    return;
                }
            case "wal_checkpoint":
                {
                    // Three columns: busy, frames in the log, frames checkpointed; a mode
                    // SQLite does not know is PASSIVE.
                    int mode = (p.Value?.Text.ToLowerInvariant()) switch
                    {
                        "full" => (int)Storage.Wal.CheckpointMode.Full,
                        "restart" => (int)Storage.Wal.CheckpointMode.Restart,
                        "truncate" => (int)Storage.Wal.CheckpointMode.Truncate,
                        _ => (int)Storage.Wal.CheckpointMode.Passive,
                    };
                    if (p.Schema != null && p.Schema.Equals("temp", StringComparison.OrdinalIgnoreCase))
                    {
                        // The temp database is never in WAL mode.
                        Rows(["busy", "log", "checkpointed"], [[0L, -1L, -1L]]);
                        return;
                    }
                    int r = NewRegister();
                    NewRegister();
                    NewRegister();
                    _notReadOnly = true;
                    Emit(Opcode.Checkpoint, mode, r, 0);
                    Result(["busy", "log", "checkpointed"], r, 3);
                    return;
                }
            case "max_page_count":
                {
                    // Sets (never below the current page count) and reports the pager's limit;
                    // growing past it fails with SQLITE_FULL.
                    long want = p.Value != null ? PragmaInteger(p.Value) : 0;
                    int r = NewRegister();
                    Emit(Opcode.PagerInfo, 5, r, (int)Math.Clamp(want, 0, int.MaxValue));
                    Result([name], r, 1);
                    return;
                }
            case "incremental_vacuum":
                _write = true;
                Emit(Opcode.IncrVacuum, p.Value == null ? 0 : (int)Math.Clamp(PragmaInteger(p.Value), int.MinValue, int.MaxValue), 0, 0);
                return;
            case "cache_spill":
                {
                    // The setting keeps SQLite's spill flag and spill size in one number: +size when
                    // on, -size when off (size 1 at first). An integer N sets the size and turns
                    // spilling on (off for 0); a boolean only the flag. The answer is 0 when off,
                    // else the larger of the size and the cache's size in pages (a KiB cache size
                    // divided by the page size plus SQLite's 136 bytes of page overhead).
                    if (p.Value != null)
                    {
                        long current = CurrentSetting(name), size = Math.Abs(current);
                        long set;
                        if (long.TryParse(p.Value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
                        {
                            if (n < 0) throw new TernException(ResultCode.Error, "PRAGMA cache_spill with a size in KiB is not supported yet");
                            set = n == 0 ? -size : n;
                        }
                        else set = SettingValue(name, p.Value) != 0 ? size : -size;
                        Emit(Opcode.SetSetting, 0, 0, 0, (name, set));
                        return;
                    }
                    int args = NewRegisters(3);
                    Emit(Opcode.Setting, 0, args, 0, name);
                    Emit(Opcode.Setting, 0, args + 1, 0, "cache_size");
                    Emit(Opcode.PagerInfo, 1, args + 2, 0);
                    Emit(Opcode.Function, 0, args, args, CacheSpillAnswer, 3);
                    Result([name], args, 1);
                    return;
                }
            case "full_column_names":
            case "short_column_names":
                // Only SQLite's default naming (short names) is offered: the settings that name
                // result columns otherwise fail when prepared; the defaults are accepted.
                if (p.Value != null && SettingValue(name, p.Value) != SettingDefaults[name])
                    throw new TernException(ResultCode.Error, $"PRAGMA {name} = {p.Value.Text} is not supported yet");
                break;
            case "temp_store_directory":
                // Unset (no row) and reset to '' only; Tern's temporary files go where the database's
                // file system puts them.
                if (p.Value != null && p.Value.Text.Length > 0)
                    throw new TernException(ResultCode.Error, "PRAGMA temp_store_directory is not supported yet");
                return;
            case "compile_options":
            case "function_list":
            case "module_list":
            case "pragma_list":
            case "default_cache_size":
                // SQLite answers these with rows Tern cannot give truthfully yet: refused rather than
                // answered with nothing.
                throw new TernException(ResultCode.Error, $"PRAGMA {name} is not supported yet");
            case "data_version":
                {
                    // The database's pager counts the changes other connections made that its read
                    // transactions found (the ReadCookie takes the read transaction that looks).
                    int r = NewRegister();
                    Emit(Opcode.ReadCookie, db, r, DatabaseHeader.SchemaCookieOffset);
                    Emit(Opcode.PagerInfo, 8, r, db);
                    Result([name], r, 1);
                    return;
                }
            case "optimize":
                CompileOptimize(p, db);
                return;
            case "analysis_limit":
                {
                    // Set when the value reads as a non-negative decimal or hexadecimal integer
                    // (cut to 31 bits); the row answers the limit in force.
                    if (p.Value != null && DecOrHexInteger(p.Value.Text) is long limit and >= 0)
                        Emit(Opcode.SetSetting, 0, 0, 0, (name, limit & 0x7fffffff));
                    int r = NewRegister();
                    Emit(Opcode.Setting, 0, r, 0, name);
                    Result([name], r, 1);
                    return;
                }
            case "collation_list":
                Rows(["seq", "name"], [[0L, "RTRIM"], [1L, "NOCASE"], [2L, "BINARY"]]);
                return;
        }
        if (SettingDefaults.ContainsKey(name))
        {
            if (p.Value != null)
            {
                Emit(Opcode.SetSetting, 0, 0, 0, (name, SettingValue(name, p.Value)));
                // Setting busy_timeout reports the timeout now in force; the others return no row.
                if (name != "busy_timeout") return;
            }
            int r = NewRegister();
            Emit(Opcode.Setting, 0, r, 0, name);
            Result([name == "busy_timeout" ? "timeout" : name], r, 1);
        }
        // Anything else: no rows, no error (SQLite ignores unknown pragmas).
    }

    /// <summary>
    /// The part of integrity_check above the b-trees, as SQLite's: every row of every table
    /// with indexes must have its entry in each index that holds it (a partial index only for
    /// rows its WHERE accepts): "row R missing from index I"; and each index without a WHERE
    /// must hold as many entries as the table has rows: "wrong # of entries in index I" (SQLite
    /// 3.50 does not count the entries of partial indexes). Each problem is a row
    /// of its own; after <paramref name="max"/> problems the check stops. Tables are checked
    /// in the order SQLite's schema hash lists them (the reverse of their creation order while
    /// the schema has fewer than ten tables).
    /// </summary>
    /// <remarks>
    /// Before a row's index entries (and alone, in quick_check), its CHECK constraints are
    /// tested unless PRAGMA ignore_check_constraints is on: a row that fails any of them is
    /// "CHECK constraint failed in T".
    /// </remarks>
    private void RowContentChecks(int db, int message, int errors, int max, int end, bool quick)
    {
        int one = NewRegister();
        Emit(Opcode.Integer, 1, one, 0);
        List<Table> tables = _schemas[db].Tables.ToList();
        for (int ti = tables.Count - 1; ti >= 0; ti--)
        {
            Table t = tables[ti];
            List<Index> indexes = quick ? [] : t.Indexes.Where(ix => ix.RootPage != 0).ToList();
            bool checks = t.Checks.Count > 0 && !IgnoreCheckConstraints;
            if (t.RootPage == 0 || (indexes.Count == 0 && !checks)) continue;
            int tc = NewCursor();
            Emit(Opcode.OpenRead, tc, (int)t.RootPage, db, TableCursorInfo(t));
            var cursors = new int[indexes.Count];
            var counts = new int[indexes.Count];
            for (int i = 0; i < indexes.Count; i++)
            {
                cursors[i] = NewCursor();
                Emit(Opcode.OpenRead, cursors[i], (int)indexes[i].RootPage, db, indexes[i].KeyInfo());
                counts[i] = NewRegister();
                Emit(Opcode.Integer, 0, counts[i], 0);
            }
            int done = NewLabel();
            Emit(Opcode.Rewind, tc, done, 0);
            int top = CurrentAddress;
            var src = new Source { Table = t, Cursor = tc, Name = t.Name };
            int rowid = NewRegister();
            Emit(Opcode.Rowid, tc, rowid, 0);
            if (checks)
            {
                int passed = NewLabel();
                CheckRowOnCursor(t, src, passed);
                Emit(Opcode.String8, 0, message, 0, Encoding.UTF8.GetBytes("CHECK constraint failed in " + t.Name));
                ProblemRow(message, errors, one, max, end);
                Resolve(passed);
            }
            for (int i = 0; i < indexes.Count; i++)
            {
                Index ix = indexes[i];
                int next = NewLabel();
                if (ix.Where != null)
                {
                    var whereScope = new Scope { Definition = true };
                    whereScope.Sources.Add(src);
                    JumpIfFalse(ix.Where, whereScope, next);
                }
                Emit(Opcode.Add, one, counts[i], counts[i]);
                int n = ix.Columns.Length;
                int width = IndexEntryWidth(ix);
                int key = NewRegisters(width);
                IndexKeyFromCursor(ix, src, key);
                if (t.WithoutRowid) IndexSuffixFromCursor(ix, src, key + n);
                else Emit(Opcode.SCopy, rowid, key + n, 0);
                int rec = NewRegister();
                Emit(Opcode.MakeRecord, key, width, rec);
                Emit(Opcode.Found, cursors[i], next, rec);
                int text = NewRegister();
                Emit(Opcode.String8, 0, message, 0, "row "u8.ToArray());
                Emit(Opcode.Concat, rowid, message, message);
                Emit(Opcode.String8, 0, text, 0, Encoding.UTF8.GetBytes(" missing from index " + ix.Name));
                Emit(Opcode.Concat, text, message, message);
                ProblemRow(message, errors, one, max, end);
                Resolve(next);
            }
            Emit(Opcode.Next, tc, top, 0);
            Resolve(done);
            for (int i = 0; i < indexes.Count; i++)
            {
                // SQLite 3.50 compares the counts of full indexes only.
                if (indexes[i].Where != null) continue;
                int entries = NewRegister();
                int same = NewLabel();
                Emit(Opcode.Count, cursors[i], entries, 0);
                Emit(Opcode.Eq, counts[i], same, entries);
                Emit(Opcode.String8, 0, message, 0, Encoding.UTF8.GetBytes("wrong # of entries in index " + indexes[i].Name));
                ProblemRow(message, errors, one, max, end);
                Resolve(same);
            }
        }
    }

    /// <summary>
    /// Tests every CHECK constraint of <paramref name="t"/> on the row its cursor source is on:
    /// jumps to <paramref name="passed"/> when none is false (NULL passes), else falls through.
    /// </summary>
    private void CheckRowOnCursor(Table t, Source src, int passed)
    {
        var scope = new Scope { Definition = true };
        scope.Sources.Add(src);
        int failed = NewLabel(), r = NewRegister();
        foreach ((string? _, Expr e) in t.Checks)
        {
            ExprCode(e, scope, r);
            Emit(Opcode.IfNot, r, failed, 0);
        }
        Emit(Opcode.Goto, 0, passed, 0);
        Resolve(failed);
    }

    /// <summary>Outputs one integrity problem, counting it and stopping once <paramref name="max"/> were output.</summary>
    private void ProblemRow(int message, int errors, int one, int max, int end)
    {
        PragmaRow(message, 1);
        Emit(Opcode.Add, one, errors, errors);
        Emit(Opcode.Ge, max, end, errors);
    }

    /// <summary>PRAGMA cache_spill's answer from (the setting, cache_size, the page size); see the pragma.</summary>
    private static readonly Functions.ScalarFunction CacheSpillAnswer = new("cache_spill", 3, static (a, ref r) =>
    {
        long spill = a[0].I, cache = a[1].I, pageSize = Math.Max(a[2].I, 512);
        long pages = cache >= 0 ? cache : -1024 * cache / (pageSize + 136);
        r.SetInt(spill <= 0 ? 0 : Math.Max(pages, spill));
    });

    private static readonly Functions.ScalarFunction SignedInt32 = new("int32", 1, static (a, ref r) => r.SetInt(unchecked((int)(uint)a[0].I)));

    private static long PragmaInteger(PragmaValue v) =>
        long.TryParse(v.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long x) ? x : 0;

    /// <summary>
    /// SQLite's sqlite3Atoi: an optional sign and the digits that follow it ("1.9" is 1); text
    /// without digits, or a number that does not fit in 32 bits, is 0.
    /// </summary>
    private static long LeadingInt32(string text)
    {
        if (text.Length > 2 && text[0] == '0' && text[1] is 'x' or 'X' && char.IsAsciiHexDigit(text[2]))
        {
            // Hexadecimal, as sqlite3GetInt32 reads it: at most 31 bits, nothing but hex digits counted.
            int h = 2;
            while (h < text.Length && text[h] == '0') h++;
            ulong u = 0;
            for (; h < text.Length && char.IsAsciiHexDigit(text[h]) && u <= 0x7FFFFFFF; h++) u = u * 16 + (ulong)Convert.ToInt32(text[h].ToString(), 16);
            return u <= 0x7FFFFFFF && (h == text.Length || !char.IsAsciiHexDigit(text[h])) ? (long)u : 0;
        }
        int i = 0;
        bool negative = false;
        if (i < text.Length && text[i] is '-' or '+') negative = text[i++] == '-';
        while (i < text.Length && text[i] == '0') i++;
        long value = 0;
        int digits = 0;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++, digits++)
        {
            if (digits == 10) return 0;
            value = value * 10 + (text[i] - '0');
        }
        if (value - (negative ? 1 : 0) > int.MaxValue) return 0;
        return negative ? -value : value;
    }

    /// <summary>
    /// SQLite's sqlite3DecOrHexToI64: "0x" and up to 16 hex digits, or a decimal integer with an
    /// optional sign and surrounding spaces that fits in 64 bits; null for anything else.
    /// </summary>
    private static long? DecOrHexInteger(string text)
    {
        if (text.Length > 2 && text[0] == '0' && text[1] is 'x' or 'X')
        {
            string hex = text[2..].TrimStart('0');
            if (hex.Length > 16 || !hex.All(char.IsAsciiHexDigit) || text.Length == 2) return null;
            return hex.Length == 0 ? 0 : unchecked((long)ulong.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        }
        string t = text.Trim(' ', '\t', '\n', '\f', '\r', '\v');
        return long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : null;
    }

    /// <summary>A connection setting as this statement is prepared.</summary>
    private long CurrentSetting(string name) =>
        _settings != null && _settings.TryGetValue(name, out long v) ? v : SettingDefaults[name];

    /// <summary>SQLite's getSafetyLevel: off/no/false 0, on/yes/true/normal 1, full 2, extra 3, else the leading integer.</summary>
    private static long SafetyLevel(string text) => text.ToLowerInvariant() switch
    {
        "off" or "no" or "false" => 0,
        "normal" or "on" or "yes" or "true" => 1,
        "full" => 2,
        "extra" => 3,
        _ => LeadingInt32(text),
    };

    /// <summary>Booleans accept on/off/yes/no/true/false as well as numbers.</summary>
    private static long SettingValue(string name, PragmaValue v)
    {
        string t = v.Text.ToLowerInvariant();
        if (t is "on" or "yes" or "true") return 1;
        if (t is "off" or "no" or "false" or "none") return 0;
        if (name == "temp_store") return t switch { "default" => 0, "file" => 1, "memory" => 2, _ => PragmaInteger(v) };
        // sqlite3_busy_timeout: a timeout of zero or less removes the handler (the timeout reads 0).
        if (name == "busy_timeout") return Math.Max(LeadingInt32(v.Text), 0);
        return PragmaInteger(v);
    }

    /// <summary>Where a PRAGMA compiled as a table-valued function sends its rows instead of ResultRow (null otherwise).</summary>
    private Action<int, int>? _pragmaRows;

    /// <summary>Outputs a PRAGMA's row r[start..start+count-1].</summary>
    private void PragmaRow(int start, int count)
    {
        if (_pragmaRows != null) _pragmaRows(start, count);
        else Emit(Opcode.ResultRow, start, count, 0);
    }

    private void Result(string[] names, int start, int count)
    {
        _columnNames = names;
        _declaredTypes = new string?[names.Length];
        PragmaRow(start, count);
    }

    private void ConstantRow(string[] names, params object?[] values) => Rows(names, [values]);

    /// <summary>Emits constant result rows (long, string or null values).</summary>
    private void Rows(string[] names, List<object?[]> rows)
    {
        _columnNames = names;
        _declaredTypes = new string?[names.Length];
        foreach (object?[] row in rows)
        {
            int regs = NewRegisters(Math.Max(row.Length, 1));
            for (int i = 0; i < row.Length; i++)
            {
                switch (row[i])
                {
                    case null: Emit(Opcode.Null, 0, regs + i, 0); break;
                    case long l: Emit(Opcode.Int64, 0, regs + i, 0, l); break;
                    case int n: Emit(Opcode.Int64, 0, regs + i, 0, (long)n); break;
                    case string s: Emit(Opcode.String8, 0, regs + i, 0, Encoding.UTF8.GetBytes(s)); break;
                }
            }
            PragmaRow(regs, row.Length);
        }
    }

    private void TableInfo(string? schema, string tableName, bool extended) =>
        Rows(extended ? ["cid", "name", "type", "notnull", "dflt_value", "pk", "hidden"] : ["cid", "name", "type", "notnull", "dflt_value", "pk"], TableInfoRows(schema, tableName, extended));

    /// <summary>The rows of table_info / table_xinfo for a table or view (none for an unknown name).</summary>
    private List<object?[]> TableInfoRows(string? schema, string tableName, bool extended)
    {
        var rows = new List<object?[]>();
        Table? t = FindTable(schema, tableName);
        if (t != null)
        {
            int[] pk = PrimaryKeyColumns(t);
            byte[] sql = t.Sql != null ? Encoding.UTF8.GetBytes(t.Sql) : [];
            int hidden = 0;
            for (int i = 0; i < t.Columns.Count; i++)
            {
                Column c = t.Columns[i];
                // Generated columns: left out of table_info (later cids close up), in
                // table_xinfo with hidden = 2 (VIRTUAL) or 3 (STORED).
                if (c.IsGenerated && !extended)
                {
                    hidden++;
                    continue;
                }
                string? dflt = c.Default != null && t.Sql != null && c.Default.End <= sql.Length ? Encoding.UTF8.GetString(sql, c.Default.Start, c.Default.End - c.Default.Start) : null;
                int pkIndex = Array.IndexOf(pk, i);
                var row = new List<object?> { (long)(i - hidden), c.Name, StandardTypeName(c.DeclaredType), c.NotNull ? 1L : 0L, dflt, pkIndex < 0 ? 0L : pkIndex + 1L };
                if (extended) row.Add(!c.IsGenerated ? 0L : c.IsStored ? 3L : 2L);
                rows.Add(row.ToArray());
            }
        }
        else if (FindView(schema, tableName) is { } tv)
        {
            List<(string Name, string? Type)> cols = ViewColumns(tv);
            for (int i = 0; i < cols.Count; i++)
            {
                var row = new List<object?> { (long)i, cols[i].Name, StandardTypeName(cols[i].Type), 0L, null, 0L };
                if (extended) row.Add(0L);
                rows.Add(row.ToArray());
            }
        }
        else if (schema == null && TableFunctionShape(tableName) is var (columns, parameters))
        {
            // A table-valued function: its columns, then (table_xinfo only) its hidden parameters.
            for (int i = 0; i < columns.Length + (extended ? parameters.Length : 0); i++)
            {
                var row = new List<object?> { (long)i, i < columns.Length ? columns[i] : parameters[i - columns.Length], "", 0L, null, 0L };
                if (extended) row.Add(i < columns.Length ? 0L : 1L);
                rows.Add(row.ToArray());
            }
        }
        return rows;
    }

    /// <summary>
    /// A column's type as table_info shows it: one of SQLite's standard type names (INT,
    /// INTEGER, REAL, TEXT, BLOB, ANY), written in any case, in upper case; anything else as written.
    /// </summary>
    private static string StandardTypeName(string? declared) => declared switch
    {
        null => "",
        _ when StandardTypes.FirstOrDefault(t => t.Equals(declared, StringComparison.OrdinalIgnoreCase)) is { } std => std,
        _ => declared,
    };

    private static readonly string[] StandardTypes = ["ANY", "BLOB", "INT", "INTEGER", "REAL", "TEXT"];

    /// <summary>A view's column names and declared types, found by compiling its query into a scratch program.</summary>
    private List<(string Name, string? Type)> ViewColumns(View v)
    {
        var g = new CodeGenerator(_schemas, v.SqlUtf8) { _bindDb = ViewBinding(v) };
        var items = new List<(string, string?)>();
        g.CompileSelect(v.Select, null, (_, _) => { }, r => { if (items.Count == 0) items.AddRange(r.Select(x => (x.Name, x.DeclaredType))); });
        if (!v.Columns.IsEmpty) return v.Columns.Select((c, i) => (c, i < items.Count ? items[i].Item2 : null)).ToList();
        return items;
    }

    /// <summary>A view's column names, found by compiling its query into a scratch program.</summary>
    private List<string> ViewColumnNames(View v)
    {
        if (!v.Columns.IsEmpty) return v.Columns.ToList();
        var g = new CodeGenerator(_schemas, v.SqlUtf8) { _bindDb = ViewBinding(v) };
        var names = new List<string>();
        g.CompileSelect(v.Select, null, (_, _) => { }, items => { if (names.Count == 0) names.AddRange(items.Select(x => x.Name)); });
        return names;
    }

    /// <summary>The columns of the PRIMARY KEY in key order (empty when the table has none).</summary>
    private static int[] PrimaryKeyColumns(Table t)
    {
        if (t.RowidAlias >= 0) return [t.RowidAlias];
        if (t.PrimaryKey != null) return t.PrimaryKey.Columns;
        foreach (Index ix in t.Indexes)
        {
            if (ix.IsAuto && IsPrimaryKeyIndex(t, ix)) return ix.Columns;
        }
        return [];
    }

    private void IndexList(string? schema, string tableName) => Rows(["seq", "name", "unique", "origin", "partial"], IndexListRows(schema, tableName));

    /// <summary>The rows of index_list for a table, newest index first.</summary>
    private List<object?[]> IndexListRows(string? schema, string tableName)
    {
        var rows = new List<object?[]>();
        if (FindTable(schema, tableName) is { } t)
        {
            // Newest index first, as SQLite lists them.
            var list = t.Indexes.Where(ix => ix.RootPage != 0 || !ix.IsAuto).ToList();
            if (t.PrimaryKey is { } pk)
            {
                // A WITHOUT ROWID table's PRIMARY KEY is listed where its number puts it among the automatic indexes.
                int at = list.FindIndex(WithoutRowidLayout.MadeAfterPrimaryKey);
                list.Insert(at < 0 ? list.Count : at, pk);
            }
            list.Reverse();
            for (int i = 0; i < list.Count; i++)
            {
                Index ix = list[i];
                string origin = !ix.IsAuto ? "c" : ix == t.PrimaryKey || IsPrimaryKeyIndex(t, ix) ? "pk" : "u";
                rows.Add([(long)i, ix.Name, ix.Unique ? 1L : 0L, origin, ix.Where != null ? 1L : 0L]);
            }
        }
        return rows;
    }

    private void IndexInfo(string? schema, string indexName, bool extended) =>
        Rows(extended ? ["seqno", "cid", "name", "desc", "coll", "key"] : ["seqno", "cid", "name"], IndexInfoRows(schema, indexName, extended));

    /// <summary>The rows of index_info / index_xinfo for an index (none for an unknown name).</summary>
    private List<object?[]> IndexInfoRows(string? schema, string indexName, bool extended)
    {
        var rows = new List<object?[]>();
        if (FindIndex(schema, indexName) is { } ix)
        {
            Table t = ix.Table;
            for (int i = 0; i < ix.Columns.Length; i++)
            {
                int c = ix.Columns[i];
                string coll = Collations.Name(ix.Collations[i]);
                string? column = c >= 0 ? t.Columns[c].Name : null;
                rows.Add(extended ? [(long)i, (long)c, column, ix.Descending[i] ? 1L : 0L, coll, 1L] : [(long)i, (long)c, column]);
            }
            if (!extended) return rows;
            if (!t.WithoutRowid)
            {
                rows.Add([(long)ix.Columns.Length, -1L, null, 0L, "BINARY", 0L]);
                return rows;
            }
            // A WITHOUT ROWID table's entries end with the PRIMARY KEY columns not in the key
            // (the table's own with every other stored column).
            if (ix == t.PrimaryKey)
            {
                for (int c = 0; c < t.Columns.Count; c++)
                {
                    if (t.Columns[c].IsVirtual || ix.Columns.Contains(c)) continue;
                    rows.Add([(long)rows.Count, (long)c, t.Columns[c].Name, 0L, Collations.Name(t.Columns[c].Collation), 0L]);
                }
                return rows;
            }
            Index pk = t.PrimaryKey!;
            foreach (int c in WithoutRowidLayout.Suffix(ix))
            {
                int j = Array.IndexOf(pk.Columns, c);
                rows.Add([(long)rows.Count, (long)c, t.Columns[c].Name, pk.Descending[j] ? 1L : 0L, Collations.Name(pk.Collations[j]), 0L]);
            }
        }
        return rows;
    }

    /// <summary>
    /// The rows of table_list: each database's tables and views (then its schema table), main
    /// first, then temp, then the attached ones — only <paramref name="schema"/>'s when given,
    /// and only objects named <paramref name="name"/> when given.
    /// </summary>
    private List<object?[]> TableListRows(string? schema, string? name)
    {
        var rows = new List<object?[]>();
        for (int db = 0; db < _schemas.Count; db++)
        {
            if (schema != null && _schemas.IndexOf(schema) != db) continue;
            string dbName = _schemas.NameOf(db);
            DatabaseSchema s = _schemas[db];
            foreach (Table t in s.Tables) rows.Add([dbName, t.Name, "table", (long)t.Columns.Count, t.WithoutRowid ? 1L : 0L, t.Strict ? 1L : 0L]);
            foreach (View v in s.Views) rows.Add([dbName, v.Name, "view", (long)ViewColumnNames(v).Count, 0L, 0L]);
            rows.Add([dbName, s.SchemaTable.Name, "table", 5L, 0L, 0L]);
        }
        return name == null ? rows : rows.Where(r => string.Equals((string)r[1]!, name, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    private void ForeignKeyList(string? schema, string tableName) => Rows(["id", "seq", "table", "from", "to", "on_update", "on_delete", "match"], ForeignKeyListRows(schema, tableName));

    /// <summary>
    /// The rows of foreign_key_list: one per column of each foreign key, the last declared
    /// key first (id 0), as SQLite lists them; "to" is NULL when the key names no parent columns.
    /// </summary>
    private List<object?[]> ForeignKeyListRows(string? schema, string tableName)
    {
        var rows = new List<object?[]>();
        if (FindTable(schema, tableName) is not { } t) return rows;
        for (int k = t.ForeignKeys.Count - 1, id = 0; k >= 0; k--, id++)
        {
            ForeignKey fk = t.ForeignKeys[k];
            for (int i = 0; i < fk.ChildColumns.Length; i++)
            {
                string? to = i < fk.ParentColumns.Length ? fk.ParentColumns[i] : null;
                rows.Add([(long)id, (long)i, fk.ParentTable, t.Columns[fk.ChildColumns[i]].Name, to, ActionName(fk.OnUpdate), ActionName(fk.OnDelete), "NONE"]);
            }
        }
        return rows;
    }

    private static string ActionName(ForeignKeyActionKind a) => a switch
    {
        ForeignKeyActionKind.Cascade => "CASCADE",
        ForeignKeyActionKind.SetNull => "SET NULL",
        ForeignKeyActionKind.SetDefault => "SET DEFAULT",
        ForeignKeyActionKind.Restrict => "RESTRICT",
        _ => "NO ACTION",
    };
}
