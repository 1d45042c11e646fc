namespace HandPose;

/// <summary>A rotated rectangle in image pixels: where an estimator looked for a hand.</summary>
/// <param name="CenterX">Centre, horizontal (pixels).</param>
/// <param name="CenterY">Centre, vertical (pixels, downwards).</param>
/// <param name="Width">Width before rotation (pixels).</param>
/// <param name="Height">Height before rotation (pixels).</param>
/// <param name="Rotation">Rotation in radians, clockwise in image coordinates (y down).</param>
public readonly record struct HandRegion(float CenterX, float CenterY, float Width, float Height, float Rotation = 0f);
