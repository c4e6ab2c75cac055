import { describe, expect, it } from 'vitest';
import { describeSimulator, parseCli } from './cli.js';
import { PROFILES } from './pace.js';
import { startSimulator } from './simulator.js';

describe('icloud-sim command line', () => {
  it('defaults to the instant profile', () => {
    expect(parseCli([]).options).toMatchObject({ profile: 'instant', assets: 10, pace: {} });
  });

  it('takes --profile apple and a flag for every number, and prints them all in the JSON line', async () => {
    const cli = parseCli(['--profile', 'apple', '--assets', '3', '--json', '--max-concurrent-downloads', '3']);
    expect(cli.json).toBe(true);
    const sim = await startSimulator({ ...cli.options, sharedAssets: 0 });
    try {
      const line = JSON.parse(JSON.stringify(describeSimulator(sim)));
      expect(line.profile).toEqual({ name: 'apple', ...PROFILES.apple, maxConcurrentDownloads: 3 });
      for (const key of [
        'cloudkitLatencyMs',
        'downloadLatencyMs',
        'downloadBytesPerSecond',
        'maxConcurrentDownloads',
        'maxConcurrentCloudkit',
        'retryAfterSeconds',
        'penaltySeconds',
      ]) {
        expect(typeof line.profile[key], key).toBe('number');
      }
      expect(line.downloadBaseUrl).toBe(sim.downloadBaseUrl);
      expect(line.appleId).toBe(sim.account.appleId);
    } finally {
      await sim.stop();
    }
  });

  it('says what is wrong with a bad argument', () => {
    expect(() => parseCli(['--profile', 'fast'])).toThrow(/unknown profile fast \(known: instant, apple\)/);
    expect(() => parseCli(['--retry-after-seconds', 'soon'])).toThrow(/retryAfterSeconds must be a number/);
    expect(() => parseCli(['--bogus'])).toThrow(/Unknown option '--bogus'[\s\S]*--max-concurrent-downloads/);
    expect(() => parseCli(['--assets=-1'])).toThrow(/--assets must be a number of at least 0/);
  });
});
