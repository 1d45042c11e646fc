namespace HandPose.Imaging.Tests;

public sealed class DrawingTests
{
    [Test]
    public void FilledCircle_covers_pi_r_squared_and_is_solid_inside()
    {
        var image = new ImageBuffer(100, 100, PixelFormat.Gray8);
        ImageDrawing.FilledCircle(image, 50.3f, 49.6f, 10f, ColorRgb.White);
        double coverage = image.Memory.ToArray().Sum(b => b / 255.0);
        // Skia flattens the circle into an inscribed polygon: 309.1 of 314.2 pixels at r = 10 (1.6 % less).
        Assert.That(coverage, Is.EqualTo(Math.PI * 100).Within(Math.PI * 100 * 0.02));
        Assert.That(image.GetRowSpan(49)[50], Is.EqualTo(255));
        Assert.That(image.GetRowSpan(49)[65], Is.Zero);
        byte edge = image.GetRowSpan(49)[60]; // centre x = 60.5 is 0.2 px outside the edge at 60.3
        Assert.That(edge, Is.InRange(70, 90), "anti-aliased edge: coverage 0.3");
    }

    [Test]
    public void Line_is_anti_aliased_with_the_requested_thickness()
    {
        var image = new ImageBuffer(60, 40, PixelFormat.Rgb24);
        ImageDrawing.Line(image, 10, 20, 40, 20, ColorRgb.Red, 2f);
        Assert.That(image.GetRowSpan(19).Slice(25 * 3, 3).ToArray(), Is.EqualTo(new byte[] { 255, 0, 0 }));
        Assert.That(image.GetRowSpan(20).Slice(25 * 3, 3).ToArray(), Is.EqualTo(new byte[] { 255, 0, 0 }));
        Assert.That(image.GetRowSpan(18)[25 * 3], Is.Zero);
        Assert.That(image.GetRowSpan(21)[25 * 3], Is.Zero);
        double coverage = Enumerable.Range(0, 40).Sum(y => Enumerable.Range(0, 60).Sum(x => image.GetRowSpan(y)[x * 3] / 255.0));
        Assert.That(coverage, Is.EqualTo((30 * 2) + Math.PI).Within(1.0), "capsule area: length x thickness + round caps");
    }

    [Test]
    public void Box_straddles_its_edges()
    {
        var image = new ImageBuffer(20, 20, PixelFormat.Gray8);
        ImageDrawing.Box(image, 5, 5, 10, 10, ColorRgb.White, 1f);
        Assert.That(image.GetRowSpan(10)[4], Is.InRange(127, 128));
        Assert.That(image.GetRowSpan(10)[5], Is.InRange(127, 128));
        Assert.That(image.GetRowSpan(10)[10], Is.Zero);
    }

    [Test]
    public void Hand_skeleton_colours_each_finger_and_skips_missing_points()
    {
        var image = new ImageBuffer(200, 200, PixelFormat.Rgb24);
        var kp = new Keypoint2D[21];
        kp[0] = new Keypoint2D(100, 180);
        for (int f = 0; f < 5; f++)
        {
            for (int j = 0; j < 4; j++)
            {
                kp[1 + (4 * f) + j] = new Keypoint2D(20 + (40 * f), 140 - (30 * j));
            }
        }

        kp[20] = Keypoint2D.Missing;
        ImageDrawing.Skeleton(image, kp, thickness: 4f, radius: 3f);
        byte[] At(float x, float y) => image.GetRowSpan((int)y).Slice((int)x * 3, 3).ToArray();
        Assert.That(At(20, 95), Is.EqualTo(new byte[] { 230, 25, 75 }), "thumb limb 2->3");
        Assert.That(At(60, 95), Is.EqualTo(new byte[] { 255, 145, 0 }), "index");
        Assert.That(At(100, 95), Is.EqualTo(new byte[] { 60, 180, 75 }), "middle");
        Assert.That(At(140, 95), Is.EqualTo(new byte[] { 0, 130, 200 }), "ring");
        Assert.That(At(180, 95), Is.EqualTo(new byte[] { 145, 30, 180 }), "little");
        Assert.That(At(180, 65), Is.EqualTo(new byte[] { 0, 0, 0 }), "limb to the missing tip is skipped");
        Assert.That(At(100, 160), Is.EqualTo(new byte[] { 200, 200, 200 }), "palm limb wrist->middle MCP");
    }

