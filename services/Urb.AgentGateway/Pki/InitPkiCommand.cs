using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Urb.ServiceDefaults.Hosting;

namespace Urb.AgentGateway.Pki;

/// <summary>
/// <c>init-pki --dir DIR --host NAME…</c>: makes the installation's CA and the gateway's TLS
/// certificate, once. Existing files are never overwritten: replacing the CA would cut off
/// every enrolled agent.
/// </summary>
internal sealed class InitPkiCommand(TimeProvider time) : IServiceCommand
{
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan ServerLifetime = TimeSpan.FromDays(825);

    public string Name => "init-pki";

    public string Usage => "init-pki --dir DIR --host NAME [--host NAME]…    make the CA and the gateway certificate if missing";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        string? directory = null;
        var hosts = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--dir" when i + 1 < arguments.Count: directory = arguments[++i]; break;
                case "--host" when i + 1 < arguments.Count: hosts.Add(arguments[++i]); break;
                default:
                    await Console.Error.WriteLineAsync($"init-pki: unexpected argument '{arguments[i]}'. Usage: {Usage}");
                    return 64;
            }
        }
        if (directory is null || hosts.Count == 0)
        {
            await Console.Error.WriteLineAsync($"init-pki: --dir and at least one --host are required. Usage: {Usage}");
            return 64;
        }

        var files = new PkiFiles(Path.GetFullPath(directory));
        var existing = files.All.Count(File.Exists);
        if (existing == 4)
        {
            Console.WriteLine($"init-pki: {files.Directory} exists already; nothing changed");
            return 0;
        }
        if (existing > 0)
        {
            await Console.Error.WriteLineAsync($"init-pki: {files.Directory} holds only some of ca.crt, ca.key, gateway.crt, gateway.key; refusing to overwrite. Restore the missing files from backup.");
            return 1;
        }

        Directory.CreateDirectory(files.Directory);
        var now = time.GetUtcNow();
        using var ca = CertificateFactory.CreateCa($"Urb CA {Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}", now, CaLifetime);
        using var server = CertificateFactory.CreateServer(ca, hosts, now, ServerLifetime);
        await WritePairAsync(ca, files.CaCertificate, files.CaKey, cancellationToken);
        await WritePairAsync(server, files.GatewayCertificate, files.GatewayKey, cancellationToken);
        Console.WriteLine($"init-pki: made the CA and the gateway certificate for {string.Join(", ", hosts)} in {files.Directory}");
        return 0;
    }

    private static async Task WritePairAsync(X509Certificate2 certificate, string certificatePath, string keyPath, CancellationToken cancellationToken)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("An Urb certificate has an ECDSA key.");
        await WriteSecretAsync(keyPath, key.ExportPkcs8PrivateKeyPem(), cancellationToken);
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem() + "\n", cancellationToken);
    }

    /// <summary>Private keys are created readable by their owner only, before any byte is written.</summary>
    private static async Task WriteSecretAsync(string path, string content, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(content.AsMemory(), cancellationToken);
        await writer.WriteLineAsync();
    }
}
