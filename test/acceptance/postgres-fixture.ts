// A throwaway PostgreSQL server for tests of Terraform's pg backend: a new
// cluster in a temporary folder, listening on a free port on 127.0.0.1 with
// a generated password, stopped and deleted by `stop()`. It needs the
// PostgreSQL server binaries (initdb, pg_ctl, postgres) and the clients
// createdb and psql, and fails with install instructions without them.

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

const SERVER_PROGRAMS = ["initdb", "pg_ctl", "postgres"];
const CLIENT_PROGRAMS = ["createdb", "psql"];

/** Debian's and Ubuntu's folder of the binaries of each PostgreSQL version. */
const DEBIAN_VERSIONS_DIR = "/usr/lib/postgresql";

/** The superuser that initdb creates, and the user of every connection. */
const SUPERUSER = "postgres";

/** Attempts to start the server, each on a newly picked port. */
const START_ATTEMPTS = 3;

export interface RunningPostgres {
  readonly host: "127.0.0.1";
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** The libpq URL of the database, with `sslmode=disable`. */
  readonly connectionString: string;
  /** Runs one SQL statement with psql and returns its rows, one per line, fields joined by "|". */
  query(sql: string): Promise<string[]>;
  /** Stops the server and deletes its folder. Later calls do nothing. */
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** Name of the database to create. @default "terraform_state" */
  readonly database?: string;
}

/** Folder of the PostgreSQL binaries, and how to run the server's programs. */
interface Installation {
  readonly binDir: string;
  /** Unprivileged user that runs initdb and pg_ctl, when the tests run as root. */
  readonly runAs?: { readonly name: string; readonly uid: number; readonly gid: number };
}

/**
 * Starts a new PostgreSQL cluster on 127.0.0.1 and creates a database in
 * it. Throws with install instructions when the binaries are missing, and
 * with the server's log when it does not start.
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<RunningPostgres> {
  const installation = await findInstallation();
  const database = options.database ?? "terraform_state";
  const password = randomBytes(18).toString("hex");

  const baseDir = mkdtempSync(path.join(tmpdir(), "digicertone-pg-"));
  const dataDir = path.join(baseDir, "data");
  const logFile = path.join(baseDir, "postgres.log");
  const passwordFile = path.join(baseDir, "password");
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (installation.runAs !== undefined) {
    chownSync(baseDir, installation.runAs.uid, installation.runAs.gid);
    chownSync(passwordFile, installation.runAs.uid, installation.runAs.gid);
  }

  let port: number | undefined;
  try {
    const initdbArgs = [
      `--pgdata=${dataDir}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${passwordFile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C",
      "--no-sync",
    ];
    await runServerProgram(installation, "initdb", initdbArgs, baseDir);
    rmSync(passwordFile);
    // No Unix socket, so the server needs no writable /var/run/postgresql.
    // fsync is off because the cluster is deleted after the test.
    appendFileSync(
      path.join(dataDir, "postgresql.conf"),
      "listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\nfsync = off\n",
    );

    port = await startServer(installation, dataDir, logFile);
    const clientEnv = clientEnvironment(password);
    await execFileAsync(
      path.join(installation.binDir, "createdb"),
      ["--host=127.0.0.1", `--port=${port}`, `--username=${SUPERUSER}`, database],
      { env: clientEnv },
    );
  } catch (error) {
    if (port !== undefined) await stopServer(installation, dataDir);
    rmSync(baseDir, { recursive: true, force: true });
    throw error;
  }

  const serverPort = port;
  let stopped = false;
  return {
    host: "127.0.0.1",
    port: serverPort,
    database,
    user: SUPERUSER,
    password,
    connectionString: `postgres://${SUPERUSER}:${password}@127.0.0.1:${serverPort}/${database}?sslmode=disable`,
    async query(sql: string): Promise<string[]> {
      const { stdout } = await execFileAsync(
        path.join(installation.binDir, "psql"),
        [
          "--host=127.0.0.1",
          `--port=${serverPort}`,
          `--username=${SUPERUSER}`,
          `--dbname=${database}`,
          "--no-psqlrc",
          "--tuples-only",
          "--no-align",
          "--set=ON_ERROR_STOP=1",
          `--command=${sql}`,
        ],
        { env: clientEnvironment(password) },
      );
      return stdout.split("\n").filter((line) => line !== "");
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await stopServer(installation, dataDir);
      rmSync(baseDir, { recursive: true, force: true });
    },
  };
}

/**
 * Finds the folder with every program: the one `initdb` on the PATH lives
 * in, after symbolic links, or the newest version under /usr/lib/postgresql,
 * where Debian's package installs them without putting them on the PATH.
 */
