using HandPose.Imaging;

namespace HandPose.Datasets.Training;

/// <summary>
/// Turns a source sample into network input and targets: a square crop around the hand (its box × context),
/// randomly rotated, scaled, shifted and flipped, warped with <see cref="ImageTransforms.WarpAffineToTensor"/> (the
/// same bilinear kernel inference uses), colour-jittered, blurred and noised, ImageNet-normalised, and the targets
/// rendered from the transformed keypoints. Deterministic: the randomness of sample i in epoch e is a pure function
/// of (seed, e, i). Immutable and thread-safe.
/// </summary>
public sealed class SamplePipeline
{
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    /// <summary>Creates a pipeline.</summary>
    /// <param name="inputSize">Network input side S in pixels (16 to 4096).</param>
    /// <param name="targets">The targets to render (maps of S / stride cells).</param>
    /// <param name="augmentation">The augmentation for training samples; null means the defaults.</param>
    /// <param name="keypoints">Keypoints per sample (21).</param>
    /// <exception cref="ArgumentException">A target's map size is not S / stride, or its renderer has another keypoint count.</exception>
    public SamplePipeline(int inputSize, IReadOnlyList<TrainingTarget> targets, AugmentationOptions? augmentation = null, int keypoints = 21)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inputSize, 4096);
        ArgumentNullException.ThrowIfNull(targets);
        augmentation ??= new AugmentationOptions();
        augmentation.Validate();
        if (augmentation.FlipPermutation is { } perm && (perm.Count != keypoints || perm.Order().Where((v, i) => v != i).Any()))
        {
            throw new ArgumentException($"FlipPermutation must be a permutation of 0..{keypoints - 1}.", nameof(augmentation));
        }

        foreach (TrainingTarget t in targets)
        {
            if (t.Stride < 1 || t.Renderer.MapWidth * t.Stride != inputSize || t.Renderer.MapHeight * t.Stride != inputSize)
            {
                throw new ArgumentException($"A {t.Renderer.GetType().Name} of {t.Renderer.MapWidth}x{t.Renderer.MapHeight} cells at stride {t.Stride} does not cover a {inputSize}-pixel input.", nameof(targets));
            }

            if (t.Renderer.Schema.KeypointCount != keypoints)
            {
                throw new ArgumentException($"A target renders {t.Renderer.Schema.KeypointCount} keypoints; the samples have {keypoints}.", nameof(targets));
            }
        }

        InputSize = inputSize;
        Targets = targets.ToArray();
        Augmentation = augmentation;
        KeypointCount = keypoints;
    }

    /// <summary>Network input side in pixels.</summary>
    public int InputSize { get; }

    /// <summary>The targets rendered for each sample.</summary>
    public IReadOnlyList<TrainingTarget> Targets { get; }

    /// <summary>The training augmentation.</summary>
    public AugmentationOptions Augmentation { get; }

    /// <summary>Keypoints per sample.</summary>
    public int KeypointCount { get; }

    internal TrainingBatch NewBatch(int count) => new(count, InputSize, KeypointCount, Targets);

    /// <summary>The crop geometry: map from source pixels to input pixels (continuous coordinates), and whether it flips.</summary>
    internal (AffineTransform ToInput, bool Flip) Geometry(in SourceImage source, bool augment, ref SampleRandom random)
    {
        (double cx, double cy, double side) = Frame(source);
        AugmentationOptions a = Augmentation;
        double scale = 1, angle = 0, dx = 0, dy = 0;
        bool flip = false;
        if (augment)
        {
            scale = random.Uniform(a.ScaleRange.Min, a.ScaleRange.Max);
            angle = random.Uniform(-a.RotationDegrees, a.RotationDegrees) * Math.PI / 180;
            dx = random.Uniform(-a.ShiftFraction, a.ShiftFraction) * side;
            dy = random.Uniform(-a.ShiftFraction, a.ShiftFraction) * side;
            flip = random.Chance(a.FlipProbability);
        }

        // input = S/2 + k · R(angle) · (p − centre − shift), then mirrored in x when flipping.
        double k = InputSize * scale / side;
        double cos = Math.Cos(angle) * k, sin = Math.Sin(angle) * k;
        double ox = cx + dx, oy = cy + dy, half = InputSize / 2.0;
        var forward = new AffineTransform(cos, -sin, half - ((cos * ox) - (sin * oy)), sin, cos, half - ((sin * ox) + (cos * oy)));
        if (flip)
        {
            forward = forward with { A = -forward.A, B = -forward.B, C = InputSize - forward.C };
        }

        return (forward, flip);
    }

    internal void Prepare(in SourceImage source, int index, bool augment, ref SampleRandom random, TrainingBatch batch, int slot)
    {
        (AffineTransform toInput, bool flip) = Geometry(source, augment, ref random);
        int s = InputSize, plane = s * s, k = KeypointCount;
        Span<float> image = batch.Images.AsSpan(slot * 3 * plane, 3 * plane);
        var view = new ImageView(source.Rgb, source.Width, source.Height, PixelFormat.Rgb24);
        ImageTransforms.WarpAffineToTensor(view, toInput.Invert(), s, s, BorderMode.Zero, image, TensorLayout.Nchw, PixelNormalization.ZeroToOne);
        if (augment)
        {
            Photometric(image, plane, ref random);
        }

        for (int c = 0; c < 3; c++)
        {
            float m = Mean[c], inv = 1f / Std[c];
            foreach (ref float v in image.Slice(c * plane, plane))
            {
                v = (v - m) * inv;
            }
        }

        // Keypoints: source pixel-centre integers → continuous (+0.5) → input pixels.
        Span<float> kp = batch.Keypoints.AsSpan(slot * k * 2, k * 2);
        Span<float> weights = batch.TargetWeights.AsSpan(slot * k, k);
        float x0 = float.PositiveInfinity, y0 = float.PositiveInfinity, x1 = float.NegativeInfinity, y1 = float.NegativeInfinity;
        for (int j = 0; j < k; j++)
        {
            int from = flip && Augmentation.FlipPermutation is { } perm ? perm[j] : j;
            Keypoint2D p = from < source.Keypoints.Length ? source.Keypoints[from] : Keypoint2D.Missing;
            if (p.IsMissing)
            {
                kp[2 * j] = kp[(2 * j) + 1] = float.NaN;
                weights[j] = 0;
                continue;
            }

            (double u, double v) = toInput.Apply(p.X + 0.5, p.Y + 0.5);
            kp[2 * j] = (float)u;
            kp[(2 * j) + 1] = (float)v;
            weights[j] = u >= 0 && u < s && v >= 0 && v < s ? 1f : 0f;
            x0 = Math.Min(x0, (float)u);
            y0 = Math.Min(y0, (float)v);
            x1 = Math.Max(x1, (float)u);
            y1 = Math.Max(y1, (float)v);
        }

        batch.BoxSizes[slot] = float.IsFinite(x0) ? Math.Max(x1 - x0, y1 - y0) : 0f;
        batch.Indices[slot] = index;
        batch.Flipped[slot] = flip;
        batch.Handedness[slot] = !flip ? source.Handedness : source.Handedness switch
        {
            Handedness.Left => Handedness.Right,
            Handedness.Right => Handedness.Left,
            _ => source.Handedness,
        };
        RenderTargets(kp, batch, slot);
    }

    private void RenderTargets(ReadOnlySpan<float> keypoints, TrainingBatch batch, int slot)
    {
        int k = KeypointCount;
        Span<double> cells = stackalloc double[2 * k];
        for (int t = 0; t < Targets.Count; t++)
        {
            TrainingTarget target = Targets[t];
            double inv = 1.0 / target.Stride;
            for (int i = 0; i < 2 * k; i++)
            {
                cells[i] = float.IsFinite(keypoints[i]) ? (keypoints[i] * inv) - 0.5 : double.NaN;
            }

            int length = target.Renderer.OutputLength;
            target.Renderer.Render(cells, batch.Targets[t].AsSpan(slot * length, length));
        }
    }

    /// <summary>Centre and crop side (continuous source pixels) from the box, else the labelled keypoints, else the whole image.</summary>
    private (double X, double Y, double Side) Frame(in SourceImage source)
    {
        double x0, y0, x1, y1;
        if (source.Box is { } b && b.X1 > b.X0 && b.Y1 > b.Y0)
        {
            (x0, y0, x1, y1) = (b.X0 + 0.5, b.Y0 + 0.5, b.X1 + 0.5, b.Y1 + 0.5);
        }
        else
        {
            var present = source.Keypoints.Where(p => !p.IsMissing).ToArray();
            if (present.Length < 2)
            {
                return (source.Width / 2.0, source.Height / 2.0, Math.Max(source.Width, source.Height));
            }

            (x0, y0, x1, y1) = (present.Min(p => p.X) + 0.5, present.Min(p => p.Y) + 0.5, present.Max(p => p.X) + 0.5, present.Max(p => p.Y) + 0.5);
        }

        double side = Math.Max(Math.Max(x1 - x0, y1 - y0), 1) * Augmentation.Context;
        return ((x0 + x1) / 2, (y0 + y1) / 2, side);
    }

    private void Photometric(Span<float> image, int plane, ref SampleRandom random)
    {
        AugmentationOptions a = Augmentation;
        float brightness = (float)random.Uniform(1 - a.Brightness, 1 + a.Brightness);
        float contrast = (float)random.Uniform(1 - a.Contrast, 1 + a.Contrast);
        float saturation = (float)random.Uniform(1 - a.Saturation, 1 + a.Saturation);
        bool blur = random.Chance(a.BlurProbability);
        bool noise = random.Chance(a.NoiseProbability);
        float noiseStd = noise ? (float)random.Uniform(0, a.NoiseStd) : 0f;
        Span<float> r = image.Slice(0, plane), g = image.Slice(plane, plane), b = image.Slice(2 * plane, plane);
        double sum = 0;
        for (int i = 0; i < plane; i++)
        {
            r[i] *= brightness;
            g[i] *= brightness;
            b[i] *= brightness;
            sum += (0.299f * r[i]) + (0.587f * g[i]) + (0.114f * b[i]);
        }

        float mean = (float)(sum / plane);
        for (int i = 0; i < plane; i++)
        {
            float gray = (0.299f * r[i]) + (0.587f * g[i]) + (0.114f * b[i]);
            r[i] = Math.Clamp(((((r[i] - gray) * saturation) + gray - mean) * contrast) + mean, 0f, 1f);
            g[i] = Math.Clamp(((((g[i] - gray) * saturation) + gray - mean) * contrast) + mean, 0f, 1f);
            b[i] = Math.Clamp(((((b[i] - gray) * saturation) + gray - mean) * contrast) + mean, 0f, 1f);
        }

        if (blur)
        {
            for (int c = 0; c < 3; c++)
            {
                Blur121(image.Slice(c * plane, plane), InputSize);
            }
        }

        if (noise)
        {
            for (int i = 0; i < 3 * plane; i++)
            {
                image[i] = Math.Clamp(image[i] + (noiseStd * (float)random.Gaussian()), 0f, 1f);
            }
        }
    }

    /// <summary>Separable 1-2-1 / 4 blur with replicated edges, in place.</summary>
    internal static void Blur121(Span<float> plane, int size)
    {
        float[] row = new float[size];
        for (int y = 0; y < size; y++)
        {
            Span<float> line = plane.Slice(y * size, size);
            line.CopyTo(row);
            for (int x = 0; x < size; x++)
            {
                line[x] = (row[Math.Max(x - 1, 0)] + (2 * row[x]) + row[Math.Min(x + 1, size - 1)]) * 0.25f;
            }
        }

        float[] column = new float[size];
        for (int x = 0; x < size; x++)
        {
            for (int y = 0; y < size; y++)
            {
                column[y] = plane[(y * size) + x];
            }

            for (int y = 0; y < size; y++)
            {
                plane[(y * size) + x] = (column[Math.Max(y - 1, 0)] + (2 * column[y]) + column[Math.Min(y + 1, size - 1)]) * 0.25f;
            }
        }
    }
}
