namespace HandPose.Evaluation;

/// <summary>
/// Keypoint accuracy metrics as pure functions, following MMPose's conventions (PCK, EPE, AUC) and the Freiburg (hand3d)
/// AUC and per-keypoint error statistics. NSRM's protocol is <see cref="NsrmEvaluation"/>; 3D alignment is
/// <see cref="Procrustes"/>.
/// </summary>
/// <remarks>
/// Inputs are lists of samples, each sample an array of K keypoints. A ground-truth keypoint that is missing
/// (<see cref="Keypoint2D.IsMissing"/>) is excluded from every metric; a missing prediction for a visible ground
/// truth counts as a miss (infinite error) in PCK and AUC and is excluded from EPE. All methods are thread-safe.
/// </remarks>
public static class PoseMetrics
{
    /// <summary>
    /// MMPose <c>keypoint_pck_accuracy</c>: for each keypoint, the fraction of samples with error / normalizer &lt;
    /// <paramref name="threshold"/>; the average is taken over keypoints that were visible at least once.
    /// </summary>
    /// <param name="predicted">Predicted keypoints, one array per sample.</param>
    /// <param name="groundTruth">Ground truth, same shape.</param>
    /// <param name="normalizers">One positive normalizer per sample (e.g. bounding-box size, head size); samples with a non-positive normalizer are excluded.</param>
    /// <param name="threshold">The threshold on the normalised error.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The inputs do not have matching shapes.</exception>
    public static PckResult Pck(IReadOnlyList<Keypoint2D[]> predicted, IReadOnlyList<Keypoint2D[]> groundTruth, IReadOnlyList<double> normalizers, double threshold)
    {
        int k = CheckShapes(predicted, groundTruth);
        ArgumentNullException.ThrowIfNull(normalizers);
        if (normalizers.Count != predicted.Count)
        {
            throw new ArgumentException($"Expected one normalizer per sample ({predicted.Count}); got {normalizers.Count}.", nameof(normalizers));
        }

        var hits = new int[k];
        var counts = new int[k];
        for (int n = 0; n < predicted.Count; n++)
        {
            double norm = normalizers[n];
            if (!(norm > 0))
            {
                continue;
            }

            for (int j = 0; j < k; j++)
            {
                Keypoint2D gt = groundTruth[n][j];
                if (gt.IsMissing)
                {
                    continue;
                }

                counts[j]++;
                if (Distance(predicted[n][j], gt) / norm < threshold)
                {
                    hits[j]++;
                }
            }
        }

        var perKeypoint = new double[k];
        double sum = 0;
        int counted = 0;
        for (int j = 0; j < k; j++)
        {
            perKeypoint[j] = counts[j] == 0 ? double.NaN : (double)hits[j] / counts[j];
            if (counts[j] > 0)
            {
                sum += perKeypoint[j];
                counted++;
            }
        }

        return new PckResult(counted == 0 ? double.NaN : sum / counted, perKeypoint, counted);
    }

    /// <summary>PCK normalised by each sample's bounding-box size max(width, height), as MMPose's <c>PCKAccuracy(norm_item='bbox')</c>.</summary>
    /// <param name="predicted">Predicted keypoints, one array per sample.</param>
    /// <param name="groundTruth">Ground truth, same shape.</param>
    /// <param name="boxSizes">Bounding-box (width, height) per sample.</param>
    /// <param name="alpha">Threshold relative to the box size (MMPose default 0.2).</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The inputs do not have matching shapes.</exception>
    public static PckResult PckBoundingBox(IReadOnlyList<Keypoint2D[]> predicted, IReadOnlyList<Keypoint2D[]> groundTruth, IReadOnlyList<(double Width, double Height)> boxSizes, double alpha = 0.2)
    {
        ArgumentNullException.ThrowIfNull(boxSizes);
        return Pck(predicted, groundTruth, boxSizes.Select(b => Math.Max(b.Width, b.Height)).ToArray(), alpha);
    }

