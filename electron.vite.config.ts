import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // node-llama-cpp and its prebuilt binaries stay in node_modules (unpacked from the asar).
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          // The engine process (utilityProcess.fork): node-llama-cpp runs there, never in main.
          'engine-process': resolve('electron/core/inference/local/engine-process.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can neither be an ES module nor require anything but 'electron':
      // bundle every dependency into one CommonJS file.
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [vue()],
    build: {
      outDir: resolve('out/renderer'),
      // Fonts and images stay files served from 'self': the CSP allows no data: fonts.
      assetsInlineLimit: 0,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
})
