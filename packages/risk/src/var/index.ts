export * from './errors';
export * from './inverseNormalCdf';
export * from './correlation';
export * from './parametricVar';
