using System.Numerics;

namespace HandPose.Synthetic;

/// <summary>A pinhole camera matrix K = [[Fx, 0, Cx], [0, Fy, Cy], [0, 0, 1]] in pixels.</summary>
/// <remarks>Integer pixel coordinates are pixel centres (MMPose/OpenCV convention): u = Fx·x/z + Cx, v = Fy·y/z + Cy.</remarks>
/// <param name="Fx">Horizontal focal length, pixels.</param>
/// <param name="Fy">Vertical focal length, pixels.</param>
/// <param name="Cx">Principal point, column.</param>
/// <param name="Cy">Principal point, row.</param>
public readonly record struct CameraIntrinsics(float Fx, float Fy, float Cx, float Cy)
{
    /// <summary>Projects a camera-frame point (z forward, z &gt; 0) to pixel coordinates.</summary>
    /// <param name="x">Right, mm.</param>
    /// <param name="y">Down, mm.</param>
    /// <param name="z">Forward, mm.</param>
    /// <returns>The pixel (u, v).</returns>
    public Vector2 Project(float x, float y, float z) => new((Fx * x / z) + Cx, (Fy * y / z) + Cy);
}
