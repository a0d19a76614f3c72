using System.Runtime.InteropServices;
using System.Text;

namespace Urb.Agent.Connection;

/// <summary>
/// Keeps the machine's root certificates out of this process. The agent trusts only the CA it
/// pinned at enrolment (<see cref="GatewayTrust"/>), and before that no certificate at all, so
/// the system store decides nothing here. Yet on Linux every TLS connection made it load: .NET's
/// <c>SslStream</c> builds a chain for the client certificate (and one for the server's, to report
/// policy errors), and the first chain build reads the whole store, the bundle file and every file
/// of /etc/ssl/certs. That cost 35-40 ms of every agent command before its first call left the
/// machine (measured on the benchmark's backups without changes: docs/architecture.md, "Why the
/// CA is pinned"). Pointing OpenSSL's store variables at nothing, for this process only, before
/// any TLS, makes those chain builds find no system roots; the agent's own checks are unchanged.
/// They are set whatever they were (many machines set them for other programs' sake): no
/// certificate in a system store counts for the agent either way. The agent starts no other
/// programs, so none inherits them.
/// </summary>
internal static class SystemTrustStore
{
    private const string Libc = "libc";

    public static void KeepOut()
    {
        if (!OperatingSystem.IsLinux()) return;
        // OpenSSL reads these when .NET first loads the store: an empty file, and a directory that is not there.
        Set("SSL_CERT_FILE", "/dev/null");
        Set("SSL_CERT_DIR", "/nonexistent/urb-agent-trusts-only-its-pinned-ca");
    }

    // Failure leaves the store as it was: slower, never less safe.
    private static void Set(string name, string value) => _ = SetEnvironment(Terminated(name), Terminated(value), overwrite: 1);

    private static byte[] Terminated(string text) => Encoding.UTF8.GetBytes(text + "\0");

    /// <summary>setenv(3): the native environment, where the store's paths are read (Environment.SetEnvironmentVariable changes only .NET's copy on Unix).</summary>
    [DllImport(Libc, EntryPoint = "setenv", SetLastError = true)]
    private static extern int SetEnvironment(byte[] name, byte[] value, int overwrite);
}
