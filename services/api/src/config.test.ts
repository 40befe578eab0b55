import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_GROWTH, DEFAULT_SEED_DIR, DEFAULT_SNAPSHOT_DELAY, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    const config = loadConfig({ INIT_CWD: '/srv/app' });
    expect(config).toMatchObject({
      port: 8787,
      host: undefined,
      dataDir: '/srv/app/data',
      seed: true,
      seedDir: DEFAULT_SEED_DIR,
      apiKeys: [],
      keysFile: '/srv/app/data/api-keys.json',
      bodyLimit: 1024 * 1024,
      importLimit: 16 * 1024 * 1024,
      cacheSize: 1000,
      trustProxy: false,
      heapGrowthPercent: DEFAULT_HEAP_GROWTH,
      snapshotDelaySeconds: DEFAULT_SNAPSHOT_DELAY,
      rankingThread: availableParallelism() > 1,
      duplicateWarmup: true,
    });
    expect(loadConfig({ PARTNERMATCH_RANKING_THREAD: 'false' }).rankingThread).toBe(false);
    expect(loadConfig({ PARTNERMATCH_DUPLICATE_WARMUP: 'off' }).duplicateWarmup).toBe(false);
    expect(() => loadConfig({ PARTNERMATCH_DUPLICATE_WARMUP: 'later' })).toThrow(/PARTNERMATCH_DUPLICATE_WARMUP must be true or false/);
    expect(() => loadConfig({ PARTNERMATCH_RANKING_THREAD: 'two' })).toThrow(/PARTNERMATCH_RANKING_THREAD must be true or false/);
  });

  it('reads the environment', () => {
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: '/var/lib/pm',
      PARTNERMATCH_SEED: 'false',
      PARTNERMATCH_API_KEYS: 'reader-key-0123456789:reader',
      PARTNERMATCH_BODY_LIMIT: '2048',
      PARTNERMATCH_TRUST_PROXY: 'true',
    });
    expect(config).toMatchObject({ port: 0, dataDir: '/var/lib/pm', seed: false, bodyLimit: 2048, keysFile: '/var/lib/pm/api-keys.json', trustProxy: true });
    expect(config.apiKeys).toEqual([{ key: 'reader-key-0123456789', role: 'reader' }]);
  });

  it('names the variable of a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ PARTNERMATCH_SEED: 'perhaps' })).toThrow(/PARTNERMATCH_SEED/);
    expect(() => loadConfig({ PARTNERMATCH_TRUST_PROXY: 'sometimes' })).toThrow(/PARTNERMATCH_TRUST_PROXY/);
    expect(() => loadConfig({ PARTNERMATCH_HEAP_GROWTH: '-5' })).toThrow(/PARTNERMATCH_HEAP_GROWTH/);
    expect(loadConfig({ PARTNERMATCH_HEAP_GROWTH: '0' }).heapGrowthPercent).toBe(0);
    expect(() => loadConfig({ PARTNERMATCH_SNAPSHOT_DELAY: '1.5' })).toThrow(/PARTNERMATCH_SNAPSHOT_DELAY/);
    expect(loadConfig({ PARTNERMATCH_SNAPSHOT_DELAY: '0' }).snapshotDelaySeconds).toBe(0);
  });
});
