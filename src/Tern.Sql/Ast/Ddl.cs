// Schema statements: CREATE TABLE (columns, column and table constraints, options),
// CREATE INDEX, CREATE VIEW, CREATE TRIGGER, CREATE VIRTUAL TABLE, DROP, ALTER TABLE.
//
// Column constraints are kept as a list in source order, the way SQLite's grammar sees
// them: "CONSTRAINT name" is its own item and names the constraint that follows it;
// "DEFERRABLE ..." after REFERENCES is its own item too.
namespace Tern.Sql.Ast;

/// <summary>CREATE TABLE.</summary>
/// <param name="Temp">TEMP/TEMPORARY.</param>
/// <param name="IfNotExists">IF NOT EXISTS.</param>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Name">Table name.</param>
/// <param name="Columns">Column definitions (empty for AS SELECT).</param>
/// <param name="Constraints">Table constraints.</param>
/// <param name="WithoutRowid">WITHOUT ROWID.</param>
/// <param name="Strict">STRICT.</param>
/// <param name="AsSelect">The query of CREATE TABLE ... AS SELECT, or null.</param>
public sealed record CreateTableStatement(
    bool Temp, bool IfNotExists, string? Schema, string Name, NodeList<ColumnDefinition> Columns,
    NodeList<TableConstraint> Constraints, bool WithoutRowid, bool Strict, SelectStatement? AsSelect) : Statement;

/// <summary>A column definition: name, declared type and constraints.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Declared type's source text, or null.</param>
/// <param name="Constraints">Constraints in source order.</param>
public sealed record ColumnDefinition(string Name, string? Type, NodeList<ColumnConstraint> Constraints) : SqlNode;

/// <summary>A column constraint.</summary>
public abstract record ColumnConstraint : SqlNode;

/// <summary><c>CONSTRAINT name</c>: names the constraint that follows.</summary>
/// <param name="Name">The name.</param>
public sealed record ConstraintName(string Name) : ColumnConstraint;

/// <summary><c>PRIMARY KEY [ASC|DESC] [ON CONFLICT ...] [AUTOINCREMENT]</c>.</summary>
/// <param name="Order">ASC/DESC.</param>
/// <param name="OnConflict">Conflict algorithm.</param>
/// <param name="Autoincrement">AUTOINCREMENT.</param>
public sealed record PrimaryKeyConstraint(SortOrder Order, ConflictResolution OnConflict, bool Autoincrement) : ColumnConstraint;

/// <summary><c>NOT NULL [ON CONFLICT ...]</c>.</summary>
/// <param name="OnConflict">Conflict algorithm.</param>
public sealed record NotNullConstraint(ConflictResolution OnConflict) : ColumnConstraint;

/// <summary><c>NULL [ON CONFLICT ...]</c> (no effect).</summary>
/// <param name="OnConflict">Conflict algorithm.</param>
public sealed record NullConstraint(ConflictResolution OnConflict) : ColumnConstraint;

/// <summary><c>UNIQUE [ON CONFLICT ...]</c>.</summary>
/// <param name="OnConflict">Conflict algorithm.</param>
public sealed record UniqueConstraint(ConflictResolution OnConflict) : ColumnConstraint;

/// <summary><c>CHECK (expr)</c>.</summary>
/// <param name="Expr">The condition.</param>
public sealed record CheckConstraint(Expr Expr) : ColumnConstraint;

/// <summary>How a DEFAULT value was written.</summary>
public enum DefaultForm
{
    /// <summary>A literal, optionally signed: <c>DEFAULT 1</c>, <c>DEFAULT -1</c>, <c>DEFAULT 'x'</c>.</summary>
    Literal,
    /// <summary><c>DEFAULT (expr)</c>.</summary>
    Parenthesized,
    /// <summary><c>DEFAULT name</c>: a bare identifier, taken as a string (or TRUE/FALSE).</summary>
    Identifier,
}

/// <summary><c>DEFAULT value</c>.</summary>
/// <param name="Value">The value (a ColumnRef for the Identifier form).</param>
/// <param name="Form">How it was written.</param>
public sealed record DefaultConstraint(Expr Value, DefaultForm Form) : ColumnConstraint;

/// <summary><c>COLLATE name</c>.</summary>
/// <param name="Collation">The collation.</param>
public sealed record CollateConstraint(string Collation) : ColumnConstraint;

/// <summary><c>REFERENCES table [(columns)] [actions]</c>.</summary>
/// <param name="Clause">The foreign key clause.</param>
public sealed record ReferencesConstraint(ForeignKeyClause Clause) : ColumnConstraint;

/// <summary><c>[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]</c>.</summary>
/// <param name="Clause">The clause.</param>
public sealed record DeferrableConstraint(DeferrableClause Clause) : ColumnConstraint;

