using System.Diagnostics;
using HandPose.Testing;

namespace HandPose.Onnx.Tests;

/// <summary>Runs Debian's python3 with python3-onnx (the independent ONNX implementation the tests check against).</summary>
internal static class OnnxPython
{
    private static string Interpreter =>
        Environment.GetEnvironmentVariable("HANDPOSE_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with the model path as argv[1]; returns stdout, fails the test on a non-zero exit.</summary>
    public static string Run(string script, string modelPath)
    {
        bool available = File.Exists(Interpreter);
        NativeRequirement.Require(available, "python3-onnx", $"{Interpreter} not found (scripts/setup.sh installs it)");
        var psi = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(modelPath);
        using Process process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("python3 did not finish within 120 s");
        }

        if (process.ExitCode != 0 && stderr.Result.Contains("No module named 'onnx'", StringComparison.Ordinal))
        {
            NativeRequirement.Require(false, "python3-onnx", stderr.Result);
        }

        Assert.That(process.ExitCode, Is.Zero, $"python3 failed:\n{stderr.Result}");
        return stdout.Result;
    }

    /// <summary>onnx.checker.check_model plus strict shape inference; returns the inferred output shapes as text.</summary>
    public static string CheckModel(string modelPath) => Run(
        """
        import sys, onnx
        m = onnx.load(sys.argv[1])
        onnx.checker.check_model(m, full_check=True)
        inferred = onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
        for o in inferred.graph.output:
            dims = [d.dim_value if d.HasField('dim_value') else d.dim_param for d in o.type.tensor_type.shape.dim]
            print(o.name, o.type.tensor_type.elem_type, dims)
        """, modelPath);
}
