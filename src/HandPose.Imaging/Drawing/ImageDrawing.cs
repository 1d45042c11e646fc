namespace HandPose.Imaging;

/// <summary>
/// Anti-aliased drawing into an <see cref="ImageBuffer"/> for annotated outputs: lines, filled circles, boxes, the hand
/// skeleton and colormap overlays.
/// </summary>
/// <remarks>
/// Coordinates are continuous pixels (pixel centres at integer + 0.5, as keypoints are). Shapes are rendered by
/// coverage: a pixel whose centre lies at distance d from the shape's edge (inside positive) gets
/// α = clamp(d + 0.5, 0, 1) of the colour. Gray images receive the colour's luma; RGBA images keep their alpha raised
/// to at least the coverage. Not thread-safe on the same buffer.
/// </remarks>
public static class ImageDrawing
{
    private static readonly ColorRgb[] GroupColors =
    [
        new(230, 25, 75), new(255, 145, 0), new(60, 180, 75), new(0, 130, 200), new(145, 30, 180), new(200, 200, 200),
    ];

    /// <summary>Draws a line segment with round caps.</summary>
    /// <param name="image">The image.</param>
    /// <param name="x0">Start x.</param>
    /// <param name="y0">Start y.</param>
    /// <param name="x1">End x.</param>
    /// <param name="y1">End y.</param>
    /// <param name="color">Colour.</param>
    /// <param name="thickness">Line width in pixels (&gt; 0).</param>
    public static void Line(ImageBuffer image, float x0, float y0, float x1, float y1, ColorRgb color, float thickness = 1f)
    {
        ArgumentNullException.ThrowIfNull(image);
        RequirePositive(thickness, nameof(thickness));
        if (!float.IsFinite(x0) || !float.IsFinite(y0) || !float.IsFinite(x1) || !float.IsFinite(y1))
        {
            return;
        }

        float half = thickness / 2;
        float dx = x1 - x0, dy = y1 - y0, len2 = (dx * dx) + (dy * dy);
        Fill(image, MathF.Min(x0, x1) - half, MathF.Min(y0, y1) - half, MathF.Max(x0, x1) + half, MathF.Max(y0, y1) + half, color, (px, py) =>
        {
            float t = len2 > 0 ? Math.Clamp((((px - x0) * dx) + ((py - y0) * dy)) / len2, 0f, 1f) : 0f;
            float ex = px - (x0 + (t * dx)), ey = py - (y0 + (t * dy));
            return half - MathF.Sqrt((ex * ex) + (ey * ey));
        });
    }

    /// <summary>Draws a filled disc.</summary>
    /// <param name="image">The image.</param>
    /// <param name="centerX">Centre x.</param>
    /// <param name="centerY">Centre y.</param>
    /// <param name="radius">Radius in pixels (&gt; 0).</param>
    /// <param name="color">Colour.</param>
    public static void FilledCircle(ImageBuffer image, float centerX, float centerY, float radius, ColorRgb color)
    {
        ArgumentNullException.ThrowIfNull(image);
        RequirePositive(radius, nameof(radius));
        if (!float.IsFinite(centerX) || !float.IsFinite(centerY))
        {
            return;
        }

        Fill(image, centerX - radius, centerY - radius, centerX + radius, centerY + radius, color, (px, py) =>
        {
            float ex = px - centerX, ey = py - centerY;
            return radius - MathF.Sqrt((ex * ex) + (ey * ey));
        });
    }

    /// <summary>Draws the outline of an axis-aligned box (the lines run along its edges).</summary>
    /// <param name="image">The image.</param>
    /// <param name="x">Left edge.</param>
    /// <param name="y">Top edge.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="color">Colour.</param>
    /// <param name="thickness">Line width.</param>
    public static void Box(ImageBuffer image, float x, float y, float width, float height, ColorRgb color, float thickness = 1f)
    {
        Polygon(image, [(x, y), (x + width, y), (x + width, y + height), (x, y + height)], color, thickness);
    }

