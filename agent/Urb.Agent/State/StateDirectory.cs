using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Urb.Agent.State;

/// <summary>
/// The agent's state directory: agent.json, and the identity it names (private key, certificate,
/// the pinned CA) in a folder of its own. Several agents can run on one machine, each with its
/// own directory.
/// </summary>
public sealed class StateDirectory(string path)
{
    private const string IdentityPrefix = "identity-";

    public string Path { get; } = System.IO.Path.GetFullPath(path);
    private string StateFile => System.IO.Path.Combine(Path, "agent.json");

    /// <summary>The default: $URB_AGENT_STATE_DIR, else /var/lib/urb-agent for root, else $XDG_STATE_HOME/urb-agent or ~/.local/state/urb-agent.</summary>
    public static string DefaultPath()
    {
        if (Environment.GetEnvironmentVariable("URB_AGENT_STATE_DIR") is { Length: > 0 } fromEnvironment) return fromEnvironment;
        if (!OperatingSystem.IsWindows() && Environment.UserName == "root") return "/var/lib/urb-agent";
        var stateHome = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg
            ? xdg
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return System.IO.Path.Combine(stateHome, "urb-agent");
    }

    public bool IsEnrolled => File.Exists(StateFile);

    /// <summary>agent.json and the identity it names; <see cref="InvalidDataException"/> when the directory is damaged.</summary>
    public EnrolledIdentity Load()
    {
        try
        {
            var state = JsonSerializer.Deserialize(File.ReadAllText(StateFile), AgentStateJson.Default.AgentState)
                ?? throw new InvalidDataException("agent.json is empty");
            var identity = System.IO.Path.Combine(Path, state.IdentityFolder);
            var certificate = X509Certificate2.CreateFromPemFile(System.IO.Path.Combine(identity, "agent.crt"), System.IO.Path.Combine(identity, "agent.key"));
            var ca = X509Certificate2.CreateFromPem(File.ReadAllText(System.IO.Path.Combine(identity, "ca.crt")));
            return new EnrolledIdentity(state, certificate, ca);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or CryptographicException or ArgumentException)
        {
            throw new InvalidDataException($"the state directory {Path} is damaged ({e.Message}); enrol again with --force", e);
        }
    }

    public AgentState LoadState() =>
        JsonSerializer.Deserialize(File.ReadAllText(StateFile), AgentStateJson.Default.AgentState) ?? throw new InvalidDataException($"{StateFile} is empty.");

    /// <summary>
    /// Saves a new identity: first a complete new identity folder, then agent.json (atomically
    /// replaced) naming it, then the old folders go. A crash at any point leaves agent.json naming
    /// a complete identity: the old one or the new one.
    /// </summary>
    public void SaveEnrollment(AgentState state, ECDsa key, string certificatePem, string caPem)
    {
        Directory.CreateDirectory(Path);
        var folder = IdentityPrefix + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff") + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var identity = System.IO.Path.Combine(Path, folder);
        Directory.CreateDirectory(identity);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(identity, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        WriteDurably(System.IO.Path.Combine(identity, "agent.key"), key.ExportPkcs8PrivateKeyPem() + "\n", secret: true);
        WriteDurably(System.IO.Path.Combine(identity, "agent.crt"), certificatePem.TrimEnd() + "\n", secret: false);
        WriteDurably(System.IO.Path.Combine(identity, "ca.crt"), caPem.TrimEnd() + "\n", secret: false);
        WriteDurably(StateFile, JsonSerializer.Serialize(state with { IdentityFolder = folder }, AgentStateJson.Default.AgentState) + "\n", secret: false);

        foreach (var old in Directory.EnumerateDirectories(Path, IdentityPrefix + "*"))
        {
            if (System.IO.Path.GetFileName(old) != folder) Directory.Delete(old, recursive: true);
        }
    }

    /// <summary>Writes a temporary file, flushes it to disk, and renames it over the target.</summary>
    private static void WriteDurably(string path, string content, bool secret)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>An enrolled agent's state with its certificate (and key) and the CA it pins.</summary>
public sealed record EnrolledIdentity(AgentState State, X509Certificate2 Certificate, X509Certificate2 Ca) : IDisposable
{
    public void Dispose()
    {
        Certificate.Dispose();
        Ca.Dispose();
    }
}
