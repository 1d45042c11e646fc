using System.Numerics;
using System.Runtime.Intrinsics;

namespace HandPose;

/// <summary>Facts about the running process that HandPose's packages share: the setup cache and the SIMD width.</summary>
public static class HandPoseEnvironment
{
    /// <summary>The environment variable that overrides <see cref="CacheDirectory"/>.</summary>
    public const string CacheVariable = "HANDPOSE_CACHE";

    /// <summary>
    /// The folder where <c>scripts/setup.sh</c> puts native engines and converted models: <c>$HANDPOSE_CACHE</c> when
    /// set; otherwise the <c>.cache</c> folder of the nearest enclosing HandPose checkout (found from the application
    /// folder, then the working directory); otherwise <c>~/.cache/handpose</c>.
    /// </summary>
    public static string CacheDirectory
    {
        get
        {
            string? configured = System.Environment.GetEnvironmentVariable(CacheVariable);
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return Path.GetFullPath(configured);
            }

            foreach (string start in new[] { AppContext.BaseDirectory, System.Environment.CurrentDirectory })
            {
                for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "HandPose.sln")))
                    {
                        return Path.Combine(dir.FullName, ".cache");
                    }
                }
            }

            return Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".cache", "handpose");
        }
    }

    /// <summary>The widest hardware-accelerated vector width in bits that .NET uses here: 512, 256, 128, or 0 for scalar.</summary>
    /// <remarks>Honours the runtime switches (<c>DOTNET_EnableHWIntrinsic=0</c>, <c>DOTNET_EnableAVX2=0</c>, <c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_PreferredVectorBitWidth</c>).</remarks>
    public static int SimdWidth =>
        Vector512.IsHardwareAccelerated ? 512
        : Vector256.IsHardwareAccelerated ? 256
        : Vector128.IsHardwareAccelerated ? 128
        : 0;

    /// <summary>The width of <see cref="Vector{T}"/> in bits (what <c>System.Numerics</c> code gets).</summary>
    public static int VectorTWidth => Vector.IsHardwareAccelerated ? Vector<byte>.Count * 8 : 0;
}
