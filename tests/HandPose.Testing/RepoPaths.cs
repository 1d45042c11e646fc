namespace HandPose.Testing;

/// <summary>Where things are in the checkout, found from the test assembly's folder (never from ../shared).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HandPose.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No HandPose.sln above {AppContext.BaseDirectory}.");
    });

    /// <summary>The repository root.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>A path under <c>tests/</c>.</summary>
    public static string Tests(params string[] parts) => Path.Combine([Root, "tests", .. parts]);

    /// <summary>A path under the setup cache (<c>.cache/</c> or $HANDPOSE_CACHE).</summary>
    public static string Cache(params string[] parts) => Path.Combine([HandPoseCacheRoot(), .. parts]);

    /// <summary>A fresh temporary folder, deleted by the caller or left for the OS.</summary>
    public static string NewTempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "handpose-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string HandPoseCacheRoot()
    {
        string? env = Environment.GetEnvironmentVariable("HANDPOSE_CACHE");
        return string.IsNullOrWhiteSpace(env) ? Path.Combine(Root, ".cache") : env;
    }
}
