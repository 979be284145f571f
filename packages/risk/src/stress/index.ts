export * from './scenario';
export * from './applyScenario';
export * from './stressBook';
export * from './readScenario';
export * from './stressLiveBook';
