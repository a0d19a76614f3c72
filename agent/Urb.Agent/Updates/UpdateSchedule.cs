namespace Urb.Agent.Updates;

/// <summary>
/// When the daemon asks for a newer release: at its first connection, then every
/// <c>interval</c>. It outlives the control sessions, so reconnecting does not ask again each time.
/// </summary>
public sealed class UpdateSchedule(TimeSpan interval)
{
    private DateTime next = DateTime.MinValue;

    public TimeSpan UntilNextCheck()
    {
        var wait = next - DateTime.UtcNow;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    public void Checked() => next = DateTime.UtcNow + interval;
}