    /// <summary>Draws the outline of a rotated rectangle (e.g. a MediaPipe hand ROI).</summary>
    /// <param name="image">The image.</param>
    /// <param name="region">The rectangle.</param>
    /// <param name="color">Colour.</param>
    /// <param name="thickness">Line width.</param>
    public static void Box(ImageBuffer image, RotatedRect region, ColorRgb color, float thickness = 1f)
    {
        AffineTransform m = region.ToSourceTransform(1, 1);
        (double X, double Y)[] c = [m.Apply(0, 0), m.Apply(1, 0), m.Apply(1, 1), m.Apply(0, 1)];
        Polygon(image, c.Select(p => ((float)p.X, (float)p.Y)).ToArray(), color, thickness);
    }

    /// <summary>
    /// Draws a skeleton: limbs coloured by limb group (for <see cref="KeypointSchema.Hand21"/>: thumb red, index orange,
    /// middle green, ring blue, little purple, palm gray), then the keypoints as white-rimmed dots. Missing keypoints
    /// and limbs touching them are skipped.
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="keypoints">One keypoint per schema keypoint, in image pixels.</param>
    /// <param name="schema">The skeleton; null means <see cref="KeypointSchema.Hand21"/>.</param>
    /// <param name="thickness">Limb width.</param>
    /// <param name="radius">Keypoint radius.</param>
    /// <exception cref="ArgumentException">The keypoint count does not match the schema.</exception>
    public static void Skeleton(ImageBuffer image, ReadOnlySpan<Keypoint2D> keypoints, KeypointSchema? schema = null, float thickness = 2f, float radius = 3f)
    {
        ArgumentNullException.ThrowIfNull(image);
        schema ??= KeypointSchema.Hand21;
        if (keypoints.Length != schema.KeypointCount)
        {
            throw new ArgumentException($"Schema '{schema.Name}' has {schema.KeypointCount} keypoints; got {keypoints.Length}.", nameof(keypoints));
        }

        var limbColor = new ColorRgb[schema.Limbs.Count];
        Array.Fill(limbColor, GroupColors[^1]);
        for (int g = schema.LimbGroups.Count - 1; g >= 0; g--)
        {
            foreach (int limb in schema.LimbGroups[g].Limbs)
            {
                limbColor[limb] = GroupColors[g % GroupColors.Length];
            }
        }

        var pointColor = new ColorRgb[keypoints.Length];
        Array.Fill(pointColor, ColorRgb.White);
        for (int i = 0; i < schema.Limbs.Count; i++)
        {
            Limb limb = schema.Limbs[i];
            Keypoint2D a = keypoints[limb.From], b = keypoints[limb.To];
            pointColor[limb.To] = limbColor[i];
            if (!a.IsMissing && !b.IsMissing)
            {
                Line(image, a.X, a.Y, b.X, b.Y, limbColor[i], thickness);
            }
        }

        for (int k = 0; k < keypoints.Length; k++)
        {
            if (!keypoints[k].IsMissing)
            {
                FilledCircle(image, keypoints[k].X, keypoints[k].Y, radius + 1, ColorRgb.White);
                FilledCircle(image, keypoints[k].X, keypoints[k].Y, radius, pointColor[k]);
            }
        }
    }

