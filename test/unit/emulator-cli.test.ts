import { ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { request } from "undici";

import { USER_AGENT, validCreateBody } from "../../emulator/test/client";

const ROOT = resolve(__dirname, "../..");
const TSX = join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "tsx.cmd" : "tsx");
const CLI = join(ROOT, "emulator", "src", "cli.ts");

interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function runCli(args: string[]): CliRun {
  const child = spawn(TSX, [CLI, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolveExit) => child.on("exit", resolveExit));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
}

function bannerValue(stdout: string, label: string): string {
  const line = stdout.split("\n").find((candidate) => candidate.startsWith(label));
  if (line === undefined) {
    throw new Error(`stdout has no line starting with ${label}: ${stdout}`);
  }
  return line.slice(label.length).trim();
}

describe("emulator CLI", () => {
  jest.setTimeout(30000);
  let dataDir: string;
  let run: CliRun | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "emulator-cli-"));
  });

  afterEach(async () => {
    if (run !== undefined && run.child.exitCode === null) {
      run.child.kill("SIGKILL");
      await run.exited;
    }
    run = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  test("help prints usage and exits 0", async () => {
    run = runCli(["--help"]);

    expect(await run.exited).toBe(0);
    expect(run.stdout()).toMatch(/^Usage: npm run emulator -- \[options\]/);
    expect(run.stdout()).toMatch(/--data-dir <path>/);
  });

  test("unknown option exits 2", async () => {
    run = runCli(["--bogus"]);

    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/error: .*bogus/);
  });

  test("non-loopback host exits 1", async () => {
    run = runCli(["--host", "0.0.0.0"]);

    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain('host "0.0.0.0" is not a loopback address.');
    expect(run.stderr()).toContain("a loopback address: 127.0.0.0/8, ::1 or localhost.");
  });

  test("busy port exits 1 with one line", async () => {
    const busy = createServer();
    await new Promise<void>((resolveListen) => busy.listen(0, "127.0.0.1", resolveListen));
    const { port } = busy.address() as AddressInfo;
    try {
      run = runCli(["--port", String(port), "--quiet"]);

      expect(await run.exited).toBe(1);
      expect(run.stderr()).toBe(
        `error: port ${port} on 127.0.0.1 is already in use. Pick another --port, or --port 0 for any free port.\n`,
      );
      expect(run.stdout()).toBe("");
    } finally {
      await new Promise((resolveClose) => busy.close(resolveClose));
    }
  });

  test("help names the loopback range", async () => {
    run = runCli(["--help"]);

    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain("127.0.0.0/8");
  });

  test("serves, logs without secrets, stops on SIGTERM", async () => {
    run = runCli(["--port", "0", "--data-dir", dataDir]);
    const current = run;
    await waitFor(() => current.stdout().includes("Data directory:"), "the start banner");

    const apiUrl = bannerValue(current.stdout(), "API base URL:");
    const adminApiKey = bannerValue(current.stdout(), "Administrator API key:");
    const viewerApiKey = bannerValue(current.stdout(), "Viewer API key:");
    expect(apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/account\/api\/v1$/);
    expect(bannerValue(current.stdout(), "Data directory:")).toBe(dataDir);

    const response = await request(`${apiUrl}/user?user_type=service&token=hunter2`, {
      headers: { "user-agent": USER_AGENT, "x-api-key": adminApiKey },
    });
    await response.body.text();
    const requestId = response.headers["x-request-id"] as string;

    const created = await request(`${apiUrl}/user`, {
      method: "POST",
      headers: {
        "user-agent": USER_AGENT,
        "x-api-key": adminApiKey,
        "content-type": "application/json",
      },
      body: JSON.stringify(validCreateBody({ description: "body-marker-text" })),
    });
    const token = ((await created.body.json()) as any).api_token as string;
    expect(created.statusCode).toBe(201);

    await waitFor(() => current.stderr().includes("status=201"), "the create log line");
    current.child.kill("SIGTERM");

    expect(await current.exited).toBe(0);
    const stderr = current.stderr();
    expect(stderr).toContain(
      `request_id=${requestId} method=GET path=/account/api/v1/user?user_type=service&token=REDACTED status=200`,
    );
    expect(stderr).toMatch(/method=POST path=\/account\/api\/v1\/user status=201 duration_ms=[\d.]+/);
    expect(stderr).toMatch(/msg=stopping signal=SIGTERM/);
    for (const secret of [adminApiKey, viewerApiKey, token, "hunter2", "body-marker-text"]) {
      expect(stderr).not.toContain(secret);
    }
  });

  test("fault flags apply and log the seed", async () => {
    run = runCli(["--maintenance", "--maintenance-retry-after", "45", "--fault-seed", "7"]);
    const current = run;
    await waitFor(() => current.stdout().includes("Data directory:"), "the start banner");
    const apiUrl = bannerValue(current.stdout(), "API base URL:");
    const adminApiKey = bannerValue(current.stdout(), "Administrator API key:");

    const response = await request(`${apiUrl}/user/me`, {
      headers: { "user-agent": USER_AGENT, "x-api-key": adminApiKey },
    });
    await response.body.text();
    expect(response.statusCode).toBe(503);
    expect(response.headers["retry-after"]).toBe("45");

    await waitFor(() => current.stderr().includes("status=503"), "the request log line");
    current.child.kill("SIGTERM");
    expect(await current.exited).toBe(0);
    expect(current.stderr()).toContain('msg="faults enabled" faults=maintenance seed=7');
    expect(current.stderr()).toContain("status=503");
    expect(current.stderr()).toContain("fault=maintenance");
    expect(current.stderr()).not.toContain(adminApiKey);
  });

  test("help lists the fault flags", async () => {
    run = runCli(["--help"]);

    expect(await run.exited).toBe(0);
    const flags = [
      "--fault-seed",
      "--maintenance",
      "--rate-limit",
      "--random-rate-limit",
      "--server-errors",
      "--latency",
      "--drop-responses",
    ];
    for (const flag of flags) {
      expect(run.stdout()).toContain(flag);
    }
  });

  test("invalid fault flag exits 2", async () => {
    run = runCli(["--latency", "600-300"]);

    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('error: --latency "600-300" is not valid.');
  });

  test("restart prints the same keys", async () => {
    run = runCli(["--data-dir", dataDir, "--quiet"]);
    const first = run;
    await waitFor(() => first.stdout().includes("Data directory:"), "the first start banner");
    const firstKey = bannerValue(first.stdout(), "Administrator API key:");
    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);

    run = runCli(["--data-dir", dataDir, "--quiet"]);
    const second = run;
    await waitFor(() => second.stdout().includes("Data directory:"), "the second start banner");

    expect(bannerValue(second.stdout(), "Administrator API key:")).toBe(firstKey);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
