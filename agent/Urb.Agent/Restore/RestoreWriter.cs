using Urb.Agent.Restore.Linux;
using Urb.Agent.Walk.Linux;
using Urb.Contracts.Snapshot.V1;
using Urb.Domain.Errors;
using Urb.Domain.Paths;

namespace Urb.Agent.Restore;

/// <summary>
/// Writes a restored tree into a target directory, entry by entry, so that nothing in the stream
/// can place or change anything outside the target: every path is checked, every entry is created
/// through the open descriptor of a directory this restore created, and nothing is ever written
/// through a symlink, old or restored.
/// </summary>
/// <remarks>
/// <code>
/// using var writer = new RestoreWriter("/srv/restored");
/// foreach (var (path, node) in entries)             // depth-first, each directory before its contents
/// {
///     if (!writer.BeginEntry(path, node)) continue;  // nothing to send: a directory, a link, a skipped entry
///     foreach (var piece in ContentOf(node)) writer.Write(piece.Span);
/// }
/// var summary = writer.Complete();
/// </code>
/// Not thread-safe: one caller drives one restore. After any exception the writer takes nothing
/// more but <see cref="Dispose"/>: an invalid stream is the caller's to report, not to resume.
/// </remarks>
public sealed partial class RestoreWriter : IDisposable
{
    private readonly int _target;
    private readonly bool _restoreOwners;
    // The current path: the target first, then one open directory per level of the last entry.
    private readonly List<RestoredDirectory> _path = [];
    private readonly HardLinkSources _hardLinks = new();
    private readonly List<RestoreWarning> _warnings = [];
    private RestoringFile? _file;
    private int _files;
    private int _directories;
    private int _symlinks;
    private int _hardLinkCount;
    private long _bytes;
    private bool _begun;
    private bool _failed;
    private bool _completed;
    private bool _disposed;

