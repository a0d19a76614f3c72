using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.Domain.Tests;

public sealed class ApiCallerTests
{
    private static readonly Guid OwnTenant = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid OtherTenant = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly Guid DefaultTenant = Guid.Parse("33333333-3333-3333-3333-333333333333");

    private static readonly ApiCaller GlobalAdmin = new("k-global", ApiRole.GlobalAdmin, null);
    private static readonly ApiCaller TenantAdmin = new("k-admin", ApiRole.TenantAdmin, OwnTenant);
    private static readonly ApiCaller TenantReader = new("k-reader", ApiRole.TenantReader, OwnTenant);

    [Fact]
    public void IsGlobalAdmin_ReflectsRole()
    {
        Assert.True(GlobalAdmin.IsGlobalAdmin);
        Assert.False(TenantAdmin.IsGlobalAdmin);
        Assert.False(TenantReader.IsGlobalAdmin);
    }

    [Fact]
    public void CanReadAndCanManage_GlobalAdmin_TrueForAnyTenant()
    {
        foreach (var tenant in new[] { OwnTenant, OtherTenant, DefaultTenant, Guid.Empty })
        {
            Assert.True(GlobalAdmin.CanRead(tenant));
            Assert.True(GlobalAdmin.CanManage(tenant));
        }
    }

    [Fact]
    public void EnsureCanReadAndManage_GlobalAdmin_DoNotThrowForAnyTenant()
    {
        var ex = Record.Exception(() =>
        {
            GlobalAdmin.EnsureCanRead(OtherTenant, "Client 'x'");
            GlobalAdmin.EnsureCanManage(OtherTenant, "Client 'x'");
            GlobalAdmin.EnsureCanManage(OwnTenant, "Client 'x'");
        });

        Assert.Null(ex);
    }

    [Fact]
    public void CanReadAndCanManage_GlobalAdminWithOwnTenant_StillTrueForOtherTenants()
    {
        var caller = new ApiCaller("k", ApiRole.GlobalAdmin, OwnTenant);

        Assert.True(caller.CanRead(OtherTenant));
        Assert.True(caller.CanManage(OtherTenant));
    }

    [Fact]
    public void CanReadAndCanManage_TenantAdminOwnTenant_True()
    {
        Assert.True(TenantAdmin.CanRead(OwnTenant));
        Assert.True(TenantAdmin.CanManage(OwnTenant));
        Assert.Null(Record.Exception(() => TenantAdmin.EnsureCanManage(OwnTenant, "Client 'x'")));
    }

    [Fact]
    public void CanReadAndCanManage_TenantAdminOtherTenant_False()
    {
        Assert.False(TenantAdmin.CanRead(OtherTenant));
        Assert.False(TenantAdmin.CanManage(OtherTenant));
    }

    [Fact]
    public void EnsureCanManage_TenantAdminOtherTenant_ThrowsNotFound()
    {
        Assert.Throws<NotFoundException>(() => TenantAdmin.EnsureCanManage(OtherTenant, "Client 'x'"));
    }

    [Fact]
    public void EnsureCanRead_TenantAdminOtherTenant_ThrowsNotFound()
    {
        Assert.Throws<NotFoundException>(() => TenantAdmin.EnsureCanRead(OtherTenant, "Client 'x'"));
    }

    [Fact]
    public void CanRead_TenantReaderOwnTenant_True()
    {
        Assert.True(TenantReader.CanRead(OwnTenant));
        Assert.Null(Record.Exception(() => TenantReader.EnsureCanRead(OwnTenant, "Client 'x'")));
    }

    [Fact]
    public void CanManage_TenantReaderOwnTenant_False()
    {
        Assert.False(TenantReader.CanManage(OwnTenant));
    }

