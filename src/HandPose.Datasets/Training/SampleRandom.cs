namespace HandPose.Datasets.Training;

/// <summary>SplitMix64: a tiny, fixed PRNG so sample order and augmentation are the same on every runtime and platform.</summary>
internal struct SampleRandom
{
    private ulong _state;

    public SampleRandom(long seed, long a, long b)
    {
        _state = Mix(Mix(Mix((ulong)seed) ^ (ulong)a) ^ (ulong)b);
    }

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        return Mix2(z);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double lo, double hi) => lo + ((hi - lo) * NextDouble());

    public int NextInt(int exclusiveMax) => (int)((NextUInt64() >> 33) % (ulong)exclusiveMax);

    public bool Chance(double p) => p > 0 && NextDouble() < p;

    /// <summary>Standard normal (Box–Muller, one value per call).</summary>
    public double Gaussian()
    {
        double u = 1.0 - NextDouble();
        double v = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    private static ulong Mix(ulong z) => Mix2(z + 0x9E3779B97F4A7C15UL);

    private static ulong Mix2(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
