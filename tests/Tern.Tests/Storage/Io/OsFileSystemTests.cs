// Tests of OsFileSystem against real files in a fresh temporary directory per test.
using Tern.Storage.Io;

namespace Tern.Tests.Storage.Io;

public sealed class OsFileSystemTests : IDisposable
{
    private readonly string _directory;
    private readonly OsFileSystem _fs = OsFileSystem.Instance;

    public OsFileSystemTests()
    {
        _directory = Path.Combine(Path.GetTempPath(), "tern-io-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static byte[] Sequence(int count) => Enumerable.Range(0, count).Select(i => (byte)(i * 13 + 1)).ToArray();

    [Fact]
    public void Write_sync_and_reopen_read_back_the_same_bytes()
    {
        string path = PathOf("a.db");
        byte[] data = Sequence(10_000);
        using (IFile file = _fs.Open(path, FileOpenMode.ReadWriteCreate))
        {
            file.Write(0, data.AsSpan(0, 4096));
            file.Write(4096, data.AsSpan(4096));
            file.Sync();
            Assert.Equal(10_000, file.Length);
        }

        Assert.True(_fs.Exists(path));
        Assert.Equal(10_000, _fs.GetSize(path));
        using IFile reopened = _fs.Open(path, FileOpenMode.ReadOnly);
        var back = new byte[10_000];
        Assert.Equal(10_000, reopened.Read(0, back));
        Assert.Equal(data, back);
        Assert.Equal(data, File.ReadAllBytes(path));
    }

    [Fact]
    public void Read_returns_fewer_bytes_when_reaching_end_of_file()
    {
        string path = PathOf("a.db");
        File.WriteAllBytes(path, Sequence(100));
        using IFile file = _fs.Open(path, FileOpenMode.ReadOnly);

        var buffer = new byte[64];
        Assert.Equal(36, file.Read(64, buffer));
        Assert.Equal(Sequence(100)[64..], buffer[..36]);
        Assert.Equal(0, file.Read(100, buffer));
        Assert.Equal(0, file.Read(1 << 20, buffer));
    }

    [Fact]
    public void Truncate_cuts_and_zero_extends_the_file()
    {
        string path = PathOf("a.db");
        using IFile file = _fs.Open(path, FileOpenMode.ReadWriteCreate);
        file.Write(0, Enumerable.Repeat((byte)0xAA, 100).ToArray());

        file.Truncate(40);
        Assert.Equal(40, file.Length);
        file.Truncate(80);
        file.Sync();

        var content = new byte[100];
        Assert.Equal(80, file.Read(0, content));
        Assert.All(content[..40], b => Assert.Equal(0xAA, b));
        Assert.All(content[40..80], b => Assert.Equal(0, b));
        Assert.Equal(80, _fs.GetSize(path));
    }

    [Fact]
    public void Delete_removes_the_file_and_ignores_a_missing_one()
    {
        string path = PathOf("journal");
        _fs.Open(path, FileOpenMode.ReadWriteCreate).Dispose();
        Assert.True(_fs.Exists(path));

        _fs.Delete(path);
        _fs.Delete(path);
        _fs.Delete(Path.Combine(_directory, "no-such-dir", "journal"));

        Assert.False(_fs.Exists(path));
        Assert.Equal(-1, _fs.GetSize(path));
    }

    [Fact]
    public void Delete_succeeds_when_the_file_is_open_elsewhere()
    {
        string path = PathOf("journal");
        using IFile file = _fs.Open(path, FileOpenMode.ReadWriteCreate);
        file.Write(0, [1, 2, 3]);

        _fs.Delete(path);

        Assert.False(_fs.Exists(path));
    }

    [Fact]
    public void Two_handles_on_one_file_see_each_others_writes()
    {
        string path = PathOf("a.db");
        using IFile writer = _fs.Open(path, FileOpenMode.ReadWriteCreate);
        using IFile reader = _fs.Open(path, FileOpenMode.ReadOnly);
        using var other = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);

        writer.Write(0, [1, 2, 3]);
        var buffer = new byte[3];
        Assert.Equal(3, reader.Read(0, buffer));
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer);
        Assert.Equal(3, reader.Length);
        Assert.Equal(3, other.Length);
    }

