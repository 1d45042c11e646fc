using System.Diagnostics;
using System.Security.Cryptography;

namespace HandPose.Torch.Tests;

/// <summary>
/// PyTorch reference files made by TestData/tools/make_references.py (Debian's python3-torch) into the setup cache,
/// keyed by the script's hash; generated on first use (about 15 s), never committed (the weights are large).
/// </summary>
internal static class References
{
    private static readonly Lazy<string> Dir = new(Generate);

    public static string Path(string name) => System.IO.Path.Combine(Dir.Value, name);

    /// <summary>Runs a TestData/tools script with Debian's python3 (or HANDPOSE_PYTHON); a failure fails the test with its stderr.</summary>
    public static void RunScript(string name, params string[] args)
    {
        string script = System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "tools", name);
        string python = Environment.GetEnvironmentVariable("HANDPOSE_PYTHON") ?? "/usr/bin/python3";
        var psi = new ProcessStartInfo(python) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(script);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            Assert.Fail($"{python} {script} failed ({p.ExitCode}): {stderr.Result}");
        }
    }

    private static string Generate()
    {
        string script = System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "tools", "make_references.py");
        string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(script)))[..16];
        string dir = System.IO.Path.Combine(HandPoseEnvironment.CacheDirectory, "test-references", "torch", hash);
        if (File.Exists(System.IO.Path.Combine(dir, "done")))
        {
            return dir;
        }

        RunScript("make_references.py", dir);
        return dir;
    }
}
