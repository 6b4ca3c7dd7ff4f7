using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CdsService.IntegrationTests.ScaleOut;
using Npgsql;

[assembly: AssemblyFixture(typeof(LocalServers))]

namespace CdsService.IntegrationTests.ScaleOut;

/// <summary>
/// The real Redis and PostgreSQL servers the shared-state tests run against (a fake would not show the real servers'
/// behaviour; "started on loopback by the fixture, stopped afterwards"): the Debian packages' binaries (<c>.ci/install-deps</c> installs them), each started on
/// a free loopback port on first use, once per test run, and stopped and deleted when the run ends. A test whose server
/// binaries are missing is skipped with the reason; a server that is installed but fails to start fails the test.
/// </summary>
public sealed class LocalServers : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private PostgresServer? postgres;
    private RedisServer? redis;

    public async Task<PostgresServer> PostgresAsync()
    {
        await gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return postgres ??= await PostgresServer.StartAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<RedisServer> RedisAsync()
    {
        await gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return redis ??= await RedisServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }

        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        gate.Dispose();
    }

    private static readonly Lazy<Socket> Reserved = new(() =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    });

    /// <summary>
    /// A loopback port bound by this process and never listened on, for the life of the test process: a connection to it
    /// is refused every time. A port merely free a moment ago (<see cref="FreePort"/>) could meanwhile be taken by a
    /// server another test starts, and a "nothing listens there" test would then talk to it.
    /// </summary>
    public static int ClosedPort() => ((IPEndPoint)Reserved.Value.LocalEndPoint!).Port;

    /// <summary>A TCP port nothing listens on right now (the OS picks it; released before use, so a start on it can lose a race: callers retry).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, string? workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}

/// <summary>
/// <c>redis-server</c> on 127.0.0.1 with persistence off (<c>--save "" --appendonly no</c>): the replay cache holds
/// only short-lived keys, exactly as in production (docker-compose.yml runs it the same way).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? process;

    private RedisServer(string binary, int port)
    {
        Binary = binary;
        Port = port;
    }

    public string Binary { get; }

    public int Port { get; }

    /// <summary>StackExchange.Redis connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static string? FindBinary() =>
        new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server" }.FirstOrDefault(File.Exists);

    /// <summary>Starts a server (on <paramref name="port"/>, or a free one); skips the test when Redis is not installed.</summary>
    public static async Task<RedisServer> StartAsync(int? port = null, CancellationToken cancellationToken = default)
    {
        var binary = FindBinary();
        if (binary is null)
        {
            Assert.Skip("redis-server is not installed (Debian package redis-server; run .ci/install-deps).");
        }

        // A free port can be taken between the probe and redis-server's bind (other tests start servers too): on a
        // failed start a fresh port is tried, unless the caller named one.
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(binary, port ?? LocalServers.FreePort());
            try
            {
                await server.StartAsync(cancellationToken);
                return server;
            }
            catch (InvalidOperationException) when (port is null && attempt < 3)
            {
                await server.StopAsync();
            }
        }
    }

    /// <summary>(Re)starts the process on the same port.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning" })
        {
            start.ArgumentList.Add(argument);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // A guard against a server that never comes up, not a performance bound: generous for a loaded machine.
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode} on port {Port}.");
            }

            if (await PingAsync(cancellationToken))
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"redis-server did not answer PING on port {Port} within 60 s.");
    }

    /// <summary>Kills the server (what a crashed or unreachable Redis looks like to the service).</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill(entireProcessTree: true);
            await running.WaitForExitAsync();
        }

        process?.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}

/// <summary>
/// A throw-away PostgreSQL cluster: <c>initdb</c> into a temp folder, <c>pg_ctl start</c> on a free loopback port with
/// its socket in that folder, durability off (test data). PostgreSQL refuses to run as root, so when the tests run as
/// root the binaries run as the <c>postgres</c> user the Debian package creates (<c>runuser -u postgres --</c>).
/// Each test gets its own database (<see cref="CreateDatabaseAsync"/>).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string SuperUser = "cds";
    private readonly string binDirectory;
    private readonly string? runAs;

    private PostgresServer(string binDirectory, string? runAs, string root, int port)
    {
        this.binDirectory = binDirectory;
        this.runAs = runAs;
        Root = root;
        Port = port;
    }

    public string Root { get; }

    public int Port { get; }

    private string DataDirectory => Path.Combine(Root, "data");

    /// <summary>The newest installed server's bin folder (/usr/lib/postgresql/N/bin), or null.</summary>
    public static string? FindBinDirectory()
    {
        const string parent = "/usr/lib/postgresql";
        return Directory.Exists(parent)
            ? Directory.GetDirectories(parent)
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
    }

    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken)
    {
        var bin = FindBinDirectory();
        if (bin is null)
        {
            Assert.Skip("PostgreSQL server binaries are not installed (Debian package postgresql; run .ci/install-deps).");
        }

        string? runAs = null;
        if (Environment.IsPrivilegedProcess)
        {
            if (!File.ReadAllLines("/etc/passwd").Any(l => l.StartsWith("postgres:", StringComparison.Ordinal)) || !File.Exists("/usr/sbin/runuser"))
            {
                Assert.Skip("Running as root, and there is no 'postgres' user (or no runuser) to run PostgreSQL as.");
            }

            runAs = "postgres";
        }

        var root = Path.Combine(Path.GetTempPath(), "cds-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var server = new PostgresServer(bin, runAs, root, LocalServers.FreePort());
        await server.InitAndStartAsync(cancellationToken);
        return server;
    }

    /// <summary>Npgsql connection string for a database of this server (the test superuser, trust auth on loopback).</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={SuperUser};Database={database};Timeout=5;Command Timeout=10";

    /// <summary>A new, empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = "feedback_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync($"CREATE DATABASE \"{name}\"", cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>Drops a database at once, closing the connections into it (what a lost database looks like).</summary>
    public Task DropDatabaseAsync(string connectionString, CancellationToken cancellationToken) =>
        ExecuteAsync($"DROP DATABASE \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\" WITH (FORCE)", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await PgAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None);
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder: test data only.
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task InitAndStartAsync(CancellationToken cancellationToken)
    {
        // The folder must belong to the user the server runs as; /tmp lets any user create it.
        if (runAs is null)
        {
            Directory.CreateDirectory(Root);
        }
        else
        {
            var (exit, output) = await LocalServers.RunAsync("/usr/sbin/runuser", ["-u", runAs, "--", "mkdir", "-m", "700", Root], null, cancellationToken);
            if (exit != 0)
            {
                throw new InvalidOperationException($"Could not create {Root} as {runAs}: {output}");
            }
        }

        await RequireAsync("initdb", ["-D", DataDirectory, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], cancellationToken);
        var options = $"-p {Port} -k {Root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        await RequireAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(Root, "server.log"), "-o", options, "-w", "-t", "30", "start"], cancellationToken);
    }

    private async Task RequireAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var (exit, output) = await PgAsync(tool, arguments, cancellationToken);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({exit}): {output}");
        }
    }

    private Task<(int, string)> PgAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(binDirectory, tool);
        return runAs is null
            ? LocalServers.RunAsync(path, arguments, Root, cancellationToken)
            : LocalServers.RunAsync("/usr/sbin/runuser", ["-u", runAs, "--", path, .. arguments], Root, cancellationToken);
    }
}
