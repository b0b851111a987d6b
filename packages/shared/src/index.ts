export * from './errors.js';
export * from './user.js';
export * from './config.js';
export * from './auth.js';
export * from './plans.js';
export * from './roles.js';
export * from './tenant.js';
export * from './project.js';
