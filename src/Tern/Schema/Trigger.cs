// A trigger as the compiler sees it: the parsed CREATE TRIGGER from sqlite_schema (its
// table, timing, event, UPDATE OF columns, WHEN condition and body statements).
using Tern.Sql.Ast;

namespace Tern.Schema;

/// <summary>A trigger of the schema.</summary>
internal sealed class Trigger
{
    public required string Name { get; init; }
    /// <summary>The connection's database the trigger lives in (a TEMP trigger may fire on a table of another).</summary>
    public int Db { get; set; }
    public required string Table { get; init; }
    public required CreateTriggerStatement Definition { get; init; }
    public required string Sql { get; init; }
    /// <summary>The CREATE TRIGGER text as UTF-8: the byte offsets in <see cref="Definition"/> index it.</summary>
    public byte[] SqlUtf8 => field ??= System.Text.Encoding.UTF8.GetBytes(Sql);

    /// <summary>BEFORE (also when no time was written), AFTER or INSTEAD OF.</summary>
    public TriggerTime Time => Definition.Time == TriggerTime.Unspecified ? TriggerTime.Before : Definition.Time;
}
