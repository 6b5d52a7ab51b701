// The text sqlite_schema keeps for a CREATE statement, compared with SQLite 3.50.4: a table
// ends at its last token, an index keeps the comments and spaces up to the
// end of its statement, a view keeps the comments but not the spaces after them.
namespace Tern.Tests.Engine;

public class StoredSchemaTextTests
{
    [Theory]
    [InlineData("CREATE TABLE u(b)  /* c1 */  ")]
    [InlineData("CREATE INDEX i1 ON t(b)  ")]
    [InlineData("CREATE INDEX i2 ON t(b) -- x\n")]
    [InlineData("CREATE INDEX i3 ON t(b) /* y */  ")]
    [InlineData("CREATE UNIQUE INDEX i4 ON t(b) WHERE b > 0 ")]
    [InlineData("CREATE VIEW v1 AS SELECT 1 AS one  /* z */  ")]
    [InlineData("CREATE VIEW v2 AS SELECT 2 AS two -- w\n")]
    public void Stored_text_ends_where_sqlite_ends_it(string create) =>
        Differential.AssertSame($"CREATE TABLE t(b); {create}; SELECT '[' || sql || ']' FROM sqlite_schema");
}
