namespace HandPose;

/// <summary>Image bytes are corrupt, truncated, too large or of an unsupported kind.</summary>
public sealed class ImageFormatException : HandPoseException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="format">The container format ("JPEG", "PNG", ...) or "unknown".</param>
    /// <param name="reason">What is wrong, e.g. "the data is truncated (incomplete input)".</param>
    /// <param name="innerException">The underlying error.</param>
    public ImageFormatException(string format, string reason, Exception? innerException = null)
        : base($"{format} image: {reason}", innerException)
    {
        Format = format;
        Reason = reason;
    }

    /// <summary>The container format.</summary>
    public string Format { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
