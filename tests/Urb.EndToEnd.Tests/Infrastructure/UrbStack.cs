using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using Urb.Contracts.Api.V1;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The whole Urb stack as separate processes on free loopback ports: a database of its own on
/// the test PostgreSQL, a Redis of its own, a fresh PKI, all six services migrated and started,
/// and a global-admin API key, exactly as './urb up' sets them up.
/// </summary>
public sealed class UrbStack : IAsyncDisposable
{
    public const string Api = "Urb.Api";
    public const string Gateway = "Urb.AgentGateway";
    public const string DedupIndex = "Urb.DedupIndex";
    public const string Storage = "Urb.Storage";
    public const string Scheduler = "Urb.Scheduler";
    public static readonly string[] Services = [Api, Gateway, "Urb.Ingest", DedupIndex, Storage, Scheduler];

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly Dictionary<string, ChildProcess> processes = [];
    private readonly Dictionary<string, ChildProcess> mainProcesses = [];
    private readonly List<GrpcChannel> channels = [];

    private UrbStack(string directory, TestDatabase database, TestRedis redis)
    {
        Directory = directory;
        Database = database;
        Redis = redis;
        Ports = Services.ToDictionary(s => s, _ => ServicePorts.Allocate());
    }

    /// <summary>A scratch folder for this stack (PKI, agents' state directories), removed at the end.</summary>
    public string Directory { get; }

    public string PkiDirectory => Path.Combine(Directory, "pki");

