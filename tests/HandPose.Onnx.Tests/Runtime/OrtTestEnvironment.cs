using System.Diagnostics;
using HandPose.IO;
using HandPose.Onnx.Runtime;
using HandPose.Testing;

namespace HandPose.Onnx.Tests.Runtime;

/// <summary>Shared helpers: the ONNX Runtime gate, fixture paths and the generated ResNet-18 reference.</summary>
internal static class OrtTestEnvironment
{
    private static readonly Lock ResNetGate = new();

    public static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    /// <summary>Fails (under scripts/test.sh) or ignores the test when ONNX Runtime cannot be loaded.</summary>
    public static void RequireRuntime()
    {
        NativeEngineInfo info = OnnxSession.ProbeRuntime();
        NativeRequirement.Require(info.IsAvailable, "ONNX Runtime", string.Join("; ", info.PathsTried) + " " + info.Detail);
    }

    public static NpyArray Npy(string path) => NpyArray.Load(path);

    /// <summary>
    /// The Simple Baselines ResNet-18 reference (~60 MB): generated once into the setup cache by
    /// TestData/tools/make_models.py with Debian's PyTorch, never committed.
    /// </summary>
    public static string ResNetDirectory()
    {
        string dir = RepoPaths.Cache("test-models", "onnx", "v1");
        lock (ResNetGate)
        {
            if (!File.Exists(Path.Combine(dir, "simple_baselines_r18.output.npy")))
            {
                RunPython(Data("tools/make_models.py"), "resnet", dir);
            }
        }

        return dir;
    }

    public static string Python => Environment.GetEnvironmentVariable("HANDPOSE_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    public static string RunPython(params string[] args)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            Assert.Fail($"{Python} {string.Join(' ', args)} failed ({p.ExitCode}): {err.Result}");
        }

        return output;
    }
}
