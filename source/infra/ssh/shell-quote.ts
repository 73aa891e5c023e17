const safeWord = /^[\w@%+=:,./-]+$/;

/** Quotes one argument for a POSIX shell: left bare when nothing in it is special, else single-quoted. */
export function quoteShellArgument(argument: string): string {
	if (safeWord.test(argument)) {
		return argument;
	}

	return `'${argument.replaceAll('\'', String.raw`'\''`)}'`;
}

/** The command line the remote login shell runs so that it sees exactly these arguments. */
export function quoteShellCommand(argv: readonly string[]): string {
	return argv.map(argument => quoteShellArgument(argument)).join(' ');
}
