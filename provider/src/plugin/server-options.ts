// Settings shared by the provider process that Terraform starts and the
// long-lived one.

/**
 * Maximum gRPC message size in both directions, in bytes. grpc-js defaults to
 * 4 MiB for received messages, which a large state or schema can exceed.
 */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/**
 * How long calls in flight may take to finish at shutdown, in milliseconds.
 * go-plugin kills a provider that has not exited 2 seconds after it asked
 * it to stop.
 */
export const SHUTDOWN_GRACE_MS = 1000;
