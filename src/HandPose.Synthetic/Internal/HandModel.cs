using System.Numerics;

namespace HandPose.Synthetic.Internal;

/// <summary>
/// The kinematic right hand in its own frame (millimetres): wrist at the origin, fingers along +y, thumb side +x,
/// palm normal +z (a right-handed frame, so a left hand is this hand with x negated). Proportions are drawn once per
/// sample; poses are 20 joint angles (radians) within <see cref="Min"/> and <see cref="Max"/>.
/// </summary>
internal sealed class HandModel
{
    /// <summary>Angles per finger (index, middle, ring, little): MCP flexion, MCP abduction (+ = towards the thumb), PIP, DIP.
    /// Thumb (16..19): CMC flexion (across the palm), CMC abduction (away from the palm plane), MCP flexion, IP flexion.</summary>
    public const int AngleCount = 20;

    public const int Thumb = 16;

    private static readonly float[] MinDegrees =
    [
        -20, -18, -5, -10, -20, -15, -5, -10, -20, -15, -5, -10, -25, -20, -5, -10,
        -15, -20, -10, -15,
    ];

    private static readonly float[] MaxDegrees =
    [
        90, 18, 110, 85, 90, 15, 110, 85, 90, 15, 110, 85, 90, 22, 110, 85,
        70, 50, 65, 85,
    ];

    /// <summary>Lower joint limits, radians.</summary>
    public static readonly float[] Min = MinDegrees.Select(d => d * MathF.PI / 180).ToArray();

    /// <summary>Upper joint limits, radians.</summary>
    public static readonly float[] Max = MaxDegrees.Select(d => d * MathF.PI / 180).ToArray();

    // Mean lengths (mm) of an adult hand of 190 mm: metacarpal-in-palm is implied by the MCP positions.
    private static readonly float[,] MeanBones = { { 45, 32, 27 }, { 40, 23, 21 }, { 44, 27, 22 }, { 41, 26, 22 }, { 33, 19, 20 } };
    private static readonly float[,] MeanRadii = { { 11.5f, 10f, 9f }, { 9.5f, 8.6f, 7.7f }, { 9.8f, 8.8f, 7.9f }, { 9.2f, 8.2f, 7.5f }, { 8.1f, 7.3f, 6.8f } };
    private static readonly float[] McpX = [0.375f, 0.125f, -0.125f, -0.375f];
    private static readonly float[] McpY = [0.96f, 1f, 0.955f, 0.87f];
    private static readonly float[] Splay = [-0.10f, 0f, 0.09f, 0.2f];

    public HandModel(ref SampleRandom rng)
    {
        float scale = rng.Range(0.86f, 1.14f);
        float thickness = rng.Range(0.9f, 1.1f);
        PalmLength = 98 * scale * rng.Range(0.95f, 1.05f);
        PalmWidth = 84 * scale * rng.Range(0.93f, 1.07f);
        for (int f = 0; f < 5; f++)
        {
            float fingerScale = scale * rng.Range(0.94f, 1.06f);
            for (int b = 0; b < 3; b++)
            {
                Bones[f, b] = MeanBones[f, b] * fingerScale * rng.Range(0.97f, 1.03f);
                Radii[f, b] = MeanRadii[f, b] * scale * thickness;
            }
        }

        PalmRadius = 12.5f * scale * thickness;
        ForearmRadius = 25f * scale * thickness;
    }

    public float PalmLength { get; }

    public float PalmWidth { get; }

    public float PalmRadius { get; }

    public float ForearmRadius { get; }

    /// <summary>Bone lengths per finger (thumb first) and bone (base to tip), mm.</summary>
    public float[,] Bones { get; } = new float[5, 3];

    /// <summary>Capsule radii per finger and bone, mm.</summary>
    public float[,] Radii { get; } = new float[5, 3];

    public static float Clamp(int joint, float angle) => Math.Clamp(angle, Min[joint], Max[joint]);

    public Vector3 ThumbBase => new(0.30f * PalmWidth, 0.20f * PalmLength, 0.22f * PalmRadius);

    public Vector3 Mcp(int finger) => new(McpX[finger] * PalmWidth, McpY[finger] * PalmLength, 0);

    /// <summary>The 21 keypoints (Hand21 order) in the hand frame for the given angles.</summary>
    public void Pose(ReadOnlySpan<float> angles, Span<Vector3> keypoints)
    {
        keypoints[0] = Vector3.Zero;

        // Thumb: a rest frame pointing out of the palm's radial edge, then CMC flexion (about the frame's z) and
        // abduction (about its x), then MCP and IP flexion about the bone's own lateral axis.
        Mat3 rest = Mat3.FromYZ(new Vector3(0.72f, 0.62f, 0.30f), new Vector3(-0.55f, -0.15f, 0.82f));
        Mat3 r = rest * Mat3.RotZ(-angles[Thumb]) * Mat3.RotX(-angles[Thumb + 1]);
        // Opposition: flexing the CMC also turns the thumb pad towards the fingers.
        r *= Mat3.RotY(0.9f * angles[Thumb]);
        Vector3 p = ThumbBase;
        keypoints[1] = p;
        p += r.Apply(new Vector3(0, Bones[0, 0], 0));
        keypoints[2] = p;
        r *= Mat3.RotX(angles[Thumb + 2]);
        p += r.Apply(new Vector3(0, Bones[0, 1], 0));
        keypoints[3] = p;
        r *= Mat3.RotX(angles[Thumb + 3]);
        p += r.Apply(new Vector3(0, Bones[0, 2], 0));
        keypoints[4] = p;

        for (int f = 0; f < 4; f++)
        {
            int a = 4 * f;
            Mat3 m = Mat3.RotZ(Splay[f] - angles[a + 1]) * Mat3.RotX(angles[a]);
            Vector3 q = Mcp(f);
            int k = 5 + (4 * f);
            keypoints[k] = q;
            q += m.Apply(new Vector3(0, Bones[f + 1, 0], 0));
            keypoints[k + 1] = q;
            m *= Mat3.RotX(angles[a + 2]);
            q += m.Apply(new Vector3(0, Bones[f + 1, 1], 0));
            keypoints[k + 2] = q;
            m *= Mat3.RotX(angles[a + 3]);
            q += m.Apply(new Vector3(0, Bones[f + 1, 2], 0));
            keypoints[k + 3] = q;
        }
    }

