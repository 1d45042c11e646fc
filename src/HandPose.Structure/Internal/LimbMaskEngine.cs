namespace HandPose.Structure.Internal;

/// <summary>
/// The shared body of the LDM and LPM renderers: which channels each limb feeds, and the per-limb loop.
/// </summary>
internal sealed class LimbMaskEngine
{
    private readonly Limb[] _limbs;
    private readonly int[] _channelStart;   // CSR: limb k feeds _channelOffsets[_channelStart[k] .. _channelStart[k + 1])
    private readonly int[] _channelOffsets; // float offsets of the channels' first cell
    private readonly int _width;
    private readonly int _height;

    public LimbMaskEngine(KeypointSchema schema, LimbGrouping grouping, int width, int height)
    {
        _limbs = [.. schema.Limbs];
        _width = width;
        _height = height;
        int plane = width * height;
        var perLimb = new List<int>[_limbs.Length];
        for (int k = 0; k < _limbs.Length; k++)
        {
            perLimb[k] = [];
        }

        int channel = 0;
        if (grouping == LimbGrouping.Limbs)
        {
            for (int k = 0; k < _limbs.Length; k++)
            {
                perLimb[k].Add(channel++);
            }
        }

        if (grouping is LimbGrouping.G1 or LimbGrouping.G1G6)
        {
            for (int k = 0; k < _limbs.Length; k++)
            {
                perLimb[k].Add(channel);
            }

            channel++;
        }

        if (grouping is LimbGrouping.G6 or LimbGrouping.G1G6)
        {
            foreach (LimbGroup group in schema.LimbGroups)
            {
                foreach (int k in group.Limbs.Distinct())
                {
                    perLimb[k].Add(channel);
                }

                channel++;
            }
        }

        ChannelCount = _limbs.Length == 0 ? 0 : channel;
        _channelStart = new int[_limbs.Length + 1];
        var offsets = new List<int>();
        for (int k = 0; k < _limbs.Length; k++)
        {
            _channelStart[k] = offsets.Count;
            offsets.AddRange(perLimb[k].Select(c => c * plane));
        }

        _channelStart[_limbs.Length] = offsets.Count;
        _channelOffsets = [.. offsets];
    }

    public int ChannelCount { get; }

    /// <summary>Clears <paramref name="destination"/> and accumulates every present limb into its channels.</summary>
    /// <param name="keypointsXY">Interleaved map coordinates.</param>
    /// <param name="destination">Exactly ChannelCount × height × width floats.</param>
    /// <param name="shade">What to compute per pixel.</param>
    /// <param name="halfWidth">LDM half-width.</param>
    /// <param name="sigma">LPM sigma.</param>
    /// <param name="radius">Region of influence (map cells) of a non-degenerate limb.</param>
    /// <param name="degenerate">How to treat a zero-length limb: skip it, render it as usual, or fill its channels.</param>
    /// <param name="simdWidth">SIMD path to use.</param>
    public void Render(ReadOnlySpan<double> keypointsXY, Span<float> destination, LimbShade shade, double halfWidth, double sigma, double radius, DegenerateLimb degenerate, int simdWidth)
    {
        destination.Clear();
        for (int k = 0; k < _limbs.Length; k++)
        {
            Limb limb = _limbs[k];
            double ax = keypointsXY[2 * limb.From];
            double ay = keypointsXY[(2 * limb.From) + 1];
            double bx = keypointsXY[2 * limb.To];
            double by = keypointsXY[(2 * limb.To) + 1];
            if (!double.IsFinite(ax) || !double.IsFinite(ay) || !double.IsFinite(bx) || !double.IsFinite(by))
            {
                continue;
            }

            ReadOnlySpan<int> channels = _channelOffsets.AsSpan(_channelStart[k], _channelStart[k + 1] - _channelStart[k]);
            var geometry = new LimbGeometry(ax, ay, bx, by, halfWidth, sigma);
            double limbRadius = radius;
            if (geometry.IsDegenerate)
            {
                if (degenerate == DegenerateLimb.Skip)
                {
                    continue;
                }

                if (degenerate == DegenerateLimb.FillChannels)
                {
                    foreach (int offset in channels)
                    {
                        destination.Slice(offset, _width * _height).Fill(1f);
                    }

                    continue;
                }
            }

            LimbKernel.Render(simdWidth, shade, geometry, limbRadius, destination, channels, _width, _height);
        }
    }
}

/// <summary>What a renderer does with a limb whose two keypoints coincide exactly.</summary>
internal enum DegenerateLimb
{
    /// <summary>Render with the usual formula (LPM: a Gaussian at the point).</summary>
    Render,

    /// <summary>Contribute nothing (Paper LDM).</summary>
    Skip,

    /// <summary>Set every cell of the limb's channels to 1 (the released LDM code).</summary>
    FillChannels,
}
