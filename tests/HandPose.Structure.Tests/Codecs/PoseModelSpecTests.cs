using HandPose.Structure.Codecs;

namespace HandPose.Structure.Tests.Codecs;

public sealed class PoseModelSpecTests
{
    private static readonly PoseModelSpec Handy = new()
    {
        Architecture = "handypose",
        InputWidth = 368,
        InputHeight = 320,
        Mean = [128f / 255f, 128f / 255f, 128f / 255f],
        Std = [256f / 255f, 256f / 255f, 256f / 255f],
        Bgr = true,
        Schema = KeypointSchema.Hand21,
        HeatmapStride = 8,
        Decoder = HeatmapRefinement.None,
        FinalOutput = "output",
        Outputs = ["output"],
    };

    [Test]
    public void Metadata_round_trips_every_field_with_the_invariant_culture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Dictionary<string, string> meta = Handy.ToMetadata().ToDictionary(p => p.Key, p => p.Value);
            Assert.That(meta[PoseModelSpec.Keys.InputSize], Is.EqualTo("368,320"));
            Assert.That(meta[PoseModelSpec.Keys.ColorOrder], Is.EqualTo("BGR"));
            Assert.That(meta[PoseModelSpec.Keys.Decoder], Is.EqualTo("None"));
            Assert.That(meta[PoseModelSpec.Keys.Mean], Does.Not.Contain(";").And.StartWith("0.5019"));
            PoseModelSpec read = PoseModelSpec.FromMetadata(meta)!;
            Assert.That(read.Mean, Is.EqualTo(Handy.Mean));
            Assert.That(read.Std, Is.EqualTo(Handy.Std));
            Assert.That(read.Outputs, Is.EqualTo(Handy.Outputs));
            Assert.That(read.Schema!.ToJson(), Is.EqualTo(KeypointSchema.Hand21.ToJson()));
            Assert.That(read with { Mean = Handy.Mean, Std = Handy.Std, Outputs = Handy.Outputs, Schema = Handy.Schema }, Is.EqualTo(Handy));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Test]
    public void A_model_without_a_spec_reads_as_null_and_optional_parts_stay_null()
    {
        Assert.That(PoseModelSpec.FromMetadata(new Dictionary<string, string> { ["handpose.mean"] = "0,0,0" }), Is.Null);
        var bare = new PoseModelSpec { Architecture = "resnet18", InputWidth = 224, InputHeight = 224 };
        PoseModelSpec read = PoseModelSpec.FromMetadata(bare.ToMetadata().ToDictionary(p => p.Key, p => p.Value))!;
        Assert.That((read.Mean, read.Schema, read.HeatmapStride, read.Decoder, read.FinalOutput), Is.EqualTo(((IReadOnlyList<float>?)null, (KeypointSchema?)null, (int?)null, (HeatmapRefinement?)null, (string?)null)));
        Assert.That(read.Outputs, Is.Empty);
    }

    [TestCase(PoseModelSpec.Keys.InputSize, "256")]
    [TestCase(PoseModelSpec.Keys.InputSize, "256,0")]
    [TestCase(PoseModelSpec.Keys.InputSize, "25.5,256")]
    [TestCase(PoseModelSpec.Keys.Mean, "0.5,0.5")]
    [TestCase(PoseModelSpec.Keys.Std, "1,0,1")]
    [TestCase(PoseModelSpec.Keys.Std, "1,x,1")]
    [TestCase(PoseModelSpec.Keys.PixelScale, "NaN")]
    [TestCase(PoseModelSpec.Keys.Decoder, "Gaussian")]
    [TestCase(PoseModelSpec.Keys.HeatmapStride, "-4")]
    [TestCase(PoseModelSpec.Keys.Skeleton, "{not json")]
    public void Malformed_entries_are_rejected_naming_the_key(string key, string value)
    {
        Dictionary<string, string> meta = Handy.ToMetadata().ToDictionary(p => p.Key, p => p.Value);
        meta[key] = value;
        var ex = Assert.Throws<DataFormatException>(() => PoseModelSpec.FromMetadata(meta))!;
        Assert.That(ex.Message, Does.Contain(key));
    }
}
