using Urb.Api.Auth;
using Urb.Domain.Errors;
using Urb.ServiceDefaults.Hosting;

namespace Urb.Api.Installers;

/// <summary>
/// Plain HTTP for the one-command setup of a new machine (<c>urb-bootstrap.sh</c>), which has
/// curl but no gRPC client: <c>POST /v1/bootstrap/{linux|windows}?client=NAME</c> with an API key
/// makes (or finds) the client in the key's tenant and answers its installer;
/// <c>GET /v1/bootstrap.sh</c> serves the bootstrap script itself. Only on the public API port.
/// </summary>
public static class BootstrapEndpoints
{
    public static void MapBootstrapEndpoints(this WebApplication app)
    {
        var publicPort = UrbListenOptions.From(app.Configuration).GrpcPort;
        var group = app.MapGroup("/v1").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Connection.LocalPort == publicPort ? await next(context) : Results.NotFound());

        group.MapGet("/bootstrap.sh", async () =>
        {
            await using var stream = typeof(BootstrapEndpoints).Assembly.GetManifestResourceStream("Urb.Api.Installers.urb-bootstrap.sh")!;
            using var reader = new StreamReader(stream);
            return Results.Text(await reader.ReadToEndAsync(), "text/x-shellscript");
        });

        group.MapPost("/bootstrap/{platform}", async (string platform, string? client, HttpContext http,
            ApiKeyAuthenticator authenticator, ClientInstallers installers, CancellationToken cancellationToken) =>
        {
            try
            {
                var caller = await authenticator.AuthenticateAsync(http.Request.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null, cancellationToken);
                var target = platform switch
                {
                    "linux" => InstallerPlatform.Linux,
                    "windows" => InstallerPlatform.Windows,
                    _ => throw new InvalidInputException("platform", "The platform is linux or windows."),
                };
                var row = await installers.FindOrCreateAsync(caller, client ?? "", cancellationToken);
                var (fileName, content, _) = await installers.CreateAsync(caller, row, target, null, cancellationToken);
                return Results.File(content, "application/octet-stream", fileName);
            }
            catch (Exception e) when (StatusOf(e) is { } status)
            {
                return Results.Text(e.Message + "\n", "text/plain", statusCode: status);
            }
        });
    }

    /// <summary>The HTTP status of an expected failure, as gRPC's HTTP mapping has it.</summary>
    private static int? StatusOf(Exception e) => e switch
    {
        UnauthenticatedException => StatusCodes.Status401Unauthorized,
        PermissionDeniedException => StatusCodes.Status403Forbidden,
        NotFoundException => StatusCodes.Status404NotFound,
        AlreadyExistsException => StatusCodes.Status409Conflict,
        InvalidInputException or FailedPreconditionException => StatusCodes.Status400BadRequest,
        _ => null,
    };
}
