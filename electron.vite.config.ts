import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'
import components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

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
    // Element Plus components are imported where a template uses them, with their own CSS: the
    // window carries only the parts it shows. The project's own components are imported by hand.
    plugins: [vue(), components({ dirs: [], dts: resolve('renderer/src/element-components.d.ts'), resolvers: [ElementPlusResolver({ importStyle: 'css' })] })],
    build: {
      outDir: resolve('out/renderer'),
      // Fonts and images stay files served from 'self': the CSP allows no data: fonts.
      assetsInlineLimit: 0,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
})
