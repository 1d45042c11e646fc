namespace HandPose;

/// <summary>A model, weights or checkpoint file could not be read or is not what was expected.</summary>
public sealed class ModelLoadException : HandPoseException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file path (or a description such as "in-memory model").</param>
    /// <param name="reason">What is wrong with it and what was expected.</param>
    /// <param name="innerException">The underlying error.</param>
    public ModelLoadException(string source, string reason, Exception? innerException = null)
        : base($"Could not load '{source}': {reason}", innerException)
    {
        Source = source;
        Reason = reason;
    }

    /// <summary>The file path or description of the model.</summary>
    public new string Source { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
