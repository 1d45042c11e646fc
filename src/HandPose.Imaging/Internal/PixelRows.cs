using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HandPose.Imaging.Internal;

/// <summary>Row converters between float samples (0..255 scale, source channel order) and bytes or tensors.</summary>
internal static class PixelRows
{
    /// <summary>Rounds float samples to bytes (values are already within 0..255 up to float error).</summary>
    public static void ToBytes(ReadOnlySpan<float> src, Span<byte> dst)
    {
        ref float s = ref MemoryMarshal.GetReference(src);
        ref byte d = ref MemoryMarshal.GetReference(dst);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> half = Vector256.Create(0.5f), lo = Vector256<float>.Zero, hi = Vector256.Create(255f);
            for (; i + 32 <= dst.Length; i += 32)
            {
                Vector256<int> a = Vector256.ConvertToInt32Native(Vector256.Min(Vector256.Max(Vector256.LoadUnsafe(ref s, (nuint)i) + half, lo), hi));
                Vector256<int> b = Vector256.ConvertToInt32Native(Vector256.Min(Vector256.Max(Vector256.LoadUnsafe(ref s, (nuint)(i + 8)) + half, lo), hi));
                Vector256<int> c = Vector256.ConvertToInt32Native(Vector256.Min(Vector256.Max(Vector256.LoadUnsafe(ref s, (nuint)(i + 16)) + half, lo), hi));
                Vector256<int> e = Vector256.ConvertToInt32Native(Vector256.Min(Vector256.Max(Vector256.LoadUnsafe(ref s, (nuint)(i + 24)) + half, lo), hi));
                Vector256<ushort> ab = Vector256.Narrow(a.AsUInt32(), b.AsUInt32());
                Vector256<ushort> ce = Vector256.Narrow(c.AsUInt32(), e.AsUInt32());
                Vector256.Narrow(ab, ce).StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < dst.Length; i++)
        {
            float v = Unsafe.Add(ref s, i) + 0.5f;
            Unsafe.Add(ref d, i) = v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)v;
        }
    }

    /// <summary>Widens bytes to floats.</summary>
    public static void ToFloats(ReadOnlySpan<byte> src, Span<float> dst)
    {
        for (int i = 0; i < src.Length; i++)
        {
            dst[i] = src[i];
        }
    }

    /// <summary>
    /// Writes <paramref name="count"/> pixels of samples (with <paramref name="channels"/> per pixel; gray is repeated, alpha
    /// dropped) as three normalized RGB values per pixel into row <paramref name="y"/>, columns x0.. of a [1,H,W,3] or
    /// [1,3,H,W] tensor.
    /// </summary>
    public static void ToTensor(ReadOnlySpan<float> row, int channels, int x0, int count, int width, int height, int y, Span<float> tensor, TensorLayout layout, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias)
    {
        ref float s = ref MemoryMarshal.GetReference(row[..(count * channels)]);
        int g = channels >= 3 ? 1 : 0; // channel step between R, G and B in the source pixel
        float s0 = scale[0], s1 = scale[1], s2 = scale[2], b0 = bias[0], b1 = bias[1], b2 = bias[2];
        if (layout == TensorLayout.Nhwc)
        {
            ref float d = ref MemoryMarshal.GetReference(tensor.Slice(((y * width) + x0) * 3, count * 3));
            for (int x = 0; x < count; x++)
            {
                ref float p = ref Unsafe.Add(ref s, x * channels);
                ref float o = ref Unsafe.Add(ref d, x * 3);
                o = (p * s0) + b0;
                Unsafe.Add(ref o, 1) = (Unsafe.Add(ref p, g) * s1) + b1;
                Unsafe.Add(ref o, 2) = (Unsafe.Add(ref p, 2 * g) * s2) + b2;
            }

            return;
        }

        int plane = width * height;
        int start = (y * width) + x0;
        ref float r = ref MemoryMarshal.GetReference(tensor.Slice(start, count));
        ref float gr = ref MemoryMarshal.GetReference(tensor.Slice(plane + start, count));
        ref float bl = ref MemoryMarshal.GetReference(tensor.Slice((2 * plane) + start, count));
        for (int x = 0; x < count; x++)
        {
            ref float p = ref Unsafe.Add(ref s, x * channels);
            Unsafe.Add(ref r, x) = (p * s0) + b0;
            Unsafe.Add(ref gr, x) = (Unsafe.Add(ref p, g) * s1) + b1;
            Unsafe.Add(ref bl, x) = (Unsafe.Add(ref p, 2 * g) * s2) + b2;
        }
    }
}
