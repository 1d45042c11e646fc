namespace HandPose.Datasets.Training;

/// <summary>
/// A batch ready for a network: images N × 3 × S × S (ImageNet-normalised, NCHW), one target array per
/// <see cref="TrainingTarget"/> (N × C × h × w), keypoints in input pixels and their weights. Plain arrays, so any
/// backend can wrap them without copies of its own types.
/// </summary>
public sealed class TrainingBatch
{
    internal TrainingBatch(int count, int inputSize, int keypoints, IReadOnlyList<TrainingTarget> targets)
    {
        Count = count;
        InputSize = inputSize;
        KeypointCount = keypoints;
        Images = new float[count * 3 * inputSize * inputSize];
        Targets = targets.Select(t => new float[count * t.Renderer.OutputLength]).ToArray();
        TargetShapes = targets.Select(t => (t.Renderer.ChannelCount, t.Renderer.MapHeight, t.Renderer.MapWidth)).ToArray();
        TargetWeights = new float[count * keypoints];
        Keypoints = new float[count * keypoints * 2];
        BoxSizes = new float[count];
        Indices = new int[count];
        Flipped = new bool[count];
        Handedness = new Handedness[count];
    }

    /// <summary>Samples in the batch (N).</summary>
    public int Count { get; }

    /// <summary>Input side S in pixels.</summary>
    public int InputSize { get; }

    /// <summary>Keypoints per sample (K).</summary>
    public int KeypointCount { get; }

    /// <summary>N × 3 × S × S floats.</summary>
    public float[] Images { get; }

    /// <summary>Per target, N × C × h × w floats.</summary>
    public IReadOnlyList<float[]> Targets { get; }

    /// <summary>Per target, its (C, h, w).</summary>
    public IReadOnlyList<(int Channels, int Height, int Width)> TargetShapes { get; }

    /// <summary>N × K: 1 where the keypoint is labelled and inside the input, else 0 (Simple Baselines' target_weight).</summary>
    public float[] TargetWeights { get; }

    /// <summary>N × K × 2: keypoints in input pixels (pixel centres at i + 0.5); NaN where unlabelled.</summary>
    public float[] Keypoints { get; }

    /// <summary>N: the longer side of each sample's labelled-keypoint box in input pixels (the PCK@0.2 normaliser).</summary>
    public float[] BoxSizes { get; }

    /// <summary>N: each sample's index in its source.</summary>
    public int[] Indices { get; }

    /// <summary>N: whether the sample was flipped.</summary>
    public bool[] Flipped { get; }

    /// <summary>N: the hand as it appears in the input (a flip turns a left hand into a right one).</summary>
    public Handedness[] Handedness { get; }
}
