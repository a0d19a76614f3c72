namespace Urb.Contracts.Agents;

/// <summary>
/// Redis channels on which Urb.Api tells every gateway replica about changes that concern
/// connected agents. Each replica acts for the agents whose streams it holds. Missing a message
/// loses no security and no setting: every new call checks the catalog, and agents fetch their
/// settings before each backup and at each reconnect.
/// </summary>
public static class AgentNotices
{
    /// <summary>A client's agents are cut off (credentials revoked, client deleted); the message is the client ID.</summary>
    public const string CutOff = "urb:agents:cut-off";

    /// <summary>A settings layer changed; the message is <c>global</c>, <c>tenant:&lt;id&gt;</c> or <c>client:&lt;id&gt;</c>.</summary>
    public const string SettingsChanged = "urb:agents:settings-changed";

    public const string GlobalScope = "global";
}
