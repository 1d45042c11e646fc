using System.Numerics;
using HandPose.Synthetic.Internal;

namespace HandPose.Synthetic.Tests;

public sealed class HandSamplerTests
{
    private const int Count = 48;
    private static readonly HandSampler Sampler = new(7, new SyntheticOptions { Size = 192, OccluderProbability = 0.3 });
    private static readonly SyntheticSample[] Samples = Enumerable.Range(0, Count).Select(i => Sampler.Sample(i)).ToArray();

    [Test]
    public void Keypoints_2d_are_the_projection_of_keypoints_3d_through_K()
    {
        foreach (SyntheticSample s in Samples)
        {
            CameraIntrinsics k = s.Intrinsics;
            for (int j = 0; j < 21; j++)
            {
                Keypoint3D p = s.Keypoints3D[j];
                double u = (k.Fx * (double)p.X / p.Z) + k.Cx, v = (k.Fy * (double)p.Y / p.Z) + k.Cy;
                Assert.That(s.Keypoints2D[j].X, Is.EqualTo(u).Within(1e-3 + (1e-5 * Math.Abs(u))), $"sample {s.Index} kp {j} u");
                Assert.That(s.Keypoints2D[j].Y, Is.EqualTo(v).Within(1e-3 + (1e-5 * Math.Abs(v))), $"sample {s.Index} kp {j} v");
                Assert.That(p.Z, Is.GreaterThan(100f), $"sample {s.Index} kp {j} in front of the camera");
            }
        }
    }

    [Test]
    public void Visible_keypoints_lie_on_the_hand_with_the_surface_just_in_front_and_hidden_ones_are_covered_or_outside()
    {
        int visible = 0, hidden = 0;
        foreach (SyntheticSample s in Samples)
        {
            float[] radii = s.SurfaceRadii;
            for (int j = 0; j < 21; j++)
            {
                Assert.That(radii[j], Is.InRange(5f, 45f), $"sample {s.Index} kp {j}: inside the surface");
                Keypoint3D p = s.Keypoints3D[j];
                int u = (int)MathF.Round(s.Keypoints2D[j].X), v = (int)MathF.Round(s.Keypoints2D[j].Y);
                bool inside = u >= 0 && v >= 0 && u < s.Size && v < s.Size;
                int i = (v * s.Size) + u;
                if (s.Visible[j])
                {
                    visible++;
                    Assert.That(inside, $"sample {s.Index} kp {j}: visible but outside");
                    Assert.That(s.Mask[i], Is.EqualTo(1), $"sample {s.Index} kp {j}: visible but not on the hand mask");
                    Assert.That(s.Depth[i], Is.InRange(p.Z - radii[j] - HandSampler.VisibilityToleranceMm, p.Z + 0.5f), $"sample {s.Index} kp {j}: the surface in front of the joint");
                }
                else
                {
                    hidden++;
                    bool covered = inside && (s.Mask[i] != 1 || s.Depth[i] < p.Z - radii[j] - HandSampler.VisibilityToleranceMm);
                    Assert.That(!inside || covered, $"sample {s.Index} kp {j}: hidden but nothing in front");
                    if (inside)
                    {
                        Assert.That(s.Depth[i], Is.GreaterThan(0f).And.LessThan(p.Z), $"sample {s.Index} kp {j}: hidden behind a nearer surface");
                    }
                }
            }
        }

        Assert.That(visible, Is.GreaterThan(Count * 8), "most keypoints are visible");
        Assert.That(hidden, Is.GreaterThan(Count), "self-occlusion and occluders hide some");
    }

    [Test]
    public void Depth_is_positive_exactly_where_something_was_rendered()
    {
        foreach (SyntheticSample s in Samples)
        {
            int hand = 0;
            for (int i = 0; i < s.Mask.Length; i++)
            {
                Assert.That(s.Mask[i], Is.LessThanOrEqualTo(3));
                if (s.Mask[i] == 0)
                {
                    Assert.That(s.Depth[i], Is.Zero, $"sample {s.Index} pixel {i}: background has no depth");
                }
                else
                {
                    Assert.That(s.Depth[i], Is.GreaterThan(0f).And.LessThan(2000f), $"sample {s.Index} pixel {i}: mask {s.Mask[i]}");
                }

                hand += s.Mask[i] == 1 ? 1 : 0;
            }

            Assert.That(hand, Is.GreaterThan(200), $"sample {s.Index}: the hand is in view");
            (float x0, float y0, float x1, float y1) = s.BoundingBox;
            Assert.That(s.Mask[((int)y0 * s.Size)..].IndexOf((byte)1), Is.GreaterThanOrEqualTo(0));
            Assert.That(x0 <= x1 && y0 <= y1 && x0 >= 0 && y1 < s.Size, $"sample {s.Index}: box {s.BoundingBox}");
        }
    }

