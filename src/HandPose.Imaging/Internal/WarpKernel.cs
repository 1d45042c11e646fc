using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HandPose.Imaging.Internal;

/// <summary>
/// Bilinear sampling of an 8-bit image through a destination-to-source affine map, into bytes (rounded) or RGB
/// float tensors (not rounded, so tensors keep the sub-level precision MediaPipe's float sampling has).
/// </summary>
/// <remarks>
/// <para>Destination pixel i of row j sits at (i + 0.5, j + 0.5); its source point p = M·(i + 0.5, j + 0.5) is sampled with the
/// taps floor(p − 0.5) and floor(p − 0.5) + 1 (OpenCV <c>warpAffine</c>'s convention, computed in float instead of its
/// 5-bit fixed point). <see cref="BorderMode.Replicate"/> clamps each tap's index; <see cref="BorderMode.Zero"/> gives
/// every tap outside the image the value 0.</para>
/// <para>A row is processed in groups of 8 pixels starting at multiples of 8. A group whose 32 taps are all inside the image
/// is sampled in float32 (coordinates start + k·A per lane, lerp along x then y); any other group, and every group when
/// AVX2 is off, goes through the float64-coordinate scalar sampler (zero border: groups wholly outside are +0 directly).
/// The float32 group has two implementations giving bit-identical values: AVX-512 VBMI (<see cref="TryVector16"/>: two
/// groups per step, one 8-byte load per tap row and pixel, bytes picked into the output's lane order with
/// <c>vpermt2b</c>, results stored straight as bytes or tensor values) and AVX2 (<see cref="TryGather8"/>: 4-byte
/// gathers into per-channel planes, which the sink interleaves into its output). docs/imaging.md describes it in full.</para>
/// </remarks>
internal static unsafe class WarpKernel
{
    /// <summary>Which vector path <see cref="WarpToBytes"/> and <see cref="WarpToTensor"/> take here: 512, 256 or 0 (scalar).</summary>
    public static int VectorPath => Vector16Supported ? 512 : GatherSupported ? 256 : 0;

    private static bool GatherSupported => Avx2.IsSupported && Vector256.IsHardwareAccelerated;

    private static bool Vector16Supported => GatherSupported && Avx512Vbmi.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>Warps <paramref name="source"/> into <paramref name="destination"/> (same format), rounding to bytes.</summary>
    public static unsafe void WarpToBytes(ImageView source, in AffineTransform map, ImageBuffer destination, BorderMode border)
    {
        int channels = source.BytesPerPixel;
        fixed (byte* dst = destination.Memory.Span)
        {
            var sink = new ByteSink(dst, destination.Stride, channels);
            Warp(source, map, destination.Width, destination.Height, border, ref sink);
        }
    }

    /// <summary>Warps <paramref name="source"/> into a width×height RGB float tensor: value·scale[c] + bias[c].</summary>
    public static unsafe void WarpToTensor(ImageView source, in AffineTransform map, int width, int height, BorderMode border, Span<float> tensor, TensorLayout layout, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias)
    {
        fixed (float* dst = tensor)
        {
            var sink = new TensorSink(dst, tensor.Length, width, height, source.BytesPerPixel, layout, scale, bias);
            Warp(source, map, width, height, border, ref sink);
        }
    }

    /// <summary>
    /// Samples destination row <paramref name="y"/> into floats on the 0..255 scale (source channel order) with the AVX2 or
    /// scalar groups only and no fused output: the plain form the tests hold the fused paths of <see cref="Warp"/> to, bit for bit.
    /// </summary>
    public static unsafe void SampleRow(ImageView source, in AffineTransform map, int y, int width, BorderMode border, Span<float> row)
    {
        int channels = source.BytesPerPixel;
        if (row.Length < width * channels)
        {
            throw new ArgumentException("Row buffer too short.", nameof(row));
        }

        var start = RowStart.Of(map, y);
        bool gather = GatherSupported;
        int step = gather ? 8 : width;
        var geometry = new Geometry(source);
        float* planes = stackalloc float[32];
        fixed (byte* data = source.Data)
        {
            fixed (float* dst = row)
            {
                for (int i = 0; i < width; i += step)
                {
                    SampleGroup(source, data, geometry, map, start, i, Math.Min(step, width - i), border, gather, dst + (i * channels), planes);
                }
            }
        }
    }

