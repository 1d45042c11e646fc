namespace HandPose.Fuzz;

/// <summary>
/// Deterministic mutations of a seed: the input for (seed file, iteration) is always the same bytes, so a failure is
/// reproduced with <c>--replay TARGET ITERATION</c>.
/// </summary>
internal static class Mutator
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x10, 0x40];

    public static byte[] Mutate(IReadOnlyList<byte[]> seeds, int iteration, int runSeed)
    {
        var rng = new Random(HashCode.Combine(runSeed, iteration));
        byte[] seed = seeds[iteration % seeds.Count];
        int rounds = 1 + rng.Next(4);
        byte[] data = seed;
        for (int r = 0; r < rounds; r++)
        {
            data = Once(data, seeds, rng);
        }

        return data;
    }

    private static byte[] Once(byte[] data, IReadOnlyList<byte[]> seeds, Random rng)
    {
        if (data.Length == 0)
        {
            return [(byte)rng.Next(256)];
        }

        byte[] copy = (byte[])data.Clone();
        int at = rng.Next(copy.Length);
        switch (rng.Next(10))
        {
            case 0: // flip one bit
                copy[at] ^= (byte)(1 << rng.Next(8));
                return copy;
            case 1: // an interesting byte
                copy[at] = Interesting[rng.Next(Interesting.Length)];
                return copy;
            case 2: // a 32-bit field set to an extreme (sizes, counts, offsets)
                {
                    uint value = rng.Next(4) switch { 0 => 0xFFFFFFFF, 1 => 0x7FFFFFFF, 2 => 0x80000000, _ => (uint)rng.Next(1 << 20) };
                    for (int i = 0; i < 4 && at + i < copy.Length; i++)
                    {
                        copy[at + i] = (byte)(value >> (8 * (rng.Next(2) == 0 ? i : 3 - i)));
                    }

                    return copy;
                }

            case 3: // truncate
                return copy[..at];
            case 4: // delete a run
                {
                    int length = Math.Min(1 + rng.Next(64), copy.Length - at);
                    return [.. copy[..at], .. copy[(at + length)..]];
                }

            case 5: // duplicate a run
                {
                    int length = Math.Min(1 + rng.Next(256), copy.Length - at);
                    return [.. copy[..(at + length)], .. copy[at..]];
                }

            case 6: // insert random bytes
                {
                    var noise = new byte[1 + rng.Next(32)];
                    rng.NextBytes(noise);
                    return [.. copy[..at], .. noise, .. copy[at..]];
                }

            case 7: // splice with another seed
                {
                    byte[] other = seeds[rng.Next(seeds.Count)];
                    int from = rng.Next(other.Length + 1);
                    return [.. copy[..at], .. other[from..]];
                }

            case 8: // an ASCII digit run changed (text formats: numbers in headers and JSON)
                for (int i = at; i < copy.Length && i < at + 8; i++)
                {
                    if (copy[i] is >= (byte)'0' and <= (byte)'9')
                    {
                        copy[i] = (byte)('0' + rng.Next(10));
                        if (rng.Next(3) == 0)
                        {
                            return [.. copy[..i], .. "999999999"u8, .. copy[i..]];
                        }
                    }
                }

                return copy;
            default: // scramble a short run
                for (int i = at; i < copy.Length && i < at + 1 + rng.Next(16); i++)
                {
                    copy[i] = (byte)rng.Next(256);
                }

                return copy;
        }
    }
}
