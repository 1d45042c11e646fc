using HandPose.Onnx.MediaPipe;

namespace HandPose.Onnx.Tests.MediaPipe;

public sealed class HandGeometryTests
{
    [TestCase(0f, 0f)]
    [TestCase(3 * MathF.PI / 2, -MathF.PI / 2)]
    [TestCase(MathF.PI, -MathF.PI)]
    [TestCase(-5 * MathF.PI / 2, -MathF.PI / 2)]
    public void NormalizeRadians_maps_into_minus_pi_to_pi(float angle, float expected) =>
        Assert.That(HandGeometry.NormalizeRadians(angle), Is.EqualTo(expected).Within(1e-5));

    private static PalmDetection Palm(float cx, float cy, float w, float h, float wristX, float wristY, float mcpX, float mcpY)
    {
        var kp = new float[14];
        kp[0] = wristX;
        kp[1] = wristY;
        kp[4] = mcpX;
        kp[5] = mcpY;
        return new PalmDetection(Box.FromCenter(cx, cy, w, h), kp, 0.9f);
    }

    [Test]
    public void PalmToRoi_upright_hand_shifts_towards_the_fingers_and_scales_by_2_6()
    {
        NormalizedRect r = HandGeometry.PalmToRoi(Palm(0.5f, 0.5f, 0.1f, 0.1f, 0.5f, 0.6f, 0.5f, 0.4f), 100, 100);
        Assert.That(r.Rotation, Is.EqualTo(0f).Within(1e-6));
        Assert.That(r.XCenter, Is.EqualTo(0.5f).Within(1e-6));
        Assert.That(r.YCenter, Is.EqualTo(0.45f).Within(1e-6));
        Assert.That(r.Width, Is.EqualTo(0.26f).Within(1e-6));
        Assert.That(r.Height, Is.EqualTo(0.26f).Within(1e-6));
    }

    [Test]
    public void PalmToRoi_hand_pointing_right_rotates_by_plus_90_degrees_and_shifts_right()
    {
        NormalizedRect r = HandGeometry.PalmToRoi(Palm(0.5f, 0.5f, 0.1f, 0.1f, 0.4f, 0.5f, 0.6f, 0.5f), 100, 100);
        Assert.That(r.Rotation, Is.EqualTo(MathF.PI / 2).Within(1e-6));
        Assert.That(r.XCenter, Is.EqualTo(0.55f).Within(1e-6));
        Assert.That(r.YCenter, Is.EqualTo(0.5f).Within(1e-6));
    }

    [Test]
    public void PalmToRoi_squares_the_long_side_in_pixels_on_a_wide_image()
    {
        // 10×10 px palm in a 200×100 image: normalized 0.05 × 0.1.
        NormalizedRect r = HandGeometry.PalmToRoi(Palm(0.5f, 0.5f, 0.05f, 0.1f, 0.5f, 0.6f, 0.5f, 0.4f), 200, 100);
        Assert.That(r.Width * 200, Is.EqualTo(26f).Within(1e-4));
        Assert.That(r.Height * 100, Is.EqualTo(26f).Within(1e-4));
    }

    /// <summary>An upright hand in a 100×100 image: the 12 tracking landmarks span x 40..60, y 40..80.</summary>
    private static float[] UprightLandmarks()
    {
        var lm = new float[21 * 3];
        void Set(int i, float x, float y)
        {
            lm[3 * i] = x / 100f;
            lm[(3 * i) + 1] = y / 100f;
        }
        for (int i = 0; i < 21; i++)
        {
            Set(i, 50, 0); // fingertips etc. far above: must not influence the ROI
        }
        Set(0, 50, 80);
        Set(1, 45, 75);
        Set(2, 42, 70);
        Set(3, 40, 65);
        Set(5, 40, 50);
        Set(6, 40, 45);
        Set(9, 50, 40);
        Set(10, 50, 42);
        Set(13, 60, 50);
        Set(14, 60, 45);
        Set(17, 58, 55);
        Set(18, 58, 50);
        return lm;
    }

    [Test]
    public void LandmarksToRoi_upright_hand_uses_the_palm_landmarks_bounding_box()
    {
        NormalizedRect r = HandGeometry.LandmarksToRoi(UprightLandmarks(), 3, 100, 100);
        // Box centre (50, 60), 20 × 40 px; shift −0.1 × 40 up; square on 40; × 2.
        Assert.That(r.Rotation, Is.EqualTo(0f).Within(1e-6));
        Assert.That(r.XCenter, Is.EqualTo(0.50f).Within(1e-5));
        Assert.That(r.YCenter, Is.EqualTo(0.56f).Within(1e-5));
        Assert.That(r.Width, Is.EqualTo(0.8f).Within(1e-5));
        Assert.That(r.Height, Is.EqualTo(0.8f).Within(1e-5));
    }

