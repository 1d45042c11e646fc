namespace HandPose.Structure.Internal;

/// <summary>The SIMD width the renderers use in this process (what .NET accelerates: 512, 256, 128 or 0).</summary>
internal static class SimdPath
{
    public static readonly int Active = HandPoseEnvironment.SimdWidth;
}
