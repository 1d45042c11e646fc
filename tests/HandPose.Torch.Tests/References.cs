using System.Collections.Concurrent;
using System.Security.Cryptography;
using HandPose.Testing;

namespace HandPose.Torch.Tests;

/// <summary>
/// PyTorch reference files made by a script of TestData/tools (Debian's python3-torch) into the setup cache,
/// keyed by the script's hash; generated on first use (about 15 s), never committed (the weights are large).
/// </summary>
internal static class References
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Dirs = new(StringComparer.Ordinal);

    /// <summary>A file written by make_references.py.</summary>
    public static string Path(string name) => In("make_references.py", name);

    /// <summary>A file written by that script of TestData/tools.</summary>
    public static string In(string script, string name) =>
        System.IO.Path.Combine(Dirs.GetOrAdd(script, s => new Lazy<string>(() => Generate(s))).Value, name);

    private static string Generate(string scriptName)
    {
        string script = System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "tools", scriptName);
        string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(script)))[..16];
        string dir = System.IO.Path.Combine(HandPoseEnvironment.CacheDirectory, "test-references", "torch", hash);
        if (File.Exists(System.IO.Path.Combine(dir, "done")))
        {
            return dir;
        }

        RunTool(scriptName, dir);
        return dir;
    }

    /// <summary>Runs a script of TestData/tools with Debian's python3 (or HANDPOSE_PYTHON); fails the test with its stderr if it fails.</summary>
    public static void RunTool(string script, params string[] args) => PythonTool.Run(script, args);
}
