namespace HandPose.Abstractions.Tests;

public sealed class KeypointSchemaTests
{
    // nsrm.md §1.2: limb k = 4f + j, (0 -> b), (b -> b+1), (b+1 -> b+2), (b+2 -> b+3), b = 1 + 4f.
    private static readonly (int From, int To)[] NsrmLimbs =
    [
        (0, 1), (1, 2), (2, 3), (3, 4), (0, 5), (5, 6), (6, 7), (7, 8), (0, 9), (9, 10),
        (10, 11), (11, 12), (0, 13), (13, 14), (14, 15), (15, 16), (0, 17), (17, 18), (18, 19), (19, 20),
    ];

    [Test]
    public void Hand21_limbs_equal_the_NSRM_table()
    {
        KeypointSchema s = KeypointSchema.Hand21;
        Assert.That(s.KeypointCount, Is.EqualTo(21));
        Assert.That(s.Limbs.Select(l => (l.From, l.To)), Is.EqualTo(NsrmLimbs));
    }

    [Test]
    public void Hand21_groups_are_G6_with_the_thumb_wrist_limb_in_palm()
    {
        KeypointSchema s = KeypointSchema.Hand21;
        Assert.That(s.LimbGroups.Select(g => g.Name), Is.EqualTo(new[] { "thumb", "index", "middle", "ring", "little", "palm" }));
        Assert.That(s.LimbGroups[0].Limbs, Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(s.LimbGroups[4].Limbs, Is.EqualTo(new[] { 17, 18, 19 }));
        Assert.That(s.LimbGroups[5].Limbs, Is.EqualTo(new[] { 0, 4, 8, 12, 16 }));
        Assert.That(s.LimbGroups.SelectMany(g => g.Limbs).Order(), Is.EqualTo(Enumerable.Range(0, 20)), "every limb in exactly one group");
    }

    [Test]
    public void Hand21_names_follow_wrist_then_each_finger_base_to_tip()
    {
        KeypointSchema s = KeypointSchema.Hand21;
        Assert.That(s.Keypoints[0], Is.EqualTo("wrist"));
        Assert.That(s.Keypoints[1], Is.EqualTo("thumb_cmc"));
        Assert.That(s.Keypoints[4], Is.EqualTo("thumb_tip"));
        Assert.That(s.Keypoints[5], Is.EqualTo("index_mcp"));
        Assert.That(s.Keypoints[12], Is.EqualTo("middle_tip"));
        Assert.That(s.Keypoints[20], Is.EqualTo("little_tip"));
        Assert.That(s.IndexOf("ring_pip"), Is.EqualTo(14));
    }

    [Test]
    public void Coco17_has_17_keypoints_and_groups_covering_every_limb_once()
    {
        KeypointSchema s = KeypointSchema.Coco17;
        Assert.That(s.KeypointCount, Is.EqualTo(17));
        Assert.That(s.Keypoints[0], Is.EqualTo("nose"));
        Assert.That(s.Keypoints[16], Is.EqualTo("right_ankle"));
        Assert.That(s.Limbs, Has.Count.EqualTo(19));
        Assert.That(s.LimbGroups.SelectMany(g => g.Limbs).Order(), Is.EqualTo(Enumerable.Range(0, 19)));
        Assert.That(s.Limbs[s.LimbGroups[0].Limbs[0]], Is.EqualTo(new Limb(s.IndexOf("left_shoulder"), s.IndexOf("left_elbow"))));
    }

    [Test]
    public void ToJson_then_FromJson_round_trips_Hand21()
    {
        KeypointSchema back = KeypointSchema.FromJson(KeypointSchema.Hand21.ToJson());
        Assert.That(back.Name, Is.EqualTo("hand21"));
        Assert.That(back.Keypoints, Is.EqualTo(KeypointSchema.Hand21.Keypoints));
        Assert.That(back.Limbs, Is.EqualTo(KeypointSchema.Hand21.Limbs));
        Assert.That(back.LimbGroups.Select(g => g.Limbs), Is.EqualTo(KeypointSchema.Hand21.LimbGroups.Select(g => g.Limbs)));
    }

    [Test]
    public void FromJson_accepts_limbs_by_name_and_optional_groups()
    {
        KeypointSchema s = KeypointSchema.FromJson("""{"name":"arm","keypoints":["shoulder","elbow","wrist"],"limbs":[["shoulder","elbow"],[1,2]]}""");
        Assert.That(s.Limbs, Is.EqualTo(new[] { new Limb(0, 1), new Limb(1, 2) }));
        Assert.That(s.LimbGroups, Is.Empty);
    }

    [Test]
    public void FromJson_with_broken_json_names_line_and_position()
    {
        var ex = Assert.Throws<DataFormatException>(() => KeypointSchema.FromJson("{\n  \"keypoints\": [\"a\",, ]\n}"));
        Assert.That(ex!.Message, Does.Contain("line 2"));
        Assert.That(ex.Message, Does.Contain("position"));
    }

    [TestCase("""{"keypoints":["a","a"]}""", "appears twice")]
    [TestCase("""{"keypoints":["a","b"],"limbs":[[0,5]]}""", "outside 0..1")]
    [TestCase("""{"keypoints":["a","b"],"limbs":[["a","zz"]]}""", "unknown keypoint 'zz'")]
    [TestCase("""{"keypoints":["a","b"],"limbs":[[0,1]],"groups":[{"name":"g","limbs":[3]}]}""", "refers to limb 3")]
    [TestCase("""{"limbs":[]}""", "'keypoints'")]
    public void FromJson_rejects_invalid_schemas_with_a_clear_reason(string json, string expected)
    {
        var ex = Assert.Throws<DataFormatException>(() => KeypointSchema.FromJson(json));
        Assert.That(ex!.Message, Does.Contain(expected));
    }

    [Test]
    public void IndexOf_unknown_name_lists_known_names()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => KeypointSchema.Hand21.IndexOf("pinky_tip"));
        Assert.That(ex!.Message, Does.Contain("little_tip"));
    }
}
