import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file trains the NLU once (under a second); the CLI test starts a real process.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
