using System.Text;
using Urb.Agent.Backup;
using Urb.Agent.State;
using Urb.Agent.Tests.Walk;
using Urb.Domain.Content;

namespace Urb.Agent.Tests.Backup;

public sealed class DictionaryTrainingTests
{
    private const uint Id = ZstdDict.FirstId + 42;

    [Fact]
    public void Train_EnoughSmallFiles_GivesADictionaryWithTheIdThatShrinksThem()
    {
        using var tree = new TempTree();
        var files = WriteSourceFiles(tree, count: 400, bytes: 24_000);

        var dictionary = DictionaryTraining.Train(PlanOf(tree), Id, CancellationToken.None);

        Assert.NotNull(dictionary);
        Assert.Equal(Id, dictionary.Id);
        Assert.InRange(dictionary.Content.Length, 1, DictionaryTraining.Capacity);
        var content = File.ReadAllBytes(files[^1]);
        var frame = new byte[Zstd.CompressBound(content.Length)];
        Assert.True(Zstd.Compress(content, frame, 3, dictionary) < Zstd.Compress(content, frame, 3));
    }

    [Theory]
    [InlineData(150, 60_000)] // 9 MB, but too few files
    [InlineData(400, 2_000)] // enough files, too few bytes
    public void Train_TooLittleToTrainOn_IsNull(int count, int bytes)
    {
        using var tree = new TempTree();
        WriteSourceFiles(tree, count, bytes);

        Assert.Null(DictionaryTraining.Train(PlanOf(tree), Id, CancellationToken.None));
    }

    [Fact]
    public void Train_LargeFilesOnly_IsNull()
    {
        using var tree = new TempTree();
        for (var i = 0; i < 300; i++) tree.WriteFile($"src/big{i}.bin", new string('x', DictionaryTraining.SmallBelowBytes));

        Assert.Null(DictionaryTraining.Train(PlanOf(tree), Id, CancellationToken.None));
    }

    [Fact]
    public void Train_FilesThatVanishedSinceTheWalk_AreLeftOutOfTheSample()
    {
        using var tree = new TempTree();
        var files = WriteSourceFiles(tree, count: 400, bytes: 24_000);
        var plan = PlanOf(tree);
        foreach (var file in files.Where((_, i) => i % 2 == 0)) File.Delete(file);

        Assert.NotNull(DictionaryTraining.Train(plan, Id, CancellationToken.None));
    }

    private static List<FileItem> PlanOf(TempTree tree)
    {
        var root = tree.PathOf("src");
        return BackupPlan.Build([root], new Dictionary<string, KnownFile>(), new BackupOptions([root], Full: false), CancellationToken.None).Files.ToList();
    }

    /// <summary>Text files in the manner of a source tree: a shared header and common words, each file its own.</summary>
    private static List<string> WriteSourceFiles(TempTree tree, int count, int bytes)
    {
        var random = new Random(count ^ bytes);
        string[] words = ["return", "static", "include", "struct", "value", "buffer", "length", "import", "while", "null"];
        var paths = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder("/* Licensed under the terms in the accompanying LICENSE file. */\n");
            while (text.Length < bytes) text.Append(words[random.Next(words.Length)]).Append(' ').Append(random.Next(10_000)).Append(";\n");
            paths.Add(tree.WriteFile($"src/dir{i % 7}/file{i}.c", text.ToString()));
        }
        return paths;
    }
}
