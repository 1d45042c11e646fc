namespace HandPose.Evaluation;

/// <summary>
/// The evaluation protocol of NSRM (Chen et al., WACV 2020), as its released code computes it and as HandyPose inherits
/// it: arg-max decoding of the keypoint heatmaps back to crop pixels, then PCK with the normaliser crop width / 2.2
/// (crops are 2.2 times the tight hand box).
/// </summary>
/// <remarks>
/// The released code's arithmetic is kept exactly: the first maximum in row-major order, <c>x = trunc(c · (trunc(W) /
/// w))</c> and <c>y = trunc(r · (trunc(H) / h))</c> for a map of w × h cells (46 × 46 in NSRM) and a crop of W × H
/// pixels; a hit is <c>distance &lt; τ · (W / 2.2)</c> (strict); every keypoint of every image counts (a missing ground
/// truth is a miss); the result is the mean of the per-image PCK. All methods are thread-safe.
/// </remarks>
public static class NsrmEvaluation
{
    /// <summary>The thresholds τ NSRM reports (0.10 selects the best epoch).</summary>
    public static IReadOnlyList<double> Thresholds { get; } = [0.04, 0.06, 0.08, 0.10, 0.12];

    /// <summary>Decodes one image's keypoint heatmaps to crop pixels as the released NSRM code does.</summary>
    /// <param name="heatmaps">The maps, [K, mapHeight, mapWidth] in C order.</param>
    /// <param name="mapWidth">Map width w in cells.</param>
    /// <param name="mapHeight">Map height h in cells.</param>
    /// <param name="cropWidth">Crop width W in pixels (truncated to an integer, as the official code does).</param>
    /// <param name="cropHeight">Crop height H in pixels (truncated likewise).</param>
    /// <param name="destination">K keypoints: integer crop pixels, confidence = the map's maximum.</param>
    /// <exception cref="ArgumentException">Sizes do not match, a size is not positive, or a map holds NaN.</exception>
    public static void Decode(ReadOnlySpan<float> heatmaps, int mapWidth, int mapHeight, double cropWidth, double cropHeight, Span<Keypoint2D> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mapWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mapHeight);
        if (!(cropWidth >= 1) || !(cropHeight >= 1) || !double.IsFinite(cropWidth) || !double.IsFinite(cropHeight))
        {
            throw new ArgumentException($"Crop sizes must be finite and at least 1 pixel; got {cropWidth} x {cropHeight}.", nameof(cropWidth));
        }

        int cells = mapWidth * mapHeight;
        if (heatmaps.Length != destination.Length * cells)
        {
            throw new ArgumentException($"Expected {destination.Length} maps of {mapHeight} x {mapWidth} ({destination.Length * cells} values); got {heatmaps.Length}.", nameof(heatmaps));
        }

        double scaleX = Math.Truncate(cropWidth) / mapWidth, scaleY = Math.Truncate(cropHeight) / mapHeight;
        for (int k = 0; k < destination.Length; k++)
        {
            ReadOnlySpan<float> map = heatmaps.Slice(k * cells, cells);
            int best = 0;
            for (int i = 0; i < map.Length; i++)
            {
                if (float.IsNaN(map[i]))
                {
                    throw new ArgumentException($"Heatmap {k} holds NaN at row {i / mapWidth}, column {i % mapWidth}; the network output is not usable.", nameof(heatmaps));
                }

                if (map[i] > map[best])
                {
                    best = i;
                }
            }

            int row = best / mapWidth, col = best % mapWidth;
            destination[k] = new Keypoint2D((float)Math.Truncate(col * scaleX), (float)Math.Truncate(row * scaleY), map[best]);
        }
    }

    /// <summary>One image's PCK at threshold <paramref name="tau"/>: the fraction of all its keypoints within τ · (W / 2.2).</summary>
    /// <param name="predicted">Predicted keypoints in crop pixels.</param>
    /// <param name="groundTruth">Ground truth in crop pixels; a missing one counts as a miss.</param>
    /// <param name="cropWidth">The crop width W.</param>
    /// <param name="tau">The threshold τ.</param>
    /// <returns>The fraction in [0, 1].</returns>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    public static double Pck(ReadOnlySpan<Keypoint2D> predicted, ReadOnlySpan<Keypoint2D> groundTruth, double cropWidth, double tau)
    {
        if (predicted.Length != groundTruth.Length || predicted.Length == 0)
        {
            throw new ArgumentException($"Expected as many predicted as ground-truth keypoints (at least one); got {predicted.Length} and {groundTruth.Length}.", nameof(groundTruth));
        }

        double limit = tau * (cropWidth / 2.2);
        int hits = 0;
        for (int k = 0; k < predicted.Length; k++)
        {
            if (PoseMetrics.Distance(predicted[k], groundTruth[k]) < limit)
            {
                hits++;
            }
        }

        return (double)hits / predicted.Length;
    }

    /// <summary>Decodes a batch of heatmaps and returns the mean per-image PCK at each threshold.</summary>
    /// <param name="heatmaps">[N, K, mapHeight, mapWidth] in C order.</param>
    /// <param name="mapWidth">Map width in cells.</param>
    /// <param name="mapHeight">Map height in cells.</param>
    /// <param name="groundTruth">N arrays of K keypoints in crop pixels.</param>
    /// <param name="cropSizes">N crop sizes (width, height) in pixels.</param>
    /// <param name="thresholds">The thresholds τ (e.g. <see cref="Thresholds"/>).</param>
    /// <returns>The mean PCK per threshold, in the order given.</returns>
    /// <exception cref="ArgumentException">Shapes do not match, or a map holds NaN.</exception>
    public static double[] Evaluate(ReadOnlySpan<float> heatmaps, int mapWidth, int mapHeight, IReadOnlyList<Keypoint2D[]> groundTruth,
        IReadOnlyList<(double Width, double Height)> cropSizes, IReadOnlyList<double> thresholds)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(cropSizes);
        ArgumentNullException.ThrowIfNull(thresholds);
        int n = groundTruth.Count;
        if (n == 0 || cropSizes.Count != n)
        {
            throw new ArgumentException($"Expected at least one image and one crop size per image; got {n} ground truths and {cropSizes.Count} crop sizes.", nameof(cropSizes));
        }

        int k = groundTruth[0].Length;
        long perImage = (long)k * mapWidth * mapHeight;
        if (heatmaps.Length != n * perImage)
        {
            throw new ArgumentException($"Expected heatmaps [{n}, {k}, {mapHeight}, {mapWidth}] ({n * perImage} values); got {heatmaps.Length}.", nameof(heatmaps));
        }

        var sums = new double[thresholds.Count];
        var predicted = new Keypoint2D[k];
        for (int i = 0; i < n; i++)
        {
            if (groundTruth[i].Length != k)
            {
                throw new ArgumentException($"Image {i}: expected {k} ground-truth keypoints; got {groundTruth[i].Length}.", nameof(groundTruth));
            }

            (double width, double height) = cropSizes[i];
            Decode(heatmaps.Slice((int)(i * perImage), (int)perImage), mapWidth, mapHeight, width, height, predicted);
            for (int t = 0; t < thresholds.Count; t++)
            {
                sums[t] += Pck(predicted, groundTruth[i], width, thresholds[t]);
            }
        }

        return Array.ConvertAll(sums, s => s / n);
    }
}
