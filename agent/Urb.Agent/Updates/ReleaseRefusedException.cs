namespace Urb.Agent.Updates;

/// <summary>
/// A release that failed verification, or whose contents are not a release the agent may
/// install. Nothing was replaced; the agent reports it to the server and exits with 7.
/// </summary>
public sealed class ReleaseRefusedException(string message) : Exception(message);

/// <summary>An update that could not be carried out (no release key, no update layout, a failed install); nothing was switched.</summary>
public sealed class UpdateFailedException(string message, Exception? inner = null) : Exception(message, inner);
