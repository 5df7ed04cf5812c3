export type WebhookLog = (line: Record<string, unknown>) => void;

export type WebhookOptions = {
  /** Where to post; without one, events are dropped. */
  url?: string | undefined;
  fetch?: typeof fetch | undefined;
  log?: WebhookLog | undefined;
  /** The waits before each retry; their count is the number of retries. */
  backoffMs?: readonly number[] | undefined;
  timeoutMs?: number | undefined;
  /** Events held while the endpoint is down; the oldest are dropped beyond this. */
  maxQueue?: number | undefined;
};

/** About a quarter of an hour of retries: long enough to ride out a restart of the receiving end. */
export const DEFAULT_BACKOFF_MS = [1_000, 5_000, 30_000, 120_000, 600_000] as const;

/**
 * Posts JSON events to one URL in the order they were sent, retrying with
 * backoff, without ever making the caller wait: `send` only queues, and one
 * delivery loop drains the queue in the background. A 4xx other than 429 is
 * not retried, since the same body will be refused again.
 */
export class WebhookQueue {
  private readonly queue: object[] = [];
  private draining: Promise<void> | null = null;
  private made: Promise<void> = Promise.resolve();
  private readonly fetch: typeof fetch;
  private readonly log: WebhookLog;
  private readonly backoffMs: readonly number[];
  private readonly timeoutMs: number;
  private readonly maxQueue: number;

  constructor(private readonly options: WebhookOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.log = options.log ?? (() => {});
    this.backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxQueue = options.maxQueue ?? 1_000;
  }

  send(body: object): void {
    if (!this.options.url) return;
    if (this.queue.length >= this.maxQueue) {
      this.queue.shift();
      this.log({ level: "warn", msg: "webhook queue full; dropped the oldest event" });
    }
    this.queue.push(body);
    this.draining ??= this.drain().finally(() => (this.draining = null));
  }

  /**
   * Queues events that are still being made (naming people needs a lookup):
   * they are sent in the order they were asked for, and `idle` waits for them.
   */
  sendWhenMade(events: Promise<readonly object[]>): void {
    // Observed at once, with a URL or without: a lookup that fails (the database went away) while earlier
    // events are still being made must be logged, not left an unhandled rejection, which ends the process.
    const made = events.then(
      (list) => () => list.forEach((event) => this.send(event)),
      (error: unknown) => () => this.log({ level: "error", msg: "could not make webhook events", error: String(error) }),
    );
    if (!this.options.url) return;
    this.made = this.made.then(() => made).then((deliver) => deliver());
  }

  /** Resolves once everything sent so far has been delivered or given up on. */
  async idle(): Promise<void> {
    await this.made;
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    // Let the request that sent the event finish before any delivery work starts.
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (let body = this.queue.shift(); body !== undefined; body = this.queue.shift()) await this.deliver(body);
  }

  private async deliver(body: object): Promise<void> {
    const payload = JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(payload);
      if (outcome === "delivered") return;
      const wait = this.backoffMs[attempt];
      if (outcome === "refused" || wait === undefined) {
        this.log({ level: "error", msg: "webhook delivery abandoned", attempts: attempt + 1, reason: outcome === "refused" ? "refused" : "retries exhausted" });
        return;
      }
      await new Promise<void>((resolve) => setTimeout(resolve, wait).unref());
    }
  }

  private async attempt(payload: string): Promise<"delivered" | "retry" | "refused"> {
    try {
      const res = await this.fetch(this.options.url!, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "Baton webhook" },
        body: payload,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.body?.cancel();
      if (res.ok) return "delivered";
      this.log({ level: "warn", msg: "webhook answered with an error", status: res.status });
      return res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429 ? "refused" : "retry";
    } catch (error) {
      this.log({ level: "warn", msg: "webhook delivery failed", error: String(error) });
      return "retry";
    }
  }
}
