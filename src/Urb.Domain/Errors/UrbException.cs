namespace Urb.Domain.Errors;

/// <summary>
/// A failure the caller can act on. One interceptor on every service maps each subclass to
/// its gRPC status; the message is written for the person who will read it.
/// </summary>
public abstract class UrbException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A request field is malformed. Maps to InvalidArgument with a field violation.</summary>
public sealed class InvalidInputException(string field, string message) : UrbException(message)
{
    public string Field { get; } = field;
}

/// <summary>The thing asked for does not exist (or the caller may not know it exists).</summary>
public sealed class NotFoundException(string message) : UrbException(message);

/// <summary>The thing to create exists already.</summary>
public sealed class AlreadyExistsException(string message) : UrbException(message);

/// <summary>The caller is known but not allowed to do this.</summary>
public sealed class PermissionDeniedException(string message) : UrbException(message);

/// <summary>The caller did not prove who it is (missing, invalid, expired or spent credential).</summary>
public sealed class UnauthenticatedException(string message) : UrbException(message);

/// <summary>The system is not in a state that allows this (yet).</summary>
public sealed class FailedPreconditionException(string message) : UrbException(message);

/// <summary>A limit or quota is reached; retrying later may succeed.</summary>
public sealed class ResourceExhaustedException(string message) : UrbException(message);

/// <summary>Stored data is corrupt; never answered with wrong bytes.</summary>
public sealed class DataLossException(string message) : UrbException(message);