    /// <summary>End-point error: the mean Euclidean distance over every (sample, keypoint) pair with visible ground truth and a prediction (MMPose <c>keypoint_epe</c>).</summary>
    /// <param name="predicted">Predicted keypoints.</param>
    /// <param name="groundTruth">Ground truth.</param>
    /// <returns>The mean error in the keypoints' unit; NaN when nothing is counted.</returns>
    /// <exception cref="ArgumentException">The inputs do not have matching shapes.</exception>
    public static double EndPointError(IReadOnlyList<Keypoint2D[]> predicted, IReadOnlyList<Keypoint2D[]> groundTruth) =>
        MeanError(predicted.Count, CheckShapes(predicted, groundTruth), (n, j) =>
            groundTruth[n][j].IsMissing || predicted[n][j].IsMissing ? null : Distance(predicted[n][j], groundTruth[n][j]));

    /// <summary>
    /// MMPose <c>keypoint_auc</c>: the mean of <see cref="Pck"/> at thresholds i / <paramref name="thresholdCount"/>
    /// (i = 0 … count−1) on errors divided by <paramref name="normalizationFactor"/> pixels: a left Riemann sum over
    /// absolute thresholds 0 … factor.
    /// </summary>
    /// <param name="predicted">Predicted keypoints.</param>
    /// <param name="groundTruth">Ground truth.</param>
    /// <param name="normalizationFactor">The largest threshold in pixels (MMPose default 30).</param>
    /// <param name="thresholdCount">Number of thresholds (MMPose default 20).</param>
    /// <returns>The AUC in [0, 1].</returns>
    /// <exception cref="ArgumentException">The inputs do not have matching shapes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not positive.</exception>
    public static double Auc(IReadOnlyList<Keypoint2D[]> predicted, IReadOnlyList<Keypoint2D[]> groundTruth, double normalizationFactor = 30, int thresholdCount = 20)
    {
        CheckShapes(predicted, groundTruth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(normalizationFactor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(thresholdCount);
        double[] norms = Enumerable.Repeat(normalizationFactor, predicted.Count).ToArray();
        double sum = 0;
        for (int i = 0; i < thresholdCount; i++)
        {
            double acc = Pck(predicted, groundTruth, norms, (double)i / thresholdCount).Average;
            sum += double.IsNaN(acc) ? 0 : acc;
        }

        return sum / thresholdCount;
    }

    /// <summary>
    /// The Freiburg (hand3d <c>EvalUtil</c>) AUC: for each keypoint, the fraction of visible samples with error ≤ t
    /// over t = linspace(<paramref name="low"/>, <paramref name="high"/>, <paramref name="steps"/>), integrated with the
    /// trapezoid rule and divided by (high − low); averaged over keypoints.
    /// </summary>
    /// <param name="predicted">Predicted keypoints (2D pixels, or 3D millimetres through <see cref="Keypoint3D"/> overload).</param>
    /// <param name="groundTruth">Ground truth.</param>
    /// <param name="low">Lowest threshold (e.g. 0).</param>
    /// <param name="high">Highest threshold (30 px in 2D, 50 mm in 3D).</param>
    /// <param name="steps">Number of thresholds (20).</param>
    /// <returns>The AUC in [0, 1].</returns>
    /// <exception cref="ArgumentException">Shapes differ or the range is empty.</exception>
    public static double AucFreiburg(IReadOnlyList<Keypoint2D[]> predicted, IReadOnlyList<Keypoint2D[]> groundTruth, double low, double high, int steps)
    {
        return AucFreiburgCore(VisibleErrors(predicted, groundTruth), low, high, steps);
    }

    /// <summary>The Freiburg AUC on 3D keypoints (see the 2D overload).</summary>
    /// <param name="predicted">Predicted keypoints.</param>
    /// <param name="groundTruth">Ground truth.</param>
    /// <param name="low">Lowest threshold.</param>
    /// <param name="high">Highest threshold.</param>
    /// <param name="steps">Number of thresholds.</param>
    /// <returns>The AUC in [0, 1].</returns>
    /// <exception cref="ArgumentException">Shapes differ or the range is empty.</exception>
    public static double AucFreiburg(IReadOnlyList<Keypoint3D[]> predicted, IReadOnlyList<Keypoint3D[]> groundTruth, double low, double high, int steps)
    {
        return AucFreiburgCore(VisibleErrors(predicted, groundTruth), low, high, steps);
    }

    /// <summary>Mean 3D end-point error over visible pairs (e.g. millimetres).</summary>
    /// <param name="predicted">Predicted keypoints.</param>
    /// <param name="groundTruth">Ground truth.</param>
    /// <returns>The mean error; NaN when nothing is counted.</returns>
    /// <exception cref="ArgumentException">The inputs do not have matching shapes.</exception>
    public static double EndPointError(IReadOnlyList<Keypoint3D[]> predicted, IReadOnlyList<Keypoint3D[]> groundTruth) =>
        MeanError(predicted.Count, CheckShapes(predicted, groundTruth), (n, j) =>
            groundTruth[n][j].IsMissing || predicted[n][j].IsMissing ? null : Distance(predicted[n][j], groundTruth[n][j]));

    /// <summary>
    /// The Freiburg (hand3d <c>EvalUtil</c>) error statistics: per keypoint, the mean and the median Euclidean error over
    /// the samples where its ground truth is visible, each then averaged over the keypoints that were visible at least
    /// once. A missing prediction for a visible ground truth counts as an infinite error.
    /// </summary>
    /// <param name="predicted">Predicted keypoints.</param>
    /// <param name="groundTruth">Ground truth.</param>
    /// <returns>The mean and median errors in the keypoints' unit; NaN when nothing is counted.</returns>
    /// <exception cref="ArgumentException">The inputs do not have matching shapes.</exception>
    public static ErrorStatistics ErrorStatisticsFreiburg(IReadOnlyList<Keypoint2D[]> predicted, IReadOnlyList<Keypoint2D[]> groundTruth)
    {
        return Statistics(VisibleErrors(predicted, groundTruth));
    }

    /// <summary>The Freiburg error statistics on 3D keypoints (see the 2D overload).</summary>
    /// <param name="predicted">Predicted keypoints.</param>
    /// <param name="groundTruth">Ground truth.</param>
    /// <returns>The mean and median errors; NaN when nothing is counted.</returns>
    /// <exception cref="ArgumentException">The inputs do not have matching shapes.</exception>
    public static ErrorStatistics ErrorStatisticsFreiburg(IReadOnlyList<Keypoint3D[]> predicted, IReadOnlyList<Keypoint3D[]> groundTruth)
    {
        return Statistics(VisibleErrors(predicted, groundTruth));
    }

    /// <summary>
    /// The mean 3D error after aligning each predicted hand onto its ground truth with the similarity transform of
    /// <see cref="Procrustes.Align"/> (FreiHAND's protocol, often called PA-MPJPE).
    /// </summary>
    /// <param name="predicted">Predicted keypoints.</param>
    /// <param name="groundTruth">Ground truth.</param>
    /// <returns>The mean aligned error; NaN when nothing is counted.</returns>
    /// <exception cref="ArgumentException">The inputs do not have matching shapes.</exception>
    public static double EndPointErrorAligned(IReadOnlyList<Keypoint3D[]> predicted, IReadOnlyList<Keypoint3D[]> groundTruth)
    {
        int k = CheckShapes(predicted, groundTruth);
        var aligned = new Keypoint3D[predicted.Count][];
        for (int n = 0; n < predicted.Count; n++)
        {
            aligned[n] = new Keypoint3D[k];
            Procrustes.Align(predicted[n], groundTruth[n], aligned[n]);
        }

        return EndPointError(aligned, groundTruth);
    }

    private static double MeanError(int samples, int k, Func<int, int, double?> error)
    {
        double sum = 0;
        long count = 0;
        for (int n = 0; n < samples; n++)
        {
            for (int j = 0; j < k; j++)
            {
                if (error(n, j) is double e)
                {
                    sum += e;
                    count++;
                }
            }
        }

        return count == 0 ? double.NaN : sum / count;
    }

    private static ErrorStatistics Statistics(List<double>[] errors)
    {
        double meanSum = 0, medianSum = 0;
        int counted = 0;
        foreach (List<double> e in errors)
        {
            if (e.Count == 0)
            {
                continue;
            }

            e.Sort();
            meanSum += e.Average();
            int mid = e.Count / 2;
            medianSum += e.Count % 2 == 1 ? e[mid] : (e[mid - 1] + e[mid]) / 2;
            counted++;
        }

        return counted == 0 ? new ErrorStatistics(double.NaN, double.NaN) : new ErrorStatistics(meanSum / counted, medianSum / counted);
    }

    private static List<double>[] VisibleErrors(IReadOnlyList<Keypoint2D[]> predicted, IReadOnlyList<Keypoint2D[]> groundTruth) =>
        PerKeypointErrors(predicted.Count, CheckShapes(predicted, groundTruth), (n, j) => groundTruth[n][j].IsMissing ? null : Distance(predicted[n][j], groundTruth[n][j]));

    private static List<double>[] VisibleErrors(IReadOnlyList<Keypoint3D[]> predicted, IReadOnlyList<Keypoint3D[]> groundTruth) =>
        PerKeypointErrors(predicted.Count, CheckShapes(predicted, groundTruth), (n, j) => groundTruth[n][j].IsMissing ? null : Distance(predicted[n][j], groundTruth[n][j]));

    private static List<double>[] PerKeypointErrors(int samples, int k, Func<int, int, double?> error)
    {
        var perKeypoint = new List<double>[k];
        for (int j = 0; j < k; j++)
        {
            perKeypoint[j] = [];
            for (int n = 0; n < samples; n++)
            {
                if (error(n, j) is double e)
                {
                    perKeypoint[j].Add(double.IsNaN(e) ? double.PositiveInfinity : e);
                }
            }
        }

        return perKeypoint;
    }

    private static double AucFreiburgCore(List<double>[] errors, double low, double high, int steps)
    {
        if (!(high > low) || steps < 2)
        {
            throw new ArgumentException($"The threshold range must have high > low and at least 2 steps; got [{low}, {high}] in {steps} steps.", nameof(steps));
        }

        double sum = 0;
        int counted = 0;
        foreach (List<double> e in errors)
        {
            if (e.Count == 0)
            {
                continue;
            }

            double area = 0, previous = 0, previousT = 0;
            for (int i = 0; i < steps; i++)
            {
                double t = low + ((high - low) * i / (steps - 1));
                double pck = (double)e.Count(d => d <= t) / e.Count;
                if (i > 0)
                {
                    area += (pck + previous) * (t - previousT) / 2;
                }

                previous = pck;
                previousT = t;
            }

            sum += area / (high - low);
            counted++;
        }

        return counted == 0 ? double.NaN : sum / counted;
    }

    internal static double Distance(Keypoint2D p, Keypoint2D g)
    {
        if (p.IsMissing)
        {
            return double.PositiveInfinity;
        }

        double dx = (double)p.X - g.X, dy = (double)p.Y - g.Y;
        return Math.Sqrt((dx * dx) + (dy * dy));
    }

    private static double Distance(Keypoint3D p, Keypoint3D g)
    {
        if (p.IsMissing)
        {
            return double.PositiveInfinity;
        }

        double dx = (double)p.X - g.X, dy = (double)p.Y - g.Y, dz = (double)p.Z - g.Z;
        return Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
    }

    internal static int CheckShapes<T>(IReadOnlyList<T[]> predicted, IReadOnlyList<T[]> groundTruth)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(groundTruth);
        if (predicted.Count != groundTruth.Count)
        {
            throw new ArgumentException($"Expected as many predictions as ground truths; got {predicted.Count} and {groundTruth.Count}.", nameof(groundTruth));
        }

        int k = predicted.Count == 0 ? 0 : predicted[0].Length;
        for (int n = 0; n < predicted.Count; n++)
        {
            if (predicted[n].Length != k || groundTruth[n].Length != k)
            {
                throw new ArgumentException($"Sample {n}: expected {k} keypoints in prediction and ground truth; got {predicted[n].Length} and {groundTruth[n].Length}.", nameof(predicted));
            }
        }

        return k;
    }
}
