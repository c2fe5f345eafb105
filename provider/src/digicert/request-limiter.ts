// A counting semaphore that bounds the DigiCert ONE requests in flight.
// Terraform applies up to 10 resources in parallel by default, and each may
// send several requests, so without a bound one apply can trip the API's
// per-key rate limit.

/** Gives out at most `limit` slots at a time, to waiters in arrival order. */
export class RequestLimiter {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`RequestLimiter limit must be a whole number of at least 1, got ${limit}`);
    }
  }

  /** Requests in flight now, for tests and logs. */
  get inFlight(): number {
    return this.active;
  }

  /**
   * Waits for a free slot and returns the function that frees it. Rejects
   * with the signal's reason, without taking a slot, when the signal
   * aborts first.
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.active < this.limit) {
      this.active += 1;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(wake);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal!.reason);
      };
      // release() hands its slot straight to this waiter, so `active`
      // stays the same.
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      this.waiters.push(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    return this.releaser();
  }

  /** Returns a function that frees the slot once, however often it is called. */
  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next === undefined) {
        this.active -= 1;
      } else {
        next();
      }
    };
  }
}
