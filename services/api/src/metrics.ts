/**
 * A small Prometheus text-format registry: HTTP request counts and a latency histogram by
 * method, route pattern and status, plus gauges read at scrape time.
 */

/** Latency histogram bucket bounds in seconds. */
export const LATENCY_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A value read when `/metrics` is scraped. */
export interface Gauge {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly samples: readonly { readonly labels?: Readonly<Record<string, string>>; readonly value: number }[];
}

interface Series {
  readonly labels: Readonly<Record<string, string>>;
  count: number;
  sum: number;
  readonly buckets: number[];
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: Readonly<Record<string, string>> | undefined, extra?: string): string {
  const parts = Object.entries(labels ?? {}).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  if (extra !== undefined) parts.push(extra);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

export class Metrics {
  readonly #requests = new Map<string, { labels: Readonly<Record<string, string>>; value: number }>();
  readonly #latency = new Map<string, Series>();

  /** Counts one finished request and its duration. `route` is the matched pattern, never the raw path. */
  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    const key = `${method} ${route} ${status}`;
    const counter = this.#requests.get(key) ?? { labels, value: 0 };
    counter.value += 1;
    this.#requests.set(key, counter);

    const latencyKey = `${method} ${route}`;
    let series = this.#latency.get(latencyKey);
    if (series === undefined) {
      series = { labels: { method, route }, count: 0, sum: 0, buckets: LATENCY_BUCKETS.map(() => 0) };
      this.#latency.set(latencyKey, series);
    }
    series.count += 1;
    series.sum += seconds;
    LATENCY_BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) series.buckets[i]! += 1;
    });
  }

  /** Requests counted so far with this method, route and status (for tests and health checks). */
  requestCount(method: string, route: string, status: number): number {
    return this.#requests.get(`${method} ${route} ${status}`)?.value ?? 0;
  }

  /** The exposition text: the HTTP series, then the given gauges. */
  render(gauges: readonly Gauge[] = []): string {
    const lines: string[] = [
      '# HELP partnermatch_http_requests_total HTTP requests answered, by method, route pattern and status.',
      '# TYPE partnermatch_http_requests_total counter',
      ...[...this.#requests.values()].map((c) => `partnermatch_http_requests_total${labelText(c.labels)} ${c.value}`),
      '# HELP partnermatch_http_request_duration_seconds Time to answer an HTTP request, by method and route pattern.',
      '# TYPE partnermatch_http_request_duration_seconds histogram',
    ];
    for (const series of this.#latency.values()) {
      LATENCY_BUCKETS.forEach((bound, i) => {
        lines.push(`partnermatch_http_request_duration_seconds_bucket${labelText(series.labels, `le="${bound}"`)} ${series.buckets[i]}`);
      });
      lines.push(
        `partnermatch_http_request_duration_seconds_bucket${labelText(series.labels, 'le="+Inf"')} ${series.count}`,
        `partnermatch_http_request_duration_seconds_sum${labelText(series.labels)} ${series.sum}`,
        `partnermatch_http_request_duration_seconds_count${labelText(series.labels)} ${series.count}`,
      );
    }
    for (const gauge of gauges) {
      lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} ${gauge.type}`);
      for (const sample of gauge.samples) lines.push(`${gauge.name}${labelText(sample.labels)} ${sample.value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