    [Test]
    public void LandmarksToRoi_is_equivariant_to_rotating_the_hand()
    {
        float[] lm = UprightLandmarks();
        // Rotate the hand by +90° (clockwise on screen) about the image centre: (x, y) → (50 − (y − 50), 50 + (x − 50)).
        var rotated = new float[lm.Length];
        for (int i = 0; i < 21; i++)
        {
            float x = (lm[3 * i] * 100) - 50, y = (lm[(3 * i) + 1] * 100) - 50;
            rotated[3 * i] = (50 - y) / 100f;
            rotated[(3 * i) + 1] = (50 + x) / 100f;
        }
        NormalizedRect r = HandGeometry.LandmarksToRoi(rotated, 3, 100, 100);
        Assert.That(r.Rotation, Is.EqualTo(MathF.PI / 2).Within(1e-5));
        Assert.That(r.XCenter, Is.EqualTo(0.44f).Within(1e-5)); // (50, 56) rotated → (44, 50)
        Assert.That(r.YCenter, Is.EqualTo(0.50f).Within(1e-5));
        Assert.That(r.Width, Is.EqualTo(0.8f).Within(1e-5));
    }

    [Test]
    public void ProjectLandmarks_maps_crop_pixels_through_the_rotated_roi()
    {
        var crop = new float[63];
        crop[0] = 112; crop[1] = 112; crop[2] = 22.4f;    // centre, z = 0.1 crop widths
        crop[3] = 224; crop[4] = 112;                       // right edge middle
        crop[6] = 0; crop[7] = 0;                           // top-left corner
        var roi = new NormalizedRect(0.5f, 0.4f, 0.2f, 0.3f, MathF.PI / 2);
        var n = new float[63];
        HandGeometry.ProjectLandmarks(crop, roi, n);
        Assert.That(n[0], Is.EqualTo(0.5f).Within(1e-6));
        Assert.That(n[1], Is.EqualTo(0.4f).Within(1e-6));
        Assert.That(n[2], Is.EqualTo(0.1f / 0.4f * 0.2f).Within(1e-6));
        // +x of the crop points down the image after a +90° rotation.
        Assert.That(n[3], Is.EqualTo(0.5f).Within(1e-6));
        Assert.That(n[4], Is.EqualTo(0.4f + (0.5f * 0.3f)).Within(1e-6));
        // (−0.5, −0.5) → (cos·x − sin·y, sin·x + cos·y) = (0.5, −0.5).
        Assert.That(n[6], Is.EqualTo(0.5f + (0.5f * 0.2f)).Within(1e-6));
        Assert.That(n[7], Is.EqualTo(0.4f - (0.5f * 0.3f)).Within(1e-6));
    }

    [Test]
    public void RotateWorld_turns_x_y_and_keeps_z()
    {
        var world = new float[63];
        world[0] = 0.01f; world[1] = 0.02f; world[2] = 0.03f;
        var r = new float[63];
        HandGeometry.RotateWorld(world, MathF.PI / 2, r);
        Assert.That(r[0], Is.EqualTo(-0.02f).Within(1e-7));
        Assert.That(r[1], Is.EqualTo(0.01f).Within(1e-7));
        Assert.That(r[2], Is.EqualTo(0.03f));
    }

    [TestCase(0.9f, false, Handedness.Right, 0.9f)]
    [TestCase(0.9f, true, Handedness.Left, 0.9f)]
    [TestCase(0.2f, false, Handedness.Left, 0.8f)]
    [TestCase(0.2f, true, Handedness.Right, 0.8f)]
    public void Handedness_reads_mediapipe_mirrored_labels_as_the_subjects_hand(float left, bool mirrored, Handedness expected, float score)
    {
        (Handedness hand, float s) = HandGeometry.Handedness(left, mirrored);
        Assert.That(hand, Is.EqualTo(expected));
        Assert.That(s, Is.EqualTo(score).Within(1e-6));
    }

    [Test]
    public void AxisAlignedIou_ignores_rotation()
    {
        var a = new NormalizedRect(0.5f, 0.5f, 0.2f, 0.2f, 0f);
        var b = new NormalizedRect(0.6f, 0.5f, 0.2f, 0.2f, 1f);
        Assert.That(NormalizedRect.AxisAlignedIou(a, b), Is.EqualTo(1f / 3f).Within(1e-6));
        Assert.That(NormalizedRect.AxisAlignedIou(a, a with { XCenter = 0.9f }), Is.Zero);
    }
}
