// GetSchemaTable's table: the columns Microsoft.Data.Sqlite's reader describes, in its
// order and with its meanings. Names, ordinals, declared type names and CLR types come
// from the statement; the base table and column come from the engine's column origin
// (the table column a result column reads, also through views, subqueries and CTEs).
// For a table column, key, NOT NULL and AUTOINCREMENT come from PRAGMA table_info
// and sqlite_schema, uniqueness from the table's single-column unique indexes, and the
// CLR type from the storage class most of the column's values have.
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Tern.Data;

/// <summary>Builds the schema table of a result set.</summary>
internal static class SchemaTable
{
    public static DataTable Build(TernDataReader reader, Statement statement, TernConnection connection)
    {
        var table = new DataTable("SchemaTable");
        DataColumn name = table.Columns.Add(SchemaTableColumn.ColumnName, typeof(string));
        DataColumn ordinal = table.Columns.Add(SchemaTableColumn.ColumnOrdinal, typeof(int));
        DataColumn size = table.Columns.Add(SchemaTableColumn.ColumnSize, typeof(int));
        DataColumn precision = table.Columns.Add(SchemaTableColumn.NumericPrecision, typeof(short));
        DataColumn scale = table.Columns.Add(SchemaTableColumn.NumericScale, typeof(short));
        DataColumn isUnique = table.Columns.Add(SchemaTableColumn.IsUnique, typeof(bool));
        DataColumn isKey = table.Columns.Add(SchemaTableColumn.IsKey, typeof(bool));
        DataColumn server = table.Columns.Add(SchemaTableOptionalColumn.BaseServerName, typeof(string));
        DataColumn catalog = table.Columns.Add(SchemaTableOptionalColumn.BaseCatalogName, typeof(string));
        DataColumn baseColumn = table.Columns.Add(SchemaTableColumn.BaseColumnName, typeof(string));
        DataColumn schema = table.Columns.Add(SchemaTableColumn.BaseSchemaName, typeof(string));
        DataColumn baseTable = table.Columns.Add(SchemaTableColumn.BaseTableName, typeof(string));
        DataColumn dataType = TypeColumn();
        table.Columns.Add(dataType);
        DataColumn typeName = table.Columns.Add("DataTypeName", typeof(string));
        DataColumn allowNull = table.Columns.Add(SchemaTableColumn.AllowDBNull, typeof(bool));
        DataColumn isAliased = table.Columns.Add(SchemaTableColumn.IsAliased, typeof(bool));
        DataColumn isExpression = table.Columns.Add(SchemaTableColumn.IsExpression, typeof(bool));
        DataColumn isAutoIncrement = table.Columns.Add(SchemaTableOptionalColumn.IsAutoIncrement, typeof(bool));
        DataColumn isLong = table.Columns.Add(SchemaTableColumn.IsLong, typeof(bool));

        for (int i = 0; i < statement.ColumnCount; i++)
        {
            DataRow row = table.NewRow();
            string columnName = reader.GetName(i);
            string? originTable = statement.ColumnTableName(i);
            string? originColumn = statement.ColumnOriginName(i);
            string declared = reader.GetDataTypeName(i);
            bool aliased = originColumn != columnName;
            row[name] = columnName;
            row[ordinal] = i;
            row[size] = -1;
            row[precision] = DBNull.Value;
            row[scale] = DBNull.Value;
            row[server] = connection.DataSource;
            row[catalog] = originTable != null ? "main" : DBNull.Value;
            row[baseColumn] = (object?)originColumn ?? DBNull.Value;
            row[schema] = DBNull.Value;
            row[baseTable] = (object?)originTable ?? DBNull.Value;
            row[dataType] = reader.GetFieldType(i);
            row[typeName] = declared;
            row[isAliased] = aliased;
            row[isExpression] = originColumn == null;
            row[isLong] = DBNull.Value;
            if (originTable != null && originColumn != null)
            {
                row[isUnique] = !aliased && HasUniqueIndex(connection, originTable, originColumn);
                string? common = Scalar(connection, $"SELECT typeof({Quote(originColumn)}) FROM {Quote(originTable)} WHERE typeof({Quote(originColumn)}) != 'null' GROUP BY typeof({Quote(originColumn)}) ORDER BY count() DESC LIMIT 1;") as string;
                row[dataType] = common switch
                {
                    "integer" => typeof(long),
                    "real" => typeof(double),
                    "text" => typeof(string),
                    null => TernDataReader.ClrType(TernDataReader.AffinityKind(declared)),
                    _ => typeof(byte[]),
                };
                if (Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name = " + Literal(originTable) + ";") is long n && n != 0)
                {
                    (bool notNull, bool key, bool autoIncrement) = ColumnMetadata(connection, originTable, originColumn);
                    row[isKey] = key;
                    row[allowNull] = aliased || !notNull;
                    row[isAutoIncrement] = autoIncrement;
                }
            }
            table.Rows.Add(row);
        }
        return table;
    }

    /// <summary>NOT NULL, PRIMARY KEY and AUTOINCREMENT of a table column (the rowid is an integer key).</summary>
    private static (bool NotNull, bool Key, bool AutoIncrement) ColumnMetadata(TernConnection connection, string table, string column)
    {
        bool notNull = false, key = false, found = false;
        string? type = null;
        int keyColumns = 0;
        foreach (object?[] r in Rows(connection, "PRAGMA table_info(" + Quote(table) + ");"))
        {
            bool pk = Convert.ToInt64(r[5], System.Globalization.CultureInfo.InvariantCulture) != 0;
            if (pk) keyColumns++;
            if (!string.Equals((string?)r[1], column, StringComparison.OrdinalIgnoreCase)) continue;
            found = true;
            type = r[2] as string;
            notNull = Convert.ToInt64(r[3], System.Globalization.CultureInfo.InvariantCulture) != 0;
            key = pk;
        }
        if (!found) return (false, string.Equals(column, "rowid", StringComparison.OrdinalIgnoreCase), false);
        bool integerKey = key && keyColumns == 1 && string.Equals(type, "INTEGER", StringComparison.OrdinalIgnoreCase);
        bool autoIncrement = integerKey
            && Scalar(connection, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = " + Literal(table) + ";") is string sql
            && sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase);
        return (notNull, key, autoIncrement);
    }

    /// <summary>Whether a unique index covers exactly this one column of the table.</summary>
    private static bool HasUniqueIndex(TernConnection connection, string table, string column)
    {
        foreach (object?[] index in Rows(connection, "PRAGMA index_list(" + Quote(table) + ");"))
        {
            if (Convert.ToInt64(index[2], System.Globalization.CultureInfo.InvariantCulture) == 0) continue;
            List<object?[]> columns = Rows(connection, "PRAGMA index_info(" + Quote((string)index[1]!) + ");");
            if (columns.Count == 1 && string.Equals(columns[0][2] as string, column, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private static object? Scalar(TernConnection connection, string sql)
    {
        using TernCommand cmd = Command(connection, sql);
        return cmd.ExecuteScalar();
    }

    private static List<object?[]> Rows(TernConnection connection, string sql)
    {
        var rows = new List<object?[]>();
        using TernCommand cmd = Command(connection, sql);
        using TernDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            var row = new object?[r.FieldCount];
            for (int i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private static TernCommand Command(TernConnection connection, string sql)
    {
        TernCommand cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    [UnconditionalSuppressMessage("Trimming", "IL2111", Justification = "A column of System.Type values; DataColumn reflects over it only for nullable types.")]
    private static DataColumn TypeColumn() => new(SchemaTableColumn.DataType, typeof(Type)) { AllowDBNull = false };
}
