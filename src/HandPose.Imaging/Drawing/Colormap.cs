namespace HandPose.Imaging;

/// <summary>Colormaps for heatmaps and masks.</summary>
public static class Colormap
{
    // matplotlib's viridis at t = 0, 1/8, ..., 1 (the widely published 9-stop table); linear in between.
    private static readonly ColorRgb[] ViridisStops =
    [
        new(0x44, 0x01, 0x54), new(0x47, 0x2d, 0x7b), new(0x3b, 0x52, 0x8b), new(0x2c, 0x72, 0x8e), new(0x21, 0x91, 0x8c),
        new(0x28, 0xae, 0x80), new(0x5e, 0xc9, 0x62), new(0xad, 0xdc, 0x30), new(0xfd, 0xe7, 0x25),
    ];

    /// <summary>
    /// Viridis (perceptually uniform, dark purple → yellow): piecewise linear through matplotlib's colours at
    /// t = 0, 1/8, …, 1, within a few levels of matplotlib's 256-entry table.
    /// </summary>
    /// <param name="t">Position in [0, 1]; clamped; NaN gives the t = 0 colour.</param>
    /// <returns>The colour.</returns>
    public static ColorRgb Viridis(float t)
    {
        if (!(t > 0))
        {
            return ViridisStops[0];
        }

        if (t >= 1)
        {
            return ViridisStops[^1];
        }

        float p = t * (ViridisStops.Length - 1);
        int i = (int)p;
        float f = p - i;
        ColorRgb a = ViridisStops[i], b = ViridisStops[i + 1];
        return new ColorRgb(Mix(a.R, b.R, f), Mix(a.G, b.G, f), Mix(a.B, b.B, f));
    }

    private static byte Mix(byte a, byte b, float f) => (byte)MathF.Round(a + ((b - a) * f));
}
