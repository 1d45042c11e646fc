using System.Text.Json;

namespace HandPose.Cli.Tests;

public sealed class SynthCommandTests
{
    [Test]
    public void Synth_writes_the_dataset_layout_and_the_same_bytes_for_the_same_seed()
    {
        string a = Path.Combine(Path.GetTempPath(), "handpose-synth-" + Guid.NewGuid().ToString("N"));
        string b = a + "-again";
        try
        {
            var (code, output, error) = CliRunner.Run("synth", "--count", "3", "--size", "64", "--seed", "5", "--out", a, "--handedness", "left", "--preview", Path.Combine(a, "sheet.png"));
            Assert.That(code, Is.Zero, error);
            Assert.That(output, Does.Contain("3 samples"));
            Assert.That(CliRunner.Run("synth", "--count", "3", "--size", "64", "--seed", "5", "--out", b, "--handedness", "left", "--threads", "1").ExitCode, Is.Zero);
            foreach (string file in new[] { "rgb/000000.png", "depth/000001.png", "mask/000002.png", "annotations.json" })
            {
                Assert.That(File.ReadAllBytes(Path.Combine(a, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(b, file))), file);
            }

            // 16-bit grey depth PNG: IHDR bit depth 16, colour type 0.
            byte[] depth = File.ReadAllBytes(Path.Combine(a, "depth", "000000.png"));
            Assert.That((depth[24], depth[25]), Is.EqualTo(((byte)16, (byte)0)));
            Assert.That(File.Exists(Path.Combine(a, "sheet.png")));

            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(a, "annotations.json")));
            JsonElement root = doc.RootElement;
            Assert.That(root.GetProperty("image_size")[0].GetInt32(), Is.EqualTo(64));
            Assert.That(root.GetProperty("keypoint_order").GetString(), Is.EqualTo("hand21"));
            JsonElement s0 = root.GetProperty("samples")[0];
            Assert.That(s0.GetProperty("id").GetString(), Is.EqualTo("000000"));
            Assert.That(s0.GetProperty("handedness").GetString(), Is.EqualTo("left"));
            Assert.That(s0.GetProperty("keypoints_3d").GetArrayLength(), Is.EqualTo(21));
            JsonElement k = s0.GetProperty("K");
            JsonElement p3 = s0.GetProperty("keypoints_3d")[8], p2 = s0.GetProperty("keypoints_2d")[8];
            double u = (k[0][0].GetDouble() * p3[0].GetDouble() / p3[2].GetDouble()) + k[0][2].GetDouble();
            Assert.That(p2[0].GetDouble(), Is.EqualTo(u).Within(1e-3));
        }
        finally
        {
            foreach (string dir in new[] { a, b })
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }
    }

    [TestCase("--size", "0")]
    [TestCase("--size", "100000")]
    [TestCase("--count", "-1")]
    public void Synth_rejects_bad_sizes_and_counts_with_exit_code_1(string option, string value)
    {
        string dir = Path.Combine(Path.GetTempPath(), "handpose-synth-" + Guid.NewGuid().ToString("N"));
        string[] args = option == "--count" ? ["synth", "--count", value, "--out", dir] : ["synth", "--count", "1", option, value, "--out", dir];
        var (code, _, error) = CliRunner.Run(args);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.StartWith("handpose: "));
        Assert.That(Directory.Exists(dir), Is.False, "nothing written on bad input");
    }
}
