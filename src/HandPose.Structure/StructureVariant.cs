namespace HandPose.Structure;

/// <summary>Which formulas a limb-mask renderer uses (see docs/structure.md).</summary>
public enum StructureVariant
{
    /// <summary>
    /// The formulas the NSRM paper intends: LPM is a Gaussian of the true point-to-segment distance; a zero-length
    /// limb gives a Gaussian at its point for LPM and nothing for LDM.
    /// </summary>
    Paper = 0,

    /// <summary>
    /// The released NSRM code's arithmetic, quirks included: beyond the distal keypoint LPM uses
    /// |P−B|² + |P−Q|² (a narrower ridge with a jump), a zero-length limb gives LPM a Gaussian of 3|P−A|² and fills
    /// the whole LDM map with 1. Use it to train exactly as published.
    /// </summary>
    OfficialCode = 1,
}
