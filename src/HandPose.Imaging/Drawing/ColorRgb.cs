namespace HandPose.Imaging;

/// <summary>An 8-bit RGB colour.</summary>
/// <param name="R">Red.</param>
/// <param name="G">Green.</param>
/// <param name="B">Blue.</param>
public readonly record struct ColorRgb(byte R, byte G, byte B)
{
    /// <summary>Black.</summary>
    public static ColorRgb Black => new(0, 0, 0);

    /// <summary>White.</summary>
    public static ColorRgb White => new(255, 255, 255);

    /// <summary>Pure red.</summary>
    public static ColorRgb Red => new(255, 0, 0);

    /// <summary>Pure green.</summary>
    public static ColorRgb Green => new(0, 255, 0);

    /// <summary>Pure blue.</summary>
    public static ColorRgb Blue => new(0, 0, 255);

    /// <summary>The luma Pillow uses for RGB → L: (19595·R + 38470·G + 7471·B + 2¹⁵) ≫ 16.</summary>
    public byte Luma => (byte)(((R * 19595) + (G * 38470) + (B * 7471) + 0x8000) >> 16);
}
