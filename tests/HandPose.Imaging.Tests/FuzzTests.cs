using System.Buffers.Binary;
using HandPose.Testing;

namespace HandPose.Imaging.Tests;

/// <summary>Mutated inputs must decode or throw <see cref="ImageFormatException"/>: no other exception, no hang.</summary>
public sealed class FuzzTests
{
    /// <summary>A 4-megapixel limit: a mutated size field may otherwise declare up to 100 MP, which Skia fills row by row.</summary>
    private static readonly ImageDecoderOptions Limited = new() { MaxPixels = 1 << 22 };

    [Test]
    public void Mutated_png_files_only_throw_image_format_exception()
    {
        var seeds = new List<byte[]>
        {
            ImageEncoder.EncodePng(Fixtures.SmoothImage(40, 30, PixelFormat.Rgb24).AsView()),
        };
        foreach (string name in new[] { "rgb8_i", "pal4_trns", "gray16", "rgba16_i", "gray1_i", "ga8" })
        {
            seeds.Add(File.ReadAllBytes(Fixtures.Data("png", name + ".png")));
        }

        var rng = new Random(4242);
        TimeSpan total = ThreadCpuClock.Now();
        int decoded = 0, rejected = 0;
        const int Iterations = 20000;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] seed = seeds[i % seeds.Count];
            byte[] input = Mutate(seed, rng, i);
            TimeSpan one = ThreadCpuClock.Now();
            try
            {
                ImageBuffer image = ImageDecoder.Decode(input, Limited);
                Assert.That(image.Width * image.Height, Is.Positive);
                decoded++;
            }
            catch (ImageFormatException)
            {
                rejected++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"iteration {i} (mutation {i % 7}): {ex.GetType().Name}: {ex.Message}\n{Convert.ToBase64String(input)}");
            }

            Assert.That((ThreadCpuClock.Now() - one).TotalSeconds, Is.LessThan(2), $"iteration {i} took too long (CPU time)");
        }

        Assert.That((ThreadCpuClock.Now() - total).TotalSeconds, Is.LessThan(60), "CPU time of the test thread");
        Assert.That(rejected, Is.GreaterThan(Iterations / 4), "mutations must mostly be caught");
        Assert.That(decoded, Is.GreaterThan(0), "some mutations (e.g. in pixel data with fixed CRCs) still decode");
        TestContext.Out.WriteLine($"{Iterations} inputs: {decoded} decoded, {rejected} rejected, {(ThreadCpuClock.Now() - total).TotalSeconds:F1} s of CPU");
    }

    [Test]
    public void Random_and_unsupported_data_only_throw_image_format_exception()
    {
        var rng = new Random(7);
        byte[] seed = [.. "P6\n4 3\n255\n"u8, .. Enumerable.Range(0, 36).Select(i => (byte)i)];
        for (int i = 0; i < 3000; i++)
        {
            byte[] input = i % 3 == 0 ? RandomBytes(rng) : Flip(seed, rng, 1 + rng.Next(4));
            if (i % 5 == 0)
            {
                input = input[..rng.Next(input.Length + 1)];
            }

            try
            {
                ImageDecoder.Decode(input);
            }
            catch (ImageFormatException)
            {
            }
        }
    }

    private static byte[] RandomBytes(Random rng)
    {
        byte[] b = new byte[rng.Next(0, 64)];
        rng.NextBytes(b);
        if (b.Length > 8 && rng.Next(2) == 0)
        {
            new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(b, 0);
        }

        return b;
    }

    private static byte[] Mutate(byte[] seed, Random rng, int i)
    {
        switch (i % 7)
        {
            case 0: // truncation
                return seed[..rng.Next(seed.Length)];
            case 1: // bit flips, CRCs left wrong
                return Flip(seed, rng, 1 + rng.Next(8));
            case 2: // bit flips after the signature, CRCs repaired so the chunk bodies reach zlib, filters and unpacking
            {
                byte[] m = Flip(seed, rng, 1 + rng.Next(6), from: 8);
                FixCrcs(m);
                return m;
            }

            case 3: // absurd declared size, CRC repaired
            {
                byte[] m = (byte[])seed.Clone();
                BinaryPrimitives.WriteInt32BigEndian(m.AsSpan(16), rng.Next(2) == 0 ? int.MaxValue : rng.Next(1, 1 << 16));
                BinaryPrimitives.WriteInt32BigEndian(m.AsSpan(20), rng.Next(2) == 0 ? rng.Next() : rng.Next(1, 1 << 16));
                m[24] = (byte)new[] { 1, 2, 4, 8, 16, 3 }[rng.Next(6)];
                m[25] = (byte)new[] { 0, 2, 3, 4, 6, 5 }[rng.Next(6)];
                FixCrcs(m);
                return m;
            }

            case 4: // zero-length chunks (critical and ancillary) inserted before IDAT or IEND
            {
                string type = new[] { "IDAT", "PLTE", "tRNS", "zzZz", "IHDR", "IEND" }[rng.Next(6)];
                using var ms = new MemoryStream();
                int at = ChunkOffsets(seed)[rng.Next(1, ChunkOffsets(seed).Count)];
                ms.Write(seed.AsSpan(0, at));
                PngBuilder.Chunk(ms, type, []);
                ms.Write(seed.AsSpan(at));
                return ms.ToArray();
            }

            case 5: // a chunk length field set to a huge or wrong value
            {
                byte[] m = (byte[])seed.Clone();
                List<int> offsets = ChunkOffsets(m);
                int at = offsets[rng.Next(offsets.Count)];
                BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(at), rng.Next(3) switch { 0 => 0xFFFFFFFF, 1 => 0x7FFFFFF0, _ => (uint)rng.Next(0, 100) });
                return m;
            }

            default: // byte runs overwritten in the compressed data with CRCs repaired (zlib and Adler-32 must catch it)
            {
                byte[] m = (byte[])seed.Clone();
                int start = 33 + rng.Next(Math.Max(1, m.Length - 45));
                int len = Math.Min(rng.Next(1, 16), m.Length - start - 12);
                for (int k = 0; k < len; k++)
                {
                    m[start + k] = (byte)rng.Next(256);
                }

                FixCrcs(m);
                return m;
            }
        }
    }

    private static byte[] Flip(byte[] seed, Random rng, int flips, int from = 0)
    {
        byte[] m = (byte[])seed.Clone();
        for (int k = 0; k < flips && m.Length > from; k++)
        {
            m[rng.Next(from, m.Length)] ^= (byte)(1 << rng.Next(8));
        }

        return m;
    }

    private static List<int> ChunkOffsets(byte[] png)
    {
        var offsets = new List<int>();
        int pos = 8;
        while (pos + 12 <= png.Length)
        {
            offsets.Add(pos);
            uint len = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            if (len > (uint)(png.Length - pos - 12))
            {
                break;
            }

            pos += 12 + (int)len;
        }

        return offsets;
    }

    private static void FixCrcs(byte[] png)
    {
        foreach (int at in ChunkOffsets(png))
        {
            int len = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            if (len < 0 || at + 12 + len > png.Length)
            {
                return;
            }

            using var ms = new MemoryStream();
            PngBuilder.Chunk(ms, System.Text.Encoding.Latin1.GetString(png, at + 4, 4), png.AsSpan(at + 8, len).ToArray());
            ms.ToArray().CopyTo(png, at);
        }
    }
}
