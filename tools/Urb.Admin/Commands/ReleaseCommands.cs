using System.CommandLine;
using Urb.Admin.Releases;
using Urb.Domain.Releases;

namespace Urb.Admin.Commands;

/// <summary><c>release keygen|sign</c>: the installation's release key, and signed agent releases for the gateway to offer.</summary>
public static class ReleaseCommands
{
    public static Command Create()
    {
        var command = new Command("release", "Make the release key and sign agent releases (no server is called)");
        command.Subcommands.Add(Keygen());
        command.Subcommands.Add(Sign());
        return command;
    }

    private static Command Keygen()
    {
        var output = new Option<string>("--out") { Description = "Folder for release.key and release.pub", DefaultValueFactory = _ => "." };
        var command = new Command("keygen", "Make an Ed25519 release key pair: release.key (private, mode 0600) and release.pub") { output };
        command.SetAction(result => Run(() =>
        {
            var directory = result.GetValue(output)!;
            var publicKey = ReleaseSigner.GenerateKeyPair(directory);
            Console.WriteLine($"Private key: {Path.Combine(directory, ReleaseSigner.PrivateKeyFile)} (mode 0600; keep it off the servers, never commit it)");
            Console.WriteLine($"Public key:  {Path.Combine(directory, ReleaseSigner.PublicKeyFile)} (key {ReleaseSigner.KeyIdOf(publicKey)})");
            Console.WriteLine();
            Console.WriteLine("Build it into the agent:");
            Console.WriteLine($"  dotnet publish agent/Urb.Agent -c Release -p:UrbReleasePublicKey={publicKey}");
        }));
        return command;
    }

    private static Command Sign()
    {
        var key = new Option<string>("--key") { Description = "The private key file (release.key)", Required = true };
        var version = new Option<string>("--version") { Description = "The release's version, MAJOR.MINOR.PATCH: the agent's own", Required = true };
        var platform = new Option<string>("--platform") { Description = "The runtime identifier the release is for", DefaultValueFactory = _ => "linux-x64" };
        var output = new Option<string?>("--out") { Description = "The manifest file (default: ARCHIVE.manifest)" };
        var archive = new Argument<string>("archive") { Description = "The release: the agent's published files as a .tar.gz" };
        var command = new Command("sign", "Sign an agent release: writes its manifest (version, size, SHA-256, Ed25519 signature)")
        {
            key, version, platform, output, archive,
        };
        command.SetAction(result => Run(() =>
        {
            var path = result.GetValue(archive)!;
            var (manifest, file) = ReleaseSigner.Sign(result.GetValue(key)!, path, ReleaseVersion.Parse(result.GetValue(version)!), result.GetValue(platform)!);
            var destination = result.GetValue(output) ?? path + ".manifest";
            var temporary = destination + ".tmp";
            File.WriteAllBytes(temporary, file);
            File.Move(temporary, destination, overwrite: true);
            Console.WriteLine($"Signed release {manifest.Version} for {manifest.Platform} with key {manifest.KeyId}: {destination}");
            Console.WriteLine("Place the archive and the manifest together in the gateway's Gateway:AgentReleasesDirectory.");
        }));
        return command;
    }

    /// <summary>Runs a local command: a bad input is exit code 2, a file that cannot be read or written 1.</summary>
    private static int Run(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"urb: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"urb: {e.Message}");
            return 1;
        }
    }
}