    [Fact]
    public void EnsureCanManage_TenantReaderOwnTenant_ThrowsPermissionDenied()
    {
        var ex = Assert.Throws<PermissionDeniedException>(() => TenantReader.EnsureCanManage(OwnTenant, "Client 'x'"));

        Assert.Contains("Client 'x'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureCanManage_TenantReaderOtherTenant_ThrowsNotFound()
    {
        // Not PermissionDenied: that would tell the caller the foreign thing exists.
        Assert.Throws<NotFoundException>(() => TenantReader.EnsureCanManage(OtherTenant, "Client 'x'"));
    }

    [Fact]
    public void EnsureCanRead_TenantReaderOtherTenant_ThrowsNotFoundNamingTheThing()
    {
        var ex = Assert.Throws<NotFoundException>(() => TenantReader.EnsureCanRead(OtherTenant, "Client 'x'"));

        Assert.Equal("Client 'x' was not found.", ex.Message);
    }

    [Theory]
    [InlineData(ApiRole.TenantAdmin)]
    [InlineData(ApiRole.TenantReader)]
    public void CanRead_TenantRoleWithoutTenant_FalseForEveryTenant(ApiRole role)
    {
        var caller = new ApiCaller("k", role, null);

        Assert.False(caller.CanRead(OwnTenant));
        Assert.False(caller.CanRead(Guid.Empty));
        Assert.False(caller.CanManage(OwnTenant));
        Assert.Throws<NotFoundException>(() => caller.EnsureCanManage(OwnTenant, "Client 'x'"));
    }

    [Fact]
    public void ResolveTenant_Requested_PrefersRequested()
    {
        Assert.Equal(OtherTenant, TenantAdmin.ResolveTenant(OtherTenant, DefaultTenant));
        Assert.Equal(OtherTenant, GlobalAdmin.ResolveTenant(OtherTenant, DefaultTenant));
    }

    [Fact]
    public void ResolveTenant_NoneRequested_UsesCallersOwn()
    {
        Assert.Equal(OwnTenant, TenantAdmin.ResolveTenant(null, DefaultTenant));
        Assert.Equal(OwnTenant, TenantReader.ResolveTenant(null, DefaultTenant));
    }

    [Fact]
    public void ResolveTenant_NoneRequestedNoOwnTenant_UsesDefault()
    {
        Assert.Equal(DefaultTenant, GlobalAdmin.ResolveTenant(null, DefaultTenant));
    }

    [Fact]
    public void EnsureCanIssue_GlobalAdminKey_OnlyByGlobalAdminAndWithoutTenant()
    {
        GlobalAdmin.EnsureCanIssue(ApiRole.GlobalAdmin, null);
        Assert.Throws<PermissionDeniedException>(() => TenantAdmin.EnsureCanIssue(ApiRole.GlobalAdmin, null));
        Assert.Throws<InvalidInputException>(() => GlobalAdmin.EnsureCanIssue(ApiRole.GlobalAdmin, OwnTenant));
    }

    [Fact]
    public void EnsureCanIssue_TenantKeys_ByItsAdminsOnly()
    {
        TenantAdmin.EnsureCanIssue(ApiRole.TenantReader, OwnTenant);
        TenantAdmin.EnsureCanIssue(ApiRole.TenantAdmin, OwnTenant);
        GlobalAdmin.EnsureCanIssue(ApiRole.TenantAdmin, OtherTenant);
        Assert.Throws<NotFoundException>(() => TenantAdmin.EnsureCanIssue(ApiRole.TenantReader, OtherTenant));
        Assert.Throws<PermissionDeniedException>(() => TenantReader.EnsureCanIssue(ApiRole.TenantReader, OwnTenant));
        Assert.Throws<InvalidInputException>(() => GlobalAdmin.EnsureCanIssue(ApiRole.TenantReader, null));
    }

    [Fact]
    public void EnsureCanReadKey_GlobalKeysAreHiddenFromTenantKeys()
    {
        GlobalAdmin.EnsureCanReadKey(null);
        TenantReader.EnsureCanReadKey(OwnTenant);
        Assert.Throws<NotFoundException>(() => TenantAdmin.EnsureCanReadKey(null));
        Assert.Throws<NotFoundException>(() => TenantAdmin.EnsureCanReadKey(OtherTenant));
    }
}
