import { createHash, randomBytes } from "node:crypto";

/**
 * Generates an API key in the shape of the one public DigiCert ONE sample:
 * 26 lowercase hex characters, `_`, then 64 lowercase hex characters.
 * Clients must treat keys as opaque, so the shape only adds realism.
 */
export function generateApiKey(): string {
  return `${randomBytes(13).toString("hex")}_${randomBytes(32).toString("hex")}`;
}

/** Returns the SHA-256 of a key as lowercase hex, the form state.json stores. */
export function sha256Hex(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}
