// The runbook engine's public face: what commands and the TUI import.
export {RunbookRunner, type RunnerInit, type RunnerOptions, type RunOutcome} from './runner.js';
export {JournalStore, type RunList, type UnreadableRun} from './journal-store.js';
export {createJournal, effectiveStatus, targetName, type NewRun} from './journal.js';
export {ReleaseLock, LockHeldError, describeHolder, type LockBreakRequest} from './release-lock.js';
export {yesOperator, promptOperator, queueOperator, type PromptOperator, type QueueOperator, type Question} from './operators.js';
export {summariseRun, formatRunDetail} from './history.js';
export {VerificationFailedError, PreconditionBlockedError, defaultFailure} from './failure.js';
export {yesConfirms, typedConfirmation} from './confirmation.js';
export {newRunId, isRunId} from './run-id.js';
