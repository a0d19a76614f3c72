namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>The outcome of a program that ran to its end.</summary>
public sealed record ProgramRun(int ExitCode, string StandardOutput, string StandardError)
{
    public ProgramRun EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"exit code {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }
        return this;
    }
}