    /// <summary>The installation CA's certificate (no key), which agents pin.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 CaCertificate =>
        System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(PkiDirectory, "ca.crt")));

    public string PacksDirectory => Path.Combine(Directory, "packs");

    /// <summary>The agent's files as the tar.gz Urb.Api puts into installers (as './urb up' makes it).</summary>
    public string AgentArchive => Path.Combine(Directory, "urb-agent.tar.gz");

    /// <summary>The storage master key of this stack (made per stack, like './urb up' makes one per installation).</summary>
    public string MasterKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public TestDatabase Database { get; }

    public TestRedis Redis { get; }

    public IReadOnlyDictionary<string, ServicePorts> Ports { get; }

    public string AdminKey { get; private set; } = "";

    public Uri GatewayAddress => Ports[Gateway].AgentAddress;

    public static async Task<UrbStack> StartAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("urb-stack-").FullName;
        var stack = new UrbStack(directory, await TestDatabase.CreateAsync(), await TestRedis.StartAsync());
        try
        {
            await stack.InitPkiAsync(stack.PkiDirectory);
            await stack.PackAgentArchiveAsync();
            await Task.WhenAll(Services.Select(s => stack.RunCommandAsync(s, ["migrate"])));
            await Task.WhenAll(Services.Select(s => stack.StartServiceAsync(s)));
            stack.AdminKey = (await stack.RunCommandAsync(Api, ["create-admin-key", "--name", "tests"])).StandardOutput.Trim();
            await stack.SwitchOffScheduledBackupsAsync();
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private static readonly string[] ScheduleIntervals =
        ["incremental_file_interval", "full_file_interval", "incremental_image_interval", "full_image_interval"];

    /// <summary>
    /// Scheduled backups are off for the whole installation in tests: a scheduling test switches
    /// them on for its own clients (client settings win), so no other client is ever due.
    /// </summary>
    private async Task SwitchOffScheduledBackupsAsync() =>
        await ApiSettings.UpdateSettingsAsync(new Contracts.Api.V1.UpdateSettingsRequest
        {
            Scope = new Contracts.Api.V1.SettingsScope { Global = true },
            Set =
            {
                ScheduleIntervals.Select(key => new Contracts.Settings.V1.Setting { Key = key, Value = new Contracts.Settings.V1.SettingValue { Text = "off" } }),
            },
        }, AdminHeaders);

    /// <summary>The environment a service gets from './urb up', with <paramref name="overrides"/> on top (a null value removes a variable).</summary>
    public Dictionary<string, string?> EnvironmentFor(string service, ServicePorts? ports = null, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        ports ??= Ports[service];
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Urb__Listen__Address"] = "127.0.0.1",
            ["Urb__Listen__GrpcPort"] = ports.Grpc.ToString(),
            ["Urb__Listen__HttpPort"] = ports.Http.ToString(),
            ["Urb__Listen__InternalGrpcPort"] = service == Api ? ports.Internal.ToString() : null,
            ["Urb__Listen__AgentPort"] = service == Gateway ? ports.Agent.ToString() : null,
            ["ConnectionStrings__postgres"] = Database.ConnectionString,
            ["ConnectionStrings__redis"] = Redis.Configuration,
            ["Upstreams__ApiDirectory"] = Ports[Api].InternalAddress.ToString(),
            ["Upstreams__DedupIndex"] = Ports[DedupIndex].GrpcAddress.ToString(),
            // The client-side balanced form (as in compose and Kubernetes); the others stay
            // http://, so every run goes through both.
            ["Upstreams__Ingest"] = $"dns:///127.0.0.1:{Ports["Urb.Ingest"].Grpc}",
            ["Upstreams__Storage"] = Ports[Storage].GrpcAddress.ToString(),
            ["Upstreams__Scheduler"] = Ports[Scheduler].GrpcAddress.ToString(),
            // The stack's scheduler answers the Jobs API but starts nothing on its own, so no test's
            // agent gets a backup it did not ask for; scheduling tests drive their own cycle.
            ["Scheduler__TickInterval"] = service == Scheduler ? "00:00:00" : null,
            ["Storage__Directory"] = PacksDirectory,
            ["Storage__MasterKey"] = MasterKey,
            ["Gateway__PkiDirectory"] = PkiDirectory,
            // Every agent of the whole suite connects from 127.0.0.1, several a second at times:
            // the per-address flood limit is for the internet (AgentPortFloodTests sets its own).
            ["Gateway__MaxConnectionsPerMinutePerAddress"] = "0",
            ["Api__Enrollment__CaCertificatePath"] = Path.Combine(PkiDirectory, "ca.crt"),
            ["Api__Enrollment__ServerAddress"] = GatewayAddress.ToString().TrimEnd('/'),
            ["Api__Installers__AgentArchive"] = AgentArchive,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) environment[key] = value;
        return environment;
    }

    /// <summary>Starts a service process and waits until it is ready; it is stopped with the stack.</summary>
    public async Task<ChildProcess> StartServiceAsync(string service, ServicePorts? ports = null,
        IReadOnlyDictionary<string, string?>? overrides = null, bool waitUntilReady = true)
    {
        ports ??= Ports[service];
        var process = ChildProcess.StartDotnet(service, RepositoryPaths.Program(service), [], EnvironmentFor(service, ports, overrides));
        lock (processes)
        {
            processes[$"{service}:{ports.Http}:{process.Id}"] = process;
            if (ports == Ports[service]) mainProcesses[service] = process;
        }
        if (waitUntilReady) await WaitUntilReadyAsync(process, ports);
        return process;
    }

    /// <summary>Kills one of the stack's services at once (SIGKILL), as a crash would.</summary>
    public async Task KillAsync(string service)
    {
        ChildProcess process;
        lock (processes) process = mainProcesses[service];
        await process.DisposeAsync();
    }

    public static async Task WaitUntilReadyAsync(ChildProcess process, ServicePorts ports)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (await ReadinessAsync(ports) != HttpStatusCode.OK)
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{process.Name} did not get ready (exited: {process.HasExited}):\n{process.Output}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>The status of <c>/health/ready</c>, or null when nothing answers.</summary>
    public static async Task<HttpStatusCode?> ReadinessAsync(ServicePorts ports)
    {
        try
        {
            using var response = await Http.GetAsync(ports.ReadyUrl);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Runs a one-shot command of a service binary (migrate, init-pki, create-admin-key) with the stack's environment.</summary>
    public async Task<ProgramRun> RunCommandAsync(string service, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? overrides = null) =>
        (await ChildProcess.RunDotnetAsync(RepositoryPaths.Program(service), arguments, EnvironmentFor(service, overrides: overrides), CommandTimeout)).EnsureSuccess();

    /// <summary>
    /// Keeps every service's output after the run, for reading when a test failed:
    /// $URB_TEST_LOGS (default /tmp/urb-test-logs)/&lt;stack&gt;/&lt;service&gt;-&lt;pid&gt;.log.
    /// </summary>
    private void SaveLogs()
    {
        var root = Environment.GetEnvironmentVariable("URB_TEST_LOGS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "urb-test-logs");
        var directory = Path.Combine(root, Path.GetFileName(Directory));
        System.IO.Directory.CreateDirectory(directory);
        foreach (var process in processes.Values)
        {
            File.WriteAllText(Path.Combine(directory, $"{process.Name}-{process.Id}.log"), process.Output);
        }
    }

    private async Task PackAgentArchiveAsync()
    {
        var agentFiles = AgentProgram.Directory;
        var run = await ChildProcess.RunAsync("tar", ["-czf", AgentArchive, "-C", agentFiles, "."], new Dictionary<string, string?>(), CommandTimeout);
        run.EnsureSuccess();
    }

    public Task<ProgramRun> InitPkiAsync(string directory) =>
        RunCommandAsync(Gateway, ["init-pki", "--dir", directory, "--host", "127.0.0.1", "--host", "localhost"]);

    /// <summary>Runs the agent command line with a state directory of its own.</summary>
    public Task<ProgramRun> AgentAsync(string stateDirectory, params string[] arguments) =>
        AgentProgram.RunAsync(["--state-dir", stateDirectory, .. arguments], new Dictionary<string, string?>(), CommandTimeout);

    /// <summary>A new folder <paramref name="name"/> (in a folder of its own, so backups of it get that name) to back up.</summary>
    public string NewSourceDirectory(string name) =>
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)], name)).FullName;

    public string NewAgentStateDirectory() => Path.Combine(Directory, "agent-" + Guid.NewGuid().ToString("N")[..8]);

    public GrpcChannel Channel(Uri address)
    {
        var channel = GrpcChannel.ForAddress(address);
        lock (channels) channels.Add(channel);
        return channel;
    }

    public Clients.ClientsClient ApiClients => new(Channel(Ports[Api].GrpcAddress));

    public Metadata AdminHeaders => KeyHeaders(AdminKey);

    public async Task<CreateClientResponse> CreateClientAsync(string name, TimeSpan? tokenValidFor = null, string? tenantId = null) =>
        await ApiClients.CreateClientAsync(
            new CreateClientRequest
            {
                Name = name,
                TenantId = tenantId ?? "",
                TokenValidFor = tokenValidFor is { } valid ? Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(valid) : null,
            },
            AdminHeaders);

    public Tenants.TenantsClient ApiTenants => new(Channel(Ports[Api].GrpcAddress));

    public ApiKeys.ApiKeysClient ApiKeys => new(Channel(Ports[Api].GrpcAddress));

    public Snapshots.SnapshotsClient ApiSnapshots => new(Channel(Ports[Api].GrpcAddress));

    public Contracts.Api.V1.Settings.SettingsClient ApiSettings => new(Channel(Ports[Api].GrpcAddress));

    public Contracts.Api.V1.Jobs.JobsClient ApiJobs => new(Channel(Ports[Api].GrpcAddress));

    public Contracts.Api.V1.Activities.ActivitiesClient ApiActivities => new(Channel(Ports[Api].GrpcAddress));

    public Contracts.Api.V1.Usage.UsageClient ApiUsage => new(Channel(Ports[Api].GrpcAddress));

    public Contracts.Api.V1.LiveLog.LiveLogClient ApiLiveLog => new(Channel(Ports[Api].GrpcAddress));

    /// <summary>Urb.Ingest's internal catalog (no key: its port trusts the caller, as the scheduler and the API are trusted).</summary>
    public Contracts.Ingest.V1.BackupCatalog.BackupCatalogClient IngestCatalog => new(Channel(Ports["Urb.Ingest"].GrpcAddress));

    public static Metadata KeyHeaders(string key) => new() { { "authorization", $"Bearer {key}" } };

    /// <summary>A new tenant, made through the API with the admin key; returns its ID.</summary>
    public async Task<string> CreateTenantAsync(string name) =>
        (await ApiTenants.CreateTenantAsync(new CreateTenantRequest { Name = name }, AdminHeaders)).Id;

    /// <summary>A new API key of a tenant role, made with the admin key; returns the key.</summary>
    public async Task<string> CreateKeyAsync(string tenantId, ApiKeyRole role) =>
        (await ApiKeys.CreateApiKeyAsync(new CreateApiKeyRequest { Name = $"test {role}", Role = role, TenantId = tenantId }, AdminHeaders)).Key;

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in channels) channel.Dispose();
        await Task.WhenAll(processes.Values.Select(p => p.DisposeAsync().AsTask()));
        SaveLogs();
        await Redis.DisposeAsync();
        await Database.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
