namespace HandPose.Testing;

/// <summary>Numeric comparisons for golden-file tests: report the worst element, not just "not equal".</summary>
public static class Tolerance
{
    /// <summary>Asserts |actual − expected| ≤ <paramref name="absolute"/> for every element, naming the worst index.</summary>
    public static void AssertAllClose(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double absolute, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < actual.Length; i++)
        {
            double d = Math.Abs((double)actual[i] - expected[i]);
            if (double.IsNaN(d) || d > worst)
            {
                worst = double.IsNaN(d) ? double.PositiveInfinity : d;
                worstIndex = i;
            }
        }

        Assert.That(worst, Is.LessThanOrEqualTo(absolute),
            worstIndex < 0 ? what : $"{what}: worst at index {worstIndex}: actual {actual[worstIndex]}, expected {expected[worstIndex]}");
    }

    /// <summary>Reads a raw little-endian float32 file.</summary>
    public static float[] ReadF32(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var result = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, result, 0, result.Length * 4);
        return result;
    }

    /// <summary>Reads a raw little-endian float64 file.</summary>
    public static double[] ReadF64(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var result = new double[bytes.Length / 8];
        Buffer.BlockCopy(bytes, 0, result, 0, result.Length * 8);
        return result;
    }
}
