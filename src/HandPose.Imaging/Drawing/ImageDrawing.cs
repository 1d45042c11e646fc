using HandPose.Imaging.Internal;
using SkiaSharp;

namespace HandPose.Imaging;

/// <summary>
/// Anti-aliased drawing into an <see cref="ImageBuffer"/> for annotated outputs: lines, filled circles, boxes, text
/// labels, hand skeletons, whole estimation results and colormap overlays.
/// </summary>
/// <remarks>
/// Coordinates are continuous pixels (pixel centres at integer + 0.5, as keypoints are). SkiaSharp rasterises each
/// shape's anti-aliased coverage α into an 8-bit mask over the shape's bounds; the colour is then blended into the
/// image in its own format: out = in + (colour − in)·α per channel, gray images receive the colour's luma, RGBA images
/// keep their alpha raised to at least α. Text uses the system's fonts through Skia (DejaVu Sans when present); on a
/// machine without any font, labels are not drawn (<see cref="CanDrawText"/> says so). Not thread-safe on the same
/// buffer.
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
        SkiaMask.Blend(image, MathF.Min(x0, x1) - half, MathF.Min(y0, y1) - half, MathF.Max(x0, x1) + half, MathF.Max(y0, y1) + half, color,
            (canvas, paint) =>
            {
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = thickness;
                paint.StrokeCap = SKStrokeCap.Round;
                canvas.DrawLine(x0, y0, x1, y1, paint);
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

        SkiaMask.Blend(image, centerX - radius, centerY - radius, centerX + radius, centerY + radius, color,
            (canvas, paint) => canvas.DrawCircle(centerX, centerY, radius, paint));
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

    /// <summary>Whether this machine has a font for <see cref="Label"/> (Skia finds fonts in the system's font folders).</summary>
    public static bool CanDrawText => SkiaMask.Typeface is not null;

    /// <summary>Draws a line of text with its top-left corner at (x, y), optionally on a filled background.</summary>
    /// <param name="image">The image.</param>
    /// <param name="text">The text (one line).</param>
    /// <param name="x">Left edge.</param>
    /// <param name="y">Top edge.</param>
    /// <param name="color">Text colour.</param>
    /// <param name="size">Font size in pixels (&gt; 0).</param>
    /// <param name="background">Background colour, drawn as a box 2 px wider than the text on each side; null for none.</param>
    /// <returns>False when no font is installed (<see cref="CanDrawText"/>), so nothing was drawn.</returns>
    public static bool Label(ImageBuffer image, string text, float x, float y, ColorRgb color, float size = 14f, ColorRgb? background = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        RequirePositive(size, nameof(size));
        if (SkiaMask.Typeface is not { } typeface)
        {
            return false;
        }

        if (!float.IsFinite(x) || !float.IsFinite(y) || text.Length == 0)
        {
            return true;
        }

        using var font = new SKFont(typeface, size) { Edging = SKFontEdging.Antialias, Subpixel = true };
        float width = font.MeasureText(text), ascent = -font.Metrics.Ascent, height = ascent + font.Metrics.Descent;
        const float Pad = 2f;
        if (background is { } fill)
        {
            SkiaMask.Blend(image, x, y, x + width + (2 * Pad), y + height + (2 * Pad), fill,
                (canvas, paint) => canvas.DrawRect(x, y, width + (2 * Pad), height + (2 * Pad), paint));
        }

        SkiaMask.Blend(image, x, y, x + width + (2 * Pad), y + height + (2 * Pad), color,
            (canvas, paint) => canvas.DrawText(text, x + Pad, y + Pad + ascent, SKTextAlign.Left, font, paint));
        return true;
    }

    /// <summary>
    /// Draws an estimation result: each hand's region (yellow, when the estimator reports one), its skeleton
    /// (<see cref="Skeleton"/>) and a label with its handedness and score above it. Line widths grow with the image
    /// (1 px per 640 px of its longer side).
    /// </summary>
    /// <param name="image">The image the hands were estimated on (same size).</param>
    /// <param name="result">The result.</param>
    /// <exception cref="ArgumentException">The result is for an image of another size.</exception>
    public static void Hands(ImageBuffer image, HandPoseResult result)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(result);
        if (result.ImageWidth != image.Width || result.ImageHeight != image.Height)
        {
            throw new ArgumentException($"The result is for a {result.ImageWidth}x{result.ImageHeight} image; this one is {image.Width}x{image.Height}.", nameof(result));
        }

        float scale = Math.Max(1f, Math.Max(image.Width, image.Height) / 640f);
        foreach (Hand hand in result.Hands)
        {
            if (hand.Region is { } r)
            {
                Box(image, new RotatedRect(r.CenterX, r.CenterY, r.Width, r.Height, r.Rotation), new ColorRgb(255, 255, 0), scale);
            }

            Keypoint2D[] points = hand.Keypoints.Select(k => k.ToKeypoint2D()).ToArray();
            Skeleton(image, points, hand.Schema, 2f * scale, 3f * scale);
            Keypoint2D[] present = points.Where(p => !p.IsMissing).ToArray();
            if (present.Length > 0)
            {
                string side = hand.Handedness == Handedness.Unknown ? "hand" : hand.Handedness.ToString();
                string text = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{side} {hand.Score:0.00}");
                float size = 13f * scale, left = present.Min(p => p.X), top = present.Min(p => p.Y) - (size * 1.6f) - (4 * scale);
                Label(image, text, left, Math.Max(0, top), ColorRgb.White, size, new ColorRgb(40, 40, 40));
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
        ArgumentNullException.ThrowIfNull(image);
        RequirePositive(thickness, nameof(thickness));
        if (corners.Any(c => !float.IsFinite(c.X) || !float.IsFinite(c.Y)))
        {
            return;
        }

        // Mitred corners reach at most half the thickness times sqrt(2) beyond the corner of a right angle.
        float reach = thickness * 0.75f;
        SkiaMask.Blend(image, corners.Min(c => c.X) - reach, corners.Min(c => c.Y) - reach, corners.Max(c => c.X) + reach, corners.Max(c => c.Y) + reach, color,
            (canvas, paint) =>
            {
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = thickness;
                paint.StrokeJoin = SKStrokeJoin.Miter;
                using var outline = new SKPathBuilder();
                outline.MoveTo(corners[0].X, corners[0].Y);
                for (int i = 1; i < corners.Length; i++)
                {
                    outline.LineTo(corners[i].X, corners[i].Y);
                }

                outline.Close();
                using SKPath path = outline.Detach();
                canvas.DrawPath(path, paint);
            });
    }

    internal static void Blend(Span<byte> row, int x, PixelFormat format, ColorRgb color, float alpha)
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