    /// <summary>
    /// The kernel: per row, 16-pixel steps (AVX-512 VBMI) where they apply, else 8-pixel groups in float32 (AVX2), else the
    /// scalar sampler; each result goes straight to <paramref name="sink"/>.
    /// </summary>
    private static unsafe void Warp<TSink>(ImageView source, in AffineTransform map, int width, int height, BorderMode border, ref TSink sink)
        where TSink : struct, IWarpSink
    {
        int channels = source.BytesPerPixel;
        bool vector16 = Vector16Supported && source.Width >= 2 && source.Height >= 2, gather = GatherSupported;
        Lanes* lanes = stackalloc Lanes[4];
        int vectors = vector16 ? sink.BuildLanes(lanes) : 0;
        var geometry = new Geometry(source);
        float* planes = stackalloc float[32], group = stackalloc float[32];
        fixed (byte* data = source.Data)
        {
            for (int y = 0; y < height; y++)
            {
                var start = RowStart.Of(map, y);
                for (int i = 0; i < width;)
                {
                    if (vector16 && i + 16 <= width && (border == BorderMode.Zero && AllTapsOutside(geometry, map, start, i, 16)
                        ? StoreZeros(lanes, vectors, ref sink, y, i)
                        : TryVector16(data, geometry, map, start, i, lanes, vectors, ref sink, y)))
                    {
                        i += 16;
                        continue;
                    }

                    int count = Math.Min(8, width - i);
                    if (gather && count == 8 && TryGather8(data, geometry, map, start.X + (i * map.A), start.Y + (i * map.D), planes))
                    {
                        sink.StorePlanes(planes, y, i);
                    }
                    else
                    {
                        SampleGroup(source, data, geometry, map, start, i, count, border, gather: false, group, planes);
                        sink.StoreSamples(new ReadOnlySpan<float>(group, count * channels), y, i, count);
                    }

                    i += count;
                }
            }
        }
    }

    /// <summary>Group of up to 8 pixels starting at <paramref name="i"/> (a multiple of 8) into floats at <paramref name="dst"/>.</summary>
    private static unsafe void SampleGroup(ImageView source, byte* data, in Geometry geometry, in AffineTransform map, RowStart start, int i, int count, BorderMode border, bool gather, float* dst, float* planes)
    {
        if (border == BorderMode.Zero && AllTapsOutside(geometry, map, start, i, count))
        {
            // What SamplePixel computes there: every weight is replaced by +0, so every value is +0.
            new Span<float>(dst, count * geometry.Channels).Clear();
            return;
        }

        if (gather && count == 8 && TryGather8(data, geometry, map, start.X + (i * map.A), start.Y + (i * map.D), planes))
        {
            Interleave(planes, geometry.Channels, dst);
            return;
        }

        for (int k = 0; k < count; k++)
        {
            SamplePixel(source, start.X + ((i + k) * map.A), start.Y + ((i + k) * map.D), border, dst + (k * geometry.Channels));
        }
    }

    /// <summary>
    /// True when pixels i..i + count − 1 of the row all have their four taps on the same outer side of the image, decided on
    /// the float64 coordinates <see cref="SamplePixel"/> uses. Those are start + (i + k)·A, rounded twice, and rounding is
    /// monotonic, so they are monotonic in k: when both ends are past an edge, every pixel between is too.
    /// </summary>
    private static bool AllTapsOutside(in Geometry source, in AffineTransform map, RowStart start, int i, int count)
    {
        double x0 = start.X + (i * map.A), x1 = start.X + ((i + count - 1) * map.A);
        double y0 = start.Y + (i * map.D), y1 = start.Y + ((i + count - 1) * map.D);
        // Taps floor(s) and floor(s) + 1 are both outside [0, n) when s < −1 or s ≥ n (NaN: never).
        return (x0 < -1 && x1 < -1) || (x0 >= source.Width && x1 >= source.Width)
            || (y0 < -1 && y1 < -1) || (y0 >= source.Height && y1 >= source.Height);
    }

