using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// A minimal Redis client (RESP2 over one socket) for the dedup cache tests to flush, inspect and
/// tamper with the stack's Redis. The test project does not reference StackExchange.Redis, and
/// these few commands do not need it.
/// </summary>
internal sealed class DedupIndexRedisProbe : IAsyncDisposable
{
    private readonly TcpClient tcp;
    private readonly NetworkStream stream;

    private DedupIndexRedisProbe(TcpClient tcp)
    {
        this.tcp = tcp;
        stream = tcp.GetStream();
    }

    public static async Task<DedupIndexRedisProbe> ConnectAsync(TestRedis redis)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", redis.Port);
        var probe = new DedupIndexRedisProbe(tcp);
        await probe.CommandAsync("AUTH", redis.Password);
        return probe;
    }

    /// <summary>Sends one command (arguments are strings or raw bytes) and returns the reply: string, long, byte[], object?[] or null.</summary>
    public async Task<object?> CommandAsync(params object[] arguments)
    {
        using var request = new MemoryStream();
        Write(request, $"*{arguments.Length}\r\n");
        foreach (var argument in arguments)
        {
            var bytes = argument as byte[] ?? Encoding.UTF8.GetBytes(Convert.ToString(argument, CultureInfo.InvariantCulture)!);
            Write(request, $"${bytes.Length}\r\n");
            request.Write(bytes);
            Write(request, "\r\n");
        }
        await stream.WriteAsync(request.ToArray());
        return await ReadReplyAsync();
    }

    public async Task<long> IntegerAsync(params object[] arguments) => (long)(await CommandAsync(arguments))!;

    private async Task<object?> ReadReplyAsync()
    {
        var line = await ReadLineAsync();
        var rest = line[1..];
        switch (line[0])
        {
            case '+': return rest;
            case '-': throw new InvalidOperationException($"Redis error: {rest}");
            case ':': return long.Parse(rest, CultureInfo.InvariantCulture);
            case '$':
                var length = int.Parse(rest, CultureInfo.InvariantCulture);
                if (length < 0) return null;
                var data = new byte[length + 2];
                await stream.ReadExactlyAsync(data);
                return data[..length];
            case '*':
                var count = int.Parse(rest, CultureInfo.InvariantCulture);
                if (count < 0) return null;
                var items = new object?[count];
                for (var i = 0; i < count; i++) items[i] = await ReadReplyAsync();
                return items;
            default: throw new InvalidOperationException($"Unexpected Redis reply '{line}'.");
        }
    }

    private async Task<string> ReadLineAsync()
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(one);
            if (one[0] == '\n' && line.Length > 0 && line[^1] == '\r') return line.ToString(0, line.Length - 1);
            line.Append((char)one[0]);
        }
    }

    private static void Write(MemoryStream destination, string text) => destination.Write(Encoding.ASCII.GetBytes(text));

    public ValueTask DisposeAsync()
    {
        stream.Dispose();
        tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
