namespace Urb.Api.Options;

/// <summary>How agents enrol (section <c>Api:Enrollment</c>).</summary>
public sealed class EnrollmentOptions
{
    public const string SectionName = "Api:Enrollment";

    /// <summary>The installation CA's certificate (PEM). Its key's hash goes into every token so agents can check the gateway. Required.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>The gateway address agents enrol with, printed with each token (e.g. https://backup.example.com:55415). Required.</summary>
    public string? ServerAddress { get; set; }

    /// <summary>How long a new token is valid unless the request says otherwise. Default 24 hours.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The longest validity a request may ask for. Default 30 days.</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromDays(30);
}
