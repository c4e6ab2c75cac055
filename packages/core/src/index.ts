export * from './api/index.js';
export * from './errors/index.js';
