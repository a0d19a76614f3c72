namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>One running stack shared by the tests of the "stack" collection (starting one takes seconds).</summary>
public sealed class StackFixture : IAsyncLifetime
{
    private UrbStack? stack;

    public UrbStack Stack => stack ?? throw new InvalidOperationException("The stack has not started.");

    public async Task InitializeAsync() => stack = await UrbStack.StartAsync();

    public async Task DisposeAsync()
    {
        if (stack is not null) await stack.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
