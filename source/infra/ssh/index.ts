export {connectSsh, type SshConnectOptions, type SshConnection} from './connect.js';
export {sshExec, interactiveShellCommand, type SshExecOptions} from './exec.js';
export {openTunnel, type SshTunnel, type TunnelOptions} from './tunnel.js';
export {SshError, type SshErrorKind} from './errors.js';
export type {ConfirmUnknownHost, UnknownHostKey} from './host-key-check.js';
export type {AskPassphrase} from './auth.js';
export type {SshPeer} from './peer.js';
export {parseDestination, type SshEndpoint} from './destination.js';
export {quoteShellCommand} from './shell-quote.js';