    /// <summary>Stores 16 pixels of value +0 (the zero border's value everywhere outside) through the vector sink.</summary>
    private static bool StoreZeros<TSink>(Lanes* lanes, int vectors, ref TSink sink, int y, int i)
        where TSink : struct, IWarpSink
    {
        for (int q = 0; q < vectors; q++)
        {
            sink.Store(lanes[q], Vector512<float>.Zero, y, i, q);
        }

        return true;
    }

    /// <summary>
    /// Sixteen destination pixels (two groups of 8) with AVX-512 VBMI when all 64 taps are inside the image and reading 8
    /// bytes at each tap stays inside the buffer; false to let the caller take the groups one by one. Each lane computes
    /// exactly <see cref="TryGather8"/>'s float32 operations, so the values are bit-identical to it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe bool TryVector16<TSink>(byte* data, in Geometry source, in AffineTransform map, RowStart start, int i, Lanes* lanes, int vectors, ref TSink sink, int y)
        where TSink : struct, IWarpSink
    {
        float a = (float)map.A, d = (float)map.D;
        Vector512<float> k = Vector512.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
        Vector512<float> sx = Halves((float)(start.X + (i * map.A)), (float)(start.X + ((i + 8) * map.A))) + (k * a);
        Vector512<float> sy = Halves((float)(start.Y + (i * map.D)), (float)(start.Y + ((i + 8) * map.D))) + (k * d);
        Vector512<float> flx = Vector512.Floor(sx), fly = Vector512.Floor(sy);
        Vector512<int> x0 = Vector512.ConvertToInt32Native(flx), y0 = Vector512.ConvertToInt32Native(fly);
        Vector512<int> o00 = (y0 * source.Stride) + (x0 * source.Channels);
        // TryGather8's test, shortened: NaN, infinite and out-of-range coordinates convert to int.MinValue on x86, which
        // fails the unsigned 0 ≤ x0 ≤ W − 2 test as the NaN test would (the caller needs W, H ≥ 2 for it).
        Vector512<uint> inside = Vector512.LessThanOrEqual(x0.AsUInt32(), Vector512.Create((uint)source.Width - 2))
            & Vector512.LessThanOrEqual(y0.AsUInt32(), Vector512.Create((uint)source.Height - 2))
            & Vector512.LessThanOrEqual(o00, Vector512.Create(source.Length - 8 - source.Stride)).AsUInt32();
        if (!Vector512.EqualsAll(inside, Vector512<uint>.AllBitsSet))
        {
            return false;
        }

        // One 8-byte read per tap row and pixel: pixel x0 and x0 + 1 (up to 4 channels each). Pixel k's bytes land at
        // 8k + byte of the 128-byte pair (…0, …1), which is what vpermt2b indexes.
        (Vector512<byte> top0, Vector512<byte> bottom0) = Rows8(data, source.Stride, o00.GetLower());
        (Vector512<byte> top1, Vector512<byte> bottom1) = Rows8(data, source.Stride, o00.GetUpper());
        var taps = new Taps(top0, top1, bottom0, bottom1, sx - flx, sy - fly);
        sink.Store(lanes[0], taps.Blend(lanes[0]), y, i, 0);
        if (vectors > 1)
        {
            sink.Store(lanes[1], taps.Blend(lanes[1]), y, i, 1);
            sink.Store(lanes[2], taps.Blend(lanes[2]), y, i, 2);
            if (vectors > 3)
            {
                sink.Store(lanes[3], taps.Blend(lanes[3]), y, i, 3);
            }
        }

        return true;
    }

    /// <summary>Lanes 0..7 = <paramref name="lower"/>, 8..15 = <paramref name="upper"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Halves(float lower, float upper) =>
        Vector512.Create(lower).WithUpper(Vector256.Create(upper));

