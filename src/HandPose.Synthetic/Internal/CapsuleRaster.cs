using System.Numerics;

namespace HandPose.Synthetic.Internal;

/// <summary>
/// Ray casting of capsules from a pinhole camera at the origin, restricted to each capsule's screen box: exact depth
/// (z of the nearest hit) and the index of the capsule hit, per pixel. Rays go through pixel centres,
/// d = ((u − cx)/fx, (v − cy)/fy, 1), so the ray parameter of a hit is its depth.
/// </summary>
internal static class CapsuleRaster
{
    public const byte None = 255;

    /// <summary>Rasterises every capsule into <paramref name="depth"/> (initialised to +inf) and <paramref name="id"/>.</summary>
    public static void Render(IReadOnlyList<Capsule> capsules, CameraIntrinsics k, int size, Span<float> depth, Span<byte> id)
    {
        for (int c = 0; c < capsules.Count; c++)
        {
            Capsule cap = capsules[c];
            if (!ScreenBox(cap, k, size, out int u0, out int v0, out int u1, out int v1))
            {
                continue;
            }

            Vector3 a = cap.A, ba = cap.B - cap.A;
            float baba = Vector3.Dot(ba, ba), r2 = cap.Radius * cap.Radius, aa = Vector3.Dot(a, a);
            float baA = Vector3.Dot(ba, a);
            float bb = Vector3.Dot(cap.B, cap.B);
            for (int v = v0; v <= v1; v++)
            {
                float ry = (v - k.Cy) / k.Fy;
                int row = v * size;
                for (int u = u0; u <= u1; u++)
                {
                    float rx = (u - k.Cx) / k.Fx;
                    var rd = new Vector3(rx, ry, 1);
                    float t = Intersect(rd, a, ba, cap.B, baba, baA, aa, bb, r2);
                    if (t > 0 && t < depth[row + u])
                    {
                        depth[row + u] = t;
                        id[row + u] = (byte)c;
                    }
                }
            }
        }
    }

    /// <summary>The nearest positive ray parameter of a hit, or −1. With rd.z = 1 the parameter is the depth.</summary>
    internal static float Intersect(Vector3 rd, Vector3 a, Vector3 ba, Vector3 b, float baba, float baA, float aa, float bb, float r2)
    {
        // Points t·rd; w = t·rd − a. Distance to the axis line: |w|² − (w·ba)²/baba = r².
        float rdrd = Vector3.Dot(rd, rd), bard = Vector3.Dot(ba, rd), rda = Vector3.Dot(rd, a);
        float qa = (baba * rdrd) - (bard * bard);
        float qb = (baba * rda) - (baA * bard); // half the linear coefficient, sign flipped
        float qc = (baba * aa) - (baA * baA) - (r2 * baba);
        float h = (qb * qb) - (qa * qc);
        if (h < 0)
        {
            return -1;
        }

        float t = qa > 1e-12f ? (qb - MathF.Sqrt(h)) / qa : -1;
        float y = (t * bard) - baA; // (t·rd − a)·ba
        if (qa > 1e-12f && y > 0 && y < baba)
        {
            return t;
        }

        // End caps: the sphere on the side the cylinder hit fell (both when the ray runs along the axis).
        float best = -1;
        if (y <= 0 || qa <= 1e-12f)
        {
            best = Sphere(rd, rdrd, rda, aa, r2);
        }

        if (y >= baba || qa <= 1e-12f)
        {
            float s = Sphere(rd, rdrd, Vector3.Dot(rd, b), bb, r2);
            if (s > 0 && (best < 0 || s < best))
            {
                best = s;
            }
        }

        return best;
    }

    private static float Sphere(Vector3 rd, float rdrd, float rdc, float cc, float r2)
    {
        float h = (rdc * rdc) - (rdrd * (cc - r2));
        return h < 0 ? -1 : (rdc - MathF.Sqrt(h)) / rdrd;
    }

    /// <summary>A conservative pixel box of the capsule (the union of its end spheres' boxes), clipped to the image.</summary>
    public static bool ScreenBox(Capsule cap, CameraIntrinsics k, int size, out int u0, out int v0, out int u1, out int v1)
    {
        float xmin = float.MaxValue, xmax = float.MinValue, ymin = float.MaxValue, ymax = float.MinValue;
        foreach (Vector3 c in (ReadOnlySpan<Vector3>)[cap.A, cap.B])
        {
            float near = c.Z - cap.Radius;
            if (near <= 1)
            {
                u0 = v0 = u1 = v1 = 0;
                return false;
            }

            float far = c.Z + cap.Radius;
            foreach (float z in (ReadOnlySpan<float>)[near, far])
            {
                xmin = MathF.Min(xmin, (c.X - cap.Radius) / z);
                xmax = MathF.Max(xmax, (c.X + cap.Radius) / z);
                ymin = MathF.Min(ymin, (c.Y - cap.Radius) / z);
                ymax = MathF.Max(ymax, (c.Y + cap.Radius) / z);
            }
        }

        u0 = Math.Max(0, (int)MathF.Floor((k.Fx * xmin) + k.Cx));
        u1 = Math.Min(size - 1, (int)MathF.Ceiling((k.Fx * xmax) + k.Cx));
        v0 = Math.Max(0, (int)MathF.Floor((k.Fy * ymin) + k.Cy));
        v1 = Math.Min(size - 1, (int)MathF.Ceiling((k.Fy * ymax) + k.Cy));
        return u0 <= u1 && v0 <= v1;
    }
}
