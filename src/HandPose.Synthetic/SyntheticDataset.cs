using System.Globalization;
using System.Text;
using HandPose.Imaging;

namespace HandPose.Synthetic;

/// <summary>
/// Files for synthetic samples: the dataset layout of docs/synthetic.md (rgb/, depth/, mask/ PNGs and
/// annotations.json), a contact sheet with the keypoints drawn, and background photos from a folder.
/// </summary>
/// <remarks>The only place of this package that uses HandPose.Imaging (PNG codec, drawing). Thread-safe.</remarks>
public static class SyntheticDataset
{
    /// <summary>Renders <paramref name="count"/> samples (indices 0..count−1) into <paramref name="directory"/>.</summary>
    /// <param name="sampler">The sampler.</param>
    /// <param name="count">Number of samples (0 to 1,000,000).</param>
    /// <param name="directory">Output folder (created if missing).</param>
    /// <param name="maxThreads">Worker threads; 0 means one per core.</param>
    /// <param name="cancellationToken">Stops between samples.</param>
    /// <exception cref="ArgumentOutOfRangeException">The count or thread count is out of range.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static void Write(HandSampler sampler, int count, string directory, int maxThreads = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 1_000_000);
        ArgumentOutOfRangeException.ThrowIfNegative(maxThreads);
        foreach (string sub in (string[])["rgb", "depth", "mask"])
        {
            Directory.CreateDirectory(Path.Combine(directory, sub));
        }

        string[] entries = new string[count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxThreads > 0 ? maxThreads : Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.For(0, count, parallel, i =>
        {
            SyntheticSample s = sampler.Sample(i);
            string id = Id(i);
            int size = s.Size;
            using (FileStream f = File.Create(Path.Combine(directory, "rgb", id + ".png")))
            {
                ImageEncoder.WritePng(new ImageView(s.Rgb, size, size, PixelFormat.Rgb24), f);
            }

            using (FileStream f = File.Create(Path.Combine(directory, "depth", id + ".png")))
            {
                ImageEncoder.WritePngGray16(s.DepthMillimetres(), size, size, f);
            }

            using (FileStream f = File.Create(Path.Combine(directory, "mask", id + ".png")))
            {
                ImageEncoder.WritePng(new ImageView(s.Mask, size, size, PixelFormat.Gray8), f);
            }

            entries[i] = Annotation(s, id);
        });

        var json = new StringBuilder();
        int side = sampler.Options.Size;
        json.Append(CultureInfo.InvariantCulture, $"{{\"image_size\": [{side}, {side}], \"keypoint_order\": \"hand21\", \"depth_unit\": \"mm\",\n\"samples\": [");
        for (int i = 0; i < count; i++)
        {
            json.Append(i == 0 ? "\n" : ",\n").Append(entries[i]);
        }

        json.Append("\n]}\n");
        File.WriteAllText(Path.Combine(directory, "annotations.json"), json.ToString());
    }

    /// <summary>Draws samples in a grid with their skeletons (hidden keypoints as smaller dots) and writes it as PNG.</summary>
    /// <param name="samples">The samples (all of one size), laid out row by row.</param>
    /// <param name="path">The PNG file.</param>
    /// <param name="columns">Grid columns (&gt; 0).</param>
    /// <exception cref="ArgumentException">No samples, or samples of different sizes.</exception>
    public static void SaveContactSheet(IReadOnlyList<SyntheticSample> samples, string path, int columns = 8)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (samples.Count == 0 || samples.Any(s => s.Size != samples[0].Size))
        {
            throw new ArgumentException("Expected at least one sample, all of the same size.", nameof(samples));
        }

