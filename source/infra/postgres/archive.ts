// Release backups (release-safety §3): take one, read it, restore it to a scratch database to verify
// it, or over the real database as the last resort. One module per job; this is their front door.
export {dumpDatabase, type DumpOptions, type DumpResult} from './dump.js';
export {sha256File, listArchive, readArchiveData, type ArchiveListing} from './archive-files.js';
export {restoreToScratch, type ScratchRestore} from './scratch-restore.js';
export {rowCounts} from './row-counts.js';
export {verifyBackup, type BackupLevel, type BackupVerification, type CountMismatch, type VerifyOptions} from './verify-backup.js';
export {restoreDatabase} from './restore.js';
