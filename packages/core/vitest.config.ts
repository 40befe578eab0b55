import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Property tests and whole builds: on a shared 2-core CI machine under load they take
    // several times the default 5 s without anything being wrong.
    testTimeout: 30_000,
  },
});
