using System.Text.Json;
using HandPose.Testing;

namespace HandPose.Structure.Tests;

/// <summary>The official NSRM outputs copied into TestData/golden (see PROVENANCE.md).</summary>
internal static class GoldenData
{
    private static readonly Lazy<JsonDocument> Index = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "index.json"))));

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "golden");

    public static IEnumerable<string> CaseIds => Index.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("id").GetString()!);

    public static JsonElement Case(string id) =>
        Index.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    public static bool Has(string id, string output) => Case(id).GetProperty("files").TryGetProperty(output, out _);

    public static float[] F32(string id, string output) =>
        Tolerance.ReadF32(Path.Combine(Directory, Case(id).GetProperty("files").GetProperty(output).GetProperty("file").GetString()!));

    public static double[] F64(string id, string output) =>
        Tolerance.ReadF64(Path.Combine(Directory, Case(id).GetProperty("files").GetProperty(output).GetProperty("file").GetString()!));

    public static int MapSize(string id) => Case(id).GetProperty("map_size").GetInt32();

    /// <summary>Official G1&amp;6 target: concat(g1, g6).</summary>
    public static float[] G1G6(string id, string prefix, string suffix = "") =>
        [.. F32(id, $"{prefix}_g1{suffix}"), .. F32(id, $"{prefix}_g6{suffix}")];

    /// <summary>Every SIMD path this machine can run, plus scalar.</summary>
    public static int[] Paths => new[] { 0, 128, 256, 512 }.Where(w => w <= HandPoseEnvironment.SimdWidth).ToArray();
}
