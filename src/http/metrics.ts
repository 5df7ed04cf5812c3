import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../db/open";

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

let processRegistry: Registry | undefined;
/**
 * prom-client's process metrics (event-loop lag, heap, GC, CPU) in a registry
 * of their own, made once per process: they describe the process, not an app,
 * and each collection starts an event-loop monitor and a GC observer that are
 * never stopped, which tests making hundreds of apps would pile up.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

type Labels = Record<string, string>;

export type GaugeSource = {
  name: string;
  help: string;
  labelNames: readonly string[];
  read: () => Promise<{ labels: Labels; value: number }[]> | { labels: Labels; value: number }[];
};

/** One app's metrics in a registry of its own (a process may hold several apps), exposed with the process's. */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "baton_http_requests_total",
    help: "HTTP requests by route, method and status.",
    labelNames: ["route", "method", "status"] as const,
    registers: [this.registry],
  });
  readonly latency = this.latencyHistogram("baton_http_request_duration_seconds", "HTTP request latency by route and method.", ["route", "method"] as const);
  readonly lookups = new Counter({ name: "baton_oncall_lookups_total", help: "On-call lookups served.", labelNames: ["scope"] as const, registers: [this.registry] });
  readonly lookupLatency = this.latencyHistogram("baton_oncall_lookup_duration_seconds", "On-call lookup latency.", ["scope"] as const);
  readonly transactions = this.latencyHistogram(
    "baton_db_transaction_duration_seconds",
    "Database transactions from asking for one to its commit or rollback, waiting for the writer's turn included, by backend.",
    ["backend"] as const,
  );
  readonly contentType = this.registry.contentType;
  private readonly process = processMetrics();

  /** A histogram of seconds in this app's registry, with the latency buckets every timing here shares. */
  private latencyHistogram<L extends string>(name: string, help: string, labelNames: readonly L[]): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  }

  /** A gauge whose values are read when /metrics is scraped. */
  addGauge(source: GaugeSource): void {
    new Gauge({
      name: source.name,
      help: source.help,
      labelNames: source.labelNames,
      registers: [this.registry],
      async collect() {
        const values = await source.read();
        this.reset();
        for (const { labels, value } of values) this.set(labels, value);
      },
    });
  }

  /**
   * The handle the app works through: the same database, with every
   * transaction it starts timed, and (on PostgreSQL) the pool's figures
   * read at scrape time.
   */
  measure(db: Db): Db {
    if (db.poolStats() !== null) {
      this.addGauge({
        name: "baton_db_pool_clients",
        help: "PostgreSQL connection pool: connections open (total), idle among them, and queries waiting for one.",
        labelNames: ["state"],
        read: () => Object.entries(db.poolStats() ?? {}).map(([state, value]) => ({ labels: { state }, value })),
      });
    }
    const timer = this.transactions.labels({ backend: db.backend });
    return Object.assign(Object.create(db) as Db, {
      transact: async <T>(body: (tx: Db) => Promise<T>): Promise<T> => {
        const end = timer.startTimer();
        try {
          return await db.transact(body);
        } finally {
          end();
        }
      },
    });
  }

  async render(): Promise<string> {
    return (await this.registry.metrics()) + "\n" + (await this.process.metrics());
  }
}
