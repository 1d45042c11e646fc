namespace HandPose.Structure;

/// <summary>How limb masks are composed into output channels (per pixel: OR for LDM, maximum for LPM).</summary>
public enum LimbGrouping
{
    /// <summary>One channel per limb of the schema, in limb order.</summary>
    Limbs = 0,

    /// <summary>One channel: all limbs.</summary>
    G1 = 1,

    /// <summary>One channel per limb group of the schema (NSRM's G6 for <see cref="KeypointSchema.Hand21"/>).</summary>
    G6 = 2,

    /// <summary>G1 followed by the group channels (NSRM's 7-channel "G1&amp;6" target for the hand).</summary>
    G1G6 = 3,
}
