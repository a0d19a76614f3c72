using System.Diagnostics.CodeAnalysis;
using Urb.Agent.Walk.Patterns;

namespace Urb.Agent.Walk.Linux;

/// <summary>
/// A directory on the walk's current path: its open descriptor (every child is reached relative
/// to it), its sorted names and how far through them the walk is. One frame per level is open at
/// a time, so the walk holds as many descriptors as the tree is deep.
/// </summary>
internal sealed class DirectoryFrame(int descriptor, string relativePath, FileIdentity identity, FilterState filter, List<byte[]> names)
    : IDisposable
{
    private int _next;
    private bool _closed;

    public int Descriptor => descriptor;

    public string RelativePath => relativePath;

    public FileIdentity Identity => identity;

    public FilterState Filter => filter;

    public bool TryTakeNext([NotNullWhen(true)] out byte[]? name)
    {
        if (_next == names.Count)
        {
            name = null;
            return false;
        }
        name = names[_next];
        // Let the name go once taken: a huge directory should not keep every name alive until
        // the last of its subtrees is walked.
        names[_next++] = [];
        return true;
    }

    public string ChildPath(string name) => relativePath.Length == 0 ? name : $"{relativePath}/{name}";

    public void Dispose()
    {
        if (_closed) return;
        _closed = true;
        LinuxSyscalls.Close(descriptor);
    }
}
