import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'
import globals from 'globals'
import { builtinModules } from 'node:module'

// Bare module specifiers only (regexes, so a relative path such as '../electron/contract' is not caught).
// Node built-ins in every spelling: 'fs', 'node:fs', 'fs/promises', 'node:fs/promises'.
const builtins = builtinModules.filter((name) => !name.startsWith('_')).map((name) => name.replace(/[/]/g, '\\/'))
const noNode = { regex: `^(node:)?(${builtins.join('|')})(\\/.*)?$`, message: 'This layer runs without Node: no Node built-ins.' }
const noElectron = { regex: '^electron(\\/.*)?$', message: 'Only electron/main and electron/preload may import electron.' }
const noNodeLlama = { regex: '^node-llama-cpp(\\/.*)?$', message: 'node-llama-cpp lives in electron/core only.' }

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    files: ['**/*.{js,mjs,ts,vue}'],
    ignores: ['electron/contract/**', 'renderer/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  // The boundaries of DESIGN.md, enforced here rather than remembered.
  {
    files: ['electron/contract/**'],
    // No Node and no DOM globals either: the contract is loaded by main, preload, host and renderer.
    rules: { 'no-undef': 'error', 'no-restricted-imports': ['error', { patterns: [noElectron, noNode, noNodeLlama] }] },
  },
  {
    files: ['electron/core/**', 'electron/cli/**', 'electron/host/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron] }] },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron, noNode, noNodeLlama] }] },
  },
)
