/**
 * A process-wide bound on password hashes in progress. scrypt runs on libuv's thread pool (4
 * threads by default), which also serves file reads, zlib and DNS: 300 anonymous logins at once
 * filled it and static files waited ~12 s behind them. With at most `concurrency` hashes running
 * (default 2) the pool keeps free threads for everything else; at most `queue` more may wait,
 * and anything beyond is refused at once (the caller answers 429) rather than queued unboundedly.
 */
export interface HashSlot {
  /** Resolves when this slot may run its hash (at once, or after a waiting turn). */
  ready: Promise<void>;
  /** Gives the place back; call exactly once, in `finally`. */
  release(): void;
}

export class HashSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private concurrency: number,
    private queue: number,
  ) {}

  /** Sets the bounds (from config, when an api app is built); later calls win. */
  configure(concurrency: number, queue: number): void {
    this.concurrency = concurrency;
    this.queue = queue;
  }

  /** Places taken now: running plus waiting. */
  get taken(): number {
    return this.running + this.waiting.length;
  }

  /** Takes a place (running or waiting) synchronously, or null when every place is taken. */
  tryAcquire(): HashSlot | null {
    if (this.running >= this.concurrency && this.waiting.length >= this.queue) return null;
    let state: 'waiting' | 'running' | 'released' = 'running';
    let turn: (() => void) | null = null;
    let ready = Promise.resolve();
    if (this.running < this.concurrency) {
      this.running++;
    } else {
      state = 'waiting';
      ready = new Promise<void>((resolve) => {
        turn = () => {
          state = 'running';
          resolve();
        };
      });
      this.waiting.push(turn!);
    }
    return {
      ready,
      release: () => {
        if (state === 'released') return;
        if (state === 'waiting') {
          // Refused before its turn (e.g. by the sign-in limits): leave the line, take nothing.
          const i = this.waiting.indexOf(turn!);
          if (i !== -1) this.waiting.splice(i, 1);
        } else {
          // Hand the running place straight to the next waiter (it stays counted as running).
          const next = this.waiting.shift();
          if (next) next();
          else this.running--;
        }
        state = 'released';
      },
    };
  }
}

/** The one bound every sign-in in this process shares. */
export const passwordHashSlots = new HashSlots(2, 8);
