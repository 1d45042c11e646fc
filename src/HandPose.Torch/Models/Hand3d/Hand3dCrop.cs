namespace HandPose.Torch.Models.Hand3d;

/// <summary>Where hand3d crops the hand: centre (row, column) and scale of the 256 × 256 crop, and its TF box.</summary>
/// <param name="CenterRow">Crop centre, row (pixels of the segmented image).</param>
/// <param name="CenterColumn">Crop centre, column.</param>
/// <param name="Scale">Crop pixels per image pixel (clamped to [0.25, 5]).</param>
internal readonly record struct Hand3dCropBox(float CenterRow, float CenterColumn, float Scale)
{
    /// <summary>The side of the square cut from the image, in image pixels (256 / scale).</summary>
    public float Side => Hand3dCrop.CropSize / Scale;

    /// <summary>
    /// <c>crop_image_from_xy</c>'s box for <c>crop_and_resize</c>: top-left = centre − ⌊side/2⌋, normalized by the image
    /// height and width (not height − 1: the official quirk, kept).
    /// </summary>
    public (float Y1, float X1, float Y2, float X2) Normalized(int height, int width)
    {
        float side = Side;
        float y1 = CenterRow - MathF.Floor(side / 2);
        float x1 = CenterColumn - MathF.Floor(side / 2);
        return (y1 / height, x1 / width, (y1 + side) / height, (x1 + side) / width);
    }

    /// <summary><c>trafo_coords</c>: a crop pixel (row, column) back to the image: (p − 128) / scale + centre.</summary>
    public (float Row, float Column) ToImage(float row, float column) =>
        (((row - (Hand3dCrop.CropSize / 2)) / Scale) + CenterRow, ((column - (Hand3dCrop.CropSize / 2)) / Scale) + CenterColumn);
}

/// <summary>
/// hand3d's detection post-processing (<c>utils/general.py</c>): <c>single_obj_scoremap</c> (keep the segmented blob
/// that holds the most confident hand pixel) and <c>calc_center_bb</c> + the crop sizing of <c>inference</c>.
/// </summary>
internal static class Hand3dCrop
{
    /// <summary>The side of PoseNet's input crop.</summary>
    public const int CropSize = 256;

    /// <summary>Half the side of the 21 × 21 region-growing window.</summary>
    private const int Radius = 10;

    /// <summary>
    /// The blob of hand pixels (p ≥ 0.5, rounding half to even as <c>tf.round</c>) connected to the most probable pixel:
    /// seeded with a 1 at the first maximum of <paramref name="foreground"/>, then max(H, W) / 10 times dilated by a
    /// 21 × 21 box and intersected with the hand pixels.
    /// </summary>
    /// <param name="foreground">Hand probability per pixel, row-major H × W.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <returns>The blob, row-major (empty when the most probable pixel is not a hand pixel).</returns>
    public static bool[] ObjectMask(ReadOnlySpan<float> foreground, int height, int width)
    {
        int n = height * width;
        var hand = new bool[n];
        int best = 0;
        for (int i = 0; i < n; i++)
        {
            hand[i] = MathF.Round(foreground[i], MidpointRounding.ToEven) >= 1f;
            if (foreground[i] > foreground[best])
            {
                best = i;
            }
        }

        var obj = new bool[n];
        obj[best] = true;
        var rows = new int[n];
        var prefix = new int[width + 1];
        int passes = Math.Max(height, width) / Radius;
        for (int pass = 0; pass < passes; pass++)
        {
            // Box dilation, separably: per row a window count along x, then along y.
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    prefix[x + 1] = prefix[x] + (obj[(y * width) + x] ? 1 : 0);
                }

                for (int x = 0; x < width; x++)
                {
                    rows[(y * width) + x] = prefix[Math.Min(x + Radius + 1, width)] - prefix[Math.Max(x - Radius, 0)];
                }
            }

            bool changed = false;
            for (int x = 0; x < width; x++)
            {
                int count = 0;
                for (int y = 0; y < Math.Min(Radius, height); y++)
                {
                    count += rows[(y * width) + x];
                }

                for (int y = 0; y < height; y++)
                {
                    if (y + Radius < height)
                    {
                        count += rows[((y + Radius) * width) + x];
                    }

                    if (y - Radius - 1 >= 0)
                    {
                        count -= rows[((y - Radius - 1) * width) + x];
                    }

                    int i = (y * width) + x;
                    bool grown = count > 0 && hand[i];
                    changed |= grown != obj[i];
                    obj[i] = grown;
                }
            }

            if (!changed)
            {
                break; // a fixed point: further passes change nothing
            }
        }

        return obj;
    }

    /// <summary>
    /// <c>calc_center_bb</c> and the sizing of <c>inference</c>: centre = midpoint of the blob's bounding box (row,
    /// column), size = max(row extent, column extent) (no +1) × 1.25, scale = clamp(256 / size, 0.25, 5). An empty blob
    /// gives the official fallbacks: centre (160, 160), size 100.
    /// </summary>
    public static Hand3dCropBox Box(ReadOnlySpan<bool> mask, int height, int width)
    {
        int rMin = int.MaxValue, rMax = -1, cMin = int.MaxValue, cMax = -1;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (mask[(y * width) + x])
                {
                    rMin = Math.Min(rMin, y);
                    rMax = Math.Max(rMax, y);
                    cMin = Math.Min(cMin, x);
                    cMax = Math.Max(cMax, x);
                }
            }
        }

        bool empty = rMax < 0;
        float row = empty ? 160f : 0.5f * (rMax + rMin);
        float column = empty ? 160f : 0.5f * (cMax + cMin);
        float size = (empty ? 100f : Math.Max(rMax - rMin, cMax - cMin)) * 1.25f;
        float scale = Math.Clamp(CropSize / size, 0.25f, 5f); // size 0 (one pixel): +inf, clamped to 5
        return new Hand3dCropBox(row, column, scale);
    }
}