    [Test]
    public void Bounding_box_is_the_tight_box_of_the_hand_mask()
    {
        SyntheticSample s = Samples[3];
        (float x0, float y0, float x1, float y1) = s.BoundingBox;
        int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        for (int i = 0; i < s.Mask.Length; i++)
        {
            if (s.Mask[i] == 1)
            {
                minX = Math.Min(minX, i % s.Size);
                maxX = Math.Max(maxX, i % s.Size);
                minY = Math.Min(minY, i / s.Size);
                maxY = Math.Max(maxY, i / s.Size);
            }
        }

        Assert.That((x0, y0, x1, y1), Is.EqualTo(((float)minX, (float)minY, (float)maxX, (float)maxY)));
    }

    [Test]
    public void Bone_lengths_are_the_sampled_proportions_whatever_the_pose()
    {
        foreach (SyntheticSample s in Samples)
        {
            (_, float[,] bones) = Sampler.Kinematics(s.Index);
            for (int f = 0; f < 5; f++)
            {
                for (int b = 0; b < 3; b++)
                {
                    int k = 1 + (4 * f) + b;
                    Keypoint3D p = s.Keypoints3D[k], q = s.Keypoints3D[k + 1];
                    float length = Vector3.Distance(new Vector3(p.X, p.Y, p.Z), new Vector3(q.X, q.Y, q.Z));
                    Assert.That(length, Is.EqualTo(bones[f, b]).Within(1e-3f * bones[f, b]), $"sample {s.Index} finger {f} bone {b}");
                    Assert.That(length, Is.InRange(12f, 60f), "human range");
                }
            }
        }
    }

    [Test]
    public void Joint_angles_stay_within_the_anatomical_limits()
    {
        var seen = new HashSet<int>();
        for (int i = 0; i < 400; i++)
        {
            (float[] angles, _) = Sampler.Kinematics(i);
            for (int j = 0; j < angles.Length; j++)
            {
                Assert.That(angles[j], Is.InRange(HandModel.Min[j], HandModel.Max[j]), $"sample {i} joint {j}");
                if (angles[j] < 0)
                {
                    seen.Add(j);
                }
            }
        }

        Assert.That(seen, Does.Contain(0).And.Contain(2), "slight hyperextension occurs");
    }

    [Test]
    public void Finger_flexion_bends_towards_the_palm_and_left_is_the_mirror_of_right()
    {
        var rng = new SampleRandom(1, 2, 3);
        var model = new HandModel(ref rng);
        var open = new Vector3[21];
        var bent = new Vector3[21];
        float[] angles = new float[HandModel.AngleCount];
        model.Pose(angles, open);
        angles[4] = MathF.PI / 2; // middle MCP 90 degrees
        model.Pose(angles, bent);
        Assert.That(open[12].Y, Is.GreaterThan(open[9].Y + 50), "straight middle finger points along +y");
        Assert.That(bent[12].Z, Is.GreaterThan(bent[9].Z + 50), "flexed middle finger points to the palm side (+z)");
        Assert.That(open[4].X, Is.GreaterThan(open[20].X + 60), "thumb on the +x side of a right hand");

        var right = new HandSampler(3, new SyntheticOptions { Handedness = SyntheticHandedness.Right, Size = 64 }).Sample(0);
        var left = new HandSampler(3, new SyntheticOptions { Handedness = SyntheticHandedness.Left, Size = 64 }).Sample(0);
        Assert.That(right.Handedness, Is.EqualTo(Handedness.Right));
        Assert.That(left.Handedness, Is.EqualTo(Handedness.Left));
        // Same draw, mirrored hand: the signed volume of wrist->index MCP, wrist->little MCP, wrist->thumb MCP flips.
        Assert.That(MathF.Sign(Chirality(right)), Is.EqualTo(-MathF.Sign(Chirality(left))).And.Not.Zero);
    }

