import {useApp, useStderr, useStdin, useStdout} from 'ink';
import {type Dispatch, useEffect, useLayoutEffect, useState} from 'react';
import type {DashboardContext} from './dashboard-props.js';
import {type OpenShell, ShellLauncher} from './shell-launcher.js';
import type {ShellState, UiAction} from './ui-state.js';

/** The console's shell launcher, on Ink's own streams; undefined without `openShell`. */
export function useShell(openShell: OpenShell | undefined, context: DashboardContext, dispatch: Dispatch<UiAction>, shell: ShellState | undefined): ShellLauncher | undefined {
	const {suspendTerminal} = useApp();
	const {stdin} = useStdin();
	const {stdout} = useStdout();
	const {stderr} = useStderr();
	const [launcher] = useState(() => new ShellLauncher());
	useEffect(() => {
		// Ink 8 types its streams as plain Node streams; they are the TTY streams it was rendered on.
		launcher.use(openShell && {
			openShell,
			context,
			dispatch,
			suspendTerminal,
			streams: {stdin: stdin as NodeJS.ReadStream, stdout: stdout as NodeJS.WriteStream, stderr: stderr as NodeJS.WriteStream},
		});
	}, [launcher, openShell, context, dispatch, suspendTerminal, stdin, stdout, stderr]);
	// A layout effect runs in the commit itself: the frame Ink draws next has no shell state in it.
	useLayoutEffect(() => {
		if (!shell) {
			launcher.shown();
		}
	}, [launcher, shell]);
	useEffect(() => () => {
		launcher.dispose();
	}, [launcher]);
	return openShell ? launcher : undefined;
}