async function findInstallation(): Promise<Installation> {
  const candidates: string[] = [];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const initdb = path.join(dir, "initdb");
    if (dir !== "" && existsSync(initdb)) candidates.push(path.dirname(realpathSync(initdb)));
  }
  if (existsSync(DEBIAN_VERSIONS_DIR)) {
    const versions = readdirSync(DEBIAN_VERSIONS_DIR)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => path.join(DEBIAN_VERSIONS_DIR, version, "bin")));
  }

  const programs = [...SERVER_PROGRAMS, ...CLIENT_PROGRAMS];
  const binDir = candidates.find((dir) =>
    programs.every((program) => existsSync(path.join(dir, program))),
  );
  if (binDir === undefined) {
    throw new Error(
      `The PostgreSQL tests need the PostgreSQL server and client programs (${programs.join(", ")}) ` +
        `in one folder, on the PATH or under ${DEBIAN_VERSIONS_DIR}/<version>/bin, and none was found. ` +
        "Install them with `apt-get install postgresql` (Debian or Ubuntu), then run the tests again.",
    );
  }

  // PostgreSQL refuses to run as root, so a root test run starts the
  // server as the postgres user that Debian's package creates, else nobody.
  if (process.getuid?.() !== 0) return { binDir };
  for (const name of [SUPERUSER, "nobody"]) {
    const ids = await userIds(name);
    if (ids !== undefined) return { binDir, runAs: { name, ...ids } };
  }
  throw new Error(
    "The PostgreSQL tests run as root, and PostgreSQL refuses to run as root, but neither the user postgres nor nobody exists to run it. " +
      "Create an unprivileged user named postgres (`useradd --system postgres`), or run the tests as another user.",
  );
}

async function userIds(name: string): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const uid = await execFileAsync("id", ["-u", name]);
    const gid = await execFileAsync("id", ["-g", name]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** Runs initdb or pg_ctl, as the unprivileged user when the tests run as root. */
async function runServerProgram(
  installation: Installation,
  program: string,
  args: string[],
  cwd: string,
): Promise<void> {
  const programPath = path.join(installation.binDir, program);
  const [file, fileArgs] =
    installation.runAs === undefined
      ? [programPath, args]
      : ["runuser", ["-u", installation.runAs.name, "--", programPath, ...args]];
  try {
    // The working directory is the cluster's folder, which the user who
    // runs the program can always enter.
    await execFileAsync(file, fileArgs, { cwd, env: clientEnvironment(undefined) });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${program} ${args.join(" ")} failed:\n${stdout}${stderr}`, { cause: error });
  }
}

/**
 * Starts the server on a free port and waits until it accepts connections.
 * Another process can take the port between the check and the start, so a
 * failed start is tried again on a new port.
 */
async function startServer(
  installation: Installation,
  dataDir: string,
  logFile: string,
): Promise<number> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      // -w waits until postmaster.pid reports the server ready for
      // connections, for at most -t seconds.
      const args = [
        `--pgdata=${dataDir}`,
        `--log=${logFile}`,
        "-w",
        "-t",
        "30",
        `--options=-p ${port}`,
        "start",
      ];
      await runServerProgram(installation, "pg_ctl", args, path.dirname(dataDir));
      return port;
    } catch (error) {
      lastError = new Error(`${String(error)}\nServer log:\n${readLog(logFile)}`, { cause: error });
    }
  }
  throw lastError;
}

async function stopServer(installation: Installation, dataDir: string): Promise<void> {
  const args = [`--pgdata=${dataDir}`, "-w", "--mode=immediate", "stop"];
  await runServerProgram(installation, "pg_ctl", args, path.dirname(dataDir));
}

function readLog(logFile: string): string {
  return existsSync(logFile) ? readFileSync(logFile, "utf8") : "(no log written)";
}

/** Returns a TCP port that was free on 127.0.0.1 a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Builds the environment of the PostgreSQL programs: no PG* settings from
 * the caller's shell, which would point libpq elsewhere, and the password
 * when one is given.
 */
function clientEnvironment(password: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("PG")) env[name] = value;
  }
  if (password !== undefined) env.PGPASSWORD = password;
  return env;
}
