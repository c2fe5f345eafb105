// The private directory that holds the provider's unix socket. The gRPC
// server trusts only Terraform's certificate, and the directory mode keeps
// other local users from reaching the socket at all.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface SocketDirectory {
  /** Absolute path of the directory, mode 0700. */
  directory: string;
  /** Absolute path of the socket inside it. The socket does not exist yet. */
  socketPath: string;
  /** Removes the directory and the socket. Safe to call more than once. */
  remove(): void;
}

/**
 * Creates a new directory with mode 0700 inside `parent`, or inside the
 * system temporary directory (TMPDIR) when `parent` is undefined. go-plugin
 * uses the same two places: PLUGIN_UNIX_SOCKET_DIR when its client sets it,
 * otherwise the temporary directory.
 */
export function createSocketDirectory(parent: string | undefined): SocketDirectory {
  const directory = mkdtempSync(join(parent ?? tmpdir(), "terraform-provider-"));
  // mkdtemp creates the directory with mode 0700 on POSIX systems. The chmod
  // states the requirement instead of relying on that.
  chmodSync(directory, 0o700);
  return {
    directory,
    socketPath: join(directory, "plugin.sock"),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/**
 * Limits the bound socket to its owner. Node creates it with the mode the
 * umask leaves (0755 with the usual umask 022), and connecting to a unix
 * socket needs write permission on it.
 */
export function restrictSocket(socketPath: string): void {
  chmodSync(socketPath, 0o600);
}
