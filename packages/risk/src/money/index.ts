export * from './fixed';
export * from './asset';
export * from './amount';
export * from './usd';
export * from './readJson';
