using Urb.Agent.Restore;

namespace Urb.Agent.Tests.Restore;

/// <summary>Drives a <see cref="RestoreWriter"/> as a caller does: content only where BeginEntry asks for it.</summary>
internal static class Restores
{
    /// <summary>Restores the entries into <paramref name="target"/>, sending content in pieces of <paramref name="pieceSize"/> bytes.</summary>
    public static RestoreSummary Run(string target, IEnumerable<RestoreEntry> entries, int pieceSize = 64 * 1024)
    {
        using var writer = new RestoreWriter(target);
        foreach (var entry in entries) Send(writer, entry, pieceSize);
        return writer.Complete();
    }

    public static RestoreSummary Run(string target, params RestoreEntry[] entries) => Run(target, entries.AsEnumerable());

    /// <summary>Begins the entry and sends its content if asked; returns what BeginEntry said.</summary>
    public static bool Send(RestoreWriter writer, RestoreEntry entry, int pieceSize = 64 * 1024)
    {
        if (!writer.BeginEntry(entry.Path, entry.Node)) return false;
        var content = entry.Content ?? [];
        for (var offset = 0; offset < content.Length; offset += pieceSize)
        {
            writer.Write(content.AsSpan(offset, Math.Min(pieceSize, content.Length - offset)));
        }
        return true;
    }
}
