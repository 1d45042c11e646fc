using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace HandPose.Structure.Internal;

/// <summary>
/// Copies a float span with non-temporal (streaming) stores where the hardware has them: the destination's cache lines
/// are written without being read first and without evicting the caller's working set. For batch outputs far larger
/// than the caches, this halves the memory traffic of writing them (an ordinary store to a line not in cache reads it
/// first). Callers must call <see cref="Fence"/> before other threads read the destination.
/// </summary>
internal static class StreamingCopy
{
    /// <summary>Whether <see cref="Copy"/> streams (else it is an ordinary copy).</summary>
    public static bool IsStreaming => Sse.IsSupported;

    public static unsafe void Copy(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (source.Length > destination.Length)
        {
            throw new ArgumentException("Destination too short.", nameof(destination));
        }

        if (!Sse.IsSupported || source.Length < 64)
        {
            source.CopyTo(destination);
            return;
        }

        fixed (float* src = source)
        fixed (float* dst = destination)
        {
            int n = source.Length;

            // Ordinary stores up to the destination's first 64-byte boundary, streaming stores after it.
            int head = (int)(((64 - ((nuint)dst & 63)) & 63) / sizeof(float));
            if (((nuint)dst & 3) != 0)
            {
                head = n; // not even float-aligned: no aligned streaming store is possible
            }

            int i = 0;
            for (; i < head && i < n; i++)
            {
                dst[i] = src[i];
            }

            if (Avx512F.IsSupported)
            {
                for (; i <= n - 16; i += 16)
                {
                    Avx512F.StoreAlignedNonTemporal(dst + i, Avx512F.LoadVector512(src + i));
                }
            }
            else if (Avx.IsSupported)
            {
                for (; i <= n - 8; i += 8)
                {
                    Avx.StoreAlignedNonTemporal(dst + i, Avx.LoadVector256(src + i));
                }
            }
            else
            {
                for (; i <= n - 4; i += 4)
                {
                    Sse.StoreAlignedNonTemporal(dst + i, Sse.LoadVector128(src + i));
                }
            }

            for (; i < n; i++)
            {
                dst[i] = src[i];
            }
        }
    }

    /// <summary>Orders the streaming stores before any later store (SFENCE).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Fence()
    {
        if (Sse.IsSupported)
        {
            Sse.StoreFence();
        }
    }
}
