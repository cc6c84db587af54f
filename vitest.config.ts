import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Collects the fault matrix's rows and prints their table at the end (test/faults).
    globalSetup: ['test/faults/global-setup.ts'],
    // Timestamps without a zone are read as UTC by our code; TZ is set to something else
    // so that a test would catch any accidental use of the local time zone.
    env: { TZ: 'America/Los_Angeles' },
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