    /// <summary>Opens <paramref name="targetDirectory"/> for the restore, creating it if missing.</summary>
    /// <exception cref="IOException">The target cannot be created or opened.</exception>
    /// <exception cref="PlatformNotSupportedException">Not Linux: the Windows restore is not written yet.</exception>
    public RestoreWriter(string targetDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetDirectory);
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("Restore is implemented for Linux only.");
        var fullPath = Directory.CreateDirectory(targetDirectory).FullName;
        _target = TargetEntries.OpenTarget(fullPath, out var errno);
        if (_target < 0) throw new IOException($"Cannot open the restore target {fullPath}: {Errno.Describe(errno)}.");
        _path.Add(RestoredDirectory.Target(_target));
        // Only root can give files away; anyone else gets their files as their own, silently.
        _restoreOwners = RestoreSyscalls.GetEffectiveUserId() == 0;
    }

    /// <summary>
    /// Starts the next entry, first finishing the previous file. <paramref name="path"/> is
    /// '/'-separated and relative to the target; it names the entry (the node's name is not read).
    /// The path "" is the restored root, and only as the first entry: a directory node there is the
    /// target itself, a file or symlink node is written as target/&lt;node.Name&gt;. Every other
    /// entry's parent must be a directory that an earlier entry of this restore created (or the
    /// target). What stands at the path already is replaced, unless it is a directory that is not
    /// empty (a warning).
    /// </summary>
    /// <returns>
    /// True when the entry is a file whose content must follow through <see cref="Write"/> (exactly
    /// node.Size bytes, so none for an empty file). False when no content may be sent: a directory,
    /// a symlink, a file that became a hard link to an earlier file of this restore with the same
    /// (device, inode) and content, or an entry skipped with a warning.
    /// </returns>
    /// <exception cref="InvalidInputException">An unsafe path (absolute, "..", NUL, backslash, empty
    /// name), a parent that is not a directory of this restore, a root entry that is not first, an
    /// invalid node, or a previous file whose content fell short of its size.</exception>
    public bool BeginEntry(string path, Node node)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(node);
        EnsureAccepting();
        try
        {
            FinishFile();
            var placement = Place(path, node);
            _begun = true;
            return Restore(placement, node);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>The next piece of the current file's content, in order.</summary>
    /// <exception cref="InvalidInputException">The content goes past the file's size.</exception>
    /// <exception cref="InvalidOperationException">The last <see cref="BeginEntry"/> returned false.</exception>
    /// <exception cref="IOException">The content could not be written (a full disk, an I/O error).</exception>
    public void Write(ReadOnlySpan<byte> data)
    {
        EnsureAccepting();
        if (_file is null)
        {
            _failed = true;
            throw new InvalidOperationException("No file is being written: content may only follow a BeginEntry that returned true.");
        }
        try
        {
            _file.Write(data);
            _bytes += data.Length;
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>
    /// Finishes the restore: the last file is closed, and the directories still open get their
    /// permissions, owner and mtime, deepest first (each directory gets them as soon as the restore
    /// leaves it, since writing into a directory changes its mtime).
    /// </summary>
    /// <exception cref="InvalidInputException">The last file's content fell short of its size.</exception>
    public RestoreSummary Complete()
    {
        EnsureAccepting();
        try
        {
            FinishFile();
            LeaveLevelsAbove(-1);
            _completed = true;
            return new RestoreSummary(_files, _directories, _symlinks, _hardLinkCount, _bytes, _warnings);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>Closes what is open. Without <see cref="Complete"/>, directories keep the permissions
    /// they were created with (owner only) and the last file stays as far as it was written.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _file?.Dispose();
        _file = null;
        foreach (var directory in _path) directory.Close();
        _path.Clear();
    }

    private void EnsureAccepting()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed) throw new InvalidOperationException("The restore is complete.");
        if (_failed) throw new InvalidOperationException("An earlier call failed; this restore cannot go on.");
    }

    private void FinishFile()
    {
        if (_file is not { } file) return;
        _file = null;
        using (file)
        {
            var (problem, identity) = file.Finish(_restoreOwners);
            _files++;
            if (problem is not null) Warn(file.Path, problem);
            if (identity is { } restored) _hardLinks.Add(file.Node, file.Path, restored);
        }
    }

    /// <summary>
    /// Where an entry goes: its parent directory on the current path and its name. The parent
    /// must be on the current path; finding it there is what keeps every entry inside directories
    /// this restore made (a restored symlink, or a file, is never anyone's parent). Directories
    /// deeper than the parent are done and are left.
    /// </summary>
    private Placement Place(string path, Node node)
    {
        if (path.Length == 0)
        {
            if (_begun) throw new InvalidInputException("path", "The restored root (path \"\") must be the first entry.");
            if (node.Type == NodeType.Directory) return new Placement(_path[0], null, "");
            var rootName = EntryName.Validate(node.Name, "node.name");
            return new Placement(_path[0], rootName, rootName);
        }
        var names = RelativePath.Split(path, "path");
        var parentPath = names.Length == 1 ? "" : path[..path.LastIndexOf('/')];
        var level = _path.FindLastIndex(directory => directory.Path == parentPath);
        if (level < 0)
        {
            throw new InvalidInputException("path",
                $"'{path}': its parent '{parentPath}' is not a directory restored before it. Entries come depth-first, each " +
                "directory before its contents, and nothing is restored under a symlink or a file.");
        }
        LeaveLevelsAbove(level);
        return new Placement(_path[level], names[^1], path);
    }

    private void LeaveLevelsAbove(int level)
    {
        while (_path.Count > level + 1)
        {
            var directory = _path[^1];
            _path.RemoveAt(_path.Count - 1);
            if (directory.Leave(_restoreOwners) is { } problem) Warn(directory.Path, problem);
        }
    }

    private void Warn(string path, string reason) => _warnings.Add(new RestoreWarning(path, reason));

    /// <summary>An entry's parent on the current path, and its name there (null: the target itself).</summary>
    private readonly record struct Placement(RestoredDirectory Parent, string? Name, string Path);
}
