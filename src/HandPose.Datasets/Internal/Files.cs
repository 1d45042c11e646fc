namespace HandPose.Datasets.Internal;

/// <summary>File access for readers: a missing file is a dataset error naming what was expected there.</summary>
internal static class Files
{
    public static byte[] ReadAll(string path, string format)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFormatException(format, $"{path}: not found; a {format} dataset needs this file.", ex);
        }
        catch (UnauthorizedAccessException ex) when (Directory.Exists(path))
        {
            throw new DataFormatException(format, $"{path}: is a folder; a {format} dataset needs a file here.", ex);
        }
    }

    public static string[] ReadLines(string path, string format) =>
        System.Text.Encoding.UTF8.GetString(ReadAll(path, format)).Split('\n');

    public static void RequireDirectory(string path, string format)
    {
        if (!Directory.Exists(path))
        {
            throw new DataFormatException(format, $"{path}: folder not found; expected a {format} dataset there.");
        }
    }

    /// <summary>The tight box of the labelled keypoints, or null when none is labelled.</summary>
    public static (float X0, float Y0, float X1, float Y1)? TightBox(IReadOnlyList<Keypoint2D> points)
    {
        float x0 = float.PositiveInfinity, y0 = float.PositiveInfinity, x1 = float.NegativeInfinity, y1 = float.NegativeInfinity;
        foreach (Keypoint2D p in points)
        {
            if (!p.IsMissing)
            {
                x0 = Math.Min(x0, p.X);
                y0 = Math.Min(y0, p.Y);
                x1 = Math.Max(x1, p.X);
                y1 = Math.Max(y1, p.Y);
            }
        }

        return float.IsFinite(x0) ? (x0, y0, x1, y1) : null;
    }
}
