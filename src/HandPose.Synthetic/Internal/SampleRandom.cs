namespace HandPose.Synthetic.Internal;

/// <summary>
/// The per-sample random stream: xoshiro256** seeded through SplitMix64 from (seed, index, stream), so a sample is a
/// pure function of its seed and index whatever thread draws it.
/// </summary>
internal struct SampleRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SampleRandom(long seed, long index, ulong stream)
    {
        ulong x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL) ^ unchecked((ulong)index * 0xD1B54A32D192ED03UL) ^ (stream * 0xAF251AF3B0F025B5UL);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [lo, hi).</summary>
    public float Range(float lo, float hi) => lo + ((hi - lo) * NextFloat());

    /// <summary>Uniform integer in [0, n).</summary>
    public int Next(int n) => (int)((NextUInt64() >> 33) % (ulong)n);

    public bool Chance(float p) => NextFloat() < p;

    /// <summary>Standard normal (Box-Muller).</summary>
    public float Gaussian()
    {
        float u1 = MathF.Max(NextFloat(), 1e-7f), u2 = NextFloat();
        return MathF.Sqrt(-2 * MathF.Log(u1)) * MathF.Cos(2 * MathF.PI * u2);
    }
}
