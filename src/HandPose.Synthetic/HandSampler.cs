using System.Buffers;
using System.Numerics;
using HandPose.Synthetic.Internal;

namespace HandPose.Synthetic;

/// <summary>
/// Draws synthetic hands: sample <c>i</c> of a sampler is a pure function of (seed, i) — same bytes on any thread, in
/// any order, with any thread count — so a data loader can render samples on the fly without touching disk.
/// </summary>
/// <remarks>
/// Each sample draws a hand (proportions, skin, left or right), a pose (named plus noise, or uniform within the joint
/// limits), a rotation over the whole sphere, a distance of 250–900 mm and a pinhole camera whose focal length and
/// principal point frame the hand at a random scale and shift; it ray-casts the capsule surface (fingers, palm,
/// forearm) for exact depth and mask, shades it (ambient, wrapped diffuse, specular) over a procedural or photo
/// background, adds occluders and image augmentation. Thread-safe: <see cref="Sample"/> may be called concurrently.
/// </remarks>
public sealed class HandSampler
{
    private const int KeypointCount = 21;

    // Skin tones (linear-ish RGB 0..255) from light to dark; a sample interpolates between two neighbours.
    private static readonly Vector3[] SkinTones =
    [
        new(244, 208, 186), new(232, 190, 160), new(222, 170, 135), new(198, 145, 108), new(172, 118, 84),
        new(141, 92, 62), new(110, 70, 48), new(82, 52, 36),
    ];

    /// <summary>Creates a sampler.</summary>
    /// <param name="seed">The seed of the whole sequence.</param>
    /// <param name="options">What to draw; null means the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (e.g. a size of 0 or above <see cref="SyntheticOptions.MaxSize"/>).</exception>
    public HandSampler(long seed, SyntheticOptions? options = null)
    {
        options ??= new SyntheticOptions();
        options.Validate();
        Seed = seed;
        Options = options;
    }

    /// <summary>The seed.</summary>
    public long Seed { get; }

    /// <summary>The options.</summary>
    public SyntheticOptions Options { get; }