    [Theory]
    [InlineData(FileOpenMode.ReadOnly)]
    [InlineData(FileOpenMode.ReadWrite)]
    public void Open_throws_CantOpen_when_the_file_is_missing(FileOpenMode mode)
    {
        string path = PathOf("missing.db");
        var e = Assert.Throws<TernException>(() => _fs.Open(path, mode));

        Assert.Equal(ResultCode.CantOpen, e.ExtendedCode);
        Assert.Equal("unable to open database file", e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Open_throws_CantOpen_when_the_directory_is_missing()
    {
        string path = Path.Combine(_directory, "no-such-dir", "a.db");
        var e = Assert.Throws<TernException>(() => _fs.Open(path, FileOpenMode.ReadWriteCreate));
        Assert.Equal(ResultCode.CantOpen, e.ExtendedCode);
    }

    [Fact]
    public void Open_throws_CantOpen_when_the_path_is_a_directory()
    {
        var e = Assert.Throws<TernException>(() => _fs.Open(_directory, FileOpenMode.ReadWrite));
        Assert.Equal(ResultCode.CantOpen, e.ExtendedCode);
    }

    [Fact]
    public void Write_throws_IoErrWrite_when_the_file_is_open_read_only()
    {
        string path = PathOf("a.db");
        File.WriteAllBytes(path, [1, 2, 3]);
        using IFile file = _fs.Open(path, FileOpenMode.ReadOnly);

        var e = Assert.Throws<TernException>(() => file.Write(0, [9]));
        Assert.Equal(ResultCode.IoErrWrite, e.ExtendedCode);
        Assert.Equal("disk I/O error", e.Message);
        Assert.Equal(ResultCode.IoErrTruncate, Assert.Throws<TernException>(() => file.Truncate(0)).ExtendedCode);
        file.Sync(); // nothing to make durable: not an error
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
    }

    [Fact]
    public void GetSize_returns_minus_one_when_the_file_is_missing()
    {
        Assert.Equal(-1, _fs.GetSize(PathOf("missing.db")));
        Assert.False(_fs.Exists(PathOf("missing.db")));
    }

    [Fact]
    public void SyncDirectory_syncs_the_directory_of_an_existing_file_and_skips_a_missing_one()
    {
        string dir = Path.Combine(Path.GetTempPath(), "tern-dirsync-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string file = Path.Combine(dir, "x.db-journal");
            using (IFile f = OsFileSystem.Instance.Open(file, FileOpenMode.ReadWriteCreate)) f.Write(0, [1, 2, 3]);
            OsFileSystem.Instance.SyncDirectory(file);
            OsFileSystem.Instance.SyncDirectory(Path.Combine(dir, "missing", "y.db"));
            Assert.True(File.Exists(file));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static TheoryData<string, int> OsFailures() => new()
    {
        // .NET's exception for EFBIG (past `ulimit -f`): SQLite's unix VFS reports a failed write, not a full disk.
        { "efbig", (int)ResultCode.IoErrWrite },
        { "enospc", (int)ResultCode.Full },
        { "edquot", (int)ResultCode.Full },
        { "eio", (int)ResultCode.IoErrWrite },
        { "eacces", (int)ResultCode.IoErrWrite },
    };

    [Theory]
    [MemberData(nameof(OsFailures))]
    public void Write_failures_map_to_sqlites_codes(string failure, int expected)
    {
        Exception e = failure switch
        {
            "efbig" => new ArgumentOutOfRangeException("value", "Specified file length was too large for the file system."),
            "enospc" => new IOException("No space left on device", OperatingSystem.IsWindows() ? unchecked((int)0x80070070) : 28),
            "edquot" => new IOException("Disk quota exceeded", OperatingSystem.IsWindows() ? unchecked((int)0x80070027) : OperatingSystem.IsLinux() ? 122 : 69),
            "eio" => new IOException("Input/output error", 5),
            _ => new UnauthorizedAccessException(),
        };
        Assert.True(OsFileSystem.IsFileSystemFailure(e));
        Assert.Equal((ResultCode)expected, OsFileSystem.ErrorCode(ResultCode.IoErrWrite, e));
    }
}
