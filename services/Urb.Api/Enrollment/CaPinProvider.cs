using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Urb.Api.Options;
using Urb.Domain.Identity;

namespace Urb.Api.Enrollment;

/// <summary>The pin of the installation's CA, read once from <see cref="EnrollmentOptions.CaCertificatePath"/>.</summary>
public sealed class CaPinProvider(IOptions<EnrollmentOptions> options)
{
    private readonly Lazy<byte[]> pin = new(() =>
    {
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(options.Value.CaCertificatePath!));
        return CertificatePin.Of(ca);
    });

    public byte[] Pin => pin.Value;
}