    /// <summary>The 8-byte reads of eight pixels' two tap rows (byte offsets <paramref name="offsets"/> and + stride).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe (Vector512<byte> Top, Vector512<byte> Bottom) Rows8(byte* data, nint stride, Vector256<int> offsets)
    {
        Vector128<int> lo = offsets.GetLower(), hi = offsets.GetUpper();
        (Vector128<long> t0, Vector128<long> b0) = Rows2(data, stride, lo.ToScalar(), lo.GetElement(1));
        (Vector128<long> t1, Vector128<long> b1) = Rows2(data, stride, lo.GetElement(2), lo.GetElement(3));
        (Vector128<long> t2, Vector128<long> b2) = Rows2(data, stride, hi.ToScalar(), hi.GetElement(1));
        (Vector128<long> t3, Vector128<long> b3) = Rows2(data, stride, hi.GetElement(2), hi.GetElement(3));
        Vector512<long> top = t0.ToVector256Unsafe().WithUpper(t1).ToVector512Unsafe().WithUpper(t2.ToVector256Unsafe().WithUpper(t3));
        Vector512<long> bottom = b0.ToVector256Unsafe().WithUpper(b1).ToVector512Unsafe().WithUpper(b2.ToVector256Unsafe().WithUpper(b3));
        return (top.AsByte(), bottom.AsByte());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe (Vector128<long> Top, Vector128<long> Bottom) Rows2(byte* data, nint stride, nint a, nint b)
    {
        byte* pa = data + a, pb = data + b;
        return (Vector128.Create(*(long*)pa, *(long*)pb), Vector128.Create(*(long*)(pa + stride), *(long*)(pb + stride)));
    }

    /// <summary>The tap rows and fractions of 16 pixels; <see cref="Blend"/> gives one output vector of them.</summary>
    private readonly struct Taps(Vector512<byte> top0, Vector512<byte> top1, Vector512<byte> bottom0, Vector512<byte> bottom1, Vector512<float> fx, Vector512<float> fy)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Blend(in Lanes lane)
        {
            Vector512<int> low = Vector512.Create(0xFF);
            Vector512<float> v00 = Vector512.ConvertToSingle(Avx512Vbmi.PermuteVar64x8x2(top0, lane.Left, top1).AsInt32() & low);
            Vector512<float> v01 = Vector512.ConvertToSingle(Avx512Vbmi.PermuteVar64x8x2(top0, lane.Right, top1).AsInt32() & low);
            Vector512<float> v10 = Vector512.ConvertToSingle(Avx512Vbmi.PermuteVar64x8x2(bottom0, lane.Left, bottom1).AsInt32() & low);
            Vector512<float> v11 = Vector512.ConvertToSingle(Avx512Vbmi.PermuteVar64x8x2(bottom0, lane.Right, bottom1).AsInt32() & low);
            Vector512<float> lx = Avx512F.PermuteVar16x32(fx, lane.Pixel), ly = Avx512F.PermuteVar16x32(fy, lane.Pixel);
            Vector512<float> upper = v00 + (lx * (v01 - v00));
            Vector512<float> lower = v10 + (lx * (v11 - v10));
            return upper + (ly * (lower - upper));
        }
    }

