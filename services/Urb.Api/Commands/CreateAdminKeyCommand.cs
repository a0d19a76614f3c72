using Microsoft.Extensions.DependencyInjection;
using Urb.Api.Auth;
using Urb.Api.Data;
using Urb.Domain.Identity;
using Urb.ServiceDefaults.Hosting;

namespace Urb.Api.Commands;

/// <summary>
/// <c>create-admin-key [--name NAME]</c>: makes a global-admin API key and prints it once on
/// stdout. The operator's way in on a new installation (<c>urb up</c> runs it once).
/// </summary>
internal sealed class CreateAdminKeyCommand(IServiceScopeFactory scopes) : IServiceCommand
{
    public string Name => "create-admin-key";

    public string Usage => "create-admin-key [--name NAME]    make a global-admin API key and print it once";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var name = "admin";
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] == "--name" && i + 1 < arguments.Count) name = arguments[++i];
            else
            {
                await Console.Error.WriteLineAsync($"create-admin-key: unexpected argument '{arguments[i]}'");
                return 64;
            }
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApiDbContext>();
        var (key, _) = scope.ServiceProvider.GetRequiredService<ApiKeyIssuer>().Issue(name, ApiRole.GlobalAdmin, tenantId: null);
        await db.SaveChangesAsync(cancellationToken);
        Console.WriteLine(key.ToString());
        return 0;
    }
}
