// The shell's input reader: a byte stream read as text with Tern.Sql.RawUtf8's
// byte-preserving decoding, so that bytes of a script that are not UTF-8 reach the
// database as they are, as the sqlite3 shell passes them on.
using Tern.Sql;

namespace Tern.Cli;

/// <summary>Reads a byte stream as text with <see cref="RawUtf8"/>'s byte-preserving decoding.</summary>
internal sealed class RawUtf8Reader(Stream stream) : TextReader
{
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;
    private int _pendingLow = -1;

    /// <inheritdoc/>
    public override int Peek()
    {
        if (_pendingLow >= 0) return _pendingLow;
        if (!Fill()) return -1;
        RawUtf8.DecodeOne(_buffer.AsSpan(_start, _end - _start), out int cp, out bool escaped);
        return escaped || cp < 0x10000 ? cp : char.ConvertFromUtf32(cp)[0];
    }

    /// <inheritdoc/>
    public override int Read()
    {
        if (_pendingLow >= 0)
        {
            int low = _pendingLow;
            _pendingLow = -1;
            return low;
        }
        if (!Fill()) return -1;
        _start += RawUtf8.DecodeOne(_buffer.AsSpan(_start, _end - _start), out int cp, out bool escaped);
        if (escaped || cp < 0x10000) return cp;
        string pair = char.ConvertFromUtf32(cp);
        _pendingLow = pair[1];
        return pair[0];
    }

    // Makes sure the next character's whole sequence is buffered unless the stream ends
    // first (reading no further than that, so a terminal is not waited on); false at the end
    // of the input.
    private bool Fill()
    {
        while (!_eof && _end - _start < SequenceLength())
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            int n = stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n <= 0) _eof = true;
            else _end += n;
        }
        return _end > _start;
    }

    // The bytes the sequence starting at the next buffered byte claims (1 when none is buffered).
    private int SequenceLength()
    {
        if (_end == _start) return 1;
        byte b = _buffer[_start];
        return b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }
}
