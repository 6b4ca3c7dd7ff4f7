using System.Runtime.CompilerServices;

namespace CdsService.UnitTests.Clinical.Support;

/// <summary>
/// The rules read a sample timestamped in UTC in the site's zone, which defaults to the server's zone
/// (Clinical:SiteTimeZone). The test samples are written in UTC, so the server zone is pinned to UTC for this test
/// process: the same tests give the same answers on a developer's machine in any zone and in CI.
/// </summary>
internal static class ServerTimeZone
{
    [ModuleInitializer]
    internal static void PinToUtc()
    {
        Environment.SetEnvironmentVariable("TZ", "UTC");
        TimeZoneInfo.ClearCachedData();
    }
}