    /// <summary>
    /// Eight destination pixels at once with AVX2 gathers of 4-byte words, when all 32 taps are inside the image (buffers
    /// of at least 8 bytes, see <see cref="Tap"/>); false to let the caller use the scalar path.
    /// Coordinates are float32 here (≈1e-4 px at 2000 px; MediaPipe's GPU path samples with float32 too).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe bool TryGather8(byte* data, in Geometry source, in AffineTransform map, double startX, double startY, float* planes)
    {
        int channels = source.Channels, stride = source.Stride;
        Vector256<float> lanes = Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
        Vector256<float> sx = Vector256.Create((float)startX) + (lanes * (float)map.A);
        Vector256<float> sy = Vector256.Create((float)startY) + (lanes * (float)map.D);
        Vector256<float> flx = Vector256.Floor(sx), fly = Vector256.Floor(sy);
        Vector256<int> x0 = Vector256.ConvertToInt32Native(flx), y0 = Vector256.ConvertToInt32Native(fly);
        Vector256<int> o00 = (y0 * stride) + (x0 * channels);
        Vector256<int> inside = Vector256.Equals(sx, sx).AsInt32() & Vector256.Equals(sy, sy).AsInt32()
            & Vector256.GreaterThanOrEqual(x0, Vector256<int>.Zero) & Vector256.LessThanOrEqual(x0, Vector256.Create(source.Width - 2))
            & Vector256.GreaterThanOrEqual(y0, Vector256<int>.Zero) & Vector256.LessThanOrEqual(y0, Vector256.Create(source.Height - 2))
            & Vector256.LessThanOrEqual(o00, Vector256.Create(source.Length - stride - (2 * channels)));
        if (source.Length < 8 || !Vector256.EqualsAll(inside, Vector256<int>.AllBitsSet))
        {
            return false;
        }

        var g00 = Tap.Gather(data, o00, source);
        var g01 = Tap.Gather(data, o00 + Vector256.Create(channels), source);
        var g10 = Tap.Gather(data, o00 + Vector256.Create(stride), source);
        var g11 = Tap.Gather(data, o00 + Vector256.Create(stride + channels), source);
        Vector256<float> fx = sx - flx, fy = sy - fly;
        for (int c = 0; c < channels; c++)
        {
            Vector256<float> v00 = g00.Channel(c);
            Vector256<float> v01 = g01.Channel(c);
            Vector256<float> v10 = g10.Channel(c);
            Vector256<float> v11 = g11.Channel(c);
            Vector256<float> top = v00 + (fx * (v01 - v00));
            Vector256<float> bottom = v10 + (fx * (v11 - v10));
            (top + (fy * (bottom - top))).Store(planes + (8 * c));
        }

        return true;
    }

    /// <summary>
    /// One tap of eight pixels: a 4-byte word per lane holding the pixel's channels. A pixel within 4 bytes of the
    /// buffer's end (RGB or gray at the bottom-right) is read from the word that ends with it instead, so every group
    /// inside the image takes the float32 path whatever its pixel format (RGB, gray and RGBA then sample identically).
    /// </summary>
    private readonly struct Tap(Vector256<int> words, Vector256<uint> shifts)
    {
        public static unsafe Tap Gather(byte* data, Vector256<int> offsets, in Geometry source)
        {
            Vector256<int> back = Vector256.GreaterThan(offsets, Vector256.Create(source.Length - 4)) & Vector256.Create(4 - source.Channels);
            Vector256<int> words = Avx2.GatherVector256((int*)data, offsets - back, 1);
            return new Tap(words, (back * 8).AsUInt32());
        }

        public Vector256<float> Channel(int c) =>
            Vector256.ConvertToSingle(Avx2.ShiftRightLogicalVariable(words, shifts + Vector256.Create((uint)(8 * c))) & Vector256.Create(0xFF));
    }

    /// <summary>Eight pixels' channel planes (8 floats per channel) to interleaved samples.</summary>
    private static unsafe void Interleave(float* planes, int channels, float* dst)
    {
        if (channels == 3)
        {
            for (int k = 0; k < 8; k++)
            {
                dst[3 * k] = planes[k];
                dst[(3 * k) + 1] = planes[8 + k];
                dst[(3 * k) + 2] = planes[16 + k];
            }

            return;
        }

        for (int k = 0; k < 8; k++)
        {
            for (int c = 0; c < channels; c++)
            {
                dst[(k * channels) + c] = planes[(8 * c) + k];
            }
        }
    }

