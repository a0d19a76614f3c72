namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>The PostgreSQL and Redis that './urb test' started for this run.</summary>
public static class TestEnvironment
{
    public static string Postgres => Require("URB_TEST_POSTGRES");

    public static string Redis => Require("URB_TEST_REDIS");

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests with './urb test', which starts PostgreSQL and Redis for them.");
}
