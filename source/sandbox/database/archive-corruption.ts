// The `backup-corrupt` fault: an archive that looks finished (status completed, a size) but cannot be
// read, like an upload cut short. pg_restore reads the table of contents right after the header, so
// the bytes after the header are overwritten too — truncating alone would leave `--list` working.
import {open} from 'node:fs/promises';

/** Bytes that make pg_restore recognise a custom-format archive: magic, version, sizes, format. */
const keptHeaderBytes = 11;

export async function corruptArchive(file: string): Promise<void> {
	const handle = await open(file, 'r+');
	try {
		const {size} = await handle.stat();
		const length = Math.max(keptHeaderBytes + 1, Math.floor(size / 2));
		await handle.truncate(length);
		await handle.write(Buffer.alloc(length - keptHeaderBytes, 0xA5), 0, length - keptHeaderBytes, keptHeaderBytes);
	} finally {
		await handle.close();
	}
}
