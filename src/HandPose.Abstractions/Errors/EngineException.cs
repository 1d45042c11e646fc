namespace HandPose;

/// <summary>A native engine reported an error while running (ONNX Runtime status, libtorch exception).</summary>
public sealed class EngineException : HandPoseException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="engine">The engine's name.</param>
    /// <param name="errorCode">The engine's error code (0 when it has none).</param>
    /// <param name="engineMessage">The engine's own message, unchanged.</param>
    /// <param name="innerException">The underlying error.</param>
    public EngineException(string engine, int errorCode, string engineMessage, Exception? innerException = null)
        : base($"{engine} error{(errorCode != 0 ? $" {errorCode}" : string.Empty)}: {engineMessage}", innerException)
    {
        Engine = engine;
        ErrorCode = errorCode;
        EngineMessage = engineMessage;
    }

    /// <summary>The engine's name.</summary>
    public string Engine { get; }

    /// <summary>The engine's error code.</summary>
    public int ErrorCode { get; }

    /// <summary>The engine's message.</summary>
    public string EngineMessage { get; }
}
