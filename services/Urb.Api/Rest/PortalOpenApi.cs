using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.OpenApi.Models;

namespace Urb.Api.Rest;

/// <summary>
/// The OpenAPI document of the portal REST API: the transcoded gRPC calls (Microsoft.AspNetCore.Grpc.Swagger
/// reads their http annotations) and the plain endpoints of the <see cref="PortalRest"/> group, served
/// without a key at <see cref="DocumentPath"/>. Swashbuckle stays on 8.1.4: Grpc.Swagger 0.10.11 is
/// built on Microsoft.OpenApi 1.x (Swashbuckle 10 moved to Microsoft.OpenApi 2).
/// Microsoft.AspNetCore.OpenApi 10.0.15 was measured in its place: its document listed the plain
/// endpoints only, none of the transcoded routes (it has no ApiExplorer provider for them).
/// </summary>
public static class PortalOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>
    /// Transcoding as the protobuf JSON mapping says: 64-bit integers as strings (a JavaScript
    /// number loses nanosecond mtimes and large sizes), and the detail messages our errors carry
    /// (ErrorStatus) registered, so transcoded errors write them.
    /// </summary>
    public static void ConfigureTranscoding(GrpcJsonTranscodingOptions options)
    {
        options.JsonSettings.WriteInt64sAsStrings = true;
        options.TypeRegistry = TypeRegistry.FromMessages(Google.Rpc.BadRequest.Descriptor);
    }

    public static IServiceCollection AddPortalOpenApi(this IServiceCollection services)
    {
        services.AddGrpcSwagger();
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo { Title = "Urb portal API", Version = "v1" });
            var bearer = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key: Authorization: Bearer <key>",
                Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "apiKey" },
            };
            o.AddSecurityDefinition("apiKey", bearer);
            o.AddSecurityRequirement(new OpenApiSecurityRequirement { [bearer] = [] });
        });
        return services;
    }

    public static IEndpointRouteBuilder MapPortalOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapSwagger("/openapi/{documentName}.json");
        return app;
    }

    /// <summary>Whether a gRPC call arrived as REST (a transcoded http-annotated call) on the HTTP port.</summary>
    public static bool IsTranscodedOn(HttpContext http, int httpPort) =>
        http.Connection.LocalPort == httpPort && http.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null;
}
