// State of the emulator: service users and the hashes of the administrator
// and viewer API keys. Without a data directory the state lives in memory
// only. With one, the store loads `state.json` on open and rewrites it
// atomically after each change, and keeps the plain administrator and viewer
// keys in `keys.json` (mode 0600) so the CLI can print them again after a
// restart. Service-user tokens are stored only as SHA-256 hashes.

import { constants as fsConstants } from "node:fs";
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { z } from "zod";

import { generateApiKey, sha256Hex } from "./credentials";

export type ServiceUserStatus = "ACTIVE" | "DISABLED" | "EXPIRED";

export interface ServiceUserApplication {
  id: string;
  /** Role ids in the order the client sent them. */
  roleIds: string[];
}

/** A service user as stored, including the hash of its token. */
export interface StoredServiceUser {
  id: string;
  friendlyName: string;
  description: string;
  email: string;
  /** Set by `PUT /user/{id}/disable`, cleared by `/enable`. */
  disabled: boolean;
  primaryAccountId: string;
  /** RFC 3339 UTC timestamp without fractional seconds. */
  createdAt: string;
  /** Id of the user whose key created this service user. */
  createdBy: string;
  /** Last day (UTC, `YYYY-MM-DD`) on which the user is active, or null. */
  endDate: string | null;
  accounts: string[];
  applications: ServiceUserApplication[];
  /** SHA-256 (hex) of the token returned once at creation. */
  tokenSha256: string;
}

export const STATE_FILE_NAME = "state.json";
export const KEYS_FILE_NAME = "keys.json";
const STATE_FORMAT_VERSION = 1;

