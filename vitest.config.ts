import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Three projects in one run: companion + test world (node), extension units (fakeBrowser), e2e (built extension in Chromium).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'companion',
          environment: 'node',
          include: ['test/companion/**/*.test.ts', 'test/world/**/*.test.ts', 'test/shared/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [WxtVitest()],
        test: {
          name: 'extension',
          environment: 'happy-dom',
          include: ['test/extension/**/*.test.ts', 'test/extension/**/*.test.tsx'],
          // Reader tests parse real captures: ~3 s idle, twice that on a busy 2-core CI machine.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
