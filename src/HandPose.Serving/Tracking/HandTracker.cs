namespace HandPose.Serving.Tracking;

/// <summary>
/// Gives each hand of a frame sequence a stable ID: hands are matched to the tracks of earlier frames by keypoint
/// distance (to the track's position predicted at constant velocity, normalised by hand size) and box overlap,
/// cheapest pair first; a track that finds no hand is kept for <see cref="HandTrackerOptions.MaxAge"/> frames, so an
/// ID survives brief losses; a hand that matches no track starts a new ID (1, 2, 3, ...; never reused).
/// </summary>
/// <remarks>Keeps state across frames: one tracker per sequence, one caller at a time.</remarks>
public sealed class HandTracker
{
    private readonly HandTrackerOptions _options;
    private readonly List<Track> _tracks = [];
    private int _nextId = 1;

    /// <summary>Creates a tracker.</summary>
    /// <param name="options">Options (defaults when null).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public HandTracker(HandTrackerOptions? options = null)
    {
        _options = options ?? new HandTrackerOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.MaxAge, nameof(HandTrackerOptions.MaxAge));
        if (!(_options.MaxDistance > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxDistance, "MaxDistance must be positive.");
        }
    }

    /// <summary>The IDs of the tracks alive now (seen within the last <see cref="HandTrackerOptions.MaxAge"/> frames).</summary>
    public IReadOnlyList<int> ActiveIds => _tracks.Select(t => t.Id).ToArray();

    /// <summary>Matches the hands of the next frame to the tracks and returns one ID per hand, in the result's order.</summary>
    /// <param name="result">The next frame's hands (any schema; all hands of a tracker should share it).</param>
    /// <returns>The hands' IDs.</returns>
    public IReadOnlyList<int> Update(HandPoseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        int n = result.Hands.Count;
        var ids = new int[n];
        var pairs = new List<(double Cost, int Track, int Hand)>();
        var boxes = new Box[n];
        for (int h = 0; h < n; h++)
        {
            boxes[h] = Box.Of(result.Hands[h].Keypoints);
        }

        for (int t = 0; t < _tracks.Count; t++)
        {
            Track track = _tracks[t];
            (float X, float Y)[] predicted = track.Predict();
            Box predictedBox = Box.Of(predicted);
            for (int h = 0; h < n; h++)
            {
                Hand hand = result.Hands[h];
                if (hand.Keypoints.Count != predicted.Length || boxes[h].IsEmpty)
                {
                    continue;
                }

                double size = Math.Max(Math.Max(predictedBox.Diagonal, boxes[h].Diagonal), 1e-3);
                double distance = MeanDistance(predicted, hand.Keypoints) / size;
                if (distance > _options.MaxDistance)
                {
                    continue;
                }

                double cost = distance + 0.25 * (1 - predictedBox.IoU(boxes[h]));
                if (hand.Handedness != Handedness.Unknown && track.Handedness != Handedness.Unknown && hand.Handedness != track.Handedness)
                {
                    cost += _options.HandednessPenalty;
                }

                pairs.Add((cost, t, h));
            }
        }

        pairs.Sort((a, b) => a.Cost != b.Cost ? a.Cost.CompareTo(b.Cost) : a.Track != b.Track ? a.Track.CompareTo(b.Track) : a.Hand.CompareTo(b.Hand));
        var trackUsed = new bool[_tracks.Count];
        var handUsed = new bool[n];
        foreach ((_, int t, int h) in pairs)
        {
            if (trackUsed[t] || handUsed[h])
            {
                continue;
            }

            trackUsed[t] = handUsed[h] = true;
            _tracks[t].Observe(result.Hands[h]);
            ids[h] = _tracks[t].Id;
        }

        for (int t = _tracks.Count - 1; t >= 0; t--)
        {
            if (!trackUsed[t] && ++_tracks[t].Missed > _options.MaxAge)
            {
                _tracks.RemoveAt(t);
            }
        }

        for (int h = 0; h < n; h++)
        {
            if (!handUsed[h] && !boxes[h].IsEmpty)
            {
                var track = new Track(_nextId++);
                track.Observe(result.Hands[h]);
                _tracks.Add(track);
                ids[h] = track.Id;
            }
        }

        return ids;
    }

    /// <summary>Forgets every track (a new sequence); IDs keep counting up.</summary>
    public void Reset() => _tracks.Clear();

    private static double MeanDistance((float X, float Y)[] a, IReadOnlyList<Keypoint3D> b)
    {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (float.IsFinite(a[i].X) && float.IsFinite(b[i].X))
            {
                sum += Math.Sqrt(((a[i].X - b[i].X) * (a[i].X - b[i].X)) + ((a[i].Y - b[i].Y) * (a[i].Y - b[i].Y)));
                count++;
            }
        }

        return count == 0 ? double.PositiveInfinity : sum / count;
    }

    private sealed class Track(int id)
    {
        private (float X, float Y)[] _last = [];
        private (float X, float Y)[] _velocity = [];

        public int Id { get; } = id;

        public int Missed { get; set; }

        public Handedness Handedness { get; private set; }

        /// <summary>The keypoints expected now: last seen plus velocity times the frames since (velocity halved per missed frame beyond the first).</summary>
        public (float X, float Y)[] Predict()
        {
            float steps = Missed + 1;
            var p = new (float X, float Y)[_last.Length];
            for (int i = 0; i < p.Length; i++)
            {
                p[i] = (_last[i].X + (_velocity[i].X * steps), _last[i].Y + (_velocity[i].Y * steps));
            }

            return p;
        }

        public void Observe(Hand hand)
        {
            var now = hand.Keypoints.Select(k => (k.X, k.Y)).ToArray();
            if (_last.Length == now.Length)
            {
                float steps = Missed + 1;
                _velocity = now.Select((k, i) => float.IsFinite(k.X) && float.IsFinite(_last[i].X)
                    ? ((k.X - _last[i].X) / steps, (k.Y - _last[i].Y) / steps)
                    : (0f, 0f)).ToArray();
            }
            else
            {
                _velocity = new (float X, float Y)[now.Length];
            }

            _last = now;
            Missed = 0;
            Handedness = hand.Handedness;
        }
    }

    private readonly record struct Box(float X0, float Y0, float X1, float Y1)
    {
        public bool IsEmpty => !(X1 >= X0 && Y1 >= Y0);

        public double Diagonal => IsEmpty ? 0 : Math.Sqrt(((X1 - X0) * (X1 - X0)) + ((Y1 - Y0) * (Y1 - Y0)));

        public static Box Of(IReadOnlyList<Keypoint3D> points) => Of(points.Select(p => (p.X, p.Y)).ToArray());

        public static Box Of((float X, float Y)[] points)
        {
            float x0 = float.PositiveInfinity, y0 = float.PositiveInfinity, x1 = float.NegativeInfinity, y1 = float.NegativeInfinity;
            foreach ((float x, float y) in points)
            {
                if (float.IsFinite(x) && float.IsFinite(y))
                {
                    x0 = Math.Min(x0, x);
                    y0 = Math.Min(y0, y);
                    x1 = Math.Max(x1, x);
                    y1 = Math.Max(y1, y);
                }
            }

            return new Box(x0, y0, x1, y1);
        }

        public double IoU(Box other)
        {
            double w = Math.Min(X1, other.X1) - Math.Max(X0, other.X0);
            double h = Math.Min(Y1, other.Y1) - Math.Max(Y0, other.Y0);
            if (w <= 0 || h <= 0)
            {
                return 0;
            }

            double inter = w * h;
            double union = ((X1 - X0) * (Y1 - Y0)) + ((other.X1 - other.X0) * (other.Y1 - other.Y0)) - inter;
            return union > 0 ? inter / union : 0;
        }
    }
}

/// <summary>Options of <see cref="HandTracker"/>.</summary>
public sealed class HandTrackerOptions
{
    /// <summary>Frames a track survives without a matching hand before its ID is retired (default 15: half a second at 30 fps).</summary>
    public int MaxAge { get; init; } = 15;

    /// <summary>The largest mean keypoint distance, as a fraction of the hand's box diagonal, for a hand to continue a track (default 0.75).</summary>
    public double MaxDistance { get; init; } = 0.75;

    /// <summary>Cost added when hand and track disagree on handedness (default 0.3; 0 ignores handedness).</summary>
    public double HandednessPenalty { get; init; } = 0.3;
}
