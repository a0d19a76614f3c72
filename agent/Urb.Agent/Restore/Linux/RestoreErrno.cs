namespace Urb.Agent.Restore.Linux;

/// <summary>The errno values a restore tells apart beyond the walk's (<see cref="Walk.Linux.Errno"/>).</summary>
internal static class RestoreErrno
{
    public const int Exists = 17;
    public const int IsDirectory = 21;
}
