using System.Text.Json;

namespace HandPose.Datasets.Internal;

/// <summary>Reading dataset JSON with errors that name the file and the field.</summary>
internal static class Json
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, MaxDepth = 64 };

    public static JsonDocument Parse(string path, string format)
    {
        byte[] bytes = Files.ReadAll(path, format);
        try
        {
            return JsonDocument.Parse(bytes, Options);
        }
        catch (JsonException ex)
        {
            throw new DataFormatException(format, $"{path}: invalid JSON at line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}: {ex.Message}", ex);
        }
    }

    public static JsonElement Property(JsonElement obj, string name, string path, string where, string format)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw new DataFormatException(format, $"{path}: {where} must be an object; got {Describe(obj)}.");
        }

        return obj.TryGetProperty(name, out JsonElement value)
            ? value
            : throw new DataFormatException(format, $"{path}: {where} has no field '{name}'.");
    }

    public static JsonElement Array(JsonElement e, string path, string where, string format, int? length = null)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new DataFormatException(format, $"{path}: {where} must be an array; got {Describe(e)}.");
        }

        if (length is int n && e.GetArrayLength() != n)
        {
            throw new DataFormatException(format, $"{path}: {where} must have {n} entries; got {e.GetArrayLength()}.");
        }

        return e;
    }

    public static double Number(JsonElement e, string path, string where, string format) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double v) && double.IsFinite(v)
            ? v
            : throw new DataFormatException(format, $"{path}: {where} must be a finite number; got {Describe(e)}.");

    public static string String(JsonElement e, string path, string where, string format)
    {
        if (e.ValueKind != JsonValueKind.String)
        {
            throw new DataFormatException(format, $"{path}: {where} must be a string; got {Describe(e)}.");
        }

        try
        {
            return e.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new DataFormatException(format, $"{path}: {where} is not valid UTF-8 text.", ex);
        }
    }

    /// <summary>Reads K points [x, y] or [x, y, flag]; with a flag, 0 means not labelled.</summary>
    public static Keypoint2D[] Points2D(JsonElement e, int count, string path, string where, string format, bool flagged)
    {
        Array(e, path, where, format, count);
        var points = new Keypoint2D[count];
        int i = 0;
        foreach (JsonElement p in e.EnumerateArray())
        {
            string at = $"{where}[{i}]";
            Array(p, path, at, format, flagged ? 3 : 2);
            float x = (float)Number(p[0], path, at, format), y = (float)Number(p[1], path, at, format);
            points[i++] = flagged && Number(p[2], path, at, format) == 0 ? Keypoint2D.Missing : new Keypoint2D(x, y);
        }

        return points;
    }

    /// <summary>Reads an array of K [x, y, z] points, multiplying each by <paramref name="scale"/>.</summary>
    public static Keypoint3D[] Points3D(JsonElement e, int count, double scale, string path, string where, string format)
    {
        Array(e, path, where, format, count);
        var points = new Keypoint3D[count];
        int i = 0;
        foreach (JsonElement p in e.EnumerateArray())
        {
            string at = $"{where}[{i}]";
            Array(p, path, at, format, 3);
            points[i++] = new Keypoint3D((float)(scale * Number(p[0], path, at, format)), (float)(scale * Number(p[1], path, at, format)), (float)(scale * Number(p[2], path, at, format)));
        }

        return points;
    }

    /// <summary>Reads a 3 × 3 matrix [[...], [...], [...]] row-major.</summary>
    public static double[] Matrix3(JsonElement e, string path, string where, string format)
    {
        Array(e, path, where, format, 3);
        var k = new double[9];
        for (int r = 0; r < 3; r++)
        {
            JsonElement row = Array(e[r], path, $"{where}[{r}]", format, 3);
            for (int c = 0; c < 3; c++)
            {
                k[(3 * r) + c] = Number(row[c], path, $"{where}[{r}][{c}]", format);
            }
        }

        return k;
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => $"an array of {e.GetArrayLength()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => $"a string {Shorten(e.GetRawText())}",
        _ => Shorten(e.GetRawText()),
    };

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