    /// <summary>
    /// How far the surface can be from each keypoint along any ray: the largest r + d over the capsules that contain it
    /// (radius r, keypoint at distance d from the axis). A ray from the camera leaves those capsules within that distance.
    /// </summary>
    public static void SurfaceRadii(ReadOnlySpan<Vector3> keypoints, List<Capsule> capsules, Span<float> radii)
    {
        for (int k = 0; k < keypoints.Length; k++)
        {
            float best = 0;
            foreach (Capsule c in capsules)
            {
                Vector3 ba = c.B - c.A;
                float baba = Vector3.Dot(ba, ba);
                float h = baba > 0 ? Math.Clamp(Vector3.Dot(keypoints[k] - c.A, ba) / baba, 0, 1) : 0;
                float d = Vector3.Distance(keypoints[k], c.A + (ba * h));
                if (d <= c.Radius)
                {
                    best = MathF.Max(best, c.Radius + d);
                }
            }

            radii[k] = best;
        }
    }

    /// <summary>The surface: capsules (a, b, radius, part) in the hand frame, from the posed keypoints.</summary>
    public void Capsules(ReadOnlySpan<Vector3> kp, List<Capsule> capsules, bool sleeveForearm)
    {
        // Fingers: one capsule per bone; the distal one stops short so the tip keypoint sits inside its cap.
        for (int f = 0; f < 5; f++)
        {
            int k = 1 + (4 * f);
            for (int b = 0; b < 3; b++)
            {
                Vector3 a = kp[k + b], e = kp[k + b + 1];
                float radius = Radii[f, b];
                if (b == 2)
                {
                    Vector3 dir = Vector3.Normalize(e - a);
                    e -= dir * (0.45f * radius);
                }

                capsules.Add(new Capsule(a, e, radius, Part.Hand));
            }
        }

        // Palm: the four metacarpals (thick, overlapping: a rounded slab), the heel of the hand and the thenar pad.
        float pr = PalmRadius;
        for (int f = 0; f < 4; f++)
        {
            Vector3 mcp = kp[5 + (4 * f)];
            Vector3 start = new(McpX[f] * PalmWidth * 0.55f, 0.18f * PalmLength, 0);
            capsules.Add(new Capsule(start, mcp, pr * (f == 3 ? 0.92f : 1f), Part.Hand));
        }

        capsules.Add(new Capsule(new Vector3(-0.22f * PalmWidth, 0.12f * PalmLength, 0), new Vector3(0.22f * PalmWidth, 0.12f * PalmLength, 0), pr * 1.15f, Part.Hand));
        capsules.Add(new Capsule(new Vector3(-0.12f * PalmWidth, -0.02f * PalmLength, 0), new Vector3(0.12f * PalmWidth, -0.02f * PalmLength, 0), pr * 1.3f, Part.Hand));
        capsules.Add(new Capsule(kp[1], Vector3.Lerp(kp[1], kp[2], 0.55f), Radii[0, 0] * 1.35f, Part.Hand));
        capsules.Add(new Capsule(new Vector3(-0.3f * PalmWidth, 0.3f * PalmLength, 0), new Vector3(-0.36f * PalmWidth, 0.75f * PalmLength, 0), pr * 1.05f, Part.Hand));

        // Forearm: starts behind the wrist (the wrist keypoint stays outside it) and runs 260 mm along -y, slightly flattened by a second capsule.
        float fr = ForearmRadius;
        var f0 = new Vector3(0, -(fr * 1.3f), 0);
        var f1 = new Vector3(0, -260, 0);
        capsules.Add(new Capsule(f0 + new Vector3(0.18f * fr, 0, 0), f1 + new Vector3(0.25f * fr, 0, 0), fr, Part.Forearm, sleeveForearm));
        capsules.Add(new Capsule(f0 - new Vector3(0.18f * fr, 0, 0), f1 - new Vector3(0.25f * fr, 0, 0), fr, Part.Forearm, sleeveForearm));
    }
}

/// <summary>What a surface belongs to: the mask values of the output.</summary>
internal enum Part : byte
{
    Background = 0,
    Hand = 1,
    Forearm = 2,
    Occluder = 3,
}

/// <summary>A sphere-swept segment.</summary>
internal readonly record struct Capsule(Vector3 A, Vector3 B, float Radius, Part Part, bool Sleeve = false);
