import vue from '@vitejs/plugin-vue'
import components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { defineConfig, type Plugin } from 'vitest/config'

// CI asks for a machine-readable summary (HUATUO_TEST_RESULTS) to print its closing count.
const resultsFile = process.env['HUATUO_TEST_RESULTS']

/**
 * Component tests run the real workstation core in the same process (tests/support/in-process-workstation.ts)
 * under jsdom, so through Vite's browser transform, which turns `new URL('./file', import.meta.url)` into
 * a web address: right for the window, wrong for core, which finds its engine process by that file
 * path under Node as in the app. In core (and the tests' support beside it) the expression keeps
 * meaning the file.
 */
const coreKeepsItsFileUrls: Plugin = {
  name: 'huatuo:core-keeps-its-file-urls',
  enforce: 'pre',
  applyToEnvironment: (environment) => environment.config.consumer === 'client',
  transform(code, id) {
    if (!/[\\/](electron[\\/]core|tests[\\/]support)[\\/]/.test(id) || !code.includes('import.meta.url')) return null
    return { code: code.replace(/(\bnew\s+URL\(\s*(['"`])[^'"`]*\2\s*,\s*)import\.meta\.url\s*\)/g, '$1String(import.meta.url))'), map: null }
  },
}

export default defineConfig({
  // Component tests (tests/component) mount the window's .vue files.
  plugins: [vue(), components({ dirs: [], dts: false, resolvers: [ElementPlusResolver({ importStyle: false })] }), coreKeepsItsFileUrls],
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
