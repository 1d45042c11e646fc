using System.Text.Json;

namespace HandPose;

/// <summary>
/// A skeleton as data: named keypoints, limbs (ordered pairs of keypoint indices) and limb groups.
/// </summary>
/// <remarks>
/// Instances are immutable and thread-safe. Built-ins: <see cref="Hand21"/> (the Panoptic/OpenPose/MediaPipe hand
/// order with NSRM's G6 groups) and <see cref="Coco17"/> (COCO body keypoints with six documented body groups).
/// Custom skeletons come from JSON through <see cref="FromJson"/>.
/// </remarks>
public sealed class KeypointSchema
{
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };
    private readonly Dictionary<string, int> _indexByName;

    /// <summary>Creates a schema and validates it.</summary>
    /// <param name="name">A short name, e.g. "hand21".</param>
    /// <param name="keypoints">Unique keypoint names, in order.</param>
    /// <param name="limbs">Limbs as ordered pairs of keypoint indices (proximal first).</param>
    /// <param name="limbGroups">Limb groups; indices into <paramref name="limbs"/>.</param>
    /// <exception cref="ArgumentException">A name is empty or repeated, or an index is out of range.</exception>
    public KeypointSchema(string name, IEnumerable<string> keypoints, IEnumerable<Limb> limbs, IEnumerable<LimbGroup> limbGroups)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(keypoints);
        ArgumentNullException.ThrowIfNull(limbs);
        ArgumentNullException.ThrowIfNull(limbGroups);
        Name = name;
        Keypoints = keypoints.ToArray();
        Limbs = limbs.ToArray();
        LimbGroups = limbGroups.ToArray();

        if (Keypoints.Count == 0)
        {
            throw new ArgumentException($"Schema '{name}' must have at least one keypoint.", nameof(keypoints));
        }

        _indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Keypoints.Count; i++)
        {
            string kp = Keypoints[i];
            if (string.IsNullOrWhiteSpace(kp))
            {
                throw new ArgumentException($"Schema '{name}': keypoint {i} has an empty name.", nameof(keypoints));
            }

            if (!_indexByName.TryAdd(kp, i))
            {
                throw new ArgumentException($"Schema '{name}': keypoint name '{kp}' appears twice.", nameof(keypoints));
            }
        }

        for (int i = 0; i < Limbs.Count; i++)
        {
            Limb limb = Limbs[i];
            if ((uint)limb.From >= (uint)Keypoints.Count || (uint)limb.To >= (uint)Keypoints.Count)
            {
                throw new ArgumentException(
                    $"Schema '{name}': limb {i} ({limb.From} -> {limb.To}) refers to a keypoint outside 0..{Keypoints.Count - 1}.",
                    nameof(limbs));
            }
        }

        foreach (LimbGroup group in LimbGroups)
        {
            foreach (int limb in group.Limbs)
            {
                if ((uint)limb >= (uint)Limbs.Count)
                {
                    throw new ArgumentException(
                        $"Schema '{name}': group '{group.Name}' refers to limb {limb}, outside 0..{Limbs.Count - 1}.",
                        nameof(limbGroups));
                }
            }
        }
    }

    /// <summary>The schema's short name.</summary>
    public string Name { get; }

    /// <summary>Keypoint names, in order.</summary>
    public IReadOnlyList<string> Keypoints { get; }

    /// <summary>Number of keypoints.</summary>
    public int KeypointCount => Keypoints.Count;

    /// <summary>Limbs (proximal keypoint first).</summary>
    public IReadOnlyList<Limb> Limbs { get; }

    /// <summary>Limb groups (for structure representations: NSRM's G6 for <see cref="Hand21"/>).</summary>
    public IReadOnlyList<LimbGroup> LimbGroups { get; }

    /// <summary>
    /// The 21-keypoint hand: wrist, then thumb (CMC, MCP, IP, tip), index, middle, ring and little finger
    /// (MCP, PIP, DIP, tip). 20 limbs: for finger f with base b = 1 + 4f, (0 → b), (b → b+1), (b+1 → b+2), (b+2 → b+3).
    /// Groups: NSRM's G6 — thumb {1,2,3}, index {5,6,7}, middle {9,10,11}, ring {13,14,15}, little {17,18,19},
    /// palm {0,4,8,12,16} (the five wrist-to-finger-base limbs).
    /// </summary>
    public static KeypointSchema Hand21 { get; } = CreateHand21();

    /// <summary>
    /// The 17 COCO body keypoints with 19 limbs (proximal first) and six groups: left arm, right arm, left leg,
    /// right leg, torso, head. Lets the structure renderers serve body pose as well.
    /// </summary>
    public static KeypointSchema Coco17 { get; } = CreateCoco17();

    /// <summary>Index of the keypoint with the given name.</summary>
    /// <param name="keypointName">The keypoint's name (case-sensitive).</param>
    /// <returns>The index.</returns>
    /// <exception cref="KeyNotFoundException">No keypoint has that name.</exception>
    public int IndexOf(string keypointName)
    {
        ArgumentNullException.ThrowIfNull(keypointName);
        return _indexByName.TryGetValue(keypointName, out int index)
            ? index
            : throw new KeyNotFoundException($"Schema '{Name}' has no keypoint named '{keypointName}'. Known: {string.Join(", ", Keypoints)}.");
    }

    /// <summary>
    /// Reads a schema from JSON: <c>{"name": "...", "keypoints": ["a", ...], "limbs": [[0, 1] or ["a", "b"], ...],
    /// "groups": [{"name": "...", "limbs": [0, 1]}]}</c>. <c>groups</c> is optional.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The schema.</returns>
    /// <exception cref="DataFormatException">The JSON is malformed or does not describe a valid schema.</exception>
    public static KeypointSchema FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            JsonElement root = doc.RootElement;
            string name = root.TryGetProperty("name", out JsonElement n) ? n.GetString() ?? "custom" : "custom";
            string[] keypoints = Required(root, "keypoints").EnumerateArray()
                .Select(e => e.GetString() ?? throw new DataFormatException("skeleton JSON", "Keypoint names must be strings.")).ToArray();
            var byName = keypoints.Select((k, i) => (k, i)).GroupBy(p => p.k).ToDictionary(g => g.Key, g => g.First().i);

            var limbs = new List<Limb>();
            if (root.TryGetProperty("limbs", out JsonElement limbsElement))
            {
                foreach (JsonElement pair in limbsElement.EnumerateArray())
                {
                    if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
                    {
                        throw new DataFormatException("skeleton JSON", $"Each limb must be a pair [from, to]; got {pair.GetRawText()}.");
                    }

                    limbs.Add(new Limb(ResolveKeypoint(pair[0], byName), ResolveKeypoint(pair[1], byName)));
                }
            }

            var groups = new List<LimbGroup>();
            if (root.TryGetProperty("groups", out JsonElement groupsElement))
            {
                foreach (JsonElement g in groupsElement.EnumerateArray())
                {
                    string groupName = Required(g, "name").GetString() ?? throw new DataFormatException("skeleton JSON", "Group names must be strings.");
                    groups.Add(new LimbGroup(groupName, Required(g, "limbs").EnumerateArray().Select(e => e.GetInt32())));
                }
            }

            return new KeypointSchema(name, keypoints, limbs, groups);
        }
        catch (JsonException ex)
        {
            throw new DataFormatException("skeleton JSON", $"Invalid skeleton JSON at line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new DataFormatException("skeleton JSON", $"Invalid skeleton JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Writes the schema as JSON in the format <see cref="FromJson"/> reads (limbs as index pairs).</summary>
    /// <returns>Indented JSON text.</returns>
    public string ToJson()
    {
        var model = new
        {
            name = Name,
            keypoints = Keypoints,
            limbs = Limbs.Select(l => new[] { l.From, l.To }),
            groups = LimbGroups.Select(g => new { name = g.Name, limbs = g.Limbs }),
        };
        return JsonSerializer.Serialize(model, IndentedJson);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({KeypointCount} keypoints, {Limbs.Count} limbs, {LimbGroups.Count} groups)";

    private static JsonElement Required(JsonElement element, string property) =>
        element.TryGetProperty(property, out JsonElement value)
            ? value
            : throw new DataFormatException("skeleton JSON", $"Skeleton JSON is missing the required property '{property}'.");

    private static int ResolveKeypoint(JsonElement e, Dictionary<string, int> byName) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetInt32(),
        JsonValueKind.String => byName.TryGetValue(e.GetString()!, out int i)
            ? i
            : throw new DataFormatException("skeleton JSON", $"Limb refers to unknown keypoint '{e.GetString()}'."),
        _ => throw new DataFormatException("skeleton JSON", $"A limb end must be a keypoint index or name; got {e.GetRawText()}."),
    };

    private static KeypointSchema CreateHand21()
    {
        string[] fingers = ["thumb", "index", "middle", "ring", "little"];
        string[][] joints =
        [
            ["cmc", "mcp", "ip", "tip"],
            ["mcp", "pip", "dip", "tip"],
            ["mcp", "pip", "dip", "tip"],
            ["mcp", "pip", "dip", "tip"],
            ["mcp", "pip", "dip", "tip"],
        ];
        var names = new List<string> { "wrist" };
        var limbs = new List<Limb>();
        for (int f = 0; f < 5; f++)
        {
            int b = 1 + (4 * f);
            names.AddRange(joints[f].Select(j => $"{fingers[f]}_{j}"));
            limbs.Add(new Limb(0, b));
            limbs.Add(new Limb(b, b + 1));
            limbs.Add(new Limb(b + 1, b + 2));
            limbs.Add(new Limb(b + 2, b + 3));
        }

        LimbGroup[] groups =
        [
            new("thumb", [1, 2, 3]),
            new("index", [5, 6, 7]),
            new("middle", [9, 10, 11]),
            new("ring", [13, 14, 15]),
            new("little", [17, 18, 19]),
            new("palm", [0, 4, 8, 12, 16]),
        ];
        return new KeypointSchema("hand21", names, limbs, groups);
    }

    private static KeypointSchema CreateCoco17()
    {
        string[] names =
        [
            "nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
            "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee",
            "right_knee", "left_ankle", "right_ankle",
        ];
        Limb[] limbs =
        [
            new(5, 7), new(7, 9),       // 0-1 left arm
            new(6, 8), new(8, 10),      // 2-3 right arm
            new(11, 13), new(13, 15),   // 4-5 left leg
            new(12, 14), new(14, 16),   // 6-7 right leg
            new(5, 6), new(11, 12), new(5, 11), new(6, 12), // 8-11 torso
            new(0, 1), new(0, 2), new(1, 2), new(1, 3), new(2, 4), new(3, 5), new(4, 6), // 12-18 head
        ];
        LimbGroup[] groups =
        [
            new("left_arm", [0, 1]),
            new("right_arm", [2, 3]),
            new("left_leg", [4, 5]),
            new("right_leg", [6, 7]),
            new("torso", [8, 9, 10, 11]),
            new("head", [12, 13, 14, 15, 16, 17, 18]),
        ];
        return new KeypointSchema("coco17", names, limbs, groups);
    }
}
