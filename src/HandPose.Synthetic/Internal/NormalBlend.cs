using System.Numerics;

namespace HandPose.Synthetic.Internal;

/// <summary>
/// Smooth shading normals for a union of capsules: the normal at a surface point mixes the normals of every capsule of
/// the same material whose surface passes within a blend distance, weighted (1 − d/blend)², so creases where finger
/// segments, metacarpals and the palm meet shade like skin instead of like separate cylinders. Geometry (depth, mask,
/// labels) is unchanged: only the normal used for lighting is smoothed.
/// </summary>
internal sealed class NormalBlend
{
    /// <summary>Blend distance as a fraction of the radius of the capsule that owns the pixel.</summary>
    private const float BlendFraction = 0.6f;

    private readonly Capsule[] _capsules;
    private readonly Vector3[] _axis;
    private readonly float[] _axisLength2;
    private readonly float[] _u0, _u1, _v0, _v1;

    public NormalBlend(List<Capsule> capsules, CameraIntrinsics k)
    {
        _capsules = capsules.ToArray();
        int n = _capsules.Length;
        _axis = new Vector3[n];
        _axisLength2 = new float[n];
        _u0 = new float[n];
        _u1 = new float[n];
        _v0 = new float[n];
        _v1 = new float[n];
        for (int j = 0; j < n; j++)
        {
            Capsule c = _capsules[j];
            _axis[j] = c.B - c.A;
            _axisLength2[j] = Vector3.Dot(_axis[j], _axis[j]);

            // A conservative screen box of the capsule grown by the largest blend distance any neighbour may use.
            float grow = c.Radius * 2.5f;
            float zMin = MathF.Max(1e-3f, MathF.Min(c.A.Z, c.B.Z) - grow);
            _u0[j] = _v0[j] = float.PositiveInfinity;
            _u1[j] = _v1[j] = float.NegativeInfinity;
            foreach (Vector3 e in (ReadOnlySpan<Vector3>)[c.A, c.B])
            {
                Vector2 q = k.Project(e.X, e.Y, e.Z);
                float ru = k.Fx * grow / zMin, rv = k.Fy * grow / zMin;
                _u0[j] = MathF.Min(_u0[j], q.X - ru);
                _u1[j] = MathF.Max(_u1[j], q.X + ru);
                _v0[j] = MathF.Min(_v0[j], q.Y - rv);
                _v1[j] = MathF.Max(_v1[j], q.Y + rv);
            }
        }
    }

    /// <summary>The shading normal at surface point <paramref name="p"/> (camera frame) of capsule <paramref name="owner"/>, seen at pixel (u, v).</summary>
    public Vector3 Normal(int owner, Vector3 p, float u, float v)
    {
        Capsule own = _capsules[owner];
        Vector3 sum = NormalOf(owner, p, out _);
        float blend = BlendFraction * own.Radius;
        for (int j = 0; j < _capsules.Length; j++)
        {
            if (j == owner || u < _u0[j] || u > _u1[j] || v < _v0[j] || v > _v1[j])
            {
                continue;
            }

            Capsule c = _capsules[j];
            if (c.Part != own.Part || c.Sleeve != own.Sleeve)
            {
                continue;
            }

            Vector3 n = NormalOf(j, p, out float distance);
            float d = distance - c.Radius;
            if (d < blend)
            {
                float w = 1 - (MathF.Max(d, 0) / blend);
                sum += n * (w * w);
            }
        }

        return Vector3.Normalize(sum);
    }

    private Vector3 NormalOf(int j, Vector3 p, out float distance)
    {
        Capsule c = _capsules[j];
        float h = _axisLength2[j] > 0 ? Math.Clamp(Vector3.Dot(p - c.A, _axis[j]) / _axisLength2[j], 0, 1) : 0;
        Vector3 r = p - c.A - (_axis[j] * h);
        distance = r.Length();
        return distance > 0 ? r / distance : Vector3.UnitZ;
    }
}
