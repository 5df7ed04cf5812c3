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
  private readonly requests = new Counter({
    name: "baton_http_requests_total",
    help: "HTTP requests by route, method and status.",
    labelNames: ["route", "method", "status"] as const,
    registers: [this.registry],
  });
  private readonly latency = this.latencyHistogram("baton_http_request_duration_seconds", "HTTP request latency by route and method.", ["route", "method"] as const);
  private readonly lookups = new Counter({ name: "baton_oncall_lookups_total", help: "On-call lookups served.", labelNames: ["scope"] as const, registers: [this.registry] });
  private readonly lookupLatency = this.latencyHistogram("baton_oncall_lookup_duration_seconds", "On-call lookup latency.", ["scope"] as const);
  readonly transactions = this.latencyHistogram(
    "baton_db_transaction_duration_seconds",
    "Database transactions from asking for one to its commit or rollback, waiting for the writer's turn included, by backend.",
    ["backend"] as const,
  );
  readonly contentType = this.registry.contentType;
  private readonly process = processMetrics();

  private readonly requestSeries = new Map<string, { count: Counter.Internal; time: Histogram.Internal<string> }>();
  private readonly lookupSeries = {
    team: { count: this.lookups.labels({ scope: "team" }), time: this.lookupLatency.labels({ scope: "team" }) },
    all: { count: this.lookups.labels({ scope: "all" }), time: this.lookupLatency.labels({ scope: "all" }) },
  };

  /**
   * Counts a request and records its latency. Each series is bound once and
   * kept: prom-client otherwise sorts and joins the labels into a key on
   * every call, which the on-call lookup felt. Routes are the registered
   * patterns (or "unmatched") and Node accepts only known methods, so the map stays small.
   */
  countRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let series = this.requestSeries.get(key);
    if (!series) {
      // prom-client writes labels in the order given: alphabetical, as scrapes showed before it.
      series = { count: this.requests.labels({ method, route, status: String(status) }), time: this.latency.labels({ method, route }) };
      this.requestSeries.set(key, series);
    }
    series.count.inc();
    series.time.observe(seconds);
  }

  /** Counts an on-call lookup, of one team or of all, and records its latency. */
  countLookup(scope: "team" | "all", seconds: number): void {
    const series = this.lookupSeries[scope];
    series.count.inc();
    series.time.observe(seconds);
  }

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
