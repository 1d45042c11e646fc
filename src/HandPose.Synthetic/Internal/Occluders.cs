using System.Numerics;

namespace HandPose.Synthetic.Internal;

/// <summary>One or two flat objects (discs, boxes, sticks) in front of the hand: they overwrite colour, depth and mask (3).</summary>
internal static class Occluders
{
    public static void Draw(ref SampleRandom rng, int size, ReadOnlySpan<Vector3> keypoints, CameraIntrinsics k, Span<float> depth, Span<byte> mask, Span<float> rgb)
    {
        float nearest = float.MaxValue, u0 = float.MaxValue, u1 = float.MinValue, v0 = float.MaxValue, v1 = float.MinValue;
        foreach (Vector3 p in keypoints)
        {
            nearest = MathF.Min(nearest, p.Z);
            Vector2 uv = k.Project(p.X, p.Y, p.Z);
            u0 = MathF.Min(u0, uv.X);
            u1 = MathF.Max(u1, uv.X);
            v0 = MathF.Min(v0, uv.Y);
            v1 = MathF.Max(v1, uv.Y);
        }

        int count = 1 + rng.Next(2);
        for (int n = 0; n < count; n++)
        {
            // Nearer than any keypoint minus the thickest finger (the palm), so labels stay consistent.
            float z = MathF.Max(30, nearest - 25 - rng.Range(0, 120));
            float cx = rng.Range(u0, u1), cy = rng.Range(v0, v1);
            float span = MathF.Max(u1 - u0, v1 - v0);
            float rx = rng.Range(0.12f, 0.4f) * span, ry = rng.Range(0.08f, 0.3f) * span;
            int kind = rng.Next(3);
            if (kind == 2)
            {
                rx = rng.Range(0.6f, 1.5f) * span;
                ry = rng.Range(0.03f, 0.08f) * span;
            }

            (float sn, float cs) = MathF.SinCos(rng.Range(0, MathF.PI));
            var c0 = new Vector3(rng.Range(0, 255), rng.Range(0, 255), rng.Range(0, 255));
            var c1 = c0 * rng.Range(0.5f, 1f);
            float reach = MathF.Max(rx, ry) + 1;
            int x0 = Math.Max(0, (int)(cx - reach)), x1 = Math.Min(size - 1, (int)(cx + reach));
            int y0 = Math.Max(0, (int)(cy - reach)), y1 = Math.Min(size - 1, (int)(cy + reach));
            for (int y = y0; y <= y1; y++)
            {
                for (int x = x0; x <= x1; x++)
                {
                    float dx = x - cx, dy = y - cy;
                    float lx = (dx * cs) + (dy * sn), ly = (-dx * sn) + (dy * cs);
                    bool inside = kind == 0 ? ((lx * lx) / (rx * rx)) + ((ly * ly) / (ry * ry)) <= 1 : MathF.Abs(lx) <= rx && MathF.Abs(ly) <= ry;
                    if (!inside)
                    {
                        continue;
                    }

                    int i = (y * size) + x;
                    Vector3 c = Vector3.Lerp(c0, c1, Math.Clamp(0.5f + (0.5f * ly / ry), 0, 1));
                    rgb[3 * i] = c.X;
                    rgb[(3 * i) + 1] = c.Y;
                    rgb[(3 * i) + 2] = c.Z;
                    depth[i] = z;
                    mask[i] = (byte)Part.Occluder;
                }
            }
        }
    }
}
