import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.js';

describe('Metrics', () => {
  it('renders counters, a cumulative histogram and gauges in the Prometheus text format', () => {
    const metrics = new Metrics();
    metrics.observe('GET', '/needs/:id', 200, 0.003);
    metrics.observe('GET', '/needs/:id', 200, 0.2);
    metrics.observe('GET', '/needs/:id', 404, 0.001);
    const text = metrics.render([{ name: 'x_gauge', help: 'A "gauge".', type: 'gauge', samples: [{ labels: { kind: 'a\\b' }, value: 3 }] }]);
    expect(text).toContain('partnermatch_http_requests_total{method="GET",route="/needs/:id",status="200"} 2');
    expect(text).toContain('partnermatch_http_requests_total{method="GET",route="/needs/:id",status="404"} 1');
    expect(text).toContain('partnermatch_http_request_duration_seconds_bucket{method="GET",route="/needs/:id",le="0.005"} 2');
    expect(text).toContain('partnermatch_http_request_duration_seconds_bucket{method="GET",route="/needs/:id",le="0.25"} 3');
    expect(text).toContain('partnermatch_http_request_duration_seconds_bucket{method="GET",route="/needs/:id",le="+Inf"} 3');
    expect(text).toContain('partnermatch_http_request_duration_seconds_count{method="GET",route="/needs/:id"} 3');
    expect(text).toContain('x_gauge{kind="a\\\\b"} 3');
    expect(text.endsWith('\n')).toBe(true);
    expect(metrics.requestCount('GET', '/needs/:id', 200)).toBe(2);
  });
});
