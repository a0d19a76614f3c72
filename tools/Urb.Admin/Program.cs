using System.CommandLine;
using Grpc.Core;
using Urb.Admin;
using Urb.Admin.Commands;

var api = new Option<string>("--api")
{
    Description = "Urb.Api's gRPC address (default $URB_API, else http://127.0.0.1:5000)",
    Recursive = true,
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("URB_API") is { Length: > 0 } address ? address : "http://127.0.0.1:5000",
};
var keyFile = new Option<string>("--api-key-file")
{
    Description = "A file holding the API key (default $URB_API_KEY_FILE)",
    Recursive = true,
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("URB_API_KEY_FILE") ?? "",
};

ApiConnection Connect(ParseResult result) => ApiConnection.FromFiles(new Uri(result.GetValue(api)!), result.GetValue(keyFile)!);

var root = new RootCommand("Urb administration: manage an Urb server through Urb.Api, and sign agent releases")
{
    api,
    keyFile,
    ClientCommands.Create(Connect),
    ReleaseCommands.Create(),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"urb: {error.Message}");
    return 2;
}
try
{
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (RpcException e)
{
    Console.Error.WriteLine($"urb: {e.StatusCode}: {e.Status.Detail}");
    return e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied ? 4 : 1;
}
catch (Exception e) when (e is FileNotFoundException or UriFormatException)
{
    Console.Error.WriteLine($"urb: {e.Message}");
    return 1;
}
