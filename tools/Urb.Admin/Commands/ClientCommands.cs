using System.CommandLine;
using System.Text.Json;
using Urb.Contracts.Api.V1;

namespace Urb.Admin.Commands;

/// <summary><c>client add|list|token|delete</c>: managing the machines that are backed up.</summary>
public static class ClientCommands
{
    public static Command Create(Func<ParseResult, ApiConnection> connect)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("client", "Manage clients (the machines that are backed up)");
        command.Subcommands.Add(Add(connect, json));
        command.Subcommands.Add(List(connect, json));
        command.Subcommands.Add(Token(connect, json));
        command.Subcommands.Add(Delete(connect));
        return command;
    }

    private static Command Add(Func<ParseResult, ApiConnection> connect, Option<bool> json)
    {
        var name = new Argument<string>("name") { Description = "The client's name: letters, digits, '.', '-', '_'" };
        var tenant = new Option<string?>("--tenant") { Description = "The tenant id (default: the key's tenant, or the default tenant)" };
        var command = new Command("add", "Create a client and print a one-time enrolment token for its agent") { name, tenant, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var api = connect(result);
            var response = await new Clients.ClientsClient(api.Invoker).CreateClientAsync(
                new CreateClientRequest { Name = result.GetValue(name)!, TenantId = result.GetValue(tenant) ?? "" },
                api.Headers, ApiConnection.Deadline, cancellationToken);
            PrintEnrollment(response.Client, response.Enrollment, result.GetValue(json));
            return 0;
        });
        return command;
    }

    private static Command List(Func<ParseResult, ApiConnection> connect, Option<bool> json)
    {
        var command = new Command("list", "List clients") { json };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var api = connect(result);
            var response = await new Clients.ClientsClient(api.Invoker).ListClientsAsync(
                new ListClientsRequest(), api.Headers, ApiConnection.Deadline, cancellationToken);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(response.Clients.Select(c => new
                {
                    id = c.Id, name = c.Name, tenant = c.TenantId, enrolledAt = c.EnrolledAt?.ToDateTimeOffset(), hostname = c.EnrolledHostname,
                })));
                return 0;
            }
            Console.WriteLine($"{"NAME",-24} {"ID",-36} {"ENROLLED",-20} HOST");
            foreach (var c in response.Clients)
            {
                Console.WriteLine($"{c.Name,-24} {c.Id,-36} {(c.EnrolledAt is null ? "no" : c.EnrolledAt.ToDateTimeOffset().ToString("u")),-20} {c.EnrolledHostname}");
            }
            return 0;
        });
        return command;
    }

    private static Command Token(Func<ParseResult, ApiConnection> connect, Option<bool> json)
    {
        var id = new Argument<string>("client-id") { Description = "The client's id (see 'client list')" };
        var command = new Command("token", "Make a new one-time enrolment token for an existing client") { id, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var api = connect(result);
            var clients = new Clients.ClientsClient(api.Invoker);
            var client = await clients.GetClientAsync(new GetClientRequest { Id = result.GetValue(id)! }, api.Headers, ApiConnection.Deadline, cancellationToken);
            var token = await clients.CreateEnrollmentTokenAsync(
                new CreateEnrollmentTokenRequest { ClientId = client.Id }, api.Headers, ApiConnection.Deadline, cancellationToken);
            PrintEnrollment(client, token, result.GetValue(json));
            return 0;
        });
        return command;
    }

    private static Command Delete(Func<ParseResult, ApiConnection> connect)
    {
        var id = new Argument<string>("client-id") { Description = "The client's id (see 'client list')" };
        var command = new Command("delete", "Delete a client; its agent is refused from then on") { id };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var api = connect(result);
            await new Clients.ClientsClient(api.Invoker).DeleteClientAsync(
                new DeleteClientRequest { Id = result.GetValue(id)! }, api.Headers, ApiConnection.Deadline, cancellationToken);
            Console.WriteLine("Deleted.");
            return 0;
        });
        return command;
    }

    private static void PrintEnrollment(Client client, EnrollmentToken token, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                client = new { id = client.Id, name = client.Name, tenant = client.TenantId },
                token = token.Token,
                server = token.Server,
                expiresAt = token.ExpiresAt.ToDateTimeOffset(),
            }));
            return;
        }
        Console.WriteLine($"Client:  {client.Name} ({client.Id})");
        Console.WriteLine($"Server:  {token.Server}");
        Console.WriteLine($"Token:   {token.Token}");
        Console.WriteLine($"         single use, valid until {token.ExpiresAt.ToDateTimeOffset():u}");
        Console.WriteLine();
        Console.WriteLine("Enrol the client's agent with its 'enroll' command; with an agent run from this repository:");
        Console.WriteLine($"  ./urb agent --state-dir DIR enroll --server {token.Server} --token {token.Token}");
    }
}
