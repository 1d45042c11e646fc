namespace HandPose;

/// <summary>
/// An object that serves one caller at a time (for example an estimator in video mode, which tracks one stream) was
/// entered by a second thread while a call was in progress. The message names the object and what to do instead.
/// </summary>
/// <remarks>This is detected, not prevented: the call that detects it throws and leaves the object's state to the
/// call in progress. Fix the caller (one instance per thread or stream); retrying is not a fix.</remarks>
public sealed class ConcurrentUseException : HandPoseException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which object and call was entered twice, and how to use it instead.</param>
    public ConcurrentUseException(string message)
        : base(message)
    {
    }
}
