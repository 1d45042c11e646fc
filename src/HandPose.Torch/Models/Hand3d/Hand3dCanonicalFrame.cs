namespace HandPose.Torch.Models.Hand3d;

/// <summary>
/// hand3d's canonical hand frame (<c>utils/canonical_trafo.py</c> with <c>BinaryDbReader</c>'s normalisation), the
/// target of PosePrior's canonical stream and viewpoint. Keypoints are in hand3d's order: 0 = palm centre
/// (½(wrist + middle MCP)), then per finger (thumb, index, middle, ring, little) tip → base, so 12 = middle MCP,
/// 11 = middle PIP and 20 = little MCP.
/// </summary>
/// <remarks>Thread-safe (stateless).</remarks>
public static class Hand3dCanonicalFrame
{
    /// <summary>Keypoints of a hand3d skeleton.</summary>
    public const int Keypoints = 21;

    /// <summary>
    /// Normalizes 21 camera-frame keypoints: translate the palm (0) to the origin; divide by s = ‖kp12 − kp11‖; rotate
    /// about z, then about x (by β + π), then about y (row vectors, right-multiplied) so that kp12 lies on the negative y
    /// axis and kp20 in the x-y plane with x &gt; 0; mirror z for a right hand. <paramref name="rotation"/> receives the
    /// inverse of that rotation, so flip(canonical) · rotation = the root-relative, s-normalized input.
    /// </summary>
    /// <param name="xyz">21 × 3 keypoints (row-major), hand3d order.</param>
    /// <param name="rightHand">Whether it is a right hand (mirrored to look like a left one).</param>
    /// <param name="canonical">Receives the 21 × 3 canonical coordinates.</param>
    /// <param name="rotation">Receives the 3 × 3 rotation (row-major).</param>
    /// <returns>s, the length of the bone 12 → 11 in the input's unit.</returns>
    /// <exception cref="ArgumentException">A span has the wrong length, a coordinate is not finite, or the bone has zero length.</exception>
    public static float Compute(ReadOnlySpan<float> xyz, bool rightHand, Span<float> canonical, Span<float> rotation)
    {
        if (xyz.Length != Keypoints * 3 || canonical.Length != Keypoints * 3 || rotation.Length != 9)
        {
            throw new ArgumentException($"expected 63 input coordinates, 63 canonical and 9 rotation values; got {xyz.Length}, {canonical.Length}, {rotation.Length}");
        }

        var p = new double[Keypoints * 3];
        for (int i = 0; i < p.Length; i++)
        {
            if (!float.IsFinite(xyz[i]))
            {
                throw new ArgumentException($"coordinate {i} is {xyz[i]}; expected finite values", nameof(xyz));
            }

            p[i] = xyz[i] - xyz[i % 3];
        }

        double s = Math.Sqrt(Square(xyz[36] - xyz[33]) + Square(xyz[37] - xyz[34]) + Square(xyz[38] - xyz[35]));
        if (!(s > 0))
        {
            throw new ArgumentException("keypoints 12 and 11 (middle MCP and PIP) coincide: the scale bone has zero length", nameof(xyz));
        }

        for (int i = 0; i < p.Length; i++)
        {
            p[i] /= s;
        }

        double[] rz = RotZ(Atan2(p[36], p[37]));
        Apply(p, rz);
        double[] rx = RotX(-Atan2(p[38], p[37]) + Math.PI);
        Apply(p, rx);
        double[] ry = RotY(Atan2(p[62], p[60]));
        Apply(p, ry);
        double[] total = Mul(Mul(rz, rx), ry);
        for (int i = 0; i < p.Length; i++)
        {
            canonical[i] = (float)(rightHand && i % 3 == 2 ? -p[i] : p[i]);
        }

        // A rotation's inverse is its transpose.
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                rotation[(r * 3) + c] = (float)total[(c * 3) + r];
            }
        }

        return (float)s;
    }

    /// <summary>The official <c>atan2</c> (atan(y / (x + 1e-8)) with quadrant corrections), in (−π, π].</summary>
    private static double Atan2(double y, double x)
    {
        double t = Math.Atan(y / (x + 1e-8));
        t += x + 1e-8 < 0 ? Math.PI : 0;
        t += t < 0 ? 2 * Math.PI : 0;
        return t > Math.PI ? t - (2 * Math.PI) : t;
    }

    private static double Square(double v) => v * v;

    private static double[] RotX(double a) => [1, 0, 0, 0, Math.Cos(a), Math.Sin(a), 0, -Math.Sin(a), Math.Cos(a)];

    private static double[] RotY(double a) => [Math.Cos(a), 0, -Math.Sin(a), 0, 1, 0, Math.Sin(a), 0, Math.Cos(a)];

    private static double[] RotZ(double a) => [Math.Cos(a), Math.Sin(a), 0, -Math.Sin(a), Math.Cos(a), 0, 0, 0, 1];

    private static double[] Mul(double[] a, double[] b)
    {
        var m = new double[9];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                m[(r * 3) + c] = (a[r * 3] * b[c]) + (a[(r * 3) + 1] * b[3 + c]) + (a[(r * 3) + 2] * b[6 + c]);
            }
        }

        return m;
    }

    /// <summary>Row vectors right-multiplied in place: p ← p · m.</summary>
    private static void Apply(double[] p, double[] m)
    {
        for (int k = 0; k < Keypoints; k++)
        {
            double x = p[3 * k], y = p[(3 * k) + 1], z = p[(3 * k) + 2];
            for (int c = 0; c < 3; c++)
            {
                p[(3 * k) + c] = (x * m[c]) + (y * m[3 + c]) + (z * m[6 + c]);
            }
        }
    }
}
