// How a connection opens its database file: the values of the connection string's
// Mode keyword.
namespace Tern.Data;

/// <summary>The mode a <see cref="TernConnection"/> opens its database in (<c>Mode</c> keyword).</summary>
public enum TernOpenMode
{
    /// <summary>Opens the database for reading and writing, creating the file if it does not exist.</summary>
    ReadWriteCreate,

    /// <summary>Opens the database for reading and writing; the file must exist.</summary>
    ReadWrite,

    /// <summary>Opens the database for reading only; the file must exist.</summary>
    ReadOnly,

    /// <summary>Opens an in-memory database named by the data source.</summary>
    Memory,
}