    /// <summary>Renders sample <paramref name="index"/>.</summary>
    /// <param name="index">Any non-negative index.</param>
    /// <returns>The sample.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative.</exception>
    public SyntheticSample Sample(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        int size = Options.Size;
        var rng = new SampleRandom(Seed, index, 1);

        // The hand and its pose, in the hand frame.
        Handedness handedness = Options.Handedness switch
        {
            SyntheticHandedness.Left => Handedness.Left,
            SyntheticHandedness.Right => Handedness.Right,
            _ => rng.Chance(0.5f) ? Handedness.Left : Handedness.Right,
        };
        var model = new HandModel(ref rng);
        Span<float> angles = stackalloc float[HandModel.AngleCount];
        NamedHandPose pose = PoseLibrary.Draw(ref rng, (float)Options.NamedPoseFraction, angles);
        Span<Vector3> local = stackalloc Vector3[KeypointCount];
        model.Pose(angles, local);
        bool sleeve = rng.Chance(0.35f);
        var capsules = new List<Capsule>(32);
        model.Capsules(local, capsules, sleeve);

        // Hand frame -> camera frame: mirror for a left hand, rotate uniformly, place 250-900 mm away.
        float mirror = handedness == Handedness.Left ? -1 : 1;
        Mat3 rotation = Mat3.UniformRandom(ref rng);
        float distance = rng.Range(250, 900);
        var position = new Vector3(rng.Range(-0.2f, 0.2f) * distance, rng.Range(-0.2f, 0.2f) * distance, distance);
        var centre = new Vector3(0, 0.5f * model.PalmLength, 0);
        Vector3 ToCamera(Vector3 p) => rotation.Apply(new Vector3(mirror * p.X, p.Y, p.Z) - new Vector3(mirror * centre.X, centre.Y, centre.Z)) + position;
        var camera = new Vector3[KeypointCount];
        for (int k = 0; k < KeypointCount; k++)
        {
            camera[k] = ToCamera(local[k]);
        }

        for (int c = 0; c < capsules.Count; c++)
        {
            Capsule cap = capsules[c];
            capsules[c] = ClipToNear(cap with { A = ToCamera(cap.A), B = ToCamera(cap.B) });
        }

        float[] radii = new float[KeypointCount];
        HandModel.SurfaceRadii(camera, capsules, radii);
        CameraIntrinsics k0 = Frame(ref rng, camera, radii, size);

        // Geometry: exact depth and capsule ids.
        int n = size * size;
        float[] depth = new float[n];
        depth.AsSpan().Fill(float.PositiveInfinity);
        byte[] id = ArrayPool<byte>.Shared.Rent(n);
        float[] rgbf = ArrayPool<float>.Shared.Rent(3 * n);
        float[] scratch = ArrayPool<float>.Shared.Rent(3 * n);
        id.AsSpan(0, n).Fill(CapsuleRaster.None);
        CapsuleRaster.Render(capsules, k0, size, depth, id);

        // Appearance.
        Backgrounds.Draw(ref rng, Options, size, rgbf);
        byte[] mask = new byte[n];
        Shade(ref rng, capsules, k0, size, depth, id, mask, rgbf, rotation.Apply(new Vector3(0, 0, 1)));
        if (rng.Chance((float)Options.OccluderProbability))
        {
            Occluders.Draw(ref rng, size, camera, k0, depth, mask, rgbf);
        }

        Antialias(size, depth, mask, rgbf, scratch);
        byte[] rgb = new byte[3 * n];
        if (Options.Augment)
        {
            Augmentation.Apply(ref rng, size, rgbf.AsSpan(0, 3 * n), scratch, rgb);
        }
        else
        {
            for (int i = 0; i < rgb.Length; i++)
            {
                rgb[i] = (byte)Math.Clamp(MathF.Round(rgbf[i]), 0, 255);
            }
        }

        ArrayPool<byte>.Shared.Return(id);
        ArrayPool<float>.Shared.Return(rgbf);
        ArrayPool<float>.Shared.Return(scratch);

        for (int i = 0; i < n; i++)
        {
            if (float.IsPositiveInfinity(depth[i]))
            {
                depth[i] = 0;
            }
        }

        // Labels.
        var kp3 = new Keypoint3D[KeypointCount];
        var kp2 = new Keypoint2D[KeypointCount];
        bool[] visible = new bool[KeypointCount];
        for (int k = 0; k < KeypointCount; k++)
        {
            Vector3 p = camera[k];
            Vector2 uv = k0.Project(p.X, p.Y, p.Z);
            kp3[k] = new Keypoint3D(p.X, p.Y, p.Z);
            kp2[k] = new Keypoint2D(uv.X, uv.Y);
            int pu = (int)MathF.Round(uv.X), pv = (int)MathF.Round(uv.Y);
            if (pu >= 0 && pv >= 0 && pu < size && pv < size)
            {
                int i = (pv * size) + pu;
                visible[k] = mask[i] == (byte)Part.Hand && depth[i] >= p.Z - radii[k] - VisibilityToleranceMm;
            }
        }

        return new SyntheticSample(index, size, rgb, depth, mask, kp3, kp2, visible, k0, handedness, pose, HandBox(mask, size)) { SurfaceRadii = radii };
    }

    /// <summary>How far (mm) beyond the keypoint's own radius the front surface may be for the keypoint to count as visible.</summary>
    internal const float VisibilityToleranceMm = 1f;

