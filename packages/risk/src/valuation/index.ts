export * from './config';
export * from './validateAssetRiskConfig';
export * from './volatilityHaircut';
export * from './sizeTiers';
export * from './valueCollateral';
export * from './priceMarket';
export * from './readAssetRiskConfig';
export * from './readMarket';
