using HandPose.Testing;

namespace HandPose.Cli.Tests;

/// <summary>How the tool reports failures: whole messages, the failing output named, no partial outputs, exit codes.</summary>
[NonParallelizable]
public sealed class CliErrorTests
{
    private static string Photo => EstimateCommandTests.Photo;

    private static void RequireModels() => EstimateCommandTests.RequireModels();

    [TestCase("--max-hands", "0")]
    [TestCase("--max-hands", "17")]
    [TestCase("--min-detection", "1.5")]
    [TestCase("--min-presence", "-0.1")]
    [TestCase("--min-detection", "NaN")]
    public void Out_of_range_estimate_options_are_usage_errors(string option, string value)
    {
        (int code, string output, string error) = CliRunner.Run("estimate", Photo, option, value);
        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.StartWith($"handpose: {option} must be from "));
        Assert.That(error, Does.Contain("Run 'handpose --help' for usage."));
    }

    [Test]
    public void An_annotate_file_of_unknown_format_is_a_usage_error_before_any_work()
    {
        string dir = RepoPaths.NewTempDirectory();
        string target = Path.Combine(dir, "out.bmp");
        (int code, _, string error) = CliRunner.Run("estimate", Photo, "--annotate", target);
        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain(target).And.Contain(".png, .jpg/.jpeg or .webp"));
        Assert.That(Directory.GetFileSystemEntries(dir), Is.Empty);
    }

    [Test]
    public void A_multi_line_message_is_printed_whole_with_continuation_lines_indented()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext(stdout, stderr);
        int code = context.Guard(() => throw new ModelLoadException("m.onnx", "three reasons:\n- first\r\n- second\n\nend"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr.ToString().ReplaceLineEndings("\n"), Is.EqualTo(
            "handpose: Could not load 'm.onnx': three reasons:\n  - first\n  - second\n\n  end\n"));
        Assert.That(stdout.ToString(), Is.Empty);
    }

    [Test]
    public void A_failing_annotate_output_is_named_and_no_json_is_left_behind()
    {
        RequireModels();
        string dir = RepoPaths.NewTempDirectory();
        string json = Path.Combine(dir, "hands.json");
        string missingFolder = Path.Combine(dir, "no-such-folder");
        string png = Path.Combine(missingFolder, "hands.png");

        (int code, string output, string error) = CliRunner.Run("estimate", Photo, "--json", json, "--annotate", png);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.StartWith($"handpose: could not write --annotate {png}: the folder {missingFolder} does not exist."));
        Assert.That(Directory.GetFileSystemEntries(dir), Is.Empty, "neither the JSON nor a temporary file is left");
    }

    [Test]
    public void A_failing_json_output_keeps_the_previous_files_untouched()
    {
        RequireModels();
        string dir = RepoPaths.NewTempDirectory();
        string png = Path.Combine(dir, "hands.png");
        File.WriteAllText(png, "previous");
        string jsonAsFolder = Path.Combine(dir, "hands.json");
        Directory.CreateDirectory(jsonAsFolder);

        (int code, _, string error) = CliRunner.Run("estimate", Photo, "--annotate", png, "--json", jsonAsFolder);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.StartWith($"handpose: could not write --json {jsonAsFolder}: it is a folder"));
        Assert.That(File.ReadAllText(png), Is.EqualTo("previous"), "the annotated image is not replaced when another output fails");
        Assert.That(Directory.GetFileSystemEntries(dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "hands.png", "hands.json" }));
    }

    [Test]
    public void Successful_outputs_replace_existing_files_and_leave_no_temporary_files()
    {
        RequireModels();
        string dir = RepoPaths.NewTempDirectory();
        string json = Path.Combine(dir, "hands.json"), jpg = Path.Combine(dir, "hands.jpg");
        File.WriteAllText(json, "old");
        (int code, _, string error) = CliRunner.Run("estimate", Photo, "--json", json, "--annotate", jpg);
        Assert.That(code, Is.Zero, error);
        Assert.That(File.ReadAllText(json), Does.StartWith("{"));
        Assert.That(File.ReadAllBytes(jpg).Take(2), Is.EqualTo(new byte[] { 0xFF, 0xD8 }), "JPEG by the extension");
        Assert.That(Directory.GetFileSystemEntries(dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "hands.json", "hands.jpg" }));
    }

    [Test]
    public void Convert_and_masks_write_all_or_nothing_and_name_the_output()
    {
        string dir = RepoPaths.NewTempDirectory();
        string missingFolder = Path.Combine(dir, "no-such-folder");
        string png = Path.Combine(missingFolder, "photo.png");
        (int code, _, string error) = CliRunner.Run("convert", Photo, png);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.StartWith($"handpose: could not write OUT {png}: the folder {missingFolder} does not exist."));

        string npyAsFolder = Path.Combine(dir, "maps.npy");
        Directory.CreateDirectory(npyAsFolder);
        string keypoints = Path.Combine(dir, "keypoints.json");
        File.WriteAllText(keypoints, "{\"keypoints\": [" + string.Join(", ", Enumerable.Range(0, 21).Select(i => $"[{4 + i}.5, {24 - i}]")) + "]}");
        (code, _, error) = CliRunner.Run("masks", "--keypoints", keypoints, "--map-size", "32x32", "--kind", "heatmap", "--out", npyAsFolder);
        Assert.That(code, Is.EqualTo(1), error);
        Assert.That(error, Does.StartWith($"handpose: could not write --out {npyAsFolder}: it is a folder"));

        string jpg = Path.Combine(dir, "photo.jpg");
        File.WriteAllText(jpg, "old");
        (code, _, error) = CliRunner.Run("convert", Photo, jpg);
        Assert.That(code, Is.Zero, error);
        Assert.That(File.ReadAllBytes(jpg).Take(2), Is.EqualTo(new byte[] { 0xFF, 0xD8 }), "replaced by the JPEG");
        Assert.That(Directory.GetFileSystemEntries(dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "keypoints.json", "maps.npy", "photo.jpg" }),
            "no temporary file left behind");
    }

    [TestCase("HANDPOSE_MAX_IMAGE_PIXELS", "lots")]
    [TestCase("HANDPOSE_MAX_TENSOR_ELEMENTS", "0")]
    [TestCase("HANDPOSE_MAX_IMAGE_PIXELS", "-5")]
    public void An_invalid_environment_override_is_an_error_naming_the_variable(string variable, string value)
    {
        string? before = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, value);
        try
        {
            (int code, string output, string error) = CliRunner.Run("info", Photo);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.StartWith($"handpose: the environment variable {variable} is '{value}'"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, before);
        }
    }
}
