// State of the emulator: service users, their API tokens and the hashes of
// the administrator and viewer API keys. Without a data directory the state
// lives in memory only. With one, the store loads `state.json` on open and
// rewrites it atomically after each change, and keeps the plain
// administrator and viewer keys in `keys.json` (mode 0600) so the CLI can
// print them again after a restart. API tokens are stored only as SHA-256
// hashes.

import { mkdir } from "node:fs/promises";
import { join } from "node:path";

import { generateApiKey, sha256Hex } from "./credentials";
import {
  KEYS_FILE_NAME,
  STATE_FILE_NAME,
  STATE_FORMAT_VERSION,
  StateFile,
  readKeysFile,
  readStateFile,
  writeFileAtomically,
} from "./state-file";

export type ServiceUserStatus = "ACTIVE" | "DISABLED" | "EXPIRED";

export interface ServiceUserApplication {
  id: string;
  /** Role ids in the order the client sent them. */
  roleIds: string[];
}

/** A service user as stored. Its tokens are StoredApiToken records. */
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
}

/**
 * An API token of a service user. A revoked token stays as a tombstone, so
 * that authentication can tell a revoked key from an unknown one.
 */
export interface StoredApiToken {
  id: string;
  /** Id of the service user the token authenticates as. */
  userId: string;
  name: string;
  /** RFC 3339 UTC timestamp without fractional seconds. */
  createdAt: string;
  /** Last day (UTC, `YYYY-MM-DD`) on which the token is valid, or null. */
  endDate: string | null;
  /** SHA-256 (hex) of the secret, which is returned once at creation. */
  sha256: string;
  /** RFC 3339 UTC time of revocation, or null while the token is live. */
  revokedAt: string | null;
}

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
  /** Every token, tombstones included, by id in creation order. */
  private readonly tokens: Map<string, StoredApiToken>;
  private readonly tokensBySha256: Map<string, StoredApiToken>;
  private pendingWrite: Promise<void> = Promise.resolve();
  readonly adminApiKeySha256: string;
  readonly viewerApiKeySha256: string;

  private constructor(
    private readonly dataDir: string | undefined,
    readonly adminApiKey: string,
    readonly viewerApiKey: string,
    users: StoredServiceUser[],
    tokens: StoredApiToken[],
  ) {
    this.users = new Map(users.map((user) => [user.id, user]));
    this.tokens = new Map(tokens.map((token) => [token.id, token]));
    this.tokensBySha256 = new Map(tokens.map((token) => [token.sha256, token]));
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
      state?.apiTokens ?? [],
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

  /** Inserts a new service user and its first API token with one save. */
  async createServiceUser(
    user: StoredServiceUser,
    initialToken: StoredApiToken,
  ): Promise<void> {
    this.users.set(user.id, user);
    this.setApiToken(initialToken);
    await this.save();
  }

  /**
   * Deletes a service user and revokes its live API tokens at `revokedAt`,
   * then saves. The tombstones stay.
   */
  async deleteServiceUser(id: string, revokedAt: string): Promise<void> {
    this.users.delete(id);
    for (const token of this.listApiTokensOfUser(id)) {
      if (token.revokedAt === null) {
        this.setApiToken({ ...token, revokedAt });
      }
    }
    await this.save();
  }

  /** Finds a token by id, tombstones included. */
  getApiToken(id: string): StoredApiToken | undefined {
    return this.tokens.get(id);
  }

  /** Finds the token whose secret has this SHA-256, tombstones included. */
  findApiTokenBySha256(hash: string): StoredApiToken | undefined {
    return this.tokensBySha256.get(hash);
  }

  /** Lists the tokens of one service user in creation order, tombstones included. */
  listApiTokensOfUser(userId: string): StoredApiToken[] {
    return this.listApiTokens().filter((token) => token.userId === userId);
  }

  /** Lists every token in creation order, tombstones included. */
  listApiTokens(): StoredApiToken[] {
    return [...this.tokens.values()];
  }

  /**
   * Inserts or replaces a token, then saves. Revoke a token by putting it
   * with `revokedAt` set.
   */
  async putApiToken(token: StoredApiToken): Promise<void> {
    this.setApiToken(token);
    await this.save();
  }

  private setApiToken(token: StoredApiToken): void {
    this.tokens.set(token.id, token);
    this.tokensBySha256.set(token.sha256, token);
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
      apiTokens: this.listApiTokens(),
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
