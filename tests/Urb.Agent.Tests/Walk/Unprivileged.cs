namespace Urb.Agent.Tests.Walk;

/// <summary>
/// Runs code so that file permissions apply to it. Tests run as root in CI, and root reads a
/// chmod 000 directory anyway; so as root the code runs on a thread of its own whose filesystem
/// uid is 'nobody' (setfsuid is per thread, and other tests running in parallel are not
/// affected). As any other user, permissions already apply and the code runs as is.
/// </summary>
internal static class Unprivileged
{
    private const uint Nobody = 65534;

    public static T Run<T>(Func<T> action)
    {
        if (!TestSyscalls.IsRoot) return action();
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                _ = TestSyscalls.SetFilesystemUserId(Nobody);
                // setfsuid reports no errors; asking again (with an invalid id) returns the current one.
                var now = TestSyscalls.SetFilesystemUserId(uint.MaxValue);
                if (now != Nobody) throw new InvalidOperationException($"setfsuid did not take effect (fsuid is {now}).");
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException("The unprivileged run failed.", failure);
        return result;
    }
}
