using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Urb.ServiceDefaults.Grpc;

public static class UrbGrpcExtensions
{
    /// <summary>
    /// <c>AddGrpc()</c> for a service's own options: each call of AddGrpc registers grpc-dotnet's
    /// method binder again, so it is replaced again (<see cref="ValidatingServiceMethodProvider{TService}"/>).
    /// </summary>
    public static IGrpcServerBuilder AddUrbGrpc(this IServiceCollection services)
    {
        var grpc = services.AddGrpc();
        ValidatingServiceMethodProvider<object>.ReplaceDefault(services);
        return grpc;
    }
}

/// <summary>
/// Binds every gRPC service the way grpc-dotnet's own binder does (the generated
/// <c>BindService</c> method, the service's overrides as handlers), with one difference: a request
/// message that does not parse is <c>InvalidArgument</c>, "A request message is not valid
/// protobuf". grpc-dotnet reads a unary request before any interceptor runs and answers a parse
/// failure itself with <c>Unknown</c>, "Exception was thrown by handler"; a status thrown by the
/// deserializer, however, reaches the caller as it is.
/// </summary>
internal sealed class ValidatingServiceMethodProvider<TService> : IServiceMethodProvider<TService> where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is not { } attribute) continue;
            // BindService(ServiceBinderBase, TServiceBase); generated code has an overload without the binder too.
            var bind = attribute.BindType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .SingleOrDefault(m => m.Name == attribute.BindMethodName && m.GetParameters() is [{ ParameterType: var first }, _] && first == typeof(ServiceBinderBase))
                ?? throw new InvalidOperationException($"{attribute.BindType} has no method {attribute.BindMethodName}(ServiceBinderBase, …)");
            bind.Invoke(null, [new Binder(context), null]);
            return;
        }
    }

    /// <summary>Registers the dependencies once: this provider instead of grpc-dotnet's binder.</summary>
    public static void ReplaceDefault(IServiceCollection services)
    {
        services.RemoveAll(typeof(IServiceMethodProvider<>));
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(ValidatingServiceMethodProvider<>)));
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(Validating(method), Metadata(method.Name, out var info),
                Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(info, method.Name, typeof(TRequest), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(Validating(method), Metadata(method.Name, out var info),
                Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(info, method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(Validating(method), Metadata(method.Name, out var info),
                Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(info, method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(Validating(method), Metadata(method.Name, out var info),
                Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(info, method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)));

        /// <summary>The service's attributes and the handler's, as grpc-dotnet's binder passes them (authorization, CORS …).</summary>
        private static List<object> Metadata(string name, out MethodInfo? handler)
        {
            handler = typeof(TService).GetMethods(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(m => m.Name == name && m.IsVirtual);
            List<object> metadata = [.. typeof(TService).GetCustomAttributes(inherit: true)];
            if (handler is not null) metadata.AddRange(handler.GetCustomAttributes(inherit: true));
            return metadata;
        }

        /// <summary>
        /// An open delegate to the service's handler: its override, or the generated base method
        /// that answers Unimplemented.
        /// </summary>
        private static TDelegate Invoker<TDelegate>(MethodInfo? handler, string name, params Type[] parameters) where TDelegate : Delegate
        {
            var method = typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters) ?? handler
                ?? throw new InvalidOperationException($"Could not find '{name}' on {typeof(TService)}.");
            return (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), null, method);
        }

        private static Method<TRequest, TResponse> Validating<TRequest, TResponse>(Method<TRequest, TResponse> method)
        {
            var inner = method.RequestMarshaller;
            var marshaller = new Marshaller<TRequest>(inner.ContextualSerializer, context =>
            {
                try
                {
                    return inner.ContextualDeserializer(context);
                }
                catch (InvalidProtocolBufferException e)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"A request message is not valid protobuf: {e.Message}"));
                }
            });
            return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
        }
    }
}
