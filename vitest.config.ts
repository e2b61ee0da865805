import vue from '@vitejs/plugin-vue'
import components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { defineConfig } from 'vitest/config'

// CI asks for a machine-readable summary (HUATUO_TEST_RESULTS) to print its closing count.
const resultsFile = process.env['HUATUO_TEST_RESULTS']

export default defineConfig({
  // Component tests (tests/component) mount the window's .vue files.
  plugins: [vue(), components({ dirs: [], dts: false, resolvers: [ElementPlusResolver({ importStyle: false })] })],
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/e2e/**/*.test.ts', 'tests/component/**/*.test.ts'],
    // Two cores: llama.cpp threads spin, so test files that load a model must not run side by side.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: { HUATUO_THREADS: '1' },
    ...(resultsFile ? { reporters: ['default', 'json'], outputFile: { json: resultsFile } } : {}),
  },
})
