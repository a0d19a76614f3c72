namespace Urb.Agent.State;

/// <summary>What an enrolled agent remembers about its server and itself (agent.json in the state directory).</summary>
public sealed record AgentState
{
    public required string Server { get; init; }
    public required string ClientId { get; init; }
    public required string ClientName { get; init; }
    public required string TenantId { get; init; }
    public required string TenantName { get; init; }
    public required DateTimeOffset EnrolledAt { get; init; }
    /// <summary>The folder of the state directory that holds this identity's key and certificates.</summary>
    public string IdentityFolder { get; init; } = "";
}

/// <summary>The state file's serializer, generated at build time (the agent is compiled ahead of time).</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(AgentState))]
internal sealed partial class AgentStateJson : System.Text.Json.Serialization.JsonSerializerContext;
