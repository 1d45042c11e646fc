using System.Diagnostics;
using System.Text.Json;
using HandPose.Testing;

namespace HandPose.Structure.Tests;

/// <summary>
/// Cases never seen by the golden set, generated at test time by TestData/tools/nsrm_reference.py (numpy, the
/// official formulas in float64 order; it reproduces the golden files bit for bit, which
/// <see cref="ReferenceCaseTests.Reference_reproduces_the_official_golden_files_bit_for_bit"/> checks).
/// </summary>
internal static class ReferenceCases
{
    public const int Count = 48;
    public const int Seed = 20261122;

    private static readonly Lazy<(string Directory, JsonDocument Manifest)> Generated = new(Generate);

    public static string Python => Environment.GetEnvironmentVariable("HANDPOSE_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    public static string Tool => Path.Combine(AppContext.BaseDirectory, "TestData", "tools", "nsrm_reference.py");

    public static string Directory => Generated.Value.Directory;

    public static IEnumerable<JsonElement> Cases => Generated.Value.Manifest.RootElement.GetProperty("cases").EnumerateArray();

    public static IEnumerable<string> Ids => Enumerable.Range(0, Count).Select(i => $"g{i:D3}");

    public static JsonElement Case(string prefix) => Cases.Single(c => c.GetProperty("id").GetString()!.StartsWith(prefix, StringComparison.Ordinal));

    public static float[] F32(JsonElement c, string name) => Tolerance.ReadF32(Path.Combine(Directory, c.GetProperty("id").GetString()!, name + ".f32"));

    public static double[] F64(JsonElement c, string name) => Tolerance.ReadF64(Path.Combine(Directory, c.GetProperty("id").GetString()!, name + ".f64"));

    public static (int ExitCode, string Output) RunTool(params string[] args)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Tool);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            using Process p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, $"cannot start {Python}: {ex.Message}");
        }
    }

    private static (string, JsonDocument) Generate()
    {
        string dir = RepoPaths.NewTempDirectory();
        (int code, string output) = RunTool("--generate", dir, "--count", Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        NativeRequirement.Require(code == 0, "numpy reference (/usr/bin/python3 with numpy)", output);
        return (dir, JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json"))));
    }
}