    /// <summary>
    /// Blends a scalar map (heatmap, mask) over the whole image through the viridis colormap. The map is stretched to
    /// the image with bilinear half-pixel sampling; value v maps to t = (v − min)/(max − min).
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="map">mapWidth × mapHeight values, row-major.</param>
    /// <param name="mapWidth">Map width.</param>
    /// <param name="mapHeight">Map height.</param>
    /// <param name="opacity">Overlay opacity in [0, 1].</param>
    /// <param name="min">Value drawn as the colormap's start.</param>
    /// <param name="max">Value drawn as the colormap's end (&gt; min).</param>
    /// <exception cref="ArgumentException">The map size does not match, or the range is empty.</exception>
    public static void ColormapOverlay(ImageBuffer image, ReadOnlySpan<float> map, int mapWidth, int mapHeight, float opacity = 0.5f, float min = 0f, float max = 1f)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mapWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mapHeight);
        if (map.Length != (long)mapWidth * mapHeight)
        {
            throw new ArgumentException($"A {mapWidth}x{mapHeight} map has {(long)mapWidth * mapHeight} values; got {map.Length}.", nameof(map));
        }

        if (!(max > min) || !(opacity >= 0 && opacity <= 1))
        {
            throw new ArgumentException($"Need min < max and opacity in [0, 1]; got min {min}, max {max}, opacity {opacity}.");
        }

        float sx = (float)mapWidth / image.Width, sy = (float)mapHeight / image.Height, inv = 1 / (max - min);
        for (int y = 0; y < image.Height; y++)
        {
            float my = Math.Clamp(((y + 0.5f) * sy) - 0.5f, 0, mapHeight - 1);
            int y0 = (int)my, y1 = Math.Min(y0 + 1, mapHeight - 1);
            float fy = my - y0;
            Span<byte> row = image.GetRowSpan(y);
            for (int x = 0; x < image.Width; x++)
            {
                float mx = Math.Clamp(((x + 0.5f) * sx) - 0.5f, 0, mapWidth - 1);
                int x0 = (int)mx, x1 = Math.Min(x0 + 1, mapWidth - 1);
                float fx = mx - x0;
                float top = map[(y0 * mapWidth) + x0] + (fx * (map[(y0 * mapWidth) + x1] - map[(y0 * mapWidth) + x0]));
                float bottom = map[(y1 * mapWidth) + x0] + (fx * (map[(y1 * mapWidth) + x1] - map[(y1 * mapWidth) + x0]));
                float v = top + (fy * (bottom - top));
                Blend(row, x, image.Format, Colormap.Viridis((v - min) * inv), opacity);
            }
        }
    }

    private static void Polygon(ImageBuffer image, (float X, float Y)[] corners, ColorRgb color, float thickness)
    {
        for (int i = 0; i < corners.Length; i++)
        {
            (float ax, float ay) = corners[i];
            (float bx, float by) = corners[(i + 1) % corners.Length];
            Line(image, ax, ay, bx, by, color, thickness);
        }
    }

    /// <summary>Blends <paramref name="color"/> into every pixel of the box by the coverage derived from <paramref name="inside"/>.</summary>
    private static void Fill(ImageBuffer image, float left, float top, float right, float bottom, ColorRgb color, Func<float, float, float> inside)
    {
        int x0 = (int)Math.Clamp(MathF.Floor(left - 1), 0, image.Width), x1 = (int)Math.Clamp(MathF.Ceiling(right + 1), 0, image.Width);
        int y0 = (int)Math.Clamp(MathF.Floor(top - 1), 0, image.Height), y1 = (int)Math.Clamp(MathF.Ceiling(bottom + 1), 0, image.Height);
        for (int y = y0; y < y1; y++)
        {
            Span<byte> row = image.GetRowSpan(y);
            for (int x = x0; x < x1; x++)
            {
                float a = Math.Clamp(inside(x + 0.5f, y + 0.5f) + 0.5f, 0f, 1f);
                if (a > 0)
                {
                    Blend(row, x, image.Format, color, a);
                }
            }
        }
    }

    private static void Blend(Span<byte> row, int x, PixelFormat format, ColorRgb color, float alpha)
    {
        switch (format)
        {
            case PixelFormat.Gray8:
                row[x] = Mix(row[x], color.Luma, alpha);
                break;
            default:
                int bpp = format.BytesPerPixel(), o = x * bpp;
                row[o] = Mix(row[o], color.R, alpha);
                row[o + 1] = Mix(row[o + 1], color.G, alpha);
                row[o + 2] = Mix(row[o + 2], color.B, alpha);
                if (bpp == 4)
                {
                    row[o + 3] = Math.Max(row[o + 3], (byte)MathF.Round(alpha * 255));
                }

                break;
        }
    }

    private static byte Mix(byte under, byte over, float alpha) => (byte)(under + ((over - under) * alpha) + 0.5f);

    private static void RequirePositive(float value, string name)
    {
        if (!(value > 0) || !float.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive and finite.");
        }
    }
}
