using System.Globalization;
using System.Text.Json;
using HandPose.Imaging;

namespace HandPose.Serving;

/// <summary>
/// The two outputs every front end gives for a result: the JSON document of <c>handpose estimate</c> (docs/cli.md)
/// and a copy of the image with each hand's region and skeleton drawn.
/// </summary>
/// <remarks>Stateless; safe to call from any thread.</remarks>
public static class HandPoseOutput
{
    /// <summary>
    /// The JSON of <c>handpose estimate</c>: <c>image</c>, <c>width</c>, <c>height</c> and per hand <c>handedness</c>,
    /// <c>handednessScore</c>, <c>score</c>, <c>keypoints</c> (pixels) and <c>worldKeypoints</c> (metres, when given);
    /// with <paramref name="ids"/>, each hand also carries its track <c>id</c>. Numbers have six significant digits.
    /// </summary>
    /// <param name="imageName">The value of <c>image</c> (a file name, never a full path).</param>
    /// <param name="result">The result.</param>
    /// <param name="ids">Optional track IDs, one per hand of <paramref name="result"/>.</param>
    /// <param name="indented">Indented (files, stdout) or compact (one JSON line, sockets).</param>
    /// <returns>UTF-8 JSON.</returns>
    /// <exception cref="ArgumentException"><paramref name="ids"/> does not have one entry per hand.</exception>
    public static byte[] ToJson(string imageName, HandPoseResult result, IReadOnlyList<int>? ids = null, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(imageName);
        ArgumentNullException.ThrowIfNull(result);
        if (ids is not null && ids.Count != result.Hands.Count)
        {
            throw new ArgumentException($"Expected one ID per hand ({result.Hands.Count}), got {ids.Count}.", nameof(ids));
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteString("image", imageName);
            w.WriteNumber("width", result.ImageWidth);
            w.WriteNumber("height", result.ImageHeight);
            if (result.Timestamp is { } time)
            {
                w.WriteNumber("timeMs", Math.Round(time.TotalMilliseconds, 3));
            }

            w.WriteStartArray("hands");
            for (int i = 0; i < result.Hands.Count; i++)
            {
                Hand hand = result.Hands[i];
                w.WriteStartObject();
                if (ids is not null)
                {
                    w.WriteNumber("id", ids[i]);
                }

                w.WriteString("handedness", hand.Handedness.ToString());
                w.WriteNumber("handednessScore", Round(hand.HandednessScore));
                w.WriteNumber("score", Round(hand.Score));
                WritePoints(w, "keypoints", hand.Keypoints);
                if (hand.WorldKeypoints is { } world)
                {
                    WritePoints(w, "worldKeypoints", world);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>An RGB copy of the image with each hand's region (yellow box), skeleton and handedness/score label drawn (<see cref="ImageDrawing.Hands"/>).</summary>
    /// <param name="image">The image the result was estimated on.</param>
    /// <param name="result">The result.</param>
    /// <returns>A new RGB image.</returns>
    public static ImageBuffer Annotate(ImageView image, HandPoseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ImageBuffer canvas = image.Format == PixelFormat.Rgb24 ? ImageBuffer.CopyOf(image) : ImageTransforms.ConvertFormat(image, PixelFormat.Rgb24);
        ImageDrawing.Hands(canvas, result);
        return canvas;
    }

    private static void WritePoints(Utf8JsonWriter w, string name, IReadOnlyList<Keypoint3D> points)
    {
        w.WriteStartArray(name);
        foreach (Keypoint3D p in points)
        {
            w.WriteStartArray();
            w.WriteNumberValue(Round(p.X));
            w.WriteNumberValue(Round(p.Y));
            w.WriteNumberValue(Round(p.Z));
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    /// <summary>Six significant digits: float precision without float-to-double noise in the file.</summary>
    private static double Round(float v) => double.Parse(v.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