        int size = samples[0].Size, gap = 4;
        columns = Math.Min(columns, samples.Count);
        int rows = (samples.Count + columns - 1) / columns;
        var sheet = new ImageBuffer((columns * (size + gap)) + gap, (rows * (size + gap)) + gap, PixelFormat.Rgb24);
        sheet.Memory.Span.Fill(32);
        float thickness = Math.Max(1f, size / 160f), radius = Math.Max(1.5f, size / 110f);
        for (int n = 0; n < samples.Count; n++)
        {
            SyntheticSample s = samples[n];
            int ox = gap + ((n % columns) * (size + gap)), oy = gap + ((n / columns) * (size + gap));
            for (int y = 0; y < size; y++)
            {
                s.Rgb.Slice(y * size * 3, size * 3).CopyTo(sheet.GetRowSpan(oy + y).Slice(ox * 3, size * 3));
            }

            // Pixel centres are integers here; drawing puts them at +0.5.
            var kp = new Keypoint2D[21];
            for (int k = 0; k < 21; k++)
            {
                kp[k] = new Keypoint2D(s.Keypoints2D[k].X + ox + 0.5f, s.Keypoints2D[k].Y + oy + 0.5f);
            }

            ImageDrawing.Skeleton(sheet, kp, KeypointSchema.Hand21, thickness, radius);
            for (int k = 0; k < 21; k++)
            {
                if (!s.Visible[k])
                {
                    ImageDrawing.FilledCircle(sheet, kp[k].X, kp[k].Y, radius + 1, ColorRgb.Black);
                }
            }
        }

        ImageEncoder.SavePng(sheet.AsView(), path);
    }

    /// <summary>Loads every decodable image (PNG, JPEG, PGM/PPM) of a folder as backgrounds; other files are skipped.</summary>
    /// <param name="directory">The folder (not recursive).</param>
    /// <returns>The backgrounds, in file-name order.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="ArgumentException">The folder holds no decodable image.</exception>
    public static IReadOnlyList<SyntheticBackground> LoadBackgrounds(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Background folder '{directory}' does not exist.");
        }

        var result = new List<SyntheticBackground>();
        foreach (string file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            byte[] bytes = File.ReadAllBytes(file);
            if (ImageDecoder.DetectFormat(bytes) is null)
            {
                continue;
            }

            ImageBuffer image = ImageDecoder.Decode(bytes);
            if (image.Format != PixelFormat.Rgb24)
            {
                image = image.Format == PixelFormat.Rgba32 ? ImageTransforms.FlattenAlpha(image.AsView(), ColorRgb.Black) : ImageTransforms.ConvertFormat(image.AsView(), PixelFormat.Rgb24);
            }

            result.Add(new SyntheticBackground(image.Width, image.Height, ImageBuffer.CopyOf(image.AsView()).Memory.Span));
        }

        return result.Count > 0 ? result : throw new ArgumentException($"Background folder '{directory}' holds no PNG, JPEG or PNM image.", nameof(directory));
    }

    internal static string Id(long index) => index.ToString("D6", CultureInfo.InvariantCulture);

    private static string Annotation(SyntheticSample s, string id)
    {
        var b = new StringBuilder(2048);
        CameraIntrinsics k = s.Intrinsics;
        b.Append(CultureInfo.InvariantCulture, $"{{\"id\": \"{id}\", \"handedness\": \"{(s.Handedness == Handedness.Left ? "left" : "right")}\", \"pose\": \"{s.Pose}\",\n");
        b.Append(CultureInfo.InvariantCulture, $" \"K\": [[{F(k.Fx)}, 0, {F(k.Cx)}], [0, {F(k.Fy)}, {F(k.Cy)}], [0, 0, 1]],\n \"keypoints_3d\": [");
        for (int i = 0; i < 21; i++)
        {
            Keypoint3D p = s.Keypoints3D[i];
            b.Append(i == 0 ? "[" : ", [").Append(F(p.X)).Append(", ").Append(F(p.Y)).Append(", ").Append(F(p.Z)).Append(']');
        }

        b.Append("],\n \"keypoints_2d\": [");
        for (int i = 0; i < 21; i++)
        {
            Keypoint2D p = s.Keypoints2D[i];
            b.Append(i == 0 ? "[" : ", [").Append(F(p.X)).Append(", ").Append(F(p.Y)).Append(']');
        }

        b.Append("],\n \"visible\": [").AppendJoin(", ", s.Visible.Select(v => v ? "true" : "false")).Append("],\n");
        (float x0, float y0, float x1, float y1) = s.BoundingBox;
        b.Append(CultureInfo.InvariantCulture, $" \"bbox\": [{F(x0)}, {F(y0)}, {F(x1)}, {F(y1)}]}}");
        return b.ToString();
    }

    private static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);
}
