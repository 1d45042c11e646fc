namespace HandPose.Cli.Tests;

public sealed class DoctorCommandTests
{
    [Test]
    public void Doctor_reports_os_dotnet_simd_and_each_engine_and_exits_0()
    {
        (int code, string output, string error) = CliRunner.Run("doctor");
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("OS:"));
        Assert.That(output, Does.Contain(".NET:").And.Contain(".NET 10"));
        string simd = HandPoseEnvironment.SimdWidth == 0 ? "scalar" : HandPoseEnvironment.SimdWidth.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(output, Does.Contain($"SIMD width:    {simd}"));
        Assert.That(output, Does.Contain("libtorch:"));
        Assert.That(output, Does.Contain("ONNX Runtime:"));
    }

    [Test]
    public void Version_prints_the_assembly_version()
    {
        (int code, string output, _) = CliRunner.Run("--version");
        Assert.That(code, Is.Zero);
        Assert.That(output.Trim(), Does.StartWith("0.1.0"));
    }

    [Test]
    public void Unknown_command_is_a_usage_error_with_exit_code_2()
    {
        (int code, string output, string error) = CliRunner.Run("frobnicate");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty, "nothing on stdout when it is data");
        Assert.That(error, Does.Contain("frobnicate"));
    }

    [Test]
    public void Help_lists_doctor()
    {
        (int code, string output, _) = CliRunner.Run("--help");
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("doctor"));
    }
}
