namespace HandPose;

/// <summary>Which hand of the subject a detection is.</summary>
public enum Handedness
{
    /// <summary>Not determined by the estimator.</summary>
    Unknown = 0,

    /// <summary>The subject's own left hand.</summary>
    Left = 1,

    /// <summary>The subject's own right hand.</summary>
    Right = 2,
}
