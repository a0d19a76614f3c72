using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Storage.V1;
using Urb.Domain.Content;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Compression dictionaries through the whole stack: an agent trains one on its small files and
/// stores them compressed with it; restores are byte for byte; a client never gets another
/// client's dictionary, and chunks another client stored with one reach it decompressed.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class CompressionDictionaryTests(StackFixture fixture)
{
    private UrbStack Stack => fixture.Stack;

    private DedupIndex.DedupIndexClient Index => new(Stack.Channel(Stack.Ports[UrbStack.DedupIndex].GrpcAddress));

    private Storage.StorageClient StorageClient => new(Stack.Channel(Stack.Ports[UrbStack.Storage].GrpcAddress));

    [Fact]
    public async Task Backup_ManySmallFiles_TrainsOneDictionaryStoresTheirFramesWithItAndRestoresByteForByte()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var source = SmallTextFiles("dict-own");

        await agent.BackupAsync([source]);
        var trained = await DictionariesOfAsync(agent);
        await agent.BackupAsync([source], full: true);
        var afterFull = await DictionariesOfAsync(agent);
        var target = NewDirectory("dict-own-restore");
        var restore = await agent.RestoreAsync("latest", "", target);

        var dictionary = Assert.Single(trained);
        Assert.InRange(dictionary.DictionaryId, ZstdDict.FirstId, ZstdDict.LastId);
        Assert.Equal(trained, afterFull);
        Assert.Equal(0, restore.ExitCode);
        AssertSameFiles(source, Path.Combine(target, Path.GetFileName(source)));

        // A small file is one object: stored as a frame of the dictionary, read back as it is by
        // whoever has it, and decompressed by storage for whoever does not.
        var file = File.ReadAllBytes(Directory.GetFiles(source)[0]);
        var asStored = await ReadAsync(agent.TenantId, file, readable: [dictionary.DictionaryId]);
        var asPlaintext = await ReadAsync(agent.TenantId, file, readable: []);
        Assert.True(asStored.Compressed);
        Assert.Equal(dictionary.DictionaryId, ZstdFrame.DictionaryId(asStored.Data.Span));
        Assert.False(asPlaintext.Compressed);
        Assert.Equal(file, asPlaintext.Data.ToByteArray());
    }

    [Fact]
    public async Task Restore_ContentAnotherClientStoredWithItsDictionary_ComesDecompressedAndOnlyTheOwnDictionaryIsGiven()
    {
        var first = await BackupAgent.EnrollAsync(Stack);
        var second = await BackupAgent.EnrollAsync(Stack, first.TenantId);
        var source = SmallTextFiles("dict-shared");
        await first.BackupAsync([source]);
        var secondBackup = await second.BackupAsync([source]);
        var firsts = await DictionariesOfAsync(first);
        var seconds = await DictionariesOfAsync(second);
        var target = NewDirectory("dict-shared-restore");

        var restore = await second.RestoreAsync("latest", "", target);
        var (given, frameDictionaries, plainChunks) = await RawRestoreAsync(second);

        Assert.InRange(secondBackup.GetProperty("chunks_new").GetInt64(), 0, 2);
        Assert.Equal(0, restore.ExitCode);
        AssertSameFiles(source, Path.Combine(target, Path.GetFileName(source)));
        Assert.Equal(seconds.Select(d => d.DictionaryId), given);
        Assert.DoesNotContain(Assert.Single(firsts).DictionaryId, given);
        Assert.All(frameDictionaries, id => Assert.Contains(id, given.Append(0u)));
        Assert.True(plainChunks > 0, "the chunks the first client stored with its dictionary come decompressed");
    }

    [Fact]
    public async Task ApiDownload_FileStoredWithADictionary_IsItsBytes()
    {
        var tenant = await Stack.CreateTenantAsync("dict-download-" + Guid.NewGuid().ToString("N")[..8]);
        var key = await Stack.CreateKeyAsync(tenant, Contracts.Api.V1.ApiKeyRole.TenantReader);
        var agent = await BackupAgent.EnrollAsync(Stack, tenant);
        var source = SmallTextFiles("dict-download");
        await agent.BackupAsync([source]);
        Assert.Single(await DictionariesOfAsync(agent));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Stack.Ports[UrbStack.Api].Http}") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);

        var downloaded = await http.GetByteArrayAsync($"/v1/clients/{agent.ClientId}/snapshots/latest/file?path={Path.GetFileName(source)}/file007.c");

        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "file007.c")), downloaded);
    }

    [Fact]
    public async Task RebuildIndex_AfterTheIndexLostTheTenantsRows_RegistersTheDictionaryAgainAndTheBackupRestores()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var source = SmallTextFiles("dict-rebuild");
        await agent.BackupAsync([source]);
        var before = Assert.Single(await DictionariesOfAsync(agent));
        await Stack.Database.ScalarAsync<long>($"""
            WITH d AS (DELETE FROM dedup.dictionaries WHERE tenant_id = '{agent.TenantId}' RETURNING 1),
                 r AS (DELETE FROM dedup.chunk_refs WHERE chunk_row_id IN (SELECT id FROM dedup.chunks WHERE tenant_id = '{agent.TenantId}') RETURNING 1)
            SELECT (SELECT count(*) FROM d) + (SELECT count(*) FROM r)
            """);
        await Stack.Database.ScalarAsync<long>($"WITH gone AS (DELETE FROM dedup.chunks WHERE tenant_id = '{agent.TenantId}' RETURNING 1) SELECT count(*) FROM gone");
        Assert.Empty(await DictionariesOfAsync(agent));

        var rebuild = await Stack.RunCommandAsync(UrbStack.Storage, ["rebuild-index", "--tenant", agent.TenantId]);
        var target = NewDirectory("dict-rebuild-restore");
        var restore = await agent.RestoreAsync("latest", "", target);

        Assert.True(rebuild.ExitCode == 0, rebuild.StandardError);
        Assert.Contains("1 compression dictionaries were missing", rebuild.StandardOutput);
        Assert.Equal(before, Assert.Single(await DictionariesOfAsync(agent)));
        Assert.True(restore.ExitCode == 0, restore.StandardError);
        AssertSameFiles(source, Path.Combine(target, Path.GetFileName(source)));
    }

    /// <summary>About 9 MiB in 320 small text files that share words and a header, as source files do.</summary>
    private string SmallTextFiles(string name)
    {
        var directory = NewDirectory(name);
        var random = new Random(name.GetHashCode(StringComparison.Ordinal));
        string[] words = ["public", "static", "return", "namespace", "include", "define", "struct", "const", "value", "buffer",
            "length", "import", "self", "def", "class", "module", "function", "while", "for", "if", "else", "null", "true", "false"];
        for (var i = 0; i < 320; i++)
        {
            var text = new StringBuilder("/* Copyright the authors. Licensed under the terms in the accompanying LICENSE file. */\n");
            while (text.Length < 28_000)
            {
                text.Append(' ', 4 * random.Next(0, 3));
                for (var w = random.Next(3, 9); w > 0; w--) text.Append(words[random.Next(words.Length)]).Append(' ');
                text.Append(random.Next(100_000)).Append(";\n");
            }
            File.WriteAllText(Path.Combine(directory, $"file{i:D3}.c"), text.ToString());
        }
        return directory;
    }

    private string NewDirectory(string name) =>
        Directory.CreateDirectory(Path.Combine(Stack.Directory, $"{name}-{Guid.NewGuid().ToString("N")[..8]}")).FullName;

    private static void AssertSameFiles(string expected, string actual)
    {
        var names = Directory.GetFiles(expected).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(names, Directory.GetFiles(actual).Select(Path.GetFileName).Order().ToList());
        foreach (var name in names) Assert.Equal(File.ReadAllBytes(Path.Combine(expected, name!)), File.ReadAllBytes(Path.Combine(actual, name!)));
    }

    private async Task<List<DictionaryInfo>> DictionariesOfAsync(BackupAgent agent) =>
        (await Index.FindDictionariesAsync(new FindDictionariesRequest { TenantId = agent.TenantId, ClientId = agent.ClientId })).Dictionaries.ToList();

    /// <summary>One object read from storage by its content, as stored for a reader with these dictionaries.</summary>
    private async Task<ReadChunksResponse> ReadAsync(string tenant, byte[] content, uint[] readable)
    {
        var key = (await StorageClient.GetChunkIdKeyAsync(new GetChunkIdKeyRequest { TenantId = tenant })).Key.ToByteArray();
        var located = await Index.LocateChunksAsync(new LocateChunksRequest { TenantId = tenant, ChunkIds = ByteString.CopyFrom(ChunkId.Compute(key, content)) });
        using var call = StorageClient.ReadChunks(new ReadChunksRequest
        {
            TenantId = tenant, Chunks = { located.Locations }, AsStored = true, ReadableDictionaries = { readable },
        });
        Assert.True(await call.ResponseStream.MoveNext());
        return call.ResponseStream.Current;
    }

    /// <summary>A restore as the agent asks for it: the dictionaries it is given, those its frames name, and how many chunks come as plaintext.</summary>
    private static async Task<(List<uint> Given, HashSet<uint> FrameDictionaries, int PlainChunks)> RawRestoreAsync(BackupAgent agent)
    {
        using var call = agent.RawClient().Restore(new RestoreRequest { Backup = "latest", AsChunks = true, AcceptsDictionaries = true });
        var given = new List<uint>();
        var named = new HashSet<uint>();
        var plain = 0;
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            if (response.Entry is { } entry) given.AddRange(entry.Dictionaries.Select(d => d.Id));
            if (response.Chunk is not { } chunk || chunk.Data.IsEmpty) continue;
            if (chunk.Compressed) named.Add(ZstdFrame.DictionaryId(chunk.Data.Span));
            else plain++;
        }
        return (given, named, plain);
    }
}
