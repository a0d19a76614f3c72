using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Api.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The portal services as REST on Urb.Api's HTTP port (gRPC JSON transcoding): the same answers
/// as over gRPC, the same keys and tenant rules, errors as google.rpc.Status with the HTTP status
/// of the gRPC code, and an OpenAPI document that lists the routes.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class RestApiTests(StackFixture fixture) : IAsyncLifetime
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    private UrbStack Stack => fixture.Stack;
    private string tenant = "", key = "", otherKey = "";
    private Metadata headers = [];
    private BackupAgent agent = null!;

    public async Task InitializeAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        tenant = await Stack.CreateTenantAsync("rest-" + suffix);
        key = await Stack.CreateKeyAsync(tenant, ApiKeyRole.TenantAdmin);
        headers = UrbStack.KeyHeaders(key);
        otherKey = await Stack.CreateKeyAsync(await Stack.CreateTenantAsync("rest-other-" + suffix), ApiKeyRole.TenantAdmin);
        agent = await BackupAgent.EnrollAsync(Stack, tenant);
        var source = Directory.CreateDirectory(Path.Combine(Stack.Directory, "rest-" + suffix)).FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "a.txt"), "REST and gRPC agree");
        await agent.BackupAsync([source]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Rest(string? bearer)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Stack.Ports[UrbStack.Api].Http}") };
        if (bearer is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return http;
    }

    private async Task<T> GetAsync<T>(string path) where T : IMessage, new()
    {
        using var http = Rest(key);
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return Parser.Parse<T>(body);
    }

    [Fact]
    public async Task RestAndGrpc_ReadCalls_ReturnTheSameData()
    {
        var clients = Stack.ApiClients;
        var listed = await clients.ListClientsAsync(new ListClientsRequest(), headers);
        Assert.Single(listed.Clients);
        Assert.Equal(listed, await GetAsync<ListClientsResponse>("/v1/clients"));
        Assert.Equal(await clients.GetClientAsync(new GetClientRequest { Id = agent.ClientId }, headers),
            await GetAsync<Client>($"/v1/clients/{agent.ClientId}"));

        var snapshots = await Stack.ApiSnapshots.ListSnapshotsAsync(new ListClientSnapshotsRequest { ClientId = agent.ClientId }, headers);
        Assert.Single(snapshots.Snapshots);
        Assert.Equal(snapshots, await GetAsync<ListSnapshotsResponse>($"/v1/clients/{agent.ClientId}/snapshots"));

        Assert.Equal(await Stack.ApiSettings.GetEffectiveSettingsAsync(new GetEffectiveSettingsRequest { ClientId = agent.ClientId }, headers),
            await GetAsync<Contracts.Settings.V1.EffectiveSettings>($"/v1/clients/{agent.ClientId}/settings:effective"));
        Assert.Equal(await Stack.ApiSettings.ListSettingDefinitionsAsync(new ListSettingDefinitionsRequest(), headers),
            await GetAsync<ListSettingDefinitionsResponse>("/v1/settings/definitions"));

        var jobs = await Stack.ApiJobs.ListJobsAsync(new ListClientJobsRequest(), headers);
        Assert.Equal(jobs, await GetAsync<Contracts.Scheduler.V1.ListJobsResponse>("/v1/jobs"));
    }

    [Fact]
    public async Task RestAndGrpc_ListEntriesStream_ReturnsTheSameMessages()
    {
        var call = Stack.ApiSnapshots.ListEntries(new ListClientEntriesRequest { ClientId = agent.ClientId, Backup = "latest", Recursive = true }, headers);
        var expected = new List<ListEntriesResponse>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None)) expected.Add(call.ResponseStream.Current);

        using var http = Rest(key);
        var body = await http.GetStringAsync($"/v1/clients/{agent.ClientId}/snapshots/latest/entries?recursive=true");
        // Transcoded server streams write one JSON message per line.
        var streamed = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parser.Parse<ListEntriesResponse>).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, streamed);
        Assert.Contains(streamed.SelectMany(r => r.Entries), e => e.Path.EndsWith("/a.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rest_ManagementCall_ChangesWhatGrpcSees()
    {
        using var http = Rest(key);
        using var created = await http.PostAsync("/v1/clients", new StringContent("""{"name":"made-over-rest"}""", System.Text.Encoding.UTF8, "application/json"));
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.OK, body);
        var client = Parser.Parse<CreateClientResponse>(body).Client;
        Assert.Equal(tenant, client.TenantId);

        Assert.Equal("made-over-rest", (await Stack.ApiClients.GetClientAsync(new GetClientRequest { Id = client.Id }, headers)).Name);
        using var deleted = await http.DeleteAsync($"/v1/clients/{client.Id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var gone = await Assert.ThrowsAsync<RpcException>(() => Stack.ApiClients.GetClientAsync(new GetClientRequest { Id = client.Id }, headers).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Rest_WithoutKey_Is401()
    {
        using var http = Rest(bearer: null);
        using var response = await http.GetAsync("/v1/clients");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal((int)StatusCode.Unauthenticated, (await ErrorAsync(response)).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Rest_AnotherTenantsClient_Is404()
    {
        using var http = Rest(otherKey);
        using var client = await http.GetAsync($"/v1/clients/{agent.ClientId}");
        Assert.Equal(HttpStatusCode.NotFound, client.StatusCode);
        using var snapshots = await http.GetAsync($"/v1/clients/{agent.ClientId}/snapshots");
        Assert.Equal(HttpStatusCode.NotFound, snapshots.StatusCode);
        Assert.Equal((int)StatusCode.NotFound, (await ErrorAsync(snapshots)).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Rest_BadId_Is400NamingTheField()
    {
        using var http = Rest(key);
        using var response = await http.GetAsync("/v1/clients/not-an-id");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal((int)StatusCode.InvalidArgument, error.GetProperty("code").GetInt32());
        Assert.Contains(error.GetProperty("details").EnumerateArray(), d =>
            d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.BadRequest"
            && d.GetProperty("fieldViolations")[0].GetProperty("field").GetString() == "id");
    }

    [Fact]
    public async Task Rest_OnTheInternalPort_IsRefused()
    {
        // The internal port speaks h2c; a transcoded route reached there must not pass the port rule.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Stack.Ports[UrbStack.Api].InternalAddress}v1/clients")
        {
            Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.NotImplemented, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal((int)StatusCode.Unimplemented, (await ErrorAsync(response)).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task OpenApiDocument_WithoutKey_ListsTheRoutes()
    {
        using var http = Rest(bearer: null);
        using var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");
        string[] expected =
        [
            "/v1/clients", "/v1/clients/{id}", "/v1/clients/{clientId}/snapshots", "/v1/clients/{clientId}/snapshots/{backup}/entries",
            "/v1/clients/{clientId}/snapshots/{backupId}:archive", "/v1/tenants", "/v1/api-keys", "/v1/settings", "/v1/jobs",
            "/v1/clients/{clientId}/settings:effective", "/v1/clients/{clientId}/snapshots/{backup}/file",
            "/v1/clients/{clientId}/snapshots/{backup}/archive",
        ];
        var listed = paths.EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in expected) Assert.True(listed.Contains(path), $"{path} not in [{string.Join(", ", listed)}]");
        Assert.True(paths.GetProperty("/v1/clients").TryGetProperty("post", out _));
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
