using System.Globalization;
using HandPose.Datasets.Internal;

namespace HandPose.Datasets;

/// <summary>
/// OneHand10K (Wang et al., 2018): <c>{Train,Test}/label_joint.txt</c> with one line per image, <c>name, width,
/// height, hand_number, x0, y0, ..., x20, y20</c> (−1 = not labelled), images in <c>source/</c>, masks in <c>mask/</c>.
/// The keypoint order is the canonical one.
/// </summary>
public static class OneHand10K
{
    private const string Format = "OneHand10K";
    private const int Fields = 4 + 42;

    /// <summary>Reads one split.</summary>
    /// <param name="root">The dataset folder holding <c>Train/</c> and <c>Test/</c>.</param>
    /// <param name="split">"Train" or "Test".</param>
    /// <returns>One sample per label line, in file order.</returns>
    /// <exception cref="DataFormatException">The label file is missing or a line is malformed (file and line named).</exception>
    public static HandDataset Load(string root, string split)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (split is not ("Train" or "Test"))
        {
            throw new ArgumentException($"Unknown split '{split}'; expected Train or Test.", nameof(split));
        }

        string folder = Path.Combine(root, split), path = Path.Combine(folder, "label_joint.txt");
        string[] lines = Files.ReadLines(path, Format);
        var samples = new List<HandSample>(lines.Length);
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            string[] f = line.Split(',', StringSplitOptions.TrimEntries);
            if (f.Length != Fields)
            {
                throw new DataFormatException(Format, $"{path}, line {n + 1}: expected {Fields} comma-separated fields (name, width, height, hand_number, 21 × x, y); got {f.Length}.");
            }

            var keypoints = new Keypoint2D[21];
            for (int k = 0; k < 21; k++)
            {
                double x = Field(f, 4 + (2 * k), path, n), y = Field(f, 5 + (2 * k), path, n);
                keypoints[k] = x < 0 || y < 0 ? Keypoint2D.Missing : new Keypoint2D((float)x, (float)y);
            }

            _ = Field(f, 1, path, n); // width and height must be numbers too
            _ = Field(f, 2, path, n);
            string name = f[0];
            samples.Add(new HandSample(name, Path.Combine(folder, "source", name), keypoints)
            {
                Box = Files.TightBox(keypoints),
                MaskPath = Path.Combine(folder, "mask", Path.ChangeExtension(name, ".png")),
            });
        }

        return new HandDataset("onehand10k", path, samples);
    }

    private static double Field(string[] fields, int index, string path, int line) =>
        double.TryParse(fields[index], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v
            : throw new DataFormatException(Format, $"{path}, line {line + 1}, field {index + 1}: expected a number; got '{fields[index]}'.");
}