    /// <summary>The joint angles and bone lengths of a sample (for tests of limits and proportions).</summary>
    internal (float[] Angles, float[,] Bones) Kinematics(long index)
    {
        var rng = new SampleRandom(Seed, index, 1);
        if (Options.Handedness == SyntheticHandedness.Both)
        {
            rng.NextFloat();
        }

        var model = new HandModel(ref rng);
        float[] angles = new float[HandModel.AngleCount];
        PoseLibrary.Draw(ref rng, (float)Options.NamedPoseFraction, angles);
        return (angles, model.Bones);
    }

    private static Capsule ClipToNear(Capsule cap)
    {
        // Keep the capsule at least 20 mm beyond its radius in front of the camera (the forearm may point at it).
        float limit = cap.Radius + 20;
        if (cap.A.Z >= limit && cap.B.Z >= limit)
        {
            return cap;
        }

        if (cap.A.Z < limit && cap.B.Z < limit)
        {
            return cap with { B = cap.A, Radius = 0 };
        }

        Vector3 inFront = cap.A.Z >= limit ? cap.A : cap.B, behind = cap.A.Z >= limit ? cap.B : cap.A;
        float t = (inFront.Z - limit) / (inFront.Z - behind.Z);
        return cap with { A = inFront, B = Vector3.Lerp(inFront, behind, t) };
    }

    /// <summary>A camera that frames the hand: the keypoints' box (padded by their radii) spans a random share of the image, shifted a little.</summary>
    private CameraIntrinsics Frame(ref SampleRandom rng, ReadOnlySpan<Vector3> camera, ReadOnlySpan<float> radii, int size)
    {
        float x0 = float.MaxValue, x1 = float.MinValue, y0 = float.MaxValue, y1 = float.MinValue;
        for (int k = 0; k < camera.Length; k++)
        {
            float pad = radii[k] / camera[k].Z;
            x0 = MathF.Min(x0, (camera[k].X / camera[k].Z) - pad);
            x1 = MathF.Max(x1, (camera[k].X / camera[k].Z) + pad);
            y0 = MathF.Min(y0, (camera[k].Y / camera[k].Z) - pad);
            y1 = MathF.Max(y1, (camera[k].Y / camera[k].Z) + pad);
        }

        float extent = MathF.Max(x1 - x0, y1 - y0);
        float scale = rng.Range((float)Options.HandScale.Min, (float)Options.HandScale.Max);
        float f = scale * size / extent;
        float aspect = rng.Range(0.98f, 1.02f);
        float shift = (float)Options.MaxShift * size;
        float cx = ((size - 1) * 0.5f) + rng.Range(-shift, shift) - (f * 0.5f * (x0 + x1));
        float cy = ((size - 1) * 0.5f) + rng.Range(-shift, shift) - (f * aspect * 0.5f * (y0 + y1));
        return new CameraIntrinsics(f, f * aspect, cx, cy);
    }

