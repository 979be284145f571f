export * from './errors';
export * from './money';
export * from './oracle';
export * from './valuation';
export * from './health';
export * from './var';
export * from './stress';
export * from './margin';
