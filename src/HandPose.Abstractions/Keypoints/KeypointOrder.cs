namespace HandPose;

/// <summary>
/// How a dataset or model orders its hand keypoints relative to the library's canonical <see cref="KeypointSchema.Hand21"/>
/// order (wrist, then thumb, index, middle, ring, little, each base to tip).
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class KeypointOrder
{
    private readonly int[] _sourceIndex;

    /// <summary>Creates a mapping.</summary>
    /// <param name="name">The order's name.</param>
    /// <param name="sourceKeypointCount">How many keypoints a source record holds (e.g. 42 for RHD's two hands).</param>
    /// <param name="sourceIndexOfCanonical">For each canonical keypoint i, the index in the source record.</param>
    /// <exception cref="ArgumentException">An index is out of range or repeated.</exception>
    public KeypointOrder(string name, int sourceKeypointCount, IEnumerable<int> sourceIndexOfCanonical)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceKeypointCount);
        ArgumentNullException.ThrowIfNull(sourceIndexOfCanonical);
        Name = name;
        SourceKeypointCount = sourceKeypointCount;
        _sourceIndex = sourceIndexOfCanonical.ToArray();
        if (_sourceIndex.Any(i => (uint)i >= (uint)sourceKeypointCount))
        {
            throw new ArgumentException($"Keypoint order '{name}': every source index must be in 0..{sourceKeypointCount - 1}.", nameof(sourceIndexOfCanonical));
        }

        if (_sourceIndex.Distinct().Count() != _sourceIndex.Length)
        {
            throw new ArgumentException($"Keypoint order '{name}': a source index appears twice.", nameof(sourceIndexOfCanonical));
        }
    }

    /// <summary>The order's name.</summary>
    public string Name { get; }

    /// <summary>Number of keypoints in one source record.</summary>
    public int SourceKeypointCount { get; }

    /// <summary>Number of canonical keypoints produced.</summary>
    public int CanonicalKeypointCount => _sourceIndex.Length;

    /// <summary>For each canonical keypoint, its index in the source record.</summary>
    public IReadOnlyList<int> SourceIndexOfCanonical => _sourceIndex;

    /// <summary>CMU Panoptic HandDB: already canonical.</summary>
    public static KeypointOrder Panoptic { get; } = Identity("panoptic");

    /// <summary>FreiHAND (after MANO joint regression, as distributed): already canonical.</summary>
    public static KeypointOrder FreiHand { get; } = Identity("freihand");

    /// <summary>OneHand10K: already canonical.</summary>
    public static KeypointOrder OneHand10K { get; } = Identity("onehand10k");

    /// <summary>COCO-WholeBody hand: already canonical.</summary>
    public static KeypointOrder CocoWholeBodyHand { get; } = Identity("coco-wholebody-hand");

    /// <summary>MediaPipe Hands landmarks: already canonical.</summary>
    public static KeypointOrder MediaPipe { get; } = Identity("mediapipe");

    /// <summary>
    /// Rendered Hand Pose (RHD), left hand (source indices 0..20 of its 42): wrist, then each finger tip to base.
    /// Canonical[0] = rhd[0]; canonical[4f + j] = rhd[4f + 5 − j].
    /// </summary>
    public static KeypointOrder RhdLeft { get; } = Rhd("rhd-left", 0);

    /// <summary>RHD right hand (source indices 21..41), same rule as <see cref="RhdLeft"/> offset by 21.</summary>
    public static KeypointOrder RhdRight { get; } = Rhd("rhd-right", 21);

    /// <summary>Every built-in order.</summary>
    public static IReadOnlyList<KeypointOrder> BuiltIn { get; } =
        [Panoptic, FreiHand, OneHand10K, CocoWholeBodyHand, MediaPipe, RhdLeft, RhdRight];

    /// <summary>Reorders one source record into canonical order.</summary>
    /// <typeparam name="T">Keypoint type.</typeparam>
    /// <param name="source">A source record of <see cref="SourceKeypointCount"/> keypoints.</param>
    /// <param name="destination">Receives <see cref="CanonicalKeypointCount"/> keypoints.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void ToCanonical<T>(ReadOnlySpan<T> source, Span<T> destination)
    {
        CheckLengths(source.Length, destination.Length, SourceKeypointCount, CanonicalKeypointCount);
        for (int i = 0; i < _sourceIndex.Length; i++)
        {
            destination[i] = source[_sourceIndex[i]];
        }
    }

    /// <summary>Writes canonical keypoints back into source order; source slots without a canonical keypoint are left unchanged.</summary>
    /// <typeparam name="T">Keypoint type.</typeparam>
    /// <param name="canonical">Canonical keypoints.</param>
    /// <param name="destination">A source-ordered record.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void FromCanonical<T>(ReadOnlySpan<T> canonical, Span<T> destination)
    {
        CheckLengths(canonical.Length, destination.Length, CanonicalKeypointCount, SourceKeypointCount);
        for (int i = 0; i < _sourceIndex.Length; i++)
        {
            destination[_sourceIndex[i]] = canonical[i];
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private void CheckLengths(int source, int destination, int expectedSource, int expectedDestination)
    {
        if (source != expectedSource)
        {
            throw new ArgumentException($"Keypoint order '{Name}' expects {expectedSource} input keypoints; got {source}.", nameof(source));
        }

        if (destination < expectedDestination)
        {
            throw new ArgumentException($"Keypoint order '{Name}' writes {expectedDestination} keypoints; the destination holds {destination}.", nameof(destination));
        }
    }

    private static KeypointOrder Identity(string name) => new(name, 21, Enumerable.Range(0, 21));

    private static KeypointOrder Rhd(string name, int offset)
    {
        var map = new int[21];
        map[0] = offset;
        for (int f = 0; f < 5; f++)
        {
            for (int j = 1; j <= 4; j++)
            {
                map[(4 * f) + j] = offset + (4 * f) + 5 - j;
            }
        }

        return new KeypointOrder(name, 42, map);
    }
}
