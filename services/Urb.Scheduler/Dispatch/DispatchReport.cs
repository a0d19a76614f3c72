namespace Urb.Scheduler.Dispatch;

/// <summary>What one dispatch tick did.</summary>
public sealed record DispatchReport(int Queued, int Started, int Cancelled, int Finished, int Waiting, int Running);
