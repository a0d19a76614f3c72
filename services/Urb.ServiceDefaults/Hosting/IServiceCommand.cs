namespace Urb.ServiceDefaults.Hosting;

/// <summary>
/// A one-shot command of a service binary (<c>Urb.Api.dll migrate</c>, ...): it runs with the
/// service's configuration and services, then the process exits with its result.
/// </summary>
public interface IServiceCommand
{
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Usage { get; }

    Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}