const storedServiceUserSchema = z.object({
  id: z.string(),
  friendlyName: z.string(),
  description: z.string(),
  email: z.string(),
  disabled: z.boolean(),
  primaryAccountId: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  endDate: z.string().nullable(),
  accounts: z.array(z.string()),
  applications: z.array(
    z.object({ id: z.string(), roleIds: z.array(z.string()) }),
  ),
  tokenSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const stateFileSchema = z.object({
  formatVersion: z.literal(STATE_FORMAT_VERSION),
  adminApiKeySha256: z.string().regex(/^[0-9a-f]{64}$/),
  viewerApiKeySha256: z.string().regex(/^[0-9a-f]{64}$/),
  serviceUsers: z.array(storedServiceUserSchema),
});

type StateFile = z.infer<typeof stateFileSchema>;

const keysFileSchema = z.object({
  adminApiKey: z.string().min(1),
  viewerApiKey: z.string().min(1),
});

export interface StoreOptions {
  /** Directory for `state.json` and `keys.json`. @default none, so state lives in memory only */
  dataDir?: string;
  /** Administrator key to use in place of the stored or a generated one. */
  adminApiKey?: string;
  /** Viewer key to use in place of the stored or a generated one. */
  viewerApiKey?: string;
}

export class EmulatorStore {
  private readonly users: Map<string, StoredServiceUser>;
  private pendingWrite: Promise<void> = Promise.resolve();
  readonly adminApiKeySha256: string;
  readonly viewerApiKeySha256: string;

  private constructor(
    private readonly dataDir: string | undefined,
    readonly adminApiKey: string,
    readonly viewerApiKey: string,
    users: StoredServiceUser[],
  ) {
    this.users = new Map(users.map((user) => [user.id, user]));
    this.adminApiKeySha256 = sha256Hex(adminApiKey);
    this.viewerApiKeySha256 = sha256Hex(viewerApiKey);
  }

  /**
   * Opens the store: loads the data directory when one is given, then saves
   * the keys and state back so that a generated key survives a restart.
   * Throws when `state.json` or `keys.json` exists but cannot be parsed.
   */
  static async open(options: StoreOptions = {}): Promise<EmulatorStore> {
    const dataDir = options.dataDir;
    if (dataDir === undefined) {
      return new EmulatorStore(
        undefined,
        options.adminApiKey ?? generateApiKey(),
        options.viewerApiKey ?? generateApiKey(),
        [],
      );
    }

    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const state = await readStateFile(dataDir);
    const savedKeys = await readKeysFile(dataDir);

    // A key from keys.json is used only if it still matches the hash in
    // state.json. Otherwise the plain key is lost and a new one is generated.
    const adminApiKey =
      options.adminApiKey ??
      keepIfMatching(savedKeys?.adminApiKey, state?.adminApiKeySha256) ??
      generateApiKey();
    const viewerApiKey =
      options.viewerApiKey ??
      keepIfMatching(savedKeys?.viewerApiKey, state?.viewerApiKeySha256) ??
      generateApiKey();

    const store = new EmulatorStore(
      dataDir,
      adminApiKey,
      viewerApiKey,
      state?.serviceUsers ?? [],
    );
    await writeFileAtomically(
      join(dataDir, KEYS_FILE_NAME),
      JSON.stringify({ adminApiKey, viewerApiKey }, null, 2) + "\n",
    );
    await store.save();
    return store;
  }

  getServiceUser(id: string): StoredServiceUser | undefined {
    return this.users.get(id);
  }

  /** Service users in creation order. */
  listServiceUsers(): StoredServiceUser[] {
    return [...this.users.values()];
  }

  findServiceUserByTokenSha256(hash: string): StoredServiceUser | undefined {
    return this.listServiceUsers().find((user) => user.tokenSha256 === hash);
  }

  /** Finds a service user whose friendly_name equals `name`, ignoring case. */
  findServiceUserByName(name: string): StoredServiceUser | undefined {
    const lowerCaseName = name.toLowerCase();
    return this.listServiceUsers().find(
      (user) => user.friendlyName.toLowerCase() === lowerCaseName,
    );
  }

  /**
   * Inserts or replaces a service user, then saves. The change is visible to
   * other requests at once, before the write finishes.
   */
  async putServiceUser(user: StoredServiceUser): Promise<void> {
    this.users.set(user.id, user);
    await this.save();
  }

  async deleteServiceUser(id: string): Promise<void> {
    this.users.delete(id);
    await this.save();
  }

  /** Waits until every write started so far has finished. */
  async flush(): Promise<void> {
    await this.pendingWrite.catch(() => undefined);
  }

  /**
   * Writes a snapshot of the whole state. Snapshots are taken in change
   * order and written one after another, so the file always ends with the
   * latest state.
   * NOTE: a failed write leaves the change in memory but not on disk until
   * the next successful write, which saves everything again.
   */
  private save(): Promise<void> {
    const dataDir = this.dataDir;
    if (dataDir === undefined) {
      return Promise.resolve();
    }
    const snapshot: StateFile = {
      formatVersion: STATE_FORMAT_VERSION,
      adminApiKeySha256: this.adminApiKeySha256,
      viewerApiKeySha256: this.viewerApiKeySha256,
      serviceUsers: this.listServiceUsers(),
    };
    const text = JSON.stringify(snapshot, null, 2) + "\n";
    const write = this.pendingWrite
      .catch(() => undefined)
      .then(() => writeFileAtomically(join(dataDir, STATE_FILE_NAME), text));
    this.pendingWrite = write;
    return write;
  }
}

function keepIfMatching(
  key: string | undefined,
  expectedSha256: string | undefined,
): string | undefined {
  if (key === undefined) {
    return undefined;
  }
  if (expectedSha256 !== undefined && sha256Hex(key) !== expectedSha256) {
    return undefined;
  }
  return key;
}

async function readJsonFile(path: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return undefined;
    }
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${path} is not valid JSON (${(error as Error).message}). ` +
        "Fix or delete the file, or start with another data directory.",
    );
  }
}

async function readStateFile(dataDir: string): Promise<StateFile | undefined> {
  const path = join(dataDir, STATE_FILE_NAME);
  const content = await readJsonFile(path);
  if (content === undefined) {
    return undefined;
  }
  const parsed = stateFileSchema.safeParse(content);
  if (!parsed.success) {
    throw new Error(
      `${path} is not an emulator state file of format version ` +
        `${STATE_FORMAT_VERSION}: ${z.prettifyError(parsed.error)}. ` +
        "Fix or delete the file, or start with another data directory.",
    );
  }
  return parsed.data;
}

async function readKeysFile(
  dataDir: string,
): Promise<z.infer<typeof keysFileSchema> | undefined> {
  const path = join(dataDir, KEYS_FILE_NAME);
  const content = await readJsonFile(path);
  if (content === undefined) {
    return undefined;
  }
  const parsed = keysFileSchema.safeParse(content);
  if (!parsed.success) {
    throw new Error(
      `${path} must contain adminApiKey and viewerApiKey strings: ` +
        `${z.prettifyError(parsed.error)}. Delete it to generate new keys.`,
    );
  }
  return parsed.data;
}

/**
 * Replaces `path` with `text` so that a crash leaves either the old or the
 * new file: writes a temporary file in the same directory with mode 0600,
 * fsyncs it, renames it over `path`, then fsyncs the directory.
 */
export async function writeFileAtomically(
  path: string,
  text: string,
): Promise<void> {
  const temporaryPath = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const file = await open(
    temporaryPath,
    fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL,
    0o600,
  );
  try {
    await file.writeFile(text, "utf8");
    await file.sync();
  } catch (error) {
    await file.close();
    await unlink(temporaryPath).catch(() => undefined);
    throw error;
  }
  await file.close();

  try {
    await rename(temporaryPath, path);
  } catch (error) {
    await unlink(temporaryPath).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

async function syncDirectory(directory: string): Promise<void> {
  // Opening or fsyncing a directory fails on some platforms. The rename has
  // happened by then, so only durability after a power loss is weaker.
  let handle;
  try {
    handle = await open(directory, fsConstants.O_RDONLY);
    await handle.sync();
  } catch {
    return;
  } finally {
    await handle?.close();
  }
}
