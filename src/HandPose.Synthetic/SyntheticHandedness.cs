namespace HandPose.Synthetic;

/// <summary>Which anatomical hands a <see cref="HandSampler"/> draws.</summary>
public enum SyntheticHandedness
{
    /// <summary>Left and right with equal probability.</summary>
    Both = 0,

    /// <summary>Only left hands (the mirror image of the right-hand model).</summary>
    Left = 1,

    /// <summary>Only right hands.</summary>
    Right = 2,
}
