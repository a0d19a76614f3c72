namespace Urb.Agent;

/// <summary>The agent's exit codes, for scripts (documented in agent/Urb.Agent/README.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Something failed that fits no other code (see the message).</summary>
    public const int Failed = 1;
    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;
    /// <summary>The agent is not enrolled (or is already, for enroll without --force).</summary>
    public const int NotEnrolled = 3;
    /// <summary>The server refused: bad, spent or expired token, revoked or unknown client, permission denied.</summary>
    public const int Refused = 4;
    /// <summary>The server could not be reached, or its certificate is not the pinned one.</summary>
    public const int Unreachable = 5;
    /// <summary>The backup was committed, but some paths could not be backed up (each reported as a warning).</summary>
    public const int CompletedWithWarnings = 6;
    /// <summary>update: a release failed verification (signature, key, hash, version); nothing was replaced.</summary>
    public const int UpdateRefused = 7;
    /// <summary>run: a new version was installed and the daemon stopped so that its service manager starts the new one.</summary>
    public const int UpdateInstalled = 8;
}
