namespace HandPose.Datasets;

/// <summary>A loaded dataset split: its samples in file order, in the canonical 21-keypoint order.</summary>
/// <remarks>Immutable after loading; safe to read from any number of threads.</remarks>
public sealed class HandDataset
{
    internal HandDataset(string name, string source, IReadOnlyList<HandSample> samples)
    {
        Name = name;
        Source = source;
        Samples = samples;
    }

    /// <summary>The dataset's name, e.g. "freihand".</summary>
    public string Name { get; }

    /// <summary>The folder or annotation file it was read from.</summary>
    public string Source { get; }

    /// <summary>The samples.</summary>
    public IReadOnlyList<HandSample> Samples { get; }

    /// <summary>The number of samples.</summary>
    public int Count => Samples.Count;

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Count} samples from {Source}";
}
