// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'lib/',
      'coverage/',
      'bin/',
      'scripts/bootstrap.js',
      'eslint.config.mjs',
      'jest.config.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code must stay deterministic: no Node built-ins, no I/O libraries.
    files: ['src/workflows/**/*.ts', 'bench/ceiling-workflow.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'undici', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'].map(
            (name) => ({ name, message: 'workflow code is deterministic: no Node built-ins or I/O here' }),
          ),
          patterns: [
            {
              // Each workflow run initialises the bundle's modules again: zod's schemas would be built every time.
              regex: '^zod(/.*)?$|(^|/)contract(/(index|input|bulk-input|result-schemas))?$',
              allowTypeImports: true,
              message: 'workflow code imports the contract from contract/lean (no zod in the workflow bundle)',
            },
            {
              group: ['../activities', '../activities/index', '../providers/http', '../providers/*/index'],
              allowTypeImports: true,
              message: 'workflows import activities and adapters as types only',
            },
          ],
        },
      ],
    },
  },
);
