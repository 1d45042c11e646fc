using System.Buffers;
using HandPose.Structure.Internal;

namespace HandPose.Structure;

/// <summary>
/// Common surface of the structure renderers: render one hand from <see cref="Keypoint2D"/> or float64 map
/// coordinates, or a batch of hands over all cores.
/// </summary>
/// <remarks>
/// Keypoints are in map coordinates (cell at row r, column c sits at x = c, y = r). A keypoint with a NaN or
/// infinite coordinate is missing: it contributes nothing and every limb that touches it is skipped. Keypoints outside
/// the map are fine. Instances are immutable; <c>Render</c> allocates nothing and may be called concurrently with
/// distinct destinations.
/// </remarks>
public abstract class StructureRenderer : IStructureRepresentation
{
    private const int StackKeypointLimit = 512;

    /// <summary>Batch outputs at least this large (per worker) are streamed out of a per-worker scratch.</summary>
    private const long StreamingThresholdBytes = 4L << 20;

    private protected StructureRenderer(KeypointSchema schema, int mapWidth, int mapHeight, int channelCount)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mapWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mapHeight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mapWidth, 1 << 14);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mapHeight, 1 << 14);
        Schema = schema;
        MapWidth = mapWidth;
        MapHeight = mapHeight;
        ChannelCount = channelCount;
        if (channelCount == 0)
        {
            throw new ArgumentException($"Schema '{schema.Name}' gives this representation no channel (no limbs or no limb groups).", nameof(schema));
        }

        HandPoseLimits.CheckElements([channelCount, mapHeight, mapWidth], $"{GetType().Name} maps");
    }

    /// <inheritdoc />
    public KeypointSchema Schema { get; }

    /// <inheritdoc />
    public int ChannelCount { get; }

    /// <inheritdoc />
    public int MapWidth { get; }

    /// <inheritdoc />
    public int MapHeight { get; }

    /// <summary>Floats written per hand: <see cref="ChannelCount"/> × <see cref="MapHeight"/> × <see cref="MapWidth"/>.</summary>
    public int OutputLength => ChannelCount * MapHeight * MapWidth;

    /// <inheritdoc />
    public void Render(ReadOnlySpan<Keypoint2D> keypoints, Span<float> destination)
    {
        int count = Schema.KeypointCount;
        if (keypoints.Length != count)
        {
            throw new ArgumentException($"Expected {count} keypoints for schema '{Schema.Name}'; got {keypoints.Length}.", nameof(keypoints));
        }

        CheckDestination(destination, 1);
        double[]? rented = null;
        Span<double> xy = 2 * count <= StackKeypointLimit
            ? stackalloc double[StackKeypointLimit].Slice(0, 2 * count)
            : (rented = ArrayPool<double>.Shared.Rent(2 * count)).AsSpan(0, 2 * count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                bool missing = keypoints[i].IsMissing;
                xy[2 * i] = missing ? double.NaN : keypoints[i].X;
                xy[(2 * i) + 1] = missing ? double.NaN : keypoints[i].Y;
            }

            RenderCore(xy, destination.Slice(0, OutputLength));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Renders one hand from float64 map coordinates (what NSRM uses; see <see cref="NsrmCoordinates"/>).</summary>
    /// <param name="keypointsXY">Interleaved x0, y0, x1, y1, ...: exactly 2 × <see cref="KeypointSchema.KeypointCount"/> values.</param>
    /// <param name="destination">At least <see cref="OutputLength"/> floats, layout [channel][row][column]; overwritten.</param>
    /// <exception cref="ArgumentException">Wrong number of coordinates or destination too small.</exception>
    public void Render(ReadOnlySpan<double> keypointsXY, Span<float> destination)
    {
        CheckCoordinates(keypointsXY, 1);
        CheckDestination(destination, 1);
        RenderCore(keypointsXY, destination.Slice(0, OutputLength));
    }

    /// <summary>Renders many hands, spreading them over the cores.</summary>
    /// <param name="keypointsXY">Hand after hand, each 2 × <see cref="KeypointSchema.KeypointCount"/> interleaved map coordinates.</param>
    /// <param name="destination">At least hands × <see cref="OutputLength"/> floats; hand h starts at h × <see cref="OutputLength"/>.</param>
    /// <param name="maxDegreeOfParallelism">Worker count; −1 (default) uses every core.</param>
    /// <returns>The number of hands rendered.</returns>
    /// <exception cref="ArgumentException">The coordinates are not whole hands, or the destination is too small.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1.</exception>
    public int RenderBatch(ReadOnlyMemory<double> keypointsXY, Memory<float> destination, int maxDegreeOfParallelism = -1)
    {
        int perHand = 2 * Schema.KeypointCount;
        if (keypointsXY.Length % perHand != 0)
        {
            throw new ArgumentException($"Expected a whole number of hands of {perHand} coordinates each; got {keypointsXY.Length} values.", nameof(keypointsXY));
        }

        int hands = keypointsXY.Length / perHand;
        CheckDestination(destination.Span, hands);
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use −1 (all cores) or a positive worker count.");
        }

        int workers = Math.Min(hands, maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism);
        if (workers <= 1)
        {
            RenderRange(keypointsXY.Span, destination.Span, 0, hands);
            return hands;
        }

        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
            RenderRange(keypointsXY.Span, destination.Span, (int)((long)hands * w / workers), (int)((long)hands * (w + 1) / workers)));
        return hands;
    }

    /// <summary>Renders one hand; arguments are validated, <paramref name="destination"/> is exactly <see cref="OutputLength"/> long.</summary>
    private protected abstract void RenderCore(ReadOnlySpan<double> keypointsXY, Span<float> destination);

    private void RenderRange(ReadOnlySpan<double> keypointsXY, Span<float> destination, int first, int end)
    {
        int perHand = 2 * Schema.KeypointCount;
        if ((long)(end - first) * OutputLength * sizeof(float) < StreamingThresholdBytes || !StreamingCopy.IsStreaming)
        {
            for (int h = first; h < end; h++)
            {
                RenderCore(keypointsXY.Slice(h * perHand, perHand), destination.Slice(h * OutputLength, OutputLength));
            }

            return;
        }

        // A batch far larger than the caches: render each hand into a cache-resident scratch and stream it out, so the
        // destination is written once instead of read, cleared, read again and written back.
        float[] scratch = ArrayPool<float>.Shared.Rent(OutputLength);
        try
        {
            Span<float> hand = scratch.AsSpan(0, OutputLength);
            for (int h = first; h < end; h++)
            {
                RenderCore(keypointsXY.Slice(h * perHand, perHand), hand);
                StreamingCopy.Copy(hand, destination.Slice(h * OutputLength, OutputLength));
            }
        }
        finally
        {
            StreamingCopy.Fence();
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    private void CheckCoordinates(ReadOnlySpan<double> keypointsXY, int hands)
    {
        int expected = 2 * Schema.KeypointCount * hands;
        if (keypointsXY.Length != expected)
        {
            throw new ArgumentException($"Expected {expected} interleaved map coordinates ({Schema.KeypointCount} keypoints of schema '{Schema.Name}'); got {keypointsXY.Length}.", nameof(keypointsXY));
        }
    }

    private void CheckDestination(Span<float> destination, int hands)
    {
        long needed = (long)OutputLength * hands;
        if (destination.Length < needed)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats; {needed} are needed ({hands} × {ChannelCount} channels × {MapHeight} × {MapWidth}).", nameof(destination));
        }
    }
}