    private static float Chirality(SyntheticSample s)
    {
        Vector3 P(int k) => new(s.Keypoints3D[k].X, s.Keypoints3D[k].Y, s.Keypoints3D[k].Z);
        return Vector3.Dot(Vector3.Cross(P(5) - P(0), P(17) - P(0)), P(2) - P(0));
    }

    [Test]
    public void Same_seed_gives_the_same_bytes_on_one_thread_and_on_all_threads()
    {
        var again = new HandSampler(7, new SyntheticOptions { Size = 192, OccluderProbability = 0.3 });
        var parallel = new SyntheticSample[Count];
        Parallel.For(0, Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 2 }, i => parallel[Count - 1 - i] = again.Sample(Count - 1 - i));
        for (int i = 0; i < Count; i++)
        {
            Assert.That(parallel[i].Rgb.SequenceEqual(Samples[i].Rgb), $"rgb {i}");
            Assert.That(parallel[i].Mask.SequenceEqual(Samples[i].Mask), $"mask {i}");
            Assert.That(parallel[i].Depth.SequenceEqual(Samples[i].Depth), $"depth {i}");
            Assert.That(parallel[i].Keypoints3D, Is.EqualTo(Samples[i].Keypoints3D).AsCollection);
        }

        Assert.That(new HandSampler(8, Sampler.Options).Sample(0).Rgb.SequenceEqual(Samples[0].Rgb), Is.False, "another seed, another image");
    }

    [Test]
    public void Indices_vary_pose_view_hand_skin_and_background()
    {
        Assert.That(Samples.Select(s => s.Pose).Distinct().Count(), Is.GreaterThanOrEqualTo(7), "poses");
        Assert.That(Samples.Select(s => s.Handedness).Distinct().Count(), Is.EqualTo(2), "both hands");
        Assert.That(Samples.Count(s => s.Mask.Contains((byte)3)), Is.InRange(5, 30), "occluders in about 30%");

        // View: the palm normal direction (index MCP - wrist) x (little MCP - wrist) covers both hemispheres of z.
        var towards = Samples.Select(s => Normal(s).Z).ToArray();
        Assert.That(towards.Min(), Is.LessThan(-0.5f));
        Assert.That(towards.Max(), Is.GreaterThan(0.5f));

        // Skin: mean colour of the hand pixels; background: mean colour of the corner block.
        float[] skin = Samples.Select(s => MeanLuma(s, 1)).ToArray();
        float[] background = Samples.Select(s => MeanLuma(s, 0)).ToArray();
        Assert.That(skin.Max() - skin.Min(), Is.GreaterThan(60), "skin tones from light to dark");
        Assert.That(background.Max() - background.Min(), Is.GreaterThan(60), "backgrounds");
        Assert.That(Samples.Select(s => s.Intrinsics.Fx).Distinct().Count(), Is.EqualTo(Count), "focal lengths");
    }

    private static Vector3 Normal(SyntheticSample s)
    {
        Vector3 P(int k) => new(s.Keypoints3D[k].X, s.Keypoints3D[k].Y, s.Keypoints3D[k].Z);
        return Vector3.Normalize(Vector3.Cross(P(5) - P(0), P(17) - P(0)));
    }

    private static float MeanLuma(SyntheticSample s, byte part)
    {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < s.Mask.Length; i++)
        {
            if (s.Mask[i] == part)
            {
                sum += (0.299 * s.Rgb[3 * i]) + (0.587 * s.Rgb[(3 * i) + 1]) + (0.114 * s.Rgb[(3 * i) + 2]);
                n++;
            }
        }

        return (float)(sum / Math.Max(n, 1));
    }

    [TestCase(0)]
    [TestCase(15)]
    [TestCase(-3)]
    [TestCase(SyntheticOptions.MaxSize + 1)]
    [TestCase(int.MaxValue)]
    public void Bad_sizes_are_rejected_with_a_typed_exception(int size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new HandSampler(1, new SyntheticOptions { Size = size }));

    [Test]
    public void Bad_options_and_indices_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new HandSampler(1, new SyntheticOptions { OccluderProbability = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new HandSampler(1, new SyntheticOptions { NamedPoseFraction = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new HandSampler(1, new SyntheticOptions { HandScale = (0.8, 0.4) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new HandSampler(1, new SyntheticOptions { Handedness = (SyntheticHandedness)9 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sampler.Sample(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticDataset.Write(Sampler, -1, Path.GetTempPath()));
        Assert.Throws<ArgumentException>(() => _ = new SyntheticBackground(4, 4, new byte[10]));
    }
}
