export * from './account';
export * from './accountHealth';
export * from './maxWithdrawable';
export * from './readAccount';
export * from './formatHealthFactor';
