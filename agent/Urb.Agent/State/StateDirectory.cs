using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Urb.Agent.State;

/// <summary>
/// The agent's state directory: its identity (private key, certificate, the pinned CA) and
/// agent.json. Several agents can run on one machine, each with its own directory.
/// </summary>
public sealed class StateDirectory(string path)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Path { get; } = System.IO.Path.GetFullPath(path);
    private string StateFile => System.IO.Path.Combine(Path, "agent.json");
    private string IdentityDirectory => System.IO.Path.Combine(Path, "identity");
    private string KeyFile => System.IO.Path.Combine(IdentityDirectory, "agent.key");
    private string CertificateFile => System.IO.Path.Combine(IdentityDirectory, "agent.crt");
    private string CaFile => System.IO.Path.Combine(IdentityDirectory, "ca.crt");

    /// <summary>The default: $URB_AGENT_STATE_DIR, else /var/lib/urb-agent for root, else ~/.local/state/urb-agent.</summary>
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

    public AgentState LoadState() =>
        JsonSerializer.Deserialize<AgentState>(File.ReadAllText(StateFile))
        ?? throw new InvalidDataException($"{StateFile} is empty.");

    public X509Certificate2 LoadClientCertificate() => X509Certificate2.CreateFromPemFile(CertificateFile, KeyFile);

    public X509Certificate2 LoadPinnedCa() => X509Certificate2.CreateFromPem(File.ReadAllText(CaFile));

    /// <summary>
    /// Saves a new identity. agent.json is written last and atomically: a crash in between
    /// leaves an agent that is not enrolled, never one with a half-written identity.
    /// </summary>
    public void SaveEnrollment(AgentState state, ECDsa key, string certificatePem, string caPem)
    {
        Directory.CreateDirectory(Path);
        Directory.CreateDirectory(IdentityDirectory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(IdentityDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        WriteAtomically(KeyFile, key.ExportPkcs8PrivateKeyPem() + "\n", secret: true);
        WriteAtomically(CertificateFile, certificatePem.TrimEnd() + "\n", secret: false);
        WriteAtomically(CaFile, caPem.TrimEnd() + "\n", secret: false);
        WriteAtomically(StateFile, JsonSerializer.Serialize(state, Json) + "\n", secret: false);
    }

    private static void WriteAtomically(string path, string content, bool secret)
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