/// <summary><c>[GENERATED ALWAYS] AS (expr) [STORED|VIRTUAL]</c>.</summary>
/// <param name="Expr">The expression.</param>
/// <param name="Storage">The word after the expression (STORED, VIRTUAL, or any other identifier, checked later), or null.</param>
public sealed record GeneratedConstraint(Expr Expr, string? Storage) : ColumnConstraint;

/// <summary>Foreign key actions.</summary>
public enum ForeignKeyActionKind
{
    /// <summary>SET NULL</summary>
    SetNull,
    /// <summary>SET DEFAULT</summary>
    SetDefault,
    /// <summary>CASCADE</summary>
    Cascade,
    /// <summary>RESTRICT</summary>
    Restrict,
    /// <summary>NO ACTION</summary>
    NoAction,
}

/// <summary>What a foreign key argument applies to.</summary>
public enum ForeignKeyEvent
{
    /// <summary>ON DELETE</summary>
    Delete,
    /// <summary>ON UPDATE</summary>
    Update,
    /// <summary>ON INSERT (accepted and ignored by SQLite)</summary>
    Insert,
    /// <summary>MATCH name (accepted and ignored by SQLite)</summary>
    Match,
}

/// <summary>One argument of a REFERENCES clause.</summary>
/// <param name="Event">ON DELETE/UPDATE/INSERT or MATCH.</param>
/// <param name="Action">The action (unused for MATCH).</param>
/// <param name="MatchName">The name after MATCH, or null.</param>
public sealed record ForeignKeyArg(ForeignKeyEvent Event, ForeignKeyActionKind Action, string? MatchName) : SqlNode;

/// <summary><c>REFERENCES table [(columns)] args...</c>.</summary>
/// <param name="Table">Parent table.</param>
/// <param name="Columns">Parent columns (empty when none).</param>
/// <param name="Args">ON DELETE/UPDATE and MATCH arguments in order.</param>
public sealed record ForeignKeyClause(string Table, NodeList<string> Columns, NodeList<ForeignKeyArg> Args) : SqlNode;

/// <summary><c>[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]</c>.</summary>
/// <param name="Not">NOT DEFERRABLE.</param>
/// <param name="InitiallyDeferred">True for INITIALLY DEFERRED, false for IMMEDIATE, null when not written.</param>
public sealed record DeferrableClause(bool Not, bool? InitiallyDeferred) : SqlNode;

/// <summary>A table constraint.</summary>
public abstract record TableConstraint : SqlNode;

/// <summary><c>CONSTRAINT name</c> among table constraints: names the one that follows.</summary>
/// <param name="Name">The name.</param>
public sealed record TableConstraintName(string Name) : TableConstraint;

/// <summary><c>PRIMARY KEY (columns [AUTOINCREMENT]) [ON CONFLICT ...]</c>.</summary>
/// <param name="Columns">Indexed columns.</param>
/// <param name="Autoincrement">AUTOINCREMENT.</param>
/// <param name="OnConflict">Conflict algorithm.</param>
public sealed record PrimaryKeyTableConstraint(NodeList<OrderingTerm> Columns, bool Autoincrement, ConflictResolution OnConflict) : TableConstraint;

/// <summary><c>UNIQUE (columns) [ON CONFLICT ...]</c>.</summary>
/// <param name="Columns">Indexed columns.</param>
/// <param name="OnConflict">Conflict algorithm.</param>
public sealed record UniqueTableConstraint(NodeList<OrderingTerm> Columns, ConflictResolution OnConflict) : TableConstraint;

/// <summary><c>CHECK (expr) [ON CONFLICT ...]</c>.</summary>
/// <param name="Expr">The condition.</param>
/// <param name="OnConflict">Conflict algorithm (accepted, ignored by SQLite).</param>
public sealed record CheckTableConstraint(Expr Expr, ConflictResolution OnConflict) : TableConstraint;

/// <summary><c>FOREIGN KEY (columns) REFERENCES ... [DEFERRABLE ...]</c>.</summary>
/// <param name="Columns">Child columns.</param>
/// <param name="Clause">The REFERENCES clause.</param>
/// <param name="Deferrable">The deferrable clause, or null.</param>
public sealed record ForeignKeyTableConstraint(NodeList<string> Columns, ForeignKeyClause Clause, DeferrableClause? Deferrable) : TableConstraint;

