namespace HandPose;

/// <summary>An input tensor or image does not have the name, shape or element type a model expects.</summary>
public sealed class InputShapeException : HandPoseException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="inputName">The input's name.</param>
    /// <param name="expected">What was expected, e.g. "float32 [1, 3, 224, 224]".</param>
    /// <param name="actual">What was given.</param>
    public InputShapeException(string inputName, string expected, string actual)
        : base($"Input '{inputName}': expected {expected}, got {actual}.")
    {
        InputName = inputName;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The input's name.</summary>
    public string InputName { get; }

    /// <summary>What was expected.</summary>
    public string Expected { get; }

    /// <summary>What was given.</summary>
    public string Actual { get; }
}
