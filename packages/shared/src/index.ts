export * from './errors.js';
export * from './user.js';
export * from './config.js';
