namespace HandPose;

/// <summary>A named set of limbs composed into one structure channel (for example NSRM's G6 "thumb" group).</summary>
public sealed class LimbGroup
{
    /// <summary>Creates a group.</summary>
    /// <param name="name">The group's name.</param>
    /// <param name="limbs">Indices into the schema's limb list.</param>
    /// <exception cref="ArgumentException">The name is empty or the group has no limb.</exception>
    public LimbGroup(string name, IEnumerable<int> limbs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(limbs);
        Name = name;
        Limbs = limbs.ToArray();
        if (Limbs.Count == 0)
        {
            throw new ArgumentException($"Limb group '{name}' must contain at least one limb.", nameof(limbs));
        }
    }

    /// <summary>The group's name.</summary>
    public string Name { get; }

    /// <summary>Indices into <see cref="KeypointSchema.Limbs"/>.</summary>
    public IReadOnlyList<int> Limbs { get; }
}