    private static unsafe void SamplePixel(ImageView source, double sx, double sy, BorderMode border, float* dst)
    {
        int channels = source.BytesPerPixel;
        int w = source.Width, h = source.Height, stride = source.Stride;
        ReadOnlySpan<byte> data = source.Data;
        // Clamped so that floor fits an int and far-away points still behave as "outside".
        sx = double.IsNaN(sx) ? -2 : Math.Clamp(sx, -2.0, w + 1.0);
        sy = double.IsNaN(sy) ? -2 : Math.Clamp(sy, -2.0, h + 1.0);
        int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
        float fx = (float)(sx - x0), fy = (float)(sy - y0);
        float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
        int o00, o01, o10, o11;
        if ((uint)x0 < (uint)(w - 1) && (uint)y0 < (uint)(h - 1))
        {
            o00 = (y0 * stride) + (x0 * channels);
            o01 = o00 + channels;
            o10 = o00 + stride;
            o11 = o10 + channels;
        }
        else if (border == BorderMode.Replicate)
        {
            int xa = Math.Clamp(x0, 0, w - 1) * channels, xb = Math.Clamp(x0 + 1, 0, w - 1) * channels;
            int ya = Math.Clamp(y0, 0, h - 1) * stride, yb = Math.Clamp(y0 + 1, 0, h - 1) * stride;
            o00 = ya + xa;
            o01 = ya + xb;
            o10 = yb + xa;
            o11 = yb + xb;
        }
        else
        {
            bool xaIn = (uint)x0 < (uint)w, xbIn = (uint)(x0 + 1) < (uint)w;
            bool yaIn = (uint)y0 < (uint)h, ybIn = (uint)(y0 + 1) < (uint)h;
            int xa = xaIn ? x0 * channels : 0, xb = xbIn ? (x0 + 1) * channels : 0;
            int ya = yaIn ? y0 * stride : 0, yb = ybIn ? (y0 + 1) * stride : 0;
            w00 = xaIn && yaIn ? w00 : 0;
            w01 = xbIn && yaIn ? w01 : 0;
            w10 = xaIn && ybIn ? w10 : 0;
            w11 = xbIn && ybIn ? w11 : 0;
            o00 = ya + xa;
            o01 = ya + xb;
            o10 = yb + xa;
            o11 = yb + xb;
        }

        for (int c = 0; c < channels; c++)
        {
            dst[c] = (w00 * data[o00 + c]) + (w01 * data[o01 + c]) + (w10 * data[o10 + c]) + (w11 * data[o11 + c]);
        }
    }

    /// <summary>Source point of destination pixel (0, y) minus the half-pixel tap offset, in float64.</summary>
    private readonly record struct RowStart(double X, double Y)
    {
        public static RowStart Of(in AffineTransform map, int y)
        {
            double v = y + 0.5;
            return new RowStart((map.A * 0.5) + (map.B * v) + map.C - 0.5, (map.D * 0.5) + (map.E * v) + map.F - 0.5);
        }
    }

    private readonly struct Geometry(ImageView source)
    {
        public readonly int Width = source.Width, Height = source.Height, Stride = source.Stride, Channels = source.BytesPerPixel, Length = source.Data.Length;
    }

    /// <summary>
    /// What one output vector of <see cref="TryVector16"/> holds: lane l is pixel <see cref="Pixel"/>[l] (0..15) of the
    /// 16, channel c, whose taps are bytes 8·pixel + c (<see cref="Left"/>, the low byte of the lane) and 8·pixel + c +
    /// channels (<see cref="Right"/>) of the 8-byte tap-row reads; the tensor sinks also keep each lane's scale and bias.
    /// </summary>
    private struct Lanes
    {
        public Vector512<byte> Left, Right;
        public Vector512<int> Pixel;
        public Vector512<float> Scale, Bias;

        public static void Set(Lanes* lanes, int vector, int lane, int pixel, int channel, int channels, float scale = 1, float bias = 0)
        {
            Lanes* v = lanes + vector;
            ((byte*)&v->Left)[4 * lane] = (byte)((8 * pixel) + channel);
            ((byte*)&v->Right)[4 * lane] = (byte)((8 * pixel) + channel + channels);
            ((int*)&v->Pixel)[lane] = pixel;
            ((float*)&v->Scale)[lane] = scale;
            ((float*)&v->Bias)[lane] = bias;
        }
    }

    /// <summary>Where warped values go: 16-pixel vectors from <see cref="TryVector16"/>, and float groups from the other paths.</summary>
    private interface IWarpSink
    {
        /// <summary>Fills the lane tables; returns how many output vectors 16 pixels make.</summary>
        int BuildLanes(Lanes* lanes);

        /// <summary>Output vector <paramref name="vector"/> of the 16 pixels starting at (x, y).</summary>
        void Store(in Lanes lanes, Vector512<float> values, int y, int x, int vector);

