// The exception MemoryFileSystem throws when a scheduled crash fires. It deliberately does
// not derive from TernException: it stands for the process dying, which no engine code
// may catch and handle as an ordinary error.
namespace Tern.Storage.Io;

/// <summary>
/// Thrown by <see cref="MemoryFileSystem"/> when the operation scheduled by
/// <see cref="MemoryFileSystem.CrashAfterOperations"/> is reached, and by every later call on a
/// file handle opened before that crash.
/// </summary>
public class SimulatedPowerCutException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public SimulatedPowerCutException()
        : base("simulated power cut")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    public SimulatedPowerCutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and inner exception.</summary>
    public SimulatedPowerCutException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
