using System.Buffers.Binary;
using HandPose.Testing;

namespace HandPose.Imaging.Tests.Jpeg;

/// <summary>
/// Mutated JPEGs (truncations, bit flips, byte overwrites, absurd declared sizes, broken segment lengths, deleted and
/// repeated ranges, splices) either decode or throw <see cref="ImageFormatException"/>: no other exception, no hang,
/// bounded allocation.
/// </summary>
[TestFixture]
public sealed class JpegFuzzTests
{
    private const int Iterations = 60_000;
    private static readonly ImageDecoderOptions Options = new() { MaxPixels = 1 << 20 };

    private static byte[][] Seeds() =>
        Directory.GetFiles(RepoPaths.Tests("HandPose.Imaging.Tests", "TestData", "jpeg", "fuzz"), "*.jpg").Order().Select(File.ReadAllBytes).ToArray();

    [Test]
    public void Decode_mutated_inputs_only_throws_ImageFormatException()
    {
        byte[][] seeds = Seeds();
        Assert.That(seeds, Has.Length.GreaterThanOrEqualTo(8), "fuzz seeds");
        foreach (byte[] seed in seeds)
        {
            Assert.DoesNotThrow(() => ImageDecoder.Decode(seed, Options), "every seed decodes");
        }

        var rng = new Random(20261122);
        TimeSpan cpuStart = ThreadCpuClock.Now();
        int decoded = 0, rejected = 0;
        double slowest = 0;
        long mostAllocated = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] input = Mutate(seeds[rng.Next(seeds.Length)], seeds, rng);
            long before = GC.GetAllocatedBytesForCurrentThread();
            double start = ThreadCpuClock.Now().TotalMilliseconds;
            try
            {
                _ = ImageDecoder.Identify(input);
            }
            catch (ImageFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"Identify, iteration {i}: {e.GetType().Name}: {e.Message}\ninput: {Convert.ToBase64String(input)}\n{e.StackTrace}");
            }

            try
            {
                _ = ImageDecoder.Decode(input, Options);
                decoded++;
            }
            catch (ImageFormatException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"Decode, iteration {i}: {e.GetType().Name}: {e.Message}\ninput: {Convert.ToBase64String(input)}\n{e.StackTrace}");
            }

            slowest = Math.Max(slowest, ThreadCpuClock.Now().TotalMilliseconds - start);
            mostAllocated = Math.Max(mostAllocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        TestContext.Out.WriteLine($"{Iterations} inputs: {decoded} decoded, {rejected} rejected in {(ThreadCpuClock.Now() - cpuStart).TotalSeconds:F1} s of CPU; slowest {slowest:F1} ms, most allocated {mostAllocated / 1e6:F1} MB");
        Assert.That(decoded, Is.GreaterThan(Iterations / 50), "some mutations must still decode (the fuzzer reaches the pixel paths)");
        Assert.That(rejected, Is.GreaterThan(Iterations / 5), "most mutations are rejected");
        Assert.That((ThreadCpuClock.Now() - cpuStart).TotalSeconds, Is.LessThan(60), "total CPU time of the test thread (not wall time: a loaded machine must not fail it)");
        Assert.That(slowest, Is.LessThan(2000), "no input may take more than 2 s of CPU");
        Assert.That(mostAllocated, Is.LessThan(64L << 20), "allocation per input is bounded by MaxPixels");
    }

    [TestCase(16385, 16384, "MaxPixels")] // one column over HandPoseLimits.DefaultMaxImagePixels (16384 x 16384)
    [TestCase(65500, 65500, "MaxPixels")]
    [TestCase(65535, 65535, "malformed")] // over libjpeg's JPEG_MAX_DIMENSION (65500): Skia rejects the header
    [TestCase(65535, 1600, "malformed")]
    public void Decode_absurd_declared_size_is_rejected_before_allocating(int width, int height, string reason)
    {
        byte[] jpeg = WithSize(Seeds()[0], width, height);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ImageFormatException e = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg))!;
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1 << 20), "bytes allocated");
        Assert.That(e.Message, Does.Contain(reason));
        if (reason == "MaxPixels")
        {
            Assert.That(e.Message, Does.Contain($"{width}x{height}"));
        }
    }

    [Test]
    public void Identify_large_declared_size_reports_it()
    {
        ImageInfo info = ImageDecoder.Identify(WithSize(Seeds()[0], 65500, 65500));
        Assert.That((info.Width, info.Height), Is.EqualTo((65500, 65500)));
    }

    private static int FindSof(byte[] data)
    {
        for (int i = 2; i + 9 < data.Length; i++)
        {
            if (data[i] == 0xFF && data[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                return i;
            }
        }

        return -1;
    }

    private static byte[] WithSize(byte[] seed, int width, int height)
    {
        byte[] data = (byte[])seed.Clone();
        int sof = FindSof(data);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(sof + 5), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(sof + 7), (ushort)width);
        return data;
    }

    private static byte[] Mutate(byte[] seed, byte[][] seeds, Random rng)
    {
        byte[] data = (byte[])seed.Clone();
        int rounds = 1 + rng.Next(3);
        for (int r = 0; r < rounds && data.Length > 4; r++)
        {
            switch (rng.Next(8))
            {
                case 0: // truncation
                    data = data.AsSpan(0, rng.Next(2, data.Length)).ToArray();
                    break;
                case 1: // bit flips
                    for (int k = 1 + rng.Next(8); k > 0; k--)
                    {
                        data[rng.Next(data.Length)] ^= (byte)(1 << rng.Next(8));
                    }

                    break;
                case 2: // byte overwrite, often with a marker prefix or zero
                    data[rng.Next(data.Length)] = rng.Next(3) switch { 0 => 0xFF, 1 => 0x00, _ => (byte)rng.Next(256) };
                    break;
                case 3: // absurd or odd declared size
                    if (FindSof(data) >= 0)
                    {
                        int[] sizes = [0, 1, 2, 7, 9, 255, 4097, 65535, rng.Next(65536)];
                        data = WithSize(data, sizes[rng.Next(sizes.Length)], sizes[rng.Next(sizes.Length)]);
                    }

                    break;
                case 4: // broken segment length (zero-length, too short, too long)
                    {
                        int at = FindMarkerWithLength(data, rng);
                        if (at >= 0)
                        {
                            ushort[] lengths = [0, 1, 2, 3, 0xFFFF, (ushort)rng.Next(65536)];
                            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(at + 2), lengths[rng.Next(lengths.Length)]);
                        }

                        break;
                    }

                case 5: // delete a range
                    {
                        int start = rng.Next(data.Length), count = rng.Next(1, Math.Min(64, data.Length - start) + 1);
                        data = [.. data.AsSpan(0, start), .. data.AsSpan(start + count)];
                        break;
                    }

                case 6: // repeat a range
                    {
                        int start = rng.Next(data.Length), count = rng.Next(1, Math.Min(64, data.Length - start) + 1);
                        data = [.. data.AsSpan(0, start + count), .. data.AsSpan(start, count), .. data.AsSpan(start + count)];
                        break;
                    }

                default: // splice with another seed
                    {
                        byte[] other = seeds[rng.Next(seeds.Length)];
                        int cut = rng.Next(data.Length), from = rng.Next(other.Length);
                        data = [.. data.AsSpan(0, cut), .. other.AsSpan(from)];
                        break;
                    }
            }
        }

        return data;
    }

    private static int FindMarkerWithLength(byte[] data, Random rng)
    {
        var positions = new List<int>();
        for (int i = 2; i + 3 < data.Length; i++)
        {
            if (data[i] == 0xFF && data[i + 1] is >= 0xC0 and <= 0xFE and not (>= 0xD0 and <= 0xD9))
            {
                positions.Add(i);
            }
        }

        return positions.Count == 0 ? -1 : positions[rng.Next(positions.Count)];
    }
}
