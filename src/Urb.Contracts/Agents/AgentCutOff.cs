namespace Urb.Contracts.Agents;

/// <summary>
/// The Redis channel on which Urb.Api announces that a client's agents are cut off (its
/// credentials revoked, or the client deleted). Every gateway replica listens and closes that
/// client's open streams at once; the message is the client ID. Missing a message loses no
/// security: each new call checks the catalog anyway.
/// </summary>
public static class AgentCutOff
{
    public const string Channel = "urb:agents:cut-off";
}
