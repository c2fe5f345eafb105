// Detects that Terraform, the provider's parent process, has gone away.
// go-plugin gives the provider Terraform's own stdin, so stdin does not
// close when Terraform dies. When a process dies, the kernel hands its
// children to init (or, on Linux, to a subreaper), which changes their
// parent PID.

/** How often the parent PID is checked, in milliseconds. */
export const PARENT_POLL_INTERVAL_MS = 500;

/**
 * Calls `onParentExit` once when the parent PID stops being the one seen at
 * the start. Returns a function that stops the watch. The timer does not
 * keep the process alive.
 *
 * NOTE: when the parent is already PID 1 (a provider started directly by
 * init), the parent PID never changes, so this watch never fires.
 */
export function watchParentProcess(
  onParentExit: (parentPid: number) => void,
  intervalMs = PARENT_POLL_INTERVAL_MS,
): () => void {
  const parentPid = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parentPid) return;
    clearInterval(timer);
    onParentExit(parentPid);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
