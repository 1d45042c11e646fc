using System.Globalization;
using HandPose.Imaging;
using HandPose.Synthetic;

namespace HandPose.Datasets.Training;

/// <summary>One source image with its labels, as <see cref="TrainingSource"/> hands it to the pipeline.</summary>
internal readonly record struct SourceImage(byte[] Rgb, int Width, int Height, Keypoint2D[] Keypoints, (float X0, float Y0, float X1, float Y1)? Box, Handedness Handedness);

/// <summary>
/// The samples a training run reads: a loaded <see cref="HandDataset"/> (images decoded on demand) or synthetic hands
/// drawn on the fly (<c>synth:N</c>: sample i is a pure function of the seed and i). Thread-safe.
/// </summary>
public sealed class TrainingSource
{
    private readonly HandDataset? _dataset;
    private readonly HandSampler? _sampler;
    private readonly SourceImage?[]? _cache;

    private TrainingSource(string description, int count, HandDataset? dataset, HandSampler? sampler, bool cache)
    {
        Description = description;
        Count = count;
        _dataset = dataset;
        _sampler = sampler;
        _cache = cache ? new SourceImage?[count] : null;
    }

    /// <summary>What the samples are, e.g. <c>synth:4000 (seed 1, 128 px)</c>.</summary>
    public string Description { get; }

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>Samples of a loaded dataset; images are decoded when a sample is read.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException">The dataset is empty.</exception>
    public static TrainingSource FromDataset(HandDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0)
        {
            throw new ArgumentException($"The dataset {dataset.Source} holds no samples.", nameof(dataset));
        }

        return new TrainingSource(dataset.ToString(), dataset.Count, dataset, null, cache: false);
    }

    /// <summary>
    /// <paramref name="count"/> synthetic hands (indices 0..count−1 of <paramref name="sampler"/>), rendered when first
    /// read; with <paramref name="cache"/> each rendering is kept (Size² × 3 bytes per sample) for later epochs.
    /// </summary>
    /// <param name="sampler">The sampler (its seed and size decide the images).</param>
    /// <param name="count">Number of samples (1 to 10,000,000).</param>
    /// <param name="cache">Keep rendered images in memory.</param>
    /// <returns>The source.</returns>
    public static TrainingSource Synthetic(HandSampler sampler, int count, bool cache = true)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 10_000_000);
        string description = string.Create(CultureInfo.InvariantCulture, $"synth:{count} (seed {sampler.Seed}, {sampler.Options.Size} px)");
        return new TrainingSource(description, count, null, sampler, cache);
    }

    /// <summary>
    /// Parses a command-line data argument: <c>synth:N</c> (synthetic hands of <paramref name="syntheticSize"/> pixels
    /// drawn with <paramref name="seed"/>), or a folder in the synthetic layout (<c>annotations.json</c>, as written by
    /// <c>handpose synth</c>), or <c>freihand:DIR</c>, <c>onehand10k:DIR</c> (test split), <c>panoptic:DIR</c> (NSRM layout, test split).
    /// </summary>
    /// <param name="spec">The argument.</param>
    /// <param name="syntheticSize">Image side for synthetic samples.</param>
    /// <param name="seed">Seed for synthetic samples.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException">The argument is not one of the forms above.</exception>
    /// <exception cref="DataFormatException">The folder's files are malformed (file and field named).</exception>
    public static TrainingSource Parse(string spec, int syntheticSize, long seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (spec.StartsWith("synth:", StringComparison.Ordinal))
        {
            if (!int.TryParse(spec.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
            {
                throw new ArgumentException($"'{spec}': expected synth:N with N a positive whole number of samples.", nameof(spec));
            }

            return Synthetic(new HandSampler(seed, new SyntheticOptions { Size = syntheticSize }), n);
        }

        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon > 1)
        {
            string kind = spec[..colon], dir = spec[(colon + 1)..];
            return kind switch
            {
                "freihand" => FromDataset(FreiHand.Load(dir)),
                "onehand10k" => FromDataset(OneHand10K.Load(dir, "Test")),
                "panoptic" => FromDataset(PanopticHands.LoadNsrmLayout(dir, "test")),
                "synthetic" => FromDataset(SyntheticLayout.Load(dir)),
                _ => throw new ArgumentException($"'{spec}': unknown dataset kind '{kind}'; expected synth:N, a synthetic-layout folder, or freihand:, onehand10k:, panoptic:, synthetic: followed by a folder.", nameof(spec)),
            };
        }

        if (File.Exists(Path.Combine(spec, "annotations.json")))
        {
            return FromDataset(SyntheticLayout.Load(spec));
        }

        throw new ArgumentException($"'{spec}': not synth:N and not a folder with annotations.json (the synthetic layout); name other datasets as freihand:DIR, onehand10k:DIR or panoptic:DIR.", nameof(spec));
    }

    internal SourceImage Load(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if (_cache?[index] is { } cached)
        {
            return cached;
        }

        SourceImage image = _sampler is not null ? Render(index) : Decode(_dataset!.Samples[index]);
        if (_cache is not null)
        {
            _cache[index] = image;
        }

        return image;
    }

    private SourceImage Render(int index)
    {
        SyntheticSample s = _sampler!.Sample(index);
        var keypoints = s.Keypoints2D.ToArray();
        (float X0, float Y0, float X1, float Y1)? box = s.BoundingBox.X0 < 0 ? null : s.BoundingBox;
        return new SourceImage(s.Rgb.ToArray(), s.Size, s.Size, keypoints, box, s.Handedness);
    }

    private static SourceImage Decode(HandSample sample)
    {
        if (sample.ImagePath is null)
        {
            throw new DataFormatException("dataset", $"sample '{sample.Id}' has no image file.");
        }

        if (!File.Exists(sample.ImagePath))
        {
            throw new DataFormatException("dataset", $"{sample.ImagePath}: the image of sample '{sample.Id}' is missing.");
        }

        ImageBuffer image = ImageDecoder.Load(sample.ImagePath);
        if (image.Format != PixelFormat.Rgb24)
        {
            image = ImageTransforms.ConvertFormat(image.AsView(), PixelFormat.Rgb24);
        }

        byte[] rgb = ImageBuffer.CopyOf(image.AsView()).Memory.ToArray();
        return new SourceImage(rgb, image.Width, image.Height, [.. sample.Keypoints], sample.Box, sample.Handedness);
    }
}
