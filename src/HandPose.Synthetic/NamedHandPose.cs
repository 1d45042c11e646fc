namespace HandPose.Synthetic;

/// <summary>The pose family a synthetic sample was drawn from.</summary>
public enum NamedHandPose
{
    /// <summary>Every joint drawn uniformly within its anatomical limits (distal joints coupled to their neighbours).</summary>
    Random = 0,

    /// <summary>All fingers curled, thumb across them.</summary>
    Fist,

    /// <summary>Fingers straight and spread, thumb out.</summary>
    OpenPalm,

    /// <summary>Index straight, the others curled.</summary>
    Point,

    /// <summary>Thumb and index tips together, the others relaxed.</summary>
    Pinch,

    /// <summary>Fist with the thumb straight.</summary>
    ThumbsUp,

    /// <summary>Index and middle straight and spread.</summary>
    Victory,

    /// <summary>Index and little straight, middle and ring curled.</summary>
    Rock,

    /// <summary>Thumb and little straight ("call me").</summary>
    Call,

    /// <summary>Thumb and index in a ring, the others straight.</summary>
    Ok,

    /// <summary>Four fingers straight, thumb folded over the palm.</summary>
    Four,
}
