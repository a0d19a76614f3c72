using Urb.Domain.Errors;
using Urb.Domain.Scheduling;
using Urb.Domain.Settings;

namespace Urb.Domain.Tests.Settings;

public sealed class PauseTests
{
    [Fact]
    public void EnsureMayPause_AllowedByDefault_RefusedNamingTheSettingWhenOff()
    {
        ClientPermissions.EnsureMayPause(EffectiveSettings.FromResolved(Layers.Of()));

        var off = EffectiveSettings.FromResolved(Layers.Of((SettingCatalog.AllowPause, "false")));
        var refused = Assert.Throws<PermissionDeniedException>(() => ClientPermissions.EnsureMayPause(off));
        Assert.Contains(SettingCatalog.AllowPause, refused.Message);
    }

    [Theory]
    [InlineData("45s", 45)]
    [InlineData("30m", 30 * 60)]
    [InlineData("90min", 90 * 60)]
    [InlineData(" 2H ", 2 * 3600)]
    [InlineData("24h", 24 * 3600)]
    [InlineData("0", 0)]
    public void Parse_WholeNumberWithUnit(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), BackupPause.Parse(text, "for"));

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("1d")]
    [InlineData("25h")]
    [InlineData("-5m")]
    [InlineData("1.5h")]
    [InlineData("99999999999h")]
    public void Parse_RefusesWhatIsNoPauseLength(string text)
    {
        var refused = Assert.Throws<InvalidInputException>(() => BackupPause.Parse(text, "for"));
        Assert.Equal("for", refused.Field);
    }

    [Fact]
    public void Validate_DefaultsToAnHour_AndKeepsToZeroThroughADay()
    {
        Assert.Equal(TimeSpan.FromHours(1), BackupPause.Validate(null, "duration"));
        Assert.Equal(TimeSpan.Zero, BackupPause.Validate(TimeSpan.Zero, "duration"));
        Assert.Throws<InvalidInputException>(() => BackupPause.Validate(TimeSpan.FromSeconds(-1), "duration"));
        Assert.Throws<InvalidInputException>(() => BackupPause.Validate(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1), "duration"));
    }
}
