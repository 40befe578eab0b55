import { collectDefaultMetrics, Counter, Gauge as PromGauge, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus metrics, kept by prom-client (the maintained Prometheus client for
 * Node): HTTP request counts and a latency histogram by method, route pattern and status,
 * values read at scrape time (index size, cache use, jobs), and prom-client's default process
 * metrics, event-loop delay (`nodejs_eventloop_lag_*`) among them.
 */

/** Latency histogram bucket bounds in seconds. */
export const LATENCY_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One labelled value read at scrape time. */
export interface Sample {
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricsOptions {
  /** prom-client's default metrics (process CPU, memory, handles, GC, event-loop delay). Defaults to true. */
  readonly defaultMetrics?: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #latency: Histogram<'method' | 'route'>;

  constructor(options: MetricsOptions = {}) {
    this.#requests = new Counter({
      name: 'partnermatch_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.#latency = new Histogram({
      name: 'partnermatch_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [...LATENCY_BUCKETS],
      registers: [this.registry],
    });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one finished request and its duration. `route` is the matched pattern, never the raw path. */
  observe(method: string, route: string, status: number, seconds: number): void {
    this.#requests.inc({ method, route, status: String(status) });
    this.#latency.observe({ method, route }, seconds);
  }

  /** Requests counted so far with this method, route and status. */
  async requestCount(method: string, route: string, status: number): Promise<number> {
    const { values } = await this.#requests.get();
    return values.find((v) => v.labels.method === method && v.labels.route === route && v.labels.status === String(status))?.value ?? 0;
  }

  /** A gauge whose samples are read when `/metrics` is scraped. */
  gauge(name: string, help: string, read: () => readonly Sample[], labelNames: readonly string[] = []): void {
    new PromGauge({
      name,
      help,
      labelNames: [...labelNames],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { labels, value } of read()) this.set({ ...labels }, value);
      },
    });
  }

  /** A counter kept elsewhere (a running total), read when `/metrics` is scraped. */
  counter(name: string, help: string, read: () => number): void {
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  }

  /** The exposition text. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
