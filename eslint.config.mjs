// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { castHasReason } from './scripts/eslint/cast-has-reason.mjs';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'contracts/out/**', 'contracts/cache/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: [
          'packages/messages/tsconfig.test.json',
          'packages/risk/tsconfig.test.json',
          'contracts/tsconfig.test.json',
          'apps/relayer/tsconfig.test.json',
          'test/tsconfig.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { ccr: { rules: { 'cast-has-reason': castHasReason } } },
    rules: {
      'ccr/cast-has-reason': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/prefer-nullish-coalescing': 'error',
    },
  },
);
