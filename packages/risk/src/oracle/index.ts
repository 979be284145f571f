export * from './price';
export * from './errors';
export * from './guardPrice';
export * from './conservativePrice';
export * from './medianPrice';
export * from './readOraclePrice';