    private static void Shade(ref SampleRandom rng, List<Capsule> capsules, CameraIntrinsics k, int size, ReadOnlySpan<float> depth, ReadOnlySpan<byte> id, Span<byte> mask, Span<float> rgb, Vector3 palmNormal)
    {
        float tone = rng.Range(0, SkinTones.Length - 1.001f);
        int ti = (int)tone;
        Vector3 skin = Vector3.Lerp(SkinTones[ti], SkinTones[ti + 1], tone - ti) * new Vector3(rng.Range(0.94f, 1.06f), rng.Range(0.95f, 1.04f), rng.Range(0.93f, 1.05f));
        Vector3 palm = Vector3.Lerp(skin, new Vector3(240, 170, 160), 0.18f);
        Vector3 sleeve = new(rng.Range(10, 240), rng.Range(10, 240), rng.Range(10, 240));

        // A light from the camera's side of the scene, soft (wrapped) diffuse, a little specular.
        var light = Vector3.Normalize(new Vector3(rng.Range(-1, 1), rng.Range(-1, 1), -rng.Range(0.3f, 1.2f)));
        float ambient = rng.Range(0.28f, 0.45f), diffuse = rng.Range(0.55f, 0.85f), wrap = rng.Range(0.2f, 0.5f);
        float specular = rng.Range(0, 0.18f), shininess = rng.Range(8, 30);
        var blend = new NormalBlend(capsules, k);
        for (int v = 0; v < size; v++)
        {
            float ry = (v - k.Cy) / k.Fy;
            for (int u = 0; u < size; u++)
            {
                int i = (v * size) + u;
                byte c = id[i];
                if (c == CapsuleRaster.None)
                {
                    continue;
                }

                Capsule cap = capsules[c];
                mask[i] = (byte)cap.Part;
                var p = new Vector3((u - k.Cx) / k.Fx, ry, 1) * depth[i];
                Vector3 nrm = blend.Normal(c, p, u, v);
                Vector3 view = -Vector3.Normalize(p);
                float nl = (Vector3.Dot(nrm, light) + wrap) / (1 + wrap);
                float nv = MathF.Max(0, Vector3.Dot(nrm, view));
                Vector3 albedo = cap.Sleeve ? sleeve : cap.Part == Part.Hand && Vector3.Dot(nrm, palmNormal) > 0.2f ? palm : skin;
                float light1 = (ambient + (diffuse * MathF.Max(0, nl))) * (0.7f + (0.3f * nv));
                Vector3 half = Vector3.Normalize(light + view);
                float spec = specular * MathF.Pow(MathF.Max(0, Vector3.Dot(nrm, half)), shininess) * 255;
                rgb[3 * i] = (albedo.X * light1) + spec;
                rgb[(3 * i) + 1] = (albedo.Y * light1) + spec;
                rgb[(3 * i) + 2] = (albedo.Z * light1) + spec;
            }
        }
    }

    /// <summary>
    /// Smooths silhouettes and depth discontinuities: pixels next to a change of part or a depth step get the 3×3 tent
    /// average of their neighbourhood, i.e. a coverage-weighted mix of the two sides. Depth and mask stay exact.
    /// </summary>
    private static void Antialias(int size, ReadOnlySpan<float> depth, ReadOnlySpan<byte> mask, Span<float> rgb, Span<float> copy)
    {
        rgb[..(3 * size * size)].CopyTo(copy);
        for (int y = 1; y < size - 1; y++)
        {
            for (int x = 1; x < size - 1; x++)
            {
                int i = (y * size) + x;
                if (!Edge(i, i + 1, depth, mask) && !Edge(i, i + size, depth, mask) && !Edge(i, i - 1, depth, mask) && !Edge(i, i - size, depth, mask))
                {
                    continue;
                }

                for (int ch = 0; ch < 3; ch++)
                {
                    int j = (3 * i) + ch, r = 3 * size;
                    rgb[j] = ((4 * copy[j]) + (2 * (copy[j - 3] + copy[j + 3] + copy[j - r] + copy[j + r])) + copy[j - r - 3] + copy[j - r + 3] + copy[j + r - 3] + copy[j + r + 3]) / 16;
                }
            }
        }
    }

    private static bool Edge(int i, int j, ReadOnlySpan<float> depth, ReadOnlySpan<byte> mask) =>
        mask[i] != mask[j] || (mask[i] != 0 && MathF.Abs(depth[i] - depth[j]) > 3 + (0.01f * depth[i]));

    private static (float, float, float, float) HandBox(ReadOnlySpan<byte> mask, int size)
    {
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (int y = 0; y < size; y++)
        {
            ReadOnlySpan<byte> row = mask.Slice(y * size, size);
            int first = row.IndexOf((byte)Part.Hand);
            if (first < 0)
            {
                continue;
            }

            int last = row.LastIndexOf((byte)Part.Hand);
            x0 = Math.Min(x0, first);
            x1 = Math.Max(x1, last);
            y0 = Math.Min(y0, y);
            y1 = y;
        }

        return x1 < 0 ? (-1, -1, -1, -1) : (x0, y0, x1, y1);
    }
}
