using Urb.Domain.Errors;

namespace Urb.Api.Rest;

/// <summary>A path inside a snapshot as a download names it: '/'-separated, relative, no "." or "..", no NUL.</summary>
public static class RestorePath
{
    /// <summary>The path as Urb.Ingest takes it; empty (the whole snapshot) only where <paramref name="emptyIsRoot"/>.</summary>
    public static string Parse(string? path, bool emptyIsRoot)
    {
        path ??= "";
        if (path.Length == 0)
        {
            return emptyIsRoot ? "" : throw Invalid("must name a file of the snapshot");
        }
        if (path.Contains('\0')) throw Invalid("must not contain NUL");
        if (path.StartsWith('/') || path.StartsWith('\\') || (path.Length >= 2 && path[1] == ':'))
        {
            throw Invalid("must be relative to the snapshot root (no leading '/', '\\' or drive)");
        }
        var trimmed = path.TrimEnd('/');
        if (trimmed.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw Invalid("must not contain empty, '.' or '..' components");
        }
        return trimmed;
    }

    private static InvalidInputException Invalid(string rule) => new("path", $"path {rule}.");
}
