/** A small Prometheus text-format registry: request counters, latency histograms, and gauges read at scrape time. */

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

type Labels = Record<string, string>;
const labelKeys = new Map<string, string>();
/** Label sets repeat on every request, so their rendered form is kept, found by a cheap joined key. */
const labelKey = (labels: Labels) => {
  let raw = "";
  for (const name in labels) raw += `${name}\u0000${labels[name]}\u0001`;
  let key = labelKeys.get(raw);
  if (key === undefined) labelKeys.set(raw, (key = renderLabels(labels)));
  return key;
};
const renderLabels = (labels: Labels) =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`)
    .join(",");

const series = (name: string, key: string) => (key ? `${name}{${key}}` : name);

class Counter {
  readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels, by = 1) {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, value] of this.values) lines.push(`${series(this.name, key)} ${value}`);
    return lines.join("\n");
  }
}

class Histogram {
  readonly series = new Map<string, { buckets: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string, readonly bounds = LATENCY_BUCKETS) {}
  observe(labels: Labels, value: number) {
    const key = labelKey(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]!) s.buckets[i]!++;
    s.sum += value;
    s.count++;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [key, s] of this.series) {
      const sep = key ? "," : "";
      this.bounds.forEach((b, i) => lines.push(`${this.name}_bucket{${key}${sep}le="${b}"} ${s.buckets[i]}`));
      lines.push(`${this.name}_bucket{${key}${sep}le="+Inf"} ${s.count}`);
      lines.push(`${series(`${this.name}_sum`, key)} ${s.sum}`);
      lines.push(`${series(`${this.name}_count`, key)} ${s.count}`);
    }
    return lines.join("\n");
  }
}

export type Gauge = { name: string; help: string; read: () => Promise<{ labels: Labels; value: number }[]> | { labels: Labels; value: number }[] };

export class Metrics {
  readonly requests = new Counter("baton_http_requests_total", "HTTP requests by route, method and status.");
  readonly latency = new Histogram("baton_http_request_duration_seconds", "HTTP request latency by route and method.");
  readonly lookups = new Counter("baton_oncall_lookups_total", "On-call lookups served.");
  readonly lookupLatency = new Histogram("baton_oncall_lookup_duration_seconds", "On-call lookup latency.");
  private readonly gauges: Gauge[] = [];

  addGauge(gauge: Gauge) {
    this.gauges.push(gauge);
  }

  async render(): Promise<string> {
    const parts = [this.requests.render(), this.latency.render(), this.lookups.render(), this.lookupLatency.render()];
    for (const g of this.gauges) {
      const lines = [`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`];
      for (const { labels, value } of await g.read()) lines.push(`${series(g.name, labelKey(labels))} ${value}`);
      parts.push(lines.join("\n"));
    }
    return parts.join("\n") + "\n";
  }
}
