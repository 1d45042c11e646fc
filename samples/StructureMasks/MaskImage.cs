namespace StructureMasks;

/// <summary>Lays out [channel][row][col] maps in [0, 1] as a grid of magnified panels, coloured dark blue to yellow.</summary>
internal static class MaskImage
{
    private const int Gap = 2;

    public static void WriteGrid(string path, IReadOnlyList<float[]> rows, int channels, int n, int scale)
    {
        int panel = n * scale;
        int width = (channels * (panel + Gap)) + Gap;
        int height = (rows.Count * (panel + Gap)) + Gap;
        byte[] rgb = new byte[width * height * 3];
        Array.Fill(rgb, (byte)255);
        for (int row = 0; row < rows.Count; row++)
        {
            for (int ch = 0; ch < channels; ch++)
            {
                int x0 = Gap + (ch * (panel + Gap));
                int y0 = Gap + (row * (panel + Gap));
                for (int y = 0; y < panel; y++)
                {
                    for (int x = 0; x < panel; x++)
                    {
                        float v = Math.Clamp(rows[row][(ch * n * n) + ((y / scale) * n) + (x / scale)], 0f, 1f);
                        int at = (((y0 + y) * width) + x0 + x) * 3;
                        // A simple perceptual ramp: dark blue -> teal -> yellow.
                        rgb[at] = (byte)(255 * Math.Clamp((2 * v) - 0.8f, 0f, 1f));
                        rgb[at + 1] = (byte)(30 + (215 * v));
                        rgb[at + 2] = (byte)(90 + (60 * MathF.Sin(MathF.PI * v)) - (70 * v));
                    }
                }
            }
        }

        PngWriter.WriteRgb(path, width, height, rgb);
    }
}
