using System.Reflection;
using System.Text;
using Microsoft.Extensions.Options;
using Urb.Api.Options;
using Urb.Domain.Errors;

namespace Urb.Api.Installers;

/// <summary>The platforms an installer is made for.</summary>
public enum InstallerPlatform
{
    Linux,
    Windows,
}

/// <summary>What goes into one client's installer.</summary>
public sealed record InstallerValues(string ClientName, string TenantName, string Server, string Token, DateTimeOffset TokenExpiresAt);

/// <summary>
/// Per-client installers, as UrBackup serves them: a script with the gateway address and a
/// one-time enrolment token (which carries the pinned CA's fingerprint) filled in, and the
/// agent's files inside. Linux: a self-extracting shell script (the tar.gz follows the script);
/// Windows: a PowerShell script with the archive in base64 (unpacked with Windows' tar.exe).
/// </summary>
public sealed class InstallerBuilder(IOptions<InstallerOptions> options)
{
    private static readonly string ServerVersion =
        typeof(InstallerBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    public static string FileName(InstallerPlatform platform, string clientName) =>
        platform == InstallerPlatform.Linux ? $"urb-agent-{clientName}.sh" : $"urb-agent-{clientName}.ps1";

    /// <summary>Checks before a token is spent on an installer that cannot be made.</summary>
    public void EnsureAvailable()
    {
        if (options.Value.AgentArchive is not { Length: > 0 } archive || !File.Exists(archive))
        {
            throw new FailedPreconditionException(
                $"This server has no agent archive to put into installers ({InstallerOptions.SectionName}:AgentArchive is not set or missing).");
        }
    }

    public async Task<byte[]> BuildAsync(InstallerPlatform platform, InstallerValues values, CancellationToken cancellationToken)
    {
        EnsureAvailable();
        var payload = await File.ReadAllBytesAsync(options.Value.AgentArchive!, cancellationToken);
        var template = platform == InstallerPlatform.Linux ? "linux-installer.sh" : "windows-installer.ps1";
        var script = Fill(await ReadTemplateAsync(template), values);
        if (platform == InstallerPlatform.Windows)
        {
            return Encoding.UTF8.GetBytes(script.Replace("@URB_PAYLOAD_BASE64@", Convert.ToBase64String(payload), StringComparison.Ordinal));
        }
        var head = Encoding.UTF8.GetBytes(script.ReplaceLineEndings("\n"));
        return [.. head, .. payload];
    }

    private string Fill(string template, InstallerValues values) => template
        .Replace("@URB_CLIENT@", Quoted(values.ClientName), StringComparison.Ordinal)
        .Replace("@URB_TENANT@", Quoted(values.TenantName), StringComparison.Ordinal)
        .Replace("@URB_SERVER@", Quoted(values.Server), StringComparison.Ordinal)
        .Replace("@URB_TOKEN@", Quoted(values.Token), StringComparison.Ordinal)
        .Replace("@URB_EXPIRES@", values.TokenExpiresAt.ToString("u"), StringComparison.Ordinal)
        .Replace("@URB_VERSION@", Quoted(options.Value.AgentVersion ?? ServerVersion), StringComparison.Ordinal);

    /// <summary>
    /// Values go between single quotes in both languages; client names, tokens and addresses never
    /// hold one, and anything else that could break out of the quotes is refused here.
    /// </summary>
    private static string Quoted(string value) =>
        value.Any(c => c is '\'' or '"' or '`' or '$' or '\\' || char.IsControl(c))
            ? throw new InvalidInputException("installer", $"'{value}' can not go into an installer script.")
            : value;

    private static async Task<string> ReadTemplateAsync(string name)
    {
        await using var stream = typeof(InstallerBuilder).Assembly.GetManifestResourceStream($"Urb.Api.Installers.{name}")
            ?? throw new InvalidOperationException($"the installer template {name} is not embedded");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
