/** One jest for the whole workspace. `unit`: pure tests beside the source. `chain`: tests that start anvil. */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' }, module: { type: 'commonjs' } }];
const moduleNameMapper = {
  '^@ccr/messages$': '<rootDir>/packages/messages/src/index.ts',
  '^@ccr/risk$': '<rootDir>/packages/risk/src/index.ts',
  '^@ccr/contracts$': '<rootDir>/contracts/ts/index.ts',
};
const common = { transform: { '^.+\\.ts$': swc }, moduleNameMapper, testEnvironment: 'node', rootDir: __dirname };
module.exports = {
  // Chain tests start anvil and the relayer: generous per-test limit (a global option, not a per-project one).
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/packages/*/src/**/*.test.ts', '<rootDir>/apps/relayer/src/**/*.test.ts'] },
    { ...common, displayName: 'chain', testMatch: ['<rootDir>/test/**/*.test.ts']},
  ],
};
