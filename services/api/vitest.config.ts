import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Whole services with a ranking worker, snapshots and imports: on a shared 2-core CI
    // machine, beside the other packages' tests, several take 3–5 s and reached the default
    // 5 s without anything being wrong (the ranking thread's byte-for-byte comparisons).
    testTimeout: 30_000,
  },
});
