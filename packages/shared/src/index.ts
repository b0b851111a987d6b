export * from './errors.js';
export * from './user.js';
export * from './config.js';
export * from './auth.js';
