namespace Concord.Sync.Flows;

/// <summary>What a replay feeds back into a flow.</summary>
public enum ReplayPayload
{
    /// <summary>
    /// The source's record as it is now, read again from the source connector (the default): a replay never writes a
    /// version older than the source holds. Host-submitted flows have no source to read and use <see cref="Stored"/>.
    /// </summary>
    Current,

    /// <summary>The payload stored with the dead letter, with the source time it was read at.</summary>
    Stored,
}
