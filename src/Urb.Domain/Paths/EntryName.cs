using System.Text;
using Urb.Domain.Errors;

namespace Urb.Domain.Paths;

/// <summary>
/// The rule for one name in a backed-up tree (a file, directory or link name): what every
/// manifest, snapshot tree and restore checks, because a name is the one thing an agent sends
/// that decides where bytes land. A name is never empty, "." or "..", and holds no '/', no
/// '\\' (a separator on Windows, where a tree may be restored) and no NUL.
/// </summary>
public static class EntryName
{
    /// <summary>Generous above Linux's NAME_MAX (255 bytes) for names from filesystems with UTF-16 limits.</summary>
    public const int MaxUtf8Bytes = 1024;

    public static bool IsValid(string? name, out string reason)
    {
        reason = name switch
        {
            null or "" => "a name is empty",
            "." or ".." => $"'{name}' is not a name but a reference to a directory",
            _ when name.Contains('/') || name.Contains('\\') => "a name holds a path separator",
            _ when name.Contains('\0') => "a name holds a NUL character",
            _ when Encoding.UTF8.GetByteCount(name) > MaxUtf8Bytes => $"a name is longer than {MaxUtf8Bytes} bytes",
            _ => "",
        };
        return reason.Length == 0;
    }

    public static string Validate(string? name, string field)
    {
        if (!IsValid(name, out var reason)) throw new InvalidInputException(field, $"Invalid entry name: {reason}.");
        return name!;
    }
}
