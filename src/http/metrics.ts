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
/** One series' numbers: a counter's count, or a histogram's count with its per-bucket counts and sum. */
type Series = { value: number; buckets: number[]; sum: number };

/**
 * The request and lookup series, in plain numbers, bound to their labels
 * once and read by prom-client's registry when it is scraped (the registry
 * still writes the exposition). prom-client's own `inc` and `observe` check
 * the labels, join them into a key and find the bucket by its bound's
 * decimal on every call: pinned in the lookup bench, those four calls cost
 * about 10 µs of a 57 µs lookup.
 */
class BoundMetric {
  readonly aggregator = "sum";
  private readonly series = new Map<string, Series & { labels: Labels }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: "counter" | "histogram",
    registry: Registry,
  ) {
    // The registry reads `name`, `help`, `type` and `get()`, which is all a metric is to it.
    registry.registerMetric(this as unknown as Counter);
  }

  /** The series of these labels (the key names them), made at first use. */
  bind(key: string, labels: Labels): Series {
    let series = this.series.get(key);
    if (!series) {
      series = { labels, value: 0, buckets: LATENCY_BUCKETS.map(() => 0), sum: 0 };
      this.series.set(key, series);
    }
    return series;
  }

  async get() {
    type Value = { labels: Record<string, string | number>; sharedLabels?: Labels; value: number; metricName?: string };
    const values = [...this.series.values()].flatMap(({ labels, value, buckets, sum }): Value[] => {
      if (this.type === "counter") return [{ labels, value }];
      let below = 0;
      return [
        ...LATENCY_BUCKETS.map((le, i) => ({ labels: { le }, sharedLabels: labels, value: (below += buckets[i]!), metricName: `${this.name}_bucket` })),
        { labels: { le: "+Inf" }, sharedLabels: labels, value, metricName: `${this.name}_bucket` },
        { labels: {}, sharedLabels: labels, value: sum, metricName: `${this.name}_sum` },
        { labels: {}, sharedLabels: labels, value, metricName: `${this.name}_count` },
      ];
    });
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    this.series.clear();
  }
}

/** A counter's series and a histogram's, counted together: a request, or an on-call lookup. */
export type CountedSeries = { count: Series; time: Series };

/** Counts one more in the counter and records its seconds in the histogram: the bucket (none past the last bound, which only +Inf counts), sum and count. */
export function countIn(series: CountedSeries, seconds: number): void {
  series.count.value += 1;
  const { time } = series;
  let bucket = 0;
  while (bucket < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[bucket]!) bucket++;
  if (bucket < LATENCY_BUCKETS.length) time.buckets[bucket]! += 1;
  time.sum += seconds;
  time.value += 1;
}

export type GaugeSource = {
  name: string;
  help: string;
  labelNames: readonly string[];
  read: () => Promise<{ labels: Labels; value: number }[]> | { labels: Labels; value: number }[];
};

/** One app's metrics in a registry of its own (a process may hold several apps), exposed with the process's. */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests = new BoundMetric("baton_http_requests_total", "HTTP requests by route, method and status.", "counter", this.registry);
  private readonly latency = new BoundMetric("baton_http_request_duration_seconds", "HTTP request latency by route and method.", "histogram", this.registry);
  private readonly lookups = new BoundMetric("baton_oncall_lookups_total", "On-call lookups served.", "counter", this.registry);
  private readonly lookupLatency = new BoundMetric("baton_oncall_lookup_duration_seconds", "On-call lookup latency.", "histogram", this.registry);
  readonly transactions = this.latencyHistogram(
    "baton_db_transaction_duration_seconds",
    "Database transactions from asking for one to its commit or rollback, waiting for the writer's turn included, by backend.",
    ["backend"] as const,
  );
  readonly contentType = this.registry.contentType;
  private readonly process = processMetrics();

  /** Each request's two series, by method, route and status: one key and one lookup per request. */
  private readonly requestSeriesByKey = new Map<string, CountedSeries>();
  private readonly lookupSeries = {
    team: { count: this.lookups.bind("team", { scope: "team" }), time: this.lookupLatency.bind("team", { scope: "team" }) },
    all: { count: this.lookups.bind("all", { scope: "all" }), time: this.lookupLatency.bind("all", { scope: "all" }) },
  };

  /** A request's two series, by method, route and status, made when first asked for (the lookup's success asks when the app is made). */
  requestSeries(method: string, route: string, status: number): CountedSeries {
    const key = `${method} ${route} ${status}`;
    let series = this.requestSeriesByKey.get(key);
    if (!series) {
      // prom-client writes labels in the order given: alphabetical, as scrapes showed before it.
      series = { count: this.requests.bind(key, { method, route, status: String(status) }), time: this.latency.bind(`${method} ${route}`, { method, route }) };
      this.requestSeriesByKey.set(key, series);
    }
    return series;
  }

  /** Counts a request and records its latency. */
  countRequest(method: string, route: string, status: number, seconds: number): void {
    countIn(this.requestSeries(method, route, status), seconds);
  }

  /** Counts an on-call lookup, of one team or of all, and records its latency. */
  countLookup(scope: "team" | "all", seconds: number): void {
    countIn(this.lookupSeries[scope], seconds);
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