/// <summary>CREATE [UNIQUE] INDEX.</summary>
/// <param name="Unique">UNIQUE.</param>
/// <param name="IfNotExists">IF NOT EXISTS.</param>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Name">Index name.</param>
/// <param name="Table">Table name.</param>
/// <param name="Columns">Indexed columns or expressions.</param>
/// <param name="Where">Partial index condition, or null.</param>
public sealed record CreateIndexStatement(
    bool Unique, bool IfNotExists, string? Schema, string Name, string Table,
    NodeList<OrderingTerm> Columns, Expr? Where) : Statement;

/// <summary>CREATE VIEW.</summary>
/// <param name="Temp">TEMP/TEMPORARY.</param>
/// <param name="IfNotExists">IF NOT EXISTS.</param>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Name">View name.</param>
/// <param name="Columns">Column names (empty when none).</param>
/// <param name="Select">The query.</param>
public sealed record CreateViewStatement(
    bool Temp, bool IfNotExists, string? Schema, string Name, NodeList<string> Columns, SelectStatement Select) : Statement;

/// <summary>When a trigger fires.</summary>
public enum TriggerTime
{
    /// <summary>Not written (BEFORE).</summary>
    Unspecified,
    /// <summary>BEFORE</summary>
    Before,
    /// <summary>AFTER</summary>
    After,
    /// <summary>INSTEAD OF</summary>
    InsteadOf,
}

/// <summary>The statement kind that fires a trigger.</summary>
public enum TriggerEvent
{
    /// <summary>DELETE</summary>
    Delete,
    /// <summary>INSERT</summary>
    Insert,
    /// <summary>UPDATE [OF columns]</summary>
    Update,
}

/// <summary>CREATE TRIGGER.</summary>
/// <param name="Temp">TEMP/TEMPORARY.</param>
/// <param name="IfNotExists">IF NOT EXISTS.</param>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Name">Trigger name.</param>
/// <param name="Time">BEFORE/AFTER/INSTEAD OF.</param>
/// <param name="Event">DELETE/INSERT/UPDATE.</param>
/// <param name="UpdateColumns">UPDATE OF columns (empty when none).</param>
/// <param name="TableSchema">Schema of the table, or null.</param>
/// <param name="Table">Table (or view) name.</param>
/// <param name="ForEachRow">FOR EACH ROW was written.</param>
/// <param name="When">WHEN condition, or null.</param>
/// <param name="Body">The statements between BEGIN and END.</param>
public sealed record CreateTriggerStatement(
    bool Temp, bool IfNotExists, string? Schema, string Name, TriggerTime Time, TriggerEvent Event,
    NodeList<string> UpdateColumns, string? TableSchema, string Table, bool ForEachRow, Expr? When,
    NodeList<Statement> Body) : Statement;

/// <summary>CREATE VIRTUAL TABLE.</summary>
/// <param name="IfNotExists">IF NOT EXISTS.</param>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Name">Table name.</param>
/// <param name="Module">Module name.</param>
/// <param name="Arguments">Module arguments, each as its source text.</param>
public sealed record CreateVirtualTableStatement(
    bool IfNotExists, string? Schema, string Name, string Module, NodeList<string> Arguments) : Statement;

/// <summary>What a DROP statement drops.</summary>
public enum DropKind
{
    /// <summary>DROP TABLE</summary>
    Table,
    /// <summary>DROP INDEX</summary>
    Index,
    /// <summary>DROP VIEW</summary>
    View,
    /// <summary>DROP TRIGGER</summary>
    Trigger,
}

/// <summary>DROP TABLE|INDEX|VIEW|TRIGGER.</summary>
/// <param name="Kind">What is dropped.</param>
/// <param name="IfExists">IF EXISTS.</param>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Name">Object name.</param>
public sealed record DropStatement(DropKind Kind, bool IfExists, string? Schema, string Name) : Statement;

/// <summary>ALTER TABLE ... RENAME TO.</summary>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Table">Table name.</param>
/// <param name="NewName">New name.</param>
public sealed record RenameTableStatement(string? Schema, string Table, string NewName) : Statement;

/// <summary>ALTER TABLE ... RENAME [COLUMN] a TO b.</summary>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Table">Table name.</param>
/// <param name="Column">Old column name.</param>
/// <param name="NewName">New column name.</param>
public sealed record RenameColumnStatement(string? Schema, string Table, string Column, string NewName) : Statement;

/// <summary>ALTER TABLE ... ADD [COLUMN] definition.</summary>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Table">Table name.</param>
/// <param name="Column">The new column.</param>
public sealed record AddColumnStatement(string? Schema, string Table, ColumnDefinition Column) : Statement;

/// <summary>ALTER TABLE ... DROP [COLUMN] name.</summary>
/// <param name="Schema">Schema, or null.</param>
/// <param name="Table">Table name.</param>
/// <param name="Column">The column dropped.</param>
public sealed record DropColumnStatement(string? Schema, string Table, string Column) : Statement;
