using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Urb.Contracts.Api.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Restore downloads on Urb.Api's HTTP port: a directory as zip and tar.gz unpacks to the backed-up
/// tree, a single file honours range requests, and bad paths or another tenant's client are refused.
/// </summary>
[Collection(StackCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RestDownloadTests(StackFixture fixture) : IAsyncLifetime
{
    private UrbStack Stack => fixture.Stack;
    private string key = "", otherKey = "", source = "";
    private byte[] big = [];
    private BackupAgent agent = null!;

    public async Task InitializeAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var tenant = await Stack.CreateTenantAsync("download-" + suffix);
        key = await Stack.CreateKeyAsync(tenant, ApiKeyRole.TenantReader);
        otherKey = await Stack.CreateKeyAsync(await Stack.CreateTenantAsync("download-other-" + suffix), ApiKeyRole.TenantAdmin);
        agent = await BackupAgent.EnrollAsync(Stack, tenant);

        source = Directory.CreateDirectory(Path.Combine(Stack.Directory, "download-" + suffix)).FullName;
        big = new byte[3 * 1024 * 1024 + 123];
        new Random(7).NextBytes(big);
        await File.WriteAllBytesAsync(Path.Combine(source, "big.bin"), big);
        Directory.CreateDirectory(Path.Combine(source, "sub", "deeper"));
        await File.WriteAllTextAsync(Path.Combine(source, "sub", "note.txt"), "a note");
        await File.WriteAllTextAsync(Path.Combine(source, "sub", "deeper", "script.sh"), "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(Path.Combine(source, "sub", "deeper", "script.sh"), (UnixFileMode)0b111_101_000);
        await File.WriteAllBytesAsync(Path.Combine(source, "empty"), []);
        await agent.BackupAsync([source]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Rest(string bearer)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Stack.Ports[UrbStack.Api].Http}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return http;
    }

    private string Root => Path.GetFileName(source);

    private string Unpacked(string name) => Path.Combine(Stack.Directory, name + "-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task ZipDownload_OfADirectory_UnpacksToTheSameFiles()
    {
        using var http = Rest(key);
        using var response = await http.GetAsync($"/v1/clients/{agent.ClientId}/snapshots/latest/archive?path={Root}&format=zip", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        var target = Unpacked("zip");
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            await ZipFile.ExtractToDirectoryAsync(body, target);
        }

        // zip keeps names and bytes (its mtimes have 2-second steps and modes are not restored by .NET).
        Assert.Equal(Files(source), Files(target));
        foreach (var file in Files(source))
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(source, file)), await File.ReadAllBytesAsync(Path.Combine(target, file)));
        }
        Assert.True(Directory.Exists(Path.Combine(target, "sub", "deeper")));
    }

    [Fact]
    public async Task TarGzDownload_WithSymlinkAndModes_UnpacksToTheSameTree()
    {
        var withLink = Directory.CreateDirectory(Path.Combine(Stack.Directory, "tar-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        await File.WriteAllTextAsync(Path.Combine(withLink, "target.txt"), "pointed at");
        File.SetUnixFileMode(Path.Combine(withLink, "target.txt"), (UnixFileMode)0b110_000_000);
        File.CreateSymbolicLink(Path.Combine(withLink, "link"), "target.txt");
        Directory.CreateDirectory(Path.Combine(withLink, "dir"));
        await File.WriteAllBytesAsync(Path.Combine(withLink, "dir", "data.bin"), big[..100_000]);
        await agent.BackupAsync([withLink]);

        using var http = Rest(key);
        using var response = await http.GetAsync($"/v1/clients/{agent.ClientId}/snapshots/latest/archive?path={Path.GetFileName(withLink)}&format=tar.gz", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var target = Directory.CreateDirectory(Unpacked("tar")).FullName;
        await using (var body = await response.Content.ReadAsStreamAsync())
        await using (var gzip = new GZipStream(body, CompressionMode.Decompress))
        {
            await TarFile.ExtractToDirectoryAsync(gzip, target, overwriteFiles: false);
        }

        Assert.Equal("target.txt", new FileInfo(Path.Combine(target, "link")).LinkTarget);
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(Path.Combine(target, "target.txt")));
        // Extracting files into a directory moves its mtime; files, links and modes must match exactly.
        var differences = TreeComparison.Differences(withLink, target);
        differences.RemoveAll(d => d.StartsWith("mtime differs: dir ", StringComparison.Ordinal));
        Assert.Empty(differences);
    }

    [Fact]
    public async Task FileDownload_WithRange_ReturnsTheExactSlice()
    {
        using var http = Rest(key);
        var url = $"/v1/clients/{agent.ClientId}/snapshots/latest/file?path={Root}/big.bin";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(1_500_000, 2_600_000);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(big[1_500_000..2_600_001], await response.Content.ReadAsByteArrayAsync());
        var range = response.Content.Headers.ContentRange!;
        Assert.Equal((1_500_000L, 2_600_000L, (long)big.Length), (range.From!.Value, range.To!.Value, range.Length!.Value));

        using var whole = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(big, await whole.Content.ReadAsByteArrayAsync());

        using var suffix = new HttpRequestMessage(HttpMethod.Get, url);
        suffix.Headers.Range = new RangeHeaderValue(null, 10);
        using var tail = await http.SendAsync(suffix);
        Assert.Equal(big[^10..], await tail.Content.ReadAsByteArrayAsync());

        using var beyond = new HttpRequestMessage(HttpMethod.Get, url);
        beyond.Headers.Range = new RangeHeaderValue(big.Length, null);
        using var refused = await http.SendAsync(beyond);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);
        Assert.Equal($"bytes */{big.Length}", refused.Content.Headers.GetValues("Content-Range").Single());
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../b")]
    [InlineData("a%00b")]
    public async Task Download_BadPath_Is400NamingPath(string path)
    {
        using var http = Rest(key);
        foreach (var url in new[] { $"/v1/clients/{agent.ClientId}/snapshots/latest/file?path={path}", $"/v1/clients/{agent.ClientId}/snapshots/latest/archive?path={path}" })
        {
            using var response = await http.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode} {body}");
            Assert.Contains("path", JsonDocument.Parse(body).RootElement.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task Download_AnotherTenantsClient_Is404()
    {
        using var http = Rest(otherKey);
        using var file = await http.GetAsync($"/v1/clients/{agent.ClientId}/snapshots/latest/file?path={Root}/big.bin");
        Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
        using var archive = await http.GetAsync($"/v1/clients/{agent.ClientId}/snapshots/latest/archive?path={Root}&format=zip");
        Assert.Equal(HttpStatusCode.NotFound, archive.StatusCode);
    }

    private static List<string> Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];
}
