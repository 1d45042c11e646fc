using System.Numerics;

namespace HandPose.Synthetic.Internal;

/// <summary>A 3x3 rotation acting on column vectors (columns = the rotated frame's axes).</summary>
internal readonly record struct Mat3(Vector3 X, Vector3 Y, Vector3 Z)
{
    public static Mat3 Identity => new(Vector3.UnitX, Vector3.UnitY, Vector3.UnitZ);

    public Vector3 Apply(Vector3 v) => (X * v.X) + (Y * v.Y) + (Z * v.Z);

    public static Mat3 operator *(Mat3 a, Mat3 b) => new(a.Apply(b.X), a.Apply(b.Y), a.Apply(b.Z));

    /// <summary>Rotation about the x axis by <paramref name="angle"/> radians (+y turns towards +z).</summary>
    public static Mat3 RotX(float angle)
    {
        (float s, float c) = MathF.SinCos(angle);
        return new(Vector3.UnitX, new Vector3(0, c, s), new Vector3(0, -s, c));
    }

    /// <summary>Rotation about the z axis by <paramref name="angle"/> radians (+x turns towards +y).</summary>
    public static Mat3 RotZ(float angle)
    {
        (float s, float c) = MathF.SinCos(angle);
        return new(new Vector3(c, s, 0), new Vector3(-s, c, 0), Vector3.UnitZ);
    }

    /// <summary>Rotation about the y axis by <paramref name="angle"/> radians (+z turns towards +x).</summary>
    public static Mat3 RotY(float angle)
    {
        (float s, float c) = MathF.SinCos(angle);
        return new(new Vector3(c, 0, -s), Vector3.UnitY, new Vector3(s, 0, c));
    }

    /// <summary>A uniformly distributed rotation (Shoemake's unit quaternion from three uniforms).</summary>
    public static Mat3 UniformRandom(ref SampleRandom rng)
    {
        float u1 = rng.NextFloat(), u2 = rng.NextFloat() * 2 * MathF.PI, u3 = rng.NextFloat() * 2 * MathF.PI;
        float a = MathF.Sqrt(1 - u1), b = MathF.Sqrt(u1);
        var q = new Quaternion(a * MathF.Sin(u2), a * MathF.Cos(u2), b * MathF.Sin(u3), b * MathF.Cos(u3));
        return FromQuaternion(q);
    }

    public static Mat3 FromQuaternion(Quaternion q) =>
        new(Vector3.Transform(Vector3.UnitX, q), Vector3.Transform(Vector3.UnitY, q), Vector3.Transform(Vector3.UnitZ, q));

    /// <summary>An orthonormal frame whose y axis is <paramref name="y"/> and whose z axis is as close as possible to <paramref name="zHint"/>.</summary>
    public static Mat3 FromYZ(Vector3 y, Vector3 zHint)
    {
        y = Vector3.Normalize(y);
        Vector3 z = Vector3.Normalize(zHint - (Vector3.Dot(zHint, y) * y));
        return new(Vector3.Cross(y, z), y, z);
    }
}
