// Transport security of the built provider executable, started the way
// Terraform starts it: mutual TLS with Terraform's exact certificate, a
// private socket directory, and a process that ends with its parent.
import * as grpc from "@grpc/grpc-js";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { generateSelfSignedCertificate } from "../../provider/src/plugin/certificate";
import {
  call,
  connectClients,
  parseHandshakeLine,
  terraformEnvironment,
  type PluginClients,
} from "../fixtures/plugin/plugin-process";
import { ROOT } from "./harness";

const PROVIDER_EXECUTABLE = path.join(
  ROOT,
  "build/mirror/registry.terraform.io/digicert/digicertone/0.1.0/linux_amd64/terraform-provider-digicertone_v0.1.0",
);

/** Maximum time for the provider to exit after its parent died, in milliseconds. */
const PARENT_EXIT_DEADLINE_MS = 5000;

interface RunningProvider {
  child: ChildProcess;
  handshakeLine: Promise<string>;
  exited: Promise<number | string>;
  stderr(): string;
}

/** Starts `command` and resolves its first stdout line, which is the handshake line when `command` is the provider. */
function start(command: string, args: string[], env: NodeJS.ProcessEnv): RunningProvider {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));

  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? signal ?? -1));
  });
  const handshakeLine = new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const end = stdout.indexOf("\n");
      if (end >= 0) resolve(stdout.slice(0, end));
    });
    exited.then((code) => reject(new Error(`${command} exited (${code}) before the handshake:\n${stderr}`)));
  });
  handshakeLine.catch(() => undefined);

  return { child, handshakeLine, exited, stderr: () => stderr };
}

/** Whether `pid` is a live process. An exited process that is not reaped yet (a zombie) counts as exited. */
function isRunning(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return false;
  }
  // The state letter follows the command name, which is in parentheses.
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return state !== "Z";
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("built provider over AutoMTLS", () => {
  const terraformIdentity = generateSelfSignedCertificate();
  let provider: RunningProvider;
  let clients: PluginClients;
  let socketPath: string;

  beforeAll(async () => {
    provider = start(PROVIDER_EXECUTABLE, [], terraformEnvironment(terraformIdentity.certificatePem));
    const handshake = parseHandshakeLine(await provider.handshakeLine);
    socketPath = handshake.address;
    clients = connectClients(handshake, terraformIdentity);
  });

  afterAll(async () => {
    clients?.close();
    if (provider?.child.exitCode === null && provider.child.signalCode === null) {
      provider.child.kill("SIGKILL");
      await provider.exited;
    }
  });

  test("client without certificate is rejected", async () => {
    const anonymous = connectClients(parseHandshakeLine(await provider.handshakeLine));
    try {
      await expect(call(anonymous.provider, "GetProviderSchema", {}, 3000)).rejects.toMatchObject({
        code: grpc.status.UNAVAILABLE,
      });
    } finally {
      anonymous.close();
    }
  });

  test("client with another certificate is rejected", async () => {
    const stranger = connectClients(
      parseHandshakeLine(await provider.handshakeLine),
      generateSelfSignedCertificate(),
    );
    try {
      await expect(call(stranger.provider, "GetProviderSchema", {}, 3000)).rejects.toMatchObject({
        code: grpc.status.UNAVAILABLE,
      });
    } finally {
      stranger.close();
    }
  });

  test("client with Terraform's certificate gets the schema", async () => {
    const response = await call<{ resource_schemas: Record<string, unknown>; diagnostics: unknown[] }>(
      clients.provider,
      "GetProviderSchema",
      {},
    );

    expect(response.diagnostics).toEqual([]);
    expect(Object.keys(response.resource_schemas).length).toBeGreaterThan(0);
  });

  test("socket directory and socket are private", () => {
    expect(statSync(path.dirname(socketPath)).mode & 0o777).toBe(0o700);
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
  });

  test("SIGINT does not stop it", async () => {
    provider.child.kill("SIGINT");
    await sleep(500);
    const health = await call(clients.health, "Check", { service: "plugin" });

    expect(provider.child.exitCode).toBeNull();
    expect(provider.child.signalCode).toBeNull();
    expect(health.status).toBe(1);
  });

  // Runs last in this block: it ends the process.
  test("Shutdown exits and removes the socket directory", async () => {
    await call(clients.controller, "Shutdown", {});

    expect(await provider.exited).toBe(0);
    expect(existsSync(path.dirname(socketPath))).toBe(false);
  });
});

describe("built provider without Terraform", () => {
  test("missing client certificate exits 1", async () => {
    const provider = start(PROVIDER_EXECUTABLE, [], terraformEnvironment());

    expect(await provider.exited).toBe(1);
    expect(provider.stderr()).toContain("This provider requires AutoMTLS");
    expect(provider.stderr()).toContain("The provider must be started by Terraform");
  });

  test("exits after its parent is killed", async () => {
    // The provider writes its stderr straight to this test, so no broken pipe
    // can end it: only the parent PID check notices that the parent died.
    const { parent, providerPid, socketPath } = await startUnderParent("inherit");

    parent.child.kill("SIGKILL");
    await parent.exited;
    const exited = await waitForExit(providerPid);

    expect(exited).toBe(true);
    expect(existsSync(path.dirname(socketPath))).toBe(false);
    expect(parent.stderr()).toMatch(/"@message":"Provider stopping".*"reason":"the parent process \d+ \(Terraform\) exited"/);
  });

  test("exits when its parent's pipes break", async () => {
    // As with Terraform, the parent reads both stdout and stderr, so both
    // pipes break when it dies.
    const { parent, providerPid, socketPath } = await startUnderParent("pipe");

    parent.child.kill("SIGKILL");
    await parent.exited;
    const exited = await waitForExit(providerPid);

    expect(exited).toBe(true);
    expect(existsSync(path.dirname(socketPath))).toBe(false);
  });
});

/**
 * Starts the provider under an intermediate `node -e` parent that relays
 * the provider's stdout through a pipe and prints the provider's PID on its
 * own stderr. `stderr` chooses whether the provider's stderr goes through
 * the parent ("pipe") or straight to this test ("inherit").
 */
async function startUnderParent(
  stderr: "pipe" | "inherit",
): Promise<{ parent: RunningProvider; providerPid: number; socketPath: string }> {
  const parentScript = [
    'const { spawn } = require("node:child_process");',
    `const child = spawn(process.argv[1], [], { stdio: ["ignore", "pipe", "${stderr}"] });`,
    "child.stdout.pipe(process.stdout);",
    "child.stderr?.resume();",
    "process.stderr.write(`provider pid ${child.pid}\\n`);",
  ].join("\n");
  const identity = generateSelfSignedCertificate();
  const parent = start(
    process.execPath,
    ["-e", parentScript, PROVIDER_EXECUTABLE],
    terraformEnvironment(identity.certificatePem),
  );
  const socketPath = parseHandshakeLine(await parent.handshakeLine).address;
  const providerPid = Number(/provider pid (\d+)/.exec(parent.stderr())?.[1]);
  expect(isRunning(providerPid)).toBe(true);
  return { parent, providerPid, socketPath };
}

/** Waits up to PARENT_EXIT_DEADLINE_MS for `pid` to exit, and kills it when it does not. */
async function waitForExit(pid: number): Promise<boolean> {
  const exited = await waitUntil(() => !isRunning(pid), PARENT_EXIT_DEADLINE_MS);
  if (!exited) process.kill(pid, "SIGKILL");
  return exited;
}
