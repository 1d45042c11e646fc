namespace HandPose;

/// <summary>The base of every error HandPose raises about engines, models, inputs and images.</summary>
/// <remarks>Argument validation errors stay <see cref="ArgumentException"/>; everything else derives from this type,
/// so one <c>catch (HandPoseException)</c> covers the library's failures.</remarks>
public class HandPoseException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong and what to do about it.</param>
    public HandPoseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What went wrong and what to do about it.</param>
    /// <param name="innerException">The underlying error.</param>
    public HandPoseException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with no message (prefer the other constructors).</summary>
    public HandPoseException()
    {
    }
}