        /// <summary>The 8 pixels starting at (x, y) as channel planes of 8 floats (<see cref="TryGather8"/>'s output).</summary>
        void StorePlanes(float* planes, int y, int x);

        /// <summary><paramref name="count"/> pixels starting at (x, y), as floats in source channel order.</summary>
        void StoreSamples(ReadOnlySpan<float> samples, int y, int x, int count);
    }

    /// <summary>Bytes in the source format, rounded to nearest (<see cref="PixelRows.ToBytes"/>).</summary>
    private readonly struct ByteSink(byte* destination, int stride, int channels) : IWarpSink
    {
        public int BuildLanes(Lanes* lanes)
        {
            new Span<byte>(lanes, channels * sizeof(Lanes)).Clear();
            for (int n = 0; n < 16 * channels; n++)
            {
                Lanes.Set(lanes, n / 16, n % 16, n / channels, n % channels, channels);
            }

            return channels;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(in Lanes lanes, Vector512<float> values, int y, int x, int vector)
        {
            // A lerp of lerps of bytes stays within [0, 255] in float32 (each step lies between its two exact ends and
            // rounding is monotonic), so PixelRows.ToBytes's clamp is a no-op here: truncating v + 0.5 is its result.
            Avx512F.ConvertToVector128Byte(Vector512.ConvertToInt32Native(values + Vector512.Create(0.5f))).Store(destination + (y * stride) + (x * channels) + (16 * vector));
        }

        public void StorePlanes(float* planes, int y, int x)
        {
            byte* at = destination + (y * stride) + (x * channels);
            if (channels != 3)
            {
                float* samples = stackalloc float[32];
                Interleave(planes, channels, samples);
                PixelRows.ToBytes(new ReadOnlySpan<float>(samples, 8 * channels), new Span<byte>(at, 8 * channels));
                return;
            }

            // Rounded as in PixelRows.ToBytes (no clamp needed, see Store), narrowed to r0..r7 g0..g7 | b0..b7, then
            // byte shuffles interleave them into 24 bytes (index 0xFF gives 0).
            Vector256<float> half = Vector256.Create(0.5f);
            Vector256<uint> r = Vector256.ConvertToInt32Native(Vector256.Load(planes) + half).AsUInt32();
            Vector256<uint> g = Vector256.ConvertToInt32Native(Vector256.Load(planes + 8) + half).AsUInt32();
            Vector256<uint> b = Vector256.ConvertToInt32Native(Vector256.Load(planes + 16) + half).AsUInt32();
            Vector256<byte> bytes = Vector256.Narrow(Vector256.Narrow(r, g), Vector256.Narrow(b, b));
            Vector128<byte> rg = bytes.GetLower(), bb = bytes.GetUpper();
            Vector128<byte> head = Vector128.Shuffle(rg, Vector128.Create((byte)0, 8, 0xFF, 1, 9, 0xFF, 2, 10, 0xFF, 3, 11, 0xFF, 4, 12, 0xFF, 5))
                | Vector128.Shuffle(bb, Vector128.Create((byte)0xFF, 0xFF, 0, 0xFF, 0xFF, 1, 0xFF, 0xFF, 2, 0xFF, 0xFF, 3, 0xFF, 0xFF, 4, 0xFF));
            Vector128<byte> tail = Vector128.Shuffle(rg, Vector128.Create((byte)13, 0xFF, 6, 14, 0xFF, 7, 15, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
                | Vector128.Shuffle(bb, Vector128.Create((byte)0xFF, 5, 0xFF, 0xFF, 6, 0xFF, 0xFF, 7, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF));
            head.Store(at);
            *(ulong*)(at + 16) = tail.AsUInt64().ToScalar();
        }

        public void StoreSamples(ReadOnlySpan<float> samples, int y, int x, int count) =>
            PixelRows.ToBytes(samples[..(count * channels)], new Span<byte>(destination + (y * stride) + (x * channels), count * channels));
    }

    /// <summary>RGB floats value·scale + bias in a [1,H,W,3] or [1,3,H,W] tensor (<see cref="PixelRows.ToTensor"/>).</summary>
    private readonly struct TensorSink(float* tensor, int length, int width, int height, int channels, TensorLayout layout, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias) : IWarpSink
    {
        private readonly float _s0 = scale[0], _s1 = scale[1], _s2 = scale[2], _b0 = bias[0], _b1 = bias[1], _b2 = bias[2];

        public int BuildLanes(Lanes* lanes)
        {
            new Span<byte>(lanes, 3 * sizeof(Lanes)).Clear();
            ReadOnlySpan<float> s = [_s0, _s1, _s2], b = [_b0, _b1, _b2];
            for (int n = 0; n < 48; n++)
            {
                // Interleaved RGB: value n is pixel n / 3, colour n % 3; planar: vector q is colour q of pixels 0..15.
                (int pixel, int colour) = layout == TensorLayout.Nhwc ? (n / 3, n % 3) : (n % 16, n / 16);
                Lanes.Set(lanes, n / 16, n % 16, pixel, channels >= 3 ? colour : 0, channels, s[colour], b[colour]);
            }

            return 3;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(in Lanes lanes, Vector512<float> values, int y, int x, int vector)
        {
            Vector512<float> result = (values * lanes.Scale) + lanes.Bias;
            float* at = layout == TensorLayout.Nhwc
                ? tensor + ((((y * width) + x) * 3) + (16 * vector))
                : tensor + ((vector * width * height) + (y * width) + x);
            result.Store(at);
        }

        public void StorePlanes(float* planes, int y, int x)
        {
            // Gray repeats plane 0 into R, G and B; RGBA's alpha plane is not read.
            int g = channels >= 3 ? 8 : 0;
            Vector256<float> r = (Vector256.Load(planes) * _s0) + Vector256.Create(_b0);
            Vector256<float> gr = (Vector256.Load(planes + g) * _s1) + Vector256.Create(_b1);
            Vector256<float> bl = (Vector256.Load(planes + (2 * g)) * _s2) + Vector256.Create(_b2);
            if (layout == TensorLayout.Nchw)
            {
                float* at = tensor + (y * width) + x;
                int plane = width * height;
                r.Store(at);
                gr.Store(at + plane);
                bl.Store(at + (2 * plane));
                return;
            }

            // r0 g0 b0 r1 g1 b1 r2 g2 | b2 r3 g3 b3 r4 g4 b4 r5 | g5 b5 r6 g6 b6 r7 g7 b7: each output picks its lanes from
            // one permutation of each colour.
            float* o = tensor + (((y * width) + x) * 3);
            Interleave3(r, gr, bl, Vector256.Create(0, 0, 0, 1, 1, 1, 2, 2), Vector256.Create(0, 1, 2, 0, 1, 2, 0, 1)).Store(o);
            Interleave3(r, gr, bl, Vector256.Create(2, 3, 3, 3, 4, 4, 4, 5), Vector256.Create(2, 0, 1, 2, 0, 1, 2, 0)).Store(o + 8);
            Interleave3(r, gr, bl, Vector256.Create(5, 5, 6, 6, 6, 7, 7, 7), Vector256.Create(1, 2, 0, 1, 2, 0, 1, 2)).Store(o + 16);
        }

        public void StoreSamples(ReadOnlySpan<float> samples, int y, int x, int count) =>
            PixelRows.ToTensor(samples, channels, x, count, width, height, y, new Span<float>(tensor, length), layout, [_s0, _s1, _s2], [_b0, _b1, _b2]);

        /// <summary>Lane l takes pixel <paramref name="pixel"/>[l] of colour <paramref name="colour"/>[l] (0 r, 1 g, 2 b).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Interleave3(Vector256<float> r, Vector256<float> g, Vector256<float> b, Vector256<int> pixel, Vector256<int> colour)
        {
            Vector256<float> pr = Avx2.PermuteVar8x32(r, pixel), pg = Avx2.PermuteVar8x32(g, pixel), pb = Avx2.PermuteVar8x32(b, pixel);
            return Vector256.ConditionalSelect(Vector256.Equals(colour, Vector256<int>.Zero).AsSingle(), pr,
                Vector256.ConditionalSelect(Vector256.Equals(colour, Vector256<int>.One).AsSingle(), pg, pb));
        }
    }
}
