using System.Globalization;

namespace HandPose;

/// <summary>
/// A size that would drive an allocation (image pixels, tensor elements) is over a <see cref="HandPoseLimits"/>
/// ceiling. Raised before anything is allocated; the message names the limit and how to raise it.
/// </summary>
public sealed class LimitExceededException : HandPoseException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="limitName">The <see cref="HandPoseLimits"/> property, e.g. "MaxTensorElements".</param>
    /// <param name="variable">The environment variable that sets it.</param>
    /// <param name="limit">The limit's value.</param>
    /// <param name="request">What was asked for, e.g. "structure maps of shape [21, 16384, 16384] holds ... elements".</param>
    public LimitExceededException(string limitName, string variable, long limit, string request)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"{request}, over the limit HandPoseLimits.{limitName} = {limit:N0}. Nothing was allocated. To allow it, raise HandPoseLimits.{limitName} or set the environment variable {variable}."))
    {
        LimitName = limitName;
        Limit = limit;
        Request = request;
    }

    /// <summary>What was asked for, as given to the constructor (the message without the limit and the advice).</summary>
    public string Request { get; }

    /// <summary>The name of the <see cref="HandPoseLimits"/> property that was exceeded.</summary>
    public string LimitName { get; }

    /// <summary>The limit's value when the check failed.</summary>
    public long Limit { get; }
}
