using HandPose.Serving.Tracking;

namespace HandPose.Serving.Tests;

public sealed class HandTrackerTests
{
    /// <summary>A fixed open-hand shape, 21 keypoints about 100 px tall, with its wrist at (x, y).</summary>
    private static Hand HandAt(float x, float y, Handedness handedness = Handedness.Unknown)
    {
        var points = new Keypoint3D[21];
        points[0] = new Keypoint3D(x, y, 0);
        for (int finger = 0; finger < 5; finger++)
        {
            float angle = (float)(-Math.PI / 2 + ((finger - 2) * 0.35));
            for (int j = 1; j <= 4; j++)
            {
                float r = 25 + (j * 18);
                points[(finger * 4) + j] = new Keypoint3D(x + (r * MathF.Cos(angle)), y + (r * MathF.Sin(angle)), 0);
            }
        }

        return new Hand(KeypointSchema.Hand21, points) { Handedness = handedness, Score = 0.9f };
    }

    private static HandPoseResult Frame(params Hand[] hands) => new(hands, 640, 480);

    [Test]
    public void Two_hands_crossing_keep_their_ids_through_the_crossing_and_a_brief_loss()
    {
        var tracker = new HandTracker();
        int? idA = null, idB = null;
        for (int t = 0; t <= 60; t++)
        {
            // A goes right, B goes left, both at the same height: their boxes coincide at t = 30.
            Hand a = HandAt(100 + (t * 8), 300), b = HandAt(580 - (t * 8), 300);
            bool aLost = t is >= 27 and <= 29; // A vanishes for three frames just before the crossing
            Hand[] hands = aLost ? [b] : t % 2 == 0 ? [a, b] : [b, a]; // the estimator's order means nothing
            IReadOnlyList<int> ids = tracker.Update(Frame(hands));
            int ia = aLost ? -1 : ids[Array.IndexOf(hands, a)], ib = ids[Array.IndexOf(hands, b)];
            idA ??= ia;
            idB ??= ib;
            if (!aLost)
            {
                Assert.That(ia, Is.EqualTo(idA), $"frame {t}: A");
            }

            Assert.That(ib, Is.EqualTo(idB), $"frame {t}: B");
        }

        Assert.That(idA, Is.Not.EqualTo(idB));
        Assert.That((idA, idB), Is.EqualTo((1, 2)).Or.EqualTo((2, 1)));
    }

    [Test]
    public void A_track_lost_longer_than_max_age_is_retired_and_its_hand_gets_a_new_id()
    {
        var tracker = new HandTracker(new HandTrackerOptions { MaxAge = 3 });
        Assert.That(tracker.Update(Frame(HandAt(200, 300))), Is.EqualTo(new[] { 1 }));
        for (int i = 0; i < 3; i++)
        {
            Assert.That(tracker.Update(Frame()), Is.Empty);
            Assert.That(tracker.ActiveIds, Is.EqualTo(new[] { 1 }), "kept while lost for at most MaxAge frames");
        }

        Assert.That(tracker.Update(Frame(HandAt(205, 300))), Is.EqualTo(new[] { 1 }), "back within MaxAge: same id");
        for (int i = 0; i < 4; i++)
        {
            tracker.Update(Frame());
        }

        Assert.That(tracker.ActiveIds, Is.Empty);
        Assert.That(tracker.Update(Frame(HandAt(205, 300))), Is.EqualTo(new[] { 2 }), "ids are never reused");
    }

    [Test]
    public void A_hand_that_jumps_across_the_image_is_a_new_hand()
    {
        var tracker = new HandTracker();
        Assert.That(tracker.Update(Frame(HandAt(100, 300))), Is.EqualTo(new[] { 1 }));
        Assert.That(tracker.Update(Frame(HandAt(500, 300))), Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public void Handedness_breaks_a_tie_between_two_equally_close_hands()
    {
        var tracker = new HandTracker();
        IReadOnlyList<int> first = tracker.Update(Frame(HandAt(300, 300, Handedness.Left), HandAt(340, 300, Handedness.Right)));
        // Next frame both hands sit half way between the two tracks: only handedness tells them apart.
        IReadOnlyList<int> next = tracker.Update(Frame(HandAt(320, 300, Handedness.Right), HandAt(320, 300, Handedness.Left)));
        Assert.That(next, Is.EqualTo(new[] { first[1], first[0] }));
    }

    [Test]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new HandTracker(new HandTrackerOptions { MaxAge = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new HandTracker(new HandTrackerOptions { MaxDistance = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new HandTracker(new HandTrackerOptions { MaxDistance = double.NaN }));
    }
}
