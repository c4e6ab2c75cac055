// tsyringe needs the Reflect metadata API before it loads; every service imports its decorators from here, so
// whichever module loads first (the CLI, the UI, a test) gets it in that order.
import 'reflect-metadata';

export { inject, injectable } from 'tsyringe';
