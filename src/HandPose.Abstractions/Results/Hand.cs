namespace HandPose;

/// <summary>One detected hand.</summary>
/// <remarks>Immutable. Keypoints follow <see cref="Schema"/>'s order (the canonical <see cref="KeypointSchema.Hand21"/> for the built-in estimators).</remarks>
public sealed record Hand
{
    /// <summary>Creates a hand.</summary>
    /// <param name="schema">The keypoint schema.</param>
    /// <param name="keypoints">Keypoints in image pixels (Z: relative depth in the scale of X, 0 when <paramref name="hasDepth"/> is false).</param>
    /// <param name="hasDepth">Whether the Z coordinates of <paramref name="keypoints"/> carry depth.</param>
    /// <exception cref="ArgumentException">The keypoint count does not match the schema.</exception>
    public Hand(KeypointSchema schema, IReadOnlyList<Keypoint3D> keypoints, bool hasDepth = false)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(keypoints);
        if (keypoints.Count != schema.KeypointCount)
        {
            throw new ArgumentException($"Schema '{schema.Name}' has {schema.KeypointCount} keypoints; got {keypoints.Count}.", nameof(keypoints));
        }

        Schema = schema;
        Keypoints = keypoints;
        HasDepth = hasDepth;
    }

    /// <summary>The keypoint schema.</summary>
    public KeypointSchema Schema { get; }

    /// <summary>Keypoints in image pixels; Z is relative depth in the scale of X when <see cref="HasDepth"/>.</summary>
    public IReadOnlyList<Keypoint3D> Keypoints { get; }

    /// <summary>Whether <see cref="Keypoints"/> carry relative depth in Z.</summary>
    public bool HasDepth { get; }

    /// <summary>Hand-centred 3D keypoints in metres, when the model provides them.</summary>
    public IReadOnlyList<Keypoint3D>? WorldKeypoints { get; init; }

    /// <summary>The subject's own hand (for a non-mirrored photo).</summary>
    public Handedness Handedness { get; init; }

    /// <summary>Confidence of <see cref="Handedness"/> in [0, 1].</summary>
    public float HandednessScore { get; init; }

    /// <summary>Hand presence (or detection) score in [0, 1].</summary>
    public float Score { get; init; }

    /// <summary>The region the estimator examined, when it has one.</summary>
    public HandRegion? Region { get; init; }
}
