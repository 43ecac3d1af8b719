export * from './errors.js';
export * from './limits.js';
export * from './model.js';
export * from './events.js';
export * from './wire.js';
export * from './url.js';
export * from './validate.js';
