// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import localRules from './scripts/eslint/cast-has-reason.cjs';

const { castHasReason } = localRules;

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'contracts/out/**', 'contracts/cache/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  comments.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
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
      // A rule switched off in place says why, like a cast.
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: ['eslint-enable'] }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/prefer-nullish-coalescing': 'error',
      // `const { dropped: _, ...rest } = x` leaves a field out: the rest is what is used.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // AppConfig extends RelayerConfig by declaration merging (an interface with one `extends` and no body).
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
);
