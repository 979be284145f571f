/** jest's asymmetric matchers typed `unknown` instead of @types/jest's `any`: the relayer's unit-test ones, shared. */
export * from '../../apps/relayer/src/common/matchers.fixture';
