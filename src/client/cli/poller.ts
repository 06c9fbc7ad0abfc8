/**
 * Calls `fn` every `everyMs`, one call at a time. `stop()` resolves only once no call is in flight: closing the
 * connection under a call the SDK is about to retry crashed the CLI ("Channel has been shut down" from a retry timer).
 */
export class Poller {
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly fn: () => Promise<unknown>,
    private readonly everyMs: number,
  ) {}

  /** Begin polling (the first call after `everyMs`). */
  start(): this {
    this.schedule();
    return this;
  }

  /** No new call; resolves when the call in flight (if any) has settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.tick(), this.everyMs);
  }

  private tick(): void {
    // A failed poll (server away, worker busy) is skipped: the bar keeps its last values.
    this.inFlight = this.fn().then(
      () => undefined,
      () => undefined,
    );
    void this.inFlight.then(() => {
      this.inFlight = undefined;
      this.schedule();
    });
  }
}
