namespace HandPose.Synthetic.Internal;

/// <summary>Named poses as joint angles in degrees, plus the random pose generator.</summary>
internal static class PoseLibrary
{
    // Per finger: MCP flexion, abduction, PIP, DIP.
    private static readonly float[] Straight = [0, 0, 0, 0];
    private static readonly float[] Curled = [82, 0, 100, 62];
    private static readonly float[] Relaxed = [25, 0, 30, 18];

    // Thumb: CMC flexion, CMC abduction, MCP, IP.
    private static readonly float[] ThumbOut = [0, 30, 5, 5];
    private static readonly float[] ThumbAcross = [45, 5, 45, 35];
    private static readonly float[] ThumbUp = [-5, 15, 0, 0];

    public static void Angles(NamedHandPose pose, Span<float> degrees)
    {
        float[][] f;
        float[] t;
        switch (pose)
        {
            case NamedHandPose.Fist: f = [Curled, Curled, Curled, Curled]; t = ThumbAcross; break;
            case NamedHandPose.OpenPalm: f = [[0, 8, 0, 0], [0, 0, 0, 0], [0, -8, 0, 0], [0, -16, 0, 0]]; t = ThumbOut; break;
            case NamedHandPose.Point: f = [Straight, Curled, Curled, Curled]; t = [40, 5, 35, 30]; break;
            case NamedHandPose.Pinch: f = [[38, 0, 48, 22], [30, 0, 40, 25], [28, -3, 40, 25], [25, -6, 38, 22]]; t = [38, 25, 18, 12]; break;
            case NamedHandPose.ThumbsUp: f = [Curled, Curled, Curled, Curled]; t = ThumbUp; break;
            case NamedHandPose.Victory: f = [[0, 10, 0, 0], [0, -10, 0, 0], Curled, Curled]; t = [45, 5, 45, 40]; break;
            case NamedHandPose.Rock: f = [Straight, Curled, Curled, [0, -10, 0, 0]]; t = [40, 5, 40, 30]; break;
            case NamedHandPose.Call: f = [Curled, Curled, Curled, [0, -18, 0, 0]]; t = [-5, 40, 0, 0]; break;
            case NamedHandPose.Ok: f = [[45, 0, 60, 30], [0, 0, 5, 0], [0, -8, 5, 0], [0, -15, 5, 0]]; t = [40, 28, 20, 15]; break;
            case NamedHandPose.Four: f = [[0, 6, 0, 0], Straight, [0, -6, 0, 0], [0, -12, 0, 0]]; t = [65, 0, 50, 20]; break;
            default: f = [Relaxed, Relaxed, Relaxed, Relaxed]; t = ThumbOut; break;
        }

        for (int i = 0; i < 4; i++)
        {
            f[i].CopyTo(degrees[(4 * i)..]);
        }

        t.CopyTo(degrees[HandModel.Thumb..]);
    }

    /// <summary>Draws a pose: a named pose with Gaussian noise (sigma 9 degrees), or uniform within the limits.</summary>
    public static NamedHandPose Draw(ref SampleRandom rng, float namedFraction, Span<float> radians)
    {
        Span<float> degrees = stackalloc float[HandModel.AngleCount];
        NamedHandPose pose = NamedHandPose.Random;
        if (rng.Chance(namedFraction))
        {
            pose = (NamedHandPose)(1 + rng.Next(10));
            Angles(pose, degrees);
            for (int j = 0; j < degrees.Length; j++)
            {
                radians[j] = HandModel.Clamp(j, (degrees[j] + (rng.Gaussian() * (j % 4 == 1 && j < HandModel.Thumb ? 4f : 9f))) * MathF.PI / 180);
            }

            return pose;
        }

        for (int j = 0; j < HandModel.AngleCount; j++)
        {
            radians[j] = rng.Range(HandModel.Min[j], HandModel.Max[j]);
        }

        // Distal joints follow their neighbours (the DIP cannot flex much while the PIP is straight).
        for (int f = 0; f < 4; f++)
        {
            int a = 4 * f;
            radians[a + 3] = HandModel.Clamp(a + 3, (0.66f * radians[a + 2]) + (rng.Gaussian() * 0.15f));
        }

        return pose;
    }
}
