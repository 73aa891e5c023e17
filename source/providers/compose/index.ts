export {ComposeProvider, composeJobId} from './provider.js';
export {checkComposeOptions, type ComposeOptions} from './options.js';
export type {ComposeBackup} from './backup.js';
export type {CommandResult} from './host.js';