    [Test]
    public void Viridis_hits_its_stops_and_overlay_blends()
    {
        Assert.That(Colormap.Viridis(0), Is.EqualTo(new ColorRgb(68, 1, 84)));
        Assert.That(Colormap.Viridis(0.5f), Is.EqualTo(new ColorRgb(33, 145, 140)));
        Assert.That(Colormap.Viridis(1), Is.EqualTo(new ColorRgb(253, 231, 37)));
        Assert.That(Colormap.Viridis(float.NaN), Is.EqualTo(Colormap.Viridis(0)));

        var image = new ImageBuffer(4, 2, PixelFormat.Rgb24);
        image.Memory.Span.Fill(100);
        ImageDrawing.ColormapOverlay(image, [0f, 1f], 2, 1, opacity: 1f);
        Assert.That(image.GetRowSpan(1)[..3].ToArray(), Is.EqualTo(new byte[] { 68, 1, 84 }));
        Assert.That(image.GetRowSpan(0)[9..12].ToArray(), Is.EqualTo(new byte[] { 253, 231, 37 }));

        var half = new ImageBuffer(1, 1, PixelFormat.Rgb24);
        half.Memory.Span.Fill(100);
        ImageDrawing.ColormapOverlay(half, [1f], 1, 1, opacity: 0.5f);
        Assert.That(half.Memory.ToArray(), Is.EqualTo(new byte[] { 177, 166, 69 }));
        Assert.Throws<ArgumentException>(() => ImageDrawing.ColormapOverlay(half, [1f, 2f], 1, 1));
    }

    [Test]
    public void Label_draws_text_inside_its_background_box()
    {
        Assert.That(ImageDrawing.CanDrawText, Is.True, "a system font (fonts-dejavu-core, installed by scripts/setup.sh)");
        var image = new ImageBuffer(120, 40, PixelFormat.Rgb24);
        Assert.That(ImageDrawing.Label(image, "Right 0.97", 10, 8, ColorRgb.White, 14f, new ColorRgb(0, 0, 200)), Is.True);

        byte[] px = image.Memory.ToArray();
        int Blue(int x, int y) => px[(((y * 120) + x) * 3) + 2];
        int Red(int x, int y) => px[((y * 120) + x) * 3];
        Assert.That(Blue(11, 9), Is.EqualTo(200), "background box");
        Assert.That(Blue(5, 5), Is.Zero, "nothing outside the box");
        int ink = Enumerable.Range(0, 40).Sum(y => Enumerable.Range(0, 120).Count(x => Red(x, y) > 128));
        Assert.That(ink, Is.InRange(60, 600), "white glyph pixels");
        int right = Enumerable.Range(0, 120).Last(x => Enumerable.Range(0, 40).Any(y => Blue(x, y) > 0));
        Assert.That(right, Is.InRange(60, 110), "the box is as wide as the text");
    }

    [Test]
    public void Hands_draws_region_skeleton_and_label_and_checks_the_size()
    {
        var image = new ImageBuffer(200, 200, PixelFormat.Rgb24);
        var points = Enumerable.Range(0, 21).Select(i => new Keypoint3D(60 + (4 * i), 100 + (2 * (i % 5)), 0, 1f)).ToArray();
        var hand = new Hand(KeypointSchema.Hand21, points) { Handedness = Handedness.Left, Score = 0.9f, Region = new HandRegion(100, 105, 120, 60, 0.1f) };

        ImageDrawing.Hands(image, new HandPoseResult([hand], 200, 200));

        byte[] px = image.Memory.ToArray();
        (byte R, byte G, byte B) At(int x, int y) => (px[((y * 200) + x) * 3], px[(((y * 200) + x) * 3) + 1], px[(((y * 200) + x) * 3) + 2]);
        Assert.That(At(60, 100), Is.Not.EqualTo(((byte)0, (byte)0, (byte)0)), "wrist dot");
        // Yellow over black is (c, c, 0) for coverage c; no skeleton or label colour has that form.
        double yellow = Enumerable.Range(0, 200).Sum(y => Enumerable.Range(0, 200).Sum(x => At(x, y) is { B: 0 } p && p.R == p.G ? p.R / 255.0 : 0));
        Assert.That(yellow, Is.InRange(300, 380), "region outline: perimeter 2 x (120 + 60) at 1 px, less what the skeleton covers");
        int label = Enumerable.Range(70, 25).Sum(y => Enumerable.Range(60, 60).Count(x => At(x, y) == (40, 40, 40)));
        Assert.That(label, Is.GreaterThan(50), "label background above the hand");

        Assert.That(() => ImageDrawing.Hands(image, new HandPoseResult([hand], 100, 200)), Throws.ArgumentException.With.Message.Contains("100x200"));
    }
}
