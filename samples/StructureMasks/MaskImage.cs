using HandPose.Imaging;

namespace StructureMasks;

/// <summary>Lays out [channel][row][col] maps in [0, 1] as a grid of magnified viridis panels and saves it as PNG.</summary>
internal static class MaskImage
{
    private const int Gap = 2;

    public static void WriteGrid(string path, IReadOnlyList<float[]> rows, int channels, int n, int scale)
    {
        int panel = n * scale;
        int width = (channels * (panel + Gap)) + Gap;
        int height = (rows.Count * (panel + Gap)) + Gap;
        var image = new ImageBuffer(width, height, PixelFormat.Rgb24);
        image.Memory.Span.Fill(255);
        for (int row = 0; row < rows.Count; row++)
        {
            for (int ch = 0; ch < channels; ch++)
            {
                int x0 = Gap + (ch * (panel + Gap));
                int y0 = Gap + (row * (panel + Gap));
                for (int y = 0; y < panel; y++)
                {
                    Span<byte> line = image.GetRowSpan(y0 + y);
                    for (int x = 0; x < panel; x++)
                    {
                        ColorRgb c = Colormap.Viridis(Math.Clamp(rows[row][(ch * n * n) + ((y / scale) * n) + (x / scale)], 0f, 1f));
                        int at = (x0 + x) * 3;
                        line[at] = c.R;
                        line[at + 1] = c.G;
                        line[at + 2] = c.B;
                    }
                }
            }
        }

        ImageEncoder.SavePng(image.AsView(), path);
    }
}
