import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.js';

describe('Metrics', () => {
  it('renders counters, a cumulative histogram, scrape-time gauges and the default process metrics', async () => {
    const metrics = new Metrics();
    metrics.observe('GET', '/needs/:id', 200, 0.003);
    metrics.observe('GET', '/needs/:id', 200, 0.2);
    metrics.observe('GET', '/needs/:id', 404, 0.001);
    let size = 3;
    metrics.gauge('x_gauge', 'A "gauge".', () => [{ labels: { kind: 'a\\b' }, value: size }], ['kind']);
    metrics.counter('x_total', 'A counter kept elsewhere.', () => size * 2);
    const text = await metrics.render();
    expect(text).toContain('partnermatch_http_requests_total{method="GET",route="/needs/:id",status="200"} 2');
    expect(text).toContain('partnermatch_http_requests_total{method="GET",route="/needs/:id",status="404"} 1');
    expect(text).toContain('partnermatch_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/needs/:id"} 2');
    expect(text).toContain('partnermatch_http_request_duration_seconds_bucket{le="0.25",method="GET",route="/needs/:id"} 3');
    expect(text).toContain('partnermatch_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/needs/:id"} 3');
    expect(text).toContain('partnermatch_http_request_duration_seconds_count{method="GET",route="/needs/:id"} 3');
    expect(text).toContain('x_gauge{kind="a\\\\b"} 3');
    expect(text).toContain('x_total 6');
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds [\d.e-]+/m);
    size = 5;
    expect(await metrics.render()).toContain('x_gauge{kind="a\\\\b"} 5');
    expect(await metrics.requestCount('GET', '/needs/:id', 200)).toBe(2);
  });
});
