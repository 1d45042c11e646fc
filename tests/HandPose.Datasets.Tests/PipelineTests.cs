using HandPose.Datasets.Training;
using HandPose.Structure.Codecs;
using HandPose.Synthetic;
using HandPose.Testing;

namespace HandPose.Datasets.Tests;

/// <summary>The training data pipeline: crop geometry against the warped pixels, targets, and the loader's determinism.</summary>
public sealed class PipelineTests
{
    /// <summary>A black image with a 3×3 white blob centred on keypoint 0; the other keypoints spread out to make a box.</summary>
    private static SourceImage Blob(Handedness handedness = Handedness.Left)
    {
        const int w = 100, h = 80;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 49; y <= 51; y++)
        {
            for (int x = 29; x <= 31; x++)
            {
                rgb.AsSpan(((y * w) + x) * 3, 3).Fill(255);
            }
        }

        var kp = new Keypoint2D[21];
        for (int j = 0; j < 21; j++)
        {
            kp[j] = j == 0 ? new Keypoint2D(30, 50) : new Keypoint2D(20 + (2 * j), 30 + j);
        }

        kp[20] = Keypoint2D.Missing;
        return new SourceImage(rgb, w, h, kp, null, handedness);
    }

    [Test]
    public void Augmented_keypoints_land_on_the_warped_pixels_they_label()
    {
        var pipeline = new SamplePipeline(64, [], new AugmentationOptions { RotationDegrees = 60, ScaleRange = (0.8, 1.0), FlipProbability = 0.5, Brightness = 0, Contrast = 0, Saturation = 0, BlurProbability = 0, NoiseProbability = 0 });
        SourceImage source = Blob();
        int flips = 0;
        for (int index = 0; index < 16; index++)
        {
            TrainingBatch batch = pipeline.NewBatch(1);
            var random = new SampleRandom(7, 0, index);
            pipeline.Prepare(source, index, augment: true, ref random, batch, 0);
            // The blob's centre maps to the keypoint: the centroid of the warped blob (pixel centres at i + 0.5) is there.
            float background = batch.Images[..(64 * 64)].Min();
            double sum = 0, sx = 0, sy = 0;
            for (int i = 0; i < 64 * 64; i++)
            {
                double v = batch.Images[i] - background;
                sum += v;
                sx += v * ((i % 64) + 0.5);
                sy += v * ((i / 64) + 0.5);
            }

            Assert.That(sx / sum, Is.EqualTo(batch.Keypoints[0]).Within(0.25), $"x, sample {index}");
            Assert.That(sy / sum, Is.EqualTo(batch.Keypoints[1]).Within(0.25), $"y, sample {index}");
            Assert.That(batch.TargetWeights[20], Is.Zero, "an unlabelled keypoint has weight 0");
            Assert.That(float.IsNaN(batch.Keypoints[40]), Is.True);
            Assert.That(batch.Handedness[0], Is.EqualTo(batch.Flipped[0] ? Handedness.Right : Handedness.Left));
            flips += batch.Flipped[0] ? 1 : 0;
        }

        Assert.That(flips, Is.InRange(3, 13), "about half of the samples are flipped");
    }

    [Test]
    public void Without_augmentation_the_crop_is_the_box_times_the_context_centred()
    {
        var pipeline = new SamplePipeline(64, [], AugmentationOptions.None);
        TrainingBatch batch = pipeline.NewBatch(1);
        var random = new SampleRandom(0, 0, 0);
        pipeline.Prepare(Blob(), 0, augment: false, ref random, batch, 0);
        // Labelled keypoints span x 22.5..58.5 (continuous), y 31.5..50.5: side 36 * 1.3, centre (40.5, 41).
        double k = 64 / (36 * 1.3);
        Assert.That(batch.Keypoints[0], Is.EqualTo(32 + ((30.5 - 40.5) * k)).Within(1e-4));
        Assert.That(batch.Keypoints[1], Is.EqualTo(32 + ((50.5 - 41) * k)).Within(1e-4));
        Assert.That(batch.BoxSizes[0], Is.EqualTo(36 * k).Within(1e-3));
        Assert.That(batch.Flipped[0], Is.False);
    }

    [Test]
    public void Heatmap_targets_decode_back_to_the_keypoints()
    {
        var target = new TrainingTarget(new GaussianHeatmapRenderer(KeypointSchema.Hand21, 16, 16, 2), 4);
        var pipeline = new SamplePipeline(64, [target], AugmentationOptions.None);
        TrainingBatch batch = pipeline.NewBatch(1);
        var random = new SampleRandom(0, 0, 0);
        pipeline.Prepare(Blob(), 0, augment: false, ref random, batch, 0);
        var peaks = new Keypoint2D[21];
        HeatmapDecoder.Decode(batch.Targets[0], 21, 16, 16, HeatmapLayout.ChannelsFirst, HeatmapRefinement.Dark, peaks);
        int checkedExactly = 0;
        for (int j = 0; j < 20; j++)
        {
            // DARK recovers the exact position two cells or more from the border; nearer, the arg-max cell centre (±2 px).
            double cx = (batch.Keypoints[2 * j] / 4) - 0.5, cy = (batch.Keypoints[(2 * j) + 1] / 4) - 0.5;
            bool inner = cx is > 2.5 and < 12.5 && cy is > 2.5 and < 12.5;
            checkedExactly += inner ? 1 : 0;
            Assert.That(peaks[j].X * 4, Is.EqualTo(batch.Keypoints[2 * j]).Within(inner ? 0.05 : 2.0), $"x {j}");
            Assert.That(peaks[j].Y * 4, Is.EqualTo(batch.Keypoints[(2 * j) + 1]).Within(inner ? 0.05 : 2.0), $"y {j}");
        }

        Assert.That(checkedExactly, Is.GreaterThan(10));

        Assert.That(batch.Targets[0].AsSpan(20 * 256, 256).ToArray(), Is.All.Zero, "a missing keypoint has an empty channel");
    }

    [Test]
    public void Blur_is_the_binomial_kernel_with_replicated_edges()
    {
        float[] plane = [0, 0, 0, 0, 4, 0, 0, 0, 0];
        SamplePipeline.Blur121(plane, 3);
        Assert.That(plane, Is.EqualTo(new float[] { 0.25f, 0.5f, 0.25f, 0.5f, 1f, 0.5f, 0.25f, 0.5f, 0.25f }));
        float[] flat = Enumerable.Repeat(0.7f, 16).ToArray();
        SamplePipeline.Blur121(flat, 4);
        Assert.That(flat, Is.All.EqualTo(0.7f).Within(1e-6));
    }

    private static HandBatchLoader Loader(int workers, int count = 12) =>
        new(TrainingSource.Synthetic(new HandSampler(3, new SyntheticOptions { Size = 32 }), count),
            new SamplePipeline(32, [new TrainingTarget(new GaussianHeatmapRenderer(KeypointSchema.Hand21, 8, 8, 2), 4)]), 4, seed: 11, training: true, workers);

    [Test]
    public void Batches_do_not_depend_on_the_worker_count_and_resume_mid_epoch()
    {
        HandBatchLoader one = Loader(1), three = Loader(3);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            TrainingBatch[] a = one.Epoch(epoch).ToArray(), b = three.Epoch(epoch).ToArray(), tail = three.Epoch(epoch, firstBatch: 1).ToArray();
            Assert.That(a, Has.Length.EqualTo(3));
            Assert.That(tail, Has.Length.EqualTo(2));
            for (int i = 0; i < a.Length; i++)
            {
                Assert.That(b[i].Indices, Is.EqualTo(a[i].Indices));
                Assert.That(b[i].Images, Is.EqualTo(a[i].Images));
                Assert.That(b[i].Targets[0], Is.EqualTo(a[i].Targets[0]));
                if (i > 0)
                {
                    Assert.That(tail[i - 1].Images, Is.EqualTo(a[i].Images));
                }
            }

            Assert.That(a.SelectMany(x => x.Indices).Order(), Is.EqualTo(Enumerable.Range(0, 12)));
        }

        Assert.That(one.Order(0), Is.Not.EqualTo(one.Order(1)), "each epoch has its own order");
        Assert.That(one.Build(0, 0).Images, Is.Not.EqualTo(one.Build(1, 0).Images));
    }

    [Test]
    public void Validation_loader_keeps_file_order_and_every_sample()
    {
        var loader = new HandBatchLoader(TrainingSource.Synthetic(new HandSampler(3, new SyntheticOptions { Size = 32 }), 10),
            new SamplePipeline(32, []), 4, seed: 1, training: false, workers: 2);
        TrainingBatch[] batches = loader.Epoch(0).ToArray();
        Assert.That(batches.Select(b => b.Count), Is.EqualTo(new[] { 4, 4, 2 }));
        Assert.That(batches.SelectMany(b => b.Indices), Is.EqualTo(Enumerable.Range(0, 10)));
        Assert.That(batches[0].Flipped, Is.All.False);
    }

    [Test]
    public void A_missing_image_fails_the_epoch_naming_the_file()
    {
        string dir = RepoPaths.NewTempDirectory();
        SyntheticDataset.Write(new HandSampler(1, new SyntheticOptions { Size = 32 }), 3, dir, 1);
        File.Delete(Path.Combine(dir, "rgb", "000001.png"));
        var loader = new HandBatchLoader(TrainingSource.Parse(dir, 32, 0), new SamplePipeline(32, []), 1, 0, training: false, workers: 2);
        var ex = Assert.Throws<DataFormatException>(() => loader.Epoch(0).ToArray())!;
        Assert.That(ex.Message, Does.Contain("000001.png").And.Contain("missing"));
    }

    [Test]
    public void Data_arguments_are_parsed_or_rejected_with_the_forms_expected()
    {
        TrainingSource synth = TrainingSource.Parse("synth:5", 32, 9);
        Assert.That(synth.Count, Is.EqualTo(5));
        Assert.That(synth.Description, Does.Contain("seed 9"));
        Assert.That(synth.Load(4).Rgb, Is.EqualTo(new HandSampler(9, new SyntheticOptions { Size = 32 }).Sample(4).Rgb.ToArray()), "synth:N sample i is the sampler's sample i");
        Assert.That(Assert.Throws<ArgumentException>(() => TrainingSource.Parse("synth:x", 32, 0))!.Message, Does.Contain("synth:N"));
        Assert.That(Assert.Throws<ArgumentException>(() => TrainingSource.Parse("synth:0", 32, 0))!.Message, Does.Contain("positive"));
        Assert.That(Assert.Throws<ArgumentException>(() => TrainingSource.Parse("/no/such/folder", 32, 0))!.Message, Does.Contain("annotations.json"));
        Assert.That(Assert.Throws<ArgumentException>(() => TrainingSource.Parse("mpii:/x", 32, 0))!.Message, Does.Contain("unknown dataset kind 'mpii'"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SamplePipeline(64, [], new AugmentationOptions { FlipProbability = 2 }));
        Assert.Throws<ArgumentException>(() => _ = new SamplePipeline(64, [new TrainingTarget(new GaussianHeatmapRenderer(KeypointSchema.Hand21, 8, 8), 4)]));
    }
}
