namespace HandPose;

/// <summary>
/// A data file or text that HandPose parses (a .npy array, a skeleton or keypoints JSON, a dataset annotation) is
/// malformed or not what was expected. The message names the source (when known) and what was expected.
/// </summary>
public sealed class DataFormatException : HandPoseException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="format">What kind of data, e.g. ".npy" or "skeleton JSON".</param>
    /// <param name="reason">What is wrong and what was expected.</param>
    /// <param name="innerException">The underlying error.</param>
    public DataFormatException(string format, string reason, Exception? innerException = null)
        : base(reason, innerException)
    {
        Format = format;
        Reason = reason;
    }

    /// <summary>The kind of data, e.g. ".npy".</summary>
    public string Format { get; }

    /// <summary>What is wrong (the message).</summary>
    public string Reason { get; }

    /// <summary>The same error with the file it came from in front of the message.</summary>
    /// <param name="source">The file path or another description of the source.</param>
    /// <returns>A new exception whose message starts with <paramref name="source"/>.</returns>
    public DataFormatException WithSource(string source) => new(Format, $"{source}: {Reason}", this);
}
