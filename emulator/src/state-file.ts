// The files of a data directory: `state.json` with service users, API-token
// records and the hashes of the administrator and viewer keys, and
// `keys.json` with the plain administrator and viewer keys. Both are
// replaced atomically. `state.json` stores only SHA-256 hashes of keys and
// tokens.

import { constants as fsConstants } from "node:fs";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { randomBytes, randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { z } from "zod";

import type { StoredApiToken, StoredServiceUser } from "./store";

export const STATE_FILE_NAME = "state.json";
export const KEYS_FILE_NAME = "keys.json";

/**
 * Version 2 keeps API tokens as records of their own. Version 1 kept one
 * `tokenSha256` per service user, and is converted on load.
 */
export const STATE_FORMAT_VERSION = 2;
const LEGACY_STATE_FORMAT_VERSION = 1;

/**
 * Name of a service user's first token: the one `POST /user` creates, or
 * the one made from a version 1 user's `tokenSha256`.
 */
export const INITIAL_TOKEN_NAME = "initial";

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

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
});

const storedApiTokenSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  endDate: z.string().nullable(),
  sha256: sha256Schema,
  revokedAt: z.string().nullable(),
});

const stateFileSchema = z.object({
  formatVersion: z.literal(STATE_FORMAT_VERSION),
  adminApiKeySha256: sha256Schema,
  viewerApiKeySha256: sha256Schema,
  serviceUsers: z.array(storedServiceUserSchema),
  apiTokens: z.array(storedApiTokenSchema),
});

const legacyStateFileSchema = z.object({
  formatVersion: z.literal(LEGACY_STATE_FORMAT_VERSION),
  adminApiKeySha256: sha256Schema,
  viewerApiKeySha256: sha256Schema,
  serviceUsers: z.array(
    storedServiceUserSchema.extend({ tokenSha256: sha256Schema }),
  ),
});

/** The content of `state.json` in the current format. */
export interface StateFile {
  formatVersion: typeof STATE_FORMAT_VERSION;
  adminApiKeySha256: string;
  viewerApiKeySha256: string;
  serviceUsers: StoredServiceUser[];
  apiTokens: StoredApiToken[];
}

const keysFileSchema = z.object({
  adminApiKey: z.string().min(1),
  viewerApiKey: z.string().min(1),
});

export type KeysFile = z.infer<typeof keysFileSchema>;

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

/**
 * Reads `state.json` from `dataDir`, converting a version 1 file to the
 * current format. Returns undefined when the file does not exist.
 */
export async function readStateFile(dataDir: string): Promise<StateFile | undefined> {
  const path = join(dataDir, STATE_FILE_NAME);
  const content = await readJsonFile(path);
  if (content === undefined) {
    return undefined;
  }

  const version = (content as { formatVersion?: unknown } | null)?.formatVersion;
  if (version === LEGACY_STATE_FORMAT_VERSION) {
    const legacy = legacyStateFileSchema.safeParse(content);
    if (!legacy.success) {
      throw invalidStateFileError(path, LEGACY_STATE_FORMAT_VERSION, legacy.error);
    }
    return convertLegacyStateFile(legacy.data);
  }

  const parsed = stateFileSchema.safeParse(content);
  if (!parsed.success) {
    throw invalidStateFileError(path, STATE_FORMAT_VERSION, parsed.error);
  }
  return parsed.data;
}

function invalidStateFileError(path: string, version: number, error: z.ZodError): Error {
  return new Error(
    `${path} is not an emulator state file of format version ${version}: ` +
      `${z.prettifyError(error)}. The emulator reads format versions ` +
      `${LEGACY_STATE_FORMAT_VERSION} and ${STATE_FORMAT_VERSION}. ` +
      "Fix or delete the file, or start with another data directory.",
  );
}

/**
 * Converts each version 1 user's `tokenSha256` into a live token record named
 * INITIAL_TOKEN_NAME, created with the user and without an end date.
 */
function convertLegacyStateFile(
  legacy: z.infer<typeof legacyStateFileSchema>,
): StateFile {
  const serviceUsers: StoredServiceUser[] = [];
  const apiTokens: StoredApiToken[] = [];
  for (const { tokenSha256, ...user } of legacy.serviceUsers) {
    serviceUsers.push(user);
    apiTokens.push({
      id: randomUUID(),
      userId: user.id,
      name: INITIAL_TOKEN_NAME,
      createdAt: user.createdAt,
      endDate: null,
      sha256: tokenSha256,
      revokedAt: null,
    });
  }
  return {
    formatVersion: STATE_FORMAT_VERSION,
    adminApiKeySha256: legacy.adminApiKeySha256,
    viewerApiKeySha256: legacy.viewerApiKeySha256,
    serviceUsers,
    apiTokens,
  };
}

export async function readKeysFile(dataDir: string): Promise<KeysFile | undefined> {
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
