using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CdsService.UnitTests.Deploy;

/// <summary>
/// Structural checks of deploy/docker/Dockerfile (images cannot be built on the CI machines, and hadolint is not
/// available): pinned bases, non-root runtime, a health check that works without a shell, and a restore layer that
/// cannot silently miss a project.
/// </summary>
public sealed partial class DockerfileTests
{
    private const string DockerfilePath = "deploy/docker/Dockerfile";
    private static readonly List<Instruction> Instructions = Parse(RepoFiles.Read(DockerfilePath));

    private static readonly string[] ImagePublishFlags = ["-c Release", "-r linux-x64", "--self-contained false", "-p:PublishReadyToRun=true", "-p:UseAppHost=false"];

    private sealed record Instruction(string Keyword, string Arguments, int Stage);

    [Fact]
    public void GivenTheDockerfile_WhenParsed_ThenItIsMultiStageAndEveryBaseImageIsPinned()
    {
        var froms = Instructions.Where(i => i.Keyword == "FROM").Select(i => i.Arguments.Split(' ')[0]).ToList();

        Assert.True(froms.Count >= 2, "expected a build stage and a runtime stage");
        foreach (var image in froms)
        {
            Assert.Matches(PinnedImage(), image);
            Assert.DoesNotContain(":latest", image, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void GivenTheRuntimeStage_WhenParsed_ThenItUsesTheAspNetRuntimeNotTheSdk()
    {
        var runtimeFrom = FinalStage().First(i => i.Keyword == "FROM").Arguments;

        Assert.Contains("mcr.microsoft.com/dotnet/aspnet:", runtimeFrom, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTheRuntimeStage_WhenParsed_ThenItRunsAsANumericNonRootUser()
    {
        var user = FinalStage().Last(i => i.Keyword == "USER").Arguments.Split(':')[0];

        // Numeric, so Kubernetes runAsNonRoot can verify it; and not root.
        Assert.True(int.TryParse(user, out var uid), $"USER {user} is not numeric");
        Assert.NotEqual(0, uid);
        Assert.Equal(1654, uid); // the chiseled image's "app" user, which owns /home/app and the data directory
    }

    [Fact]
    public void GivenTheRuntimeStage_WhenParsed_ThenProductionOnPort8080()
    {
        var env = FinalStage().Where(i => i.Keyword == "ENV").Select(i => i.Arguments).ToList();

        Assert.Contains(env, e => e.Contains("ASPNETCORE_ENVIRONMENT=Production", StringComparison.Ordinal));
        Assert.Contains(env, e => e.Contains("ASPNETCORE_HTTP_PORTS=8080", StringComparison.Ordinal));
        Assert.Contains(env, e => e.Contains("MALLOC_ARENA_MAX=2", StringComparison.Ordinal));   // peak RSS (docs/performance.md)
        Assert.Contains(FinalStage(), i => i.Keyword == "EXPOSE" && i.Arguments == "8080");
    }

    [Fact]
    public void GivenTheRuntimeStage_WhenParsed_ThenTheHealthcheckRunsTheProbeAgainstLiveness()
    {
        var healthcheck = Assert.Single(FinalStage(), i => i.Keyword == "HEALTHCHECK").Arguments;

        // Exec form: the chiseled image has no /bin/sh, so a shell-form CMD could never run.
        Assert.Matches("CMD \\[\"dotnet\", \"/app/healthprobe/CdsService.HealthProbe.dll\"\\]", healthcheck);
        Assert.Contains(FinalStage(), i => i.Keyword == "ENV" && i.Arguments.Contains("CDS_HEALTHCHECK_URL=http://127.0.0.1:8080/health/live", StringComparison.Ordinal));
        Assert.Contains("/health/live", RepoFiles.Read("deploy/docker/HealthProbe/Program.cs"), StringComparison.Ordinal);
        Assert.Contains(Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("deploy/docker/HealthProbe/CdsService.HealthProbe.csproj", StringComparison.Ordinal));
    }

    [Fact]
    public void GivenTheRuntimeStage_WhenParsed_ThenExecFormEntrypointStartsTheApi()
    {
        var entrypoint = Assert.Single(FinalStage(), i => i.Keyword == "ENTRYPOINT").Arguments;

        Assert.Equal("[\"dotnet\", \"/app/CdsService.Api.dll\"]", entrypoint);
    }

    [Fact]
    public void GivenTheApiPublish_WhenParsed_ThenReadyToRunForLinuxX64FrameworkDependentAndRestoredForIt()
    {
        var publish = Assert.Single(Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish src/CdsService.Api/", StringComparison.Ordinal)).Arguments;
        var restore = Assert.Single(Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore src/CdsService.Api/", StringComparison.Ordinal)).Arguments;
        var apiPublish = publish[publish.IndexOf("dotnet publish src/CdsService.Api/", StringComparison.Ordinal)..].Split("&&")[0];
        var apiRestore = restore[restore.IndexOf("dotnet restore src/CdsService.Api/", StringComparison.Ordinal)..].Split("&&")[0];

        // Cold start (docs/performance.md): precompiled code. Framework-dependent, so the chiseled aspnet runtime image still runs it
        // with the ENTRYPOINT's "dotnet"; no apphost (nothing would execute it).
        foreach (var flag in ImagePublishFlags)
        {
            Assert.Contains(flag, apiPublish, StringComparison.Ordinal);
        }

        Assert.Contains("--no-restore", apiPublish, StringComparison.Ordinal);

        // --no-restore needs a restore for the same runtime identifier, with the ReadyToRun compiler package.
        Assert.Contains("-r linux-x64", apiRestore, StringComparison.Ordinal);
        Assert.Contains("-p:PublishReadyToRun=true", apiRestore, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTheLoadHarness_WhenItPublishesTheService_ThenWithTheImagesFlags()
    {
        // tests/load/run.sh must measure what the image ships (docs/performance.md).
        var harness = RepoFiles.Read("tests/load/run.sh");
        var publish = harness[harness.IndexOf("publish_like_image() {", StringComparison.Ordinal)..];
        publish = publish[..publish.IndexOf("\n}", StringComparison.Ordinal)];

        foreach (var flag in ImagePublishFlags)
        {
            Assert.Contains(flag, Regex.Replace(publish, "\\s+", " "), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void GivenTheApiProjectGraph_WhenTheRestoreLayerRuns_ThenEveryProjectFileIsCopiedBeforeIt()
    {
        var firstRestore = Instructions.TakeWhile(i => !(i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal))).ToList();
        Assert.NotEqual(Instructions.Count, firstRestore.Count);
        var copiedBeforeRestore = firstRestore.Where(i => i.Keyword == "COPY").SelectMany(CopySources).ToHashSet(StringComparer.Ordinal);

        foreach (var project in ProjectClosure("src/CdsService.Api/CdsService.Api.csproj").Append("deploy/docker/HealthProbe/CdsService.HealthProbe.csproj"))
        {
            Assert.True(copiedBeforeRestore.Contains(project), $"{project} is not copied before 'dotnet restore' (restore would fail or miss packages)");
        }

        foreach (var buildFile in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "BannedSymbols.txt" })
        {
            Assert.Contains(buildFile, copiedBeforeRestore);
        }
    }

    [Fact]
    public void GivenFilesTheProjectsIncludeFromOutsideTheirFolders_WhenTheImageIsBuilt_ThenTheyAreCopiedAndNotIgnored()
    {
        // e.g. CdsService.Fhir embeds ..\..\fhir-profiles\terminology\*.json: without that folder the build still
        // succeeds locally but the image would ship without its terminology.
        var copied = Instructions.Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(CopySources).ToList();
        var ignored = DockerIgnorePatterns();

        foreach (var project in ProjectClosure("src/CdsService.Api/CdsService.Api.csproj"))
        {
            var projectDir = Path.GetDirectoryName(project)!;
            foreach (var include in ExternalIncludes(project))
            {
                var repoPath = Normalize(Path.Combine(projectDir, include));
                Assert.True(copied.Any(c => repoPath.StartsWith(c.TrimEnd('/') + "/", StringComparison.Ordinal) || repoPath == c),
                    $"{project} includes {repoPath}, which no COPY brings into the build stage");
                Assert.DoesNotContain(ignored, p => repoPath.StartsWith(p, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void GivenTheCopyInstructions_WhenResolvedAgainstTheRepository_ThenEverySourceExists()
    {
        foreach (var source in Instructions.Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal)).SelectMany(CopySources))
        {
            Assert.True(RepoFiles.Exists(source), $"COPY source {source} does not exist in the repository");
        }
    }

    [Fact]
    public void GivenTheDockerIgnore_WhenRead_ThenBuildOutputSecretsAndVcsStayOutOfTheContext()
    {
        var patterns = RepoFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);

        foreach (var required in new[] { "**/bin/", "**/obj/", ".git/", "**/node_modules/", "**/*.pem", "**/*.key", "**/*.db" })
        {
            Assert.Contains(required, patterns);
        }
    }

    private static IEnumerable<Instruction> FinalStage() => Instructions.Where(i => i.Stage == Instructions.Max(x => x.Stage));

    private static List<Instruction> Parse(string text)
    {
        // Joins backslash continuations and drops comments and the parser directive, as the Dockerfile grammar does.
        var logical = Regex.Replace(text, "\\\\\\r?\\n", " ");
        var result = new List<Instruction>();
        var stage = -1;
        foreach (var raw in logical.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var args = space < 0 ? string.Empty : Regex.Replace(line[(space + 1)..].Trim(), "\\s+", " ");
            if (keyword == "FROM")
            {
                stage++;
            }

            result.Add(new Instruction(keyword, args, stage));
        }

        return result;
    }

    private static IEnumerable<string> CopySources(Instruction copy)
    {
        var parts = copy.Arguments.Split(' ').Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToList();
        return parts.Take(parts.Count - 1).Select(p => p.TrimEnd('/'));
    }

    private static List<string> ProjectClosure(string root)
    {
        var seen = new List<string>();
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var project = pending.Pop();
            if (seen.Contains(project))
            {
                continue;
            }

            seen.Add(project);
            var dir = Path.GetDirectoryName(project)!;
            foreach (var reference in XDocument.Parse(RepoFiles.Read(project)).Descendants("ProjectReference"))
            {
                pending.Push(Normalize(Path.Combine(dir, reference.Attribute("Include")!.Value)));
            }
        }

        return seen;
    }

    private static IEnumerable<string> ExternalIncludes(string project) =>
        XDocument.Parse(RepoFiles.Read(project)).Descendants()
            .Where(e => e.Name.LocalName is "EmbeddedResource" or "Content" or "None" or "Compile")
            .Select(e => e.Attribute("Include")?.Value)
            .Where(v => v is not null && v.Replace('\\', '/').StartsWith("../", StringComparison.Ordinal))
            .Select(v => v!);

    private static string Normalize(string path)
    {
        var stack = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                stack.RemoveAt(stack.Count - 1);
            }
            else if (part != ".")
            {
                stack.Add(part);
            }
        }

        return string.Join('/', stack);
    }

    private static List<string> DockerIgnorePatterns() =>
        RepoFiles.Read(".dockerignore").Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("**", StringComparison.Ordinal))
            .ToList();

    [GeneratedRegex("^[a-z0-9.\\-/]+(:[A-Za-z0-9._\\-]+)(@sha256:[a-f0-9]{64})?$|^[a-z0-9.\\-/]+@sha256:[a-f0-9]{64}$")]
    private static partial Regex PinnedImage();
}
