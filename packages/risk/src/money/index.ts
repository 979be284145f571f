export * from './fixed';
