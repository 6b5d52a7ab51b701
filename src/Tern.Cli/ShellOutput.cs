// The shell's output: bytes, as the sqlite3 shell writes them. Text values go out as the
// UTF-8 they are stored as and BLOBs as their raw bytes, so output is kept as bytes up to
// the stream; a TextWriter target gets the bytes decoded as UTF-8 (TextWriterStream).
using System.Text;
using Tern.Sql;

namespace Tern.Cli;

/// <summary>A buffered byte writer over a stream.</summary>
internal sealed class ShellOutput(Stream stream)
{
    private readonly MemoryStream _buffer = new();

    /// <summary>Writes text as UTF-8 (input bytes that were not UTF-8 go out as they came in: <see cref="RawUtf8"/>).</summary>
    public void Write(string s)
    {
        if (s.Length == 0) return;
        if (s.AsSpan().IndexOfAnyInRange('\uDC80', '\uDCFF') >= 0)
        {
            Write(RawUtf8.Encode(s));
            return;
        }
        Span<byte> small = stackalloc byte[256];
        int max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (max <= small.Length)
        {
            int n = Encoding.UTF8.GetBytes(s, small);
            _buffer.Write(small[..n]);
        }
        else _buffer.Write(Encoding.UTF8.GetBytes(s));
        if (_buffer.Length > 1 << 16) Flush();
    }

    /// <summary>Writes bytes as they are.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        if (_buffer.Length > 1 << 16) Flush();
    }

    /// <summary>Writes one byte.</summary>
    public void Write(byte b) => _buffer.WriteByte(b);

    /// <summary>Writes <paramref name="count"/> copies of a string.</summary>
    public void Repeat(string s, int count)
    {
        for (int i = 0; i < count; i++) Write(s);
    }

    /// <summary>Writes <paramref name="count"/> spaces.</summary>
    public void Spaces(int count)
    {
        for (int i = 0; i < count; i++) _buffer.WriteByte((byte)' ');
    }

    /// <summary>
    /// Hands the buffered bytes to the stream if there are any (after each statement, so what a
    /// statement printed is out before the next one runs, which may be interrupted).
    /// </summary>
    public void FlushWritten()
    {
        if (_buffer.Length > 0) Flush();
    }

    /// <summary>Hands the buffered bytes to the stream.</summary>
    public void Flush()
    {
        if (_buffer.Length > 0)
        {
            stream.Write(_buffer.GetBuffer(), 0, (int)_buffer.Length);
            _buffer.SetLength(0);
        }
        stream.Flush();
    }
}

/// <summary>A write-only stream that decodes UTF-8 bytes onto a <see cref="TextWriter"/>.</summary>
internal sealed class TextWriterStream(TextWriter writer) : Stream
{
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private char[] _chars = new char[1024];

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        int need = _decoder.GetCharCount(buffer, flush: false);
        if (need > _chars.Length) _chars = new char[need];
        int n = _decoder.GetChars(buffer, _chars, flush: false);
        writer.Write(_chars, 0, n);
    }

    public override void Flush() => writer.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
