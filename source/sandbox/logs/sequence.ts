// Every sandbox log line carries its container's sequence number (1 for the container's first line),
// so tests and benchmarks can prove that no line was lost or repeated: a JSON line has a last field
// "seq", any other line ends with " seq=N".

export function withSequence(text: string, seq: number): string {
	return text.startsWith('{') && text.endsWith('}') ? `${text.slice(0, -1)},"seq":${seq}}` : `${text} seq=${seq}`;
}

const marker = /(?: seq=|[{,]"seq":)(\d+)\}?$/;

/** The sequence number of a sandbox log line (the line alone, or the whole `log` field); undefined when it has none. */
export function lineSequence(line: string): number | undefined {
	const match = marker.exec(line);
	return match ? Number(match[1]) : undefined;
}
