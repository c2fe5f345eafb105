// A lock per key for async work. The resources take it per service user id,
// because Terraform runs up to 10 operations at once in one provider process
// and each change to a user's access is a read-modify-write of the whole
// user.

/**
 * Runs async tasks one at a time per key, in the order of the `run` calls.
 * Tasks with different keys do not wait for each other.
 */
export class KeyedLock {
  /** Per key, a promise that settles when the last queued task has finished. */
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Runs `task` once every task queued before it under `key` has finished,
   * whether it succeeded or failed, and returns the task's result.
   */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const finished = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => finished);
    this.tails.set(key, tail);

    await previous;
    try {
      return await task();
    } finally {
      release();
      // The last task of a key removes it, so the map does not grow.
      if (this.tails.get(key) === tail) {
        this.tails.delete(key);
      }
    }
  }

  /** The number of keys with a running or queued task. */
  get activeKeys(): number {
    return this.tails.size;
  }
}

/**
 * The lock that every resource of this provider process takes, keyed by
 * service user id, around a change to a service user.
 */
export const serviceUserLocks = new KeyedLock();
