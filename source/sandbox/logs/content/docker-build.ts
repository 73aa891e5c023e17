// What a build container writes: the clone, the Dockerfile's steps as the classic Docker builder
// prints them, and the push, or the step that broke.
import {mix} from '../dice.js';
import {err, out, type ScriptLine} from './format.js';

export type BuildFacts = {
	seed: number;
	buildId: string;
	sha: string;
	commitMessage: string;
	branch: string;
	repositoryUrl: string;
	/** Where the image is pushed, without the tag. */
	repository: string;
};

/** A 12-hex-digit id (layer, container, image), the same every time for the same build and purpose. */
function hexId(facts: BuildFacts, step: number, purpose: number): string {
	return `${mix(facts.seed, step, purpose).toString(16).padStart(8, '0')}${mix(facts.seed, step, purpose + 1).toString(16).padStart(8, '0')}`.slice(0, 12);
}

export function cloneScript(facts: BuildFacts): ScriptLine[] {
	return [
		out(`Cloning ${facts.repositoryUrl} (branch ${facts.branch})`),
		err('Cloning into \'/workspace\'...'),
		err('remote: Enumerating objects: 4127, done.'),
		err('remote: Counting objects: 100% (4127/4127), done.'),
		err('remote: Compressing objects: 100% (1811/1811), done.'),
		err('Receiving objects:  12% (495/4127)\rReceiving objects:  57% (2353/4127)\rReceiving objects: 100% (4127/4127), 9.84 MiB | 21.30 MiB/s, done.'),
		err('Resolving deltas: 100% (2410/2410), done.'),
		out(`HEAD is now at ${facts.sha.slice(0, 7)} ${facts.commitMessage}`),
		out('Building with Dockerfile /backend/Dockerfile, context /'),
	];
}

type DockerStep = {instruction: string; weight: number; body(facts: BuildFacts, step: number): ScriptLine[]};

const requirements = [
	['Django', '4.2.16', '8.0 MB'],
	['gunicorn', '22.0.0', '84 kB'],
	['psycopg-binary', '3.2.3', '4.4 MB'],
	['djangorestframework', '3.15.2', '1.1 MB'],
	['django-storages', '1.14.4', '31 kB'],
	['boto3', '1.35.76', '139 kB'],
	['pyjwt', '2.10.1', '22 kB'],
	['cryptography', '44.0.0', '4.2 MB'],
	['whitenoise', '6.8.2', '20 kB'],
] as const;

const sgr = (code: string) => `\u001B[${code}m`;

/** The backend's Dockerfile, 14 steps; weights share the build time out between them. */
export const dockerSteps: readonly DockerStep[] = [
	{instruction: 'FROM python:3.12-slim', weight: 5, body: facts => [
		out('3.12-slim: Pulling from library/python'),
		...[1, 2, 3, 4].map(layer => out(`${hexId(facts, 0, layer * 2)}: Pull complete`)),
		out('Digest: sha256:2b0079146a74e23bf4ae8f6a28e1b484c6292f6fb904cbb51825b4a19812fcd8'),
		out('Status: Downloaded newer image for python:3.12-slim'),
	]},
	{instruction: 'ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1', weight: 1, body: () => []},
	{instruction: 'WORKDIR /home/notechondria', weight: 1, body: () => []},
	{instruction: 'RUN apt-get update && apt-get install -y --no-install-recommends libpq5 gettext && rm -rf /var/lib/apt/lists/*', weight: 14, body: () => [
		out('Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]'),
		out('Get:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]'),
		out('Get:3 http://deb.debian.org/debian-security bookworm-security InRelease [48.0 kB]'),
		out('Get:4 http://deb.debian.org/debian bookworm/main amd64 Packages [8792 kB]'),
		out('Fetched 9105 kB in 2s (4552 kB/s)'),
		out('Reading package lists...'),
		out('Building dependency tree...'),
		out('The following NEW packages will be installed:'),
		out('  gettext libpq5'),
		err('debconf: delaying package configuration, since apt-utils is not installed'),
		out('Setting up libpq5:amd64 (15.8-0+deb12u1) ...'),
		out('Setting up gettext (0.21-12) ...'),
		out('Processing triggers for libc-bin (2.36-9+deb12u9) ...'),
	]},
	{instruction: 'COPY backend/requirements.txt backend/requirements.txt', weight: 1, body: () => []},
	{instruction: 'RUN pip install --upgrade pip', weight: 4, body: () => [
		out('Requirement already satisfied: pip in /usr/local/lib/python3.12/site-packages (24.0)'),
		out('Collecting pip'),
		out('  Downloading pip-24.3.1-py3-none-any.whl.metadata (3.7 kB)'),
		out('Downloading pip-24.3.1-py3-none-any.whl (1.8 MB)'),
		out('   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 1.8/1.8 MB 38.2 MB/s eta 0:00:00'),
		out('Installing collected packages: pip'),
		out('Successfully installed pip-24.3.1'),
		err('WARNING: Running pip as the \'root\' user can result in broken permissions and conflicting behaviour with the system package manager.'),
	]},
	{instruction: 'RUN pip install -r backend/requirements.txt', weight: 40, body: () => [
		...requirements.flatMap(([name, version, size], line) => [
			out(`Collecting ${name}==${version} (from -r backend/requirements.txt (line ${line + 1}))`),
			out(`  Downloading ${name.replaceAll('-', '_')}-${version}-py3-none-any.whl.metadata (4.1 kB)`),
			out(`Downloading ${name.replaceAll('-', '_')}-${version}-py3-none-any.whl (${size})`),
			out(`   ${sgr('38;2;114;156;31')}━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━${sgr('0')} ${sgr('32')}${size.split(' ')[0]!}/${size}${sgr('0')} ${sgr('31')}41.3 MB/s${sgr('0')} eta ${sgr('36')}0:00:00${sgr('0')}`),
		]),
		out(`Installing collected packages: ${requirements.map(([name]) => name).join(', ')}`),
		out(`Successfully installed ${requirements.map(([name, version]) => `${name}-${version}`).join(' ')}`),
	]},
	{instruction: 'COPY backend/ .', weight: 2, body: () => []},
	{instruction: 'RUN python manage.py check --deploy', weight: 4, body: () => [out('System check identified no issues (0 silenced).')]},
	{instruction: 'RUN python manage.py collectstatic --noinput', weight: 12, body: () => [out('412 static files copied to \'/home/notechondria/staticfiles\', 1208 post-processed.')]},
	{instruction: 'RUN useradd --create-home app && chown -R app /home/notechondria', weight: 3, body: () => []},
	{instruction: 'USER app', weight: 1, body: () => []},
	{instruction: 'EXPOSE 8000', weight: 1, body: () => []},
	{instruction: 'CMD gunicorn notechondria.wsgi:application --bind 0.0.0.0:${PORT}', weight: 1, body: () => []},
];

function header(step: number): ScriptLine {
	return out(`Step ${step + 1}/${dockerSteps.length} : ${dockerSteps[step]!.instruction}`);
}

export function stepScript(facts: BuildFacts, step: number): ScriptLine[] {
	const {instruction, body} = dockerSteps[step]!;
	const lines = [header(step)];
	// The classic builder runs every instruction but FROM and COPY in an intermediate container.
	if (!/^(?:FROM|COPY) /.test(instruction)) {
		const container = hexId(facts, step, 20);
		lines.push(out(` ---> Running in ${container}`), ...body(facts, step), out(` ---> Removed intermediate container ${container}`));
	} else {
		lines.push(...body(facts, step));
	}

	lines.push(out(` ---> ${hexId(facts, step, 30)}`));
	return lines;
}

/** Reads "step 9/14 RUN python manage.py check --deploy exited with code 1 (ModuleNotFoundError: ...)". */
export function failedStep(failureReason: string): {step: number; command: string; code: number; error: string} {
	const match = /step (\d+)\/\d+ RUN (.+?) exited with code (\d+)(?: \((.+)\))?/.exec(failureReason);
	const step = Math.min(dockerSteps.length, Math.max(1, Number(match?.[1] ?? 7))) - 1;
	return {
		step,
		command: match?.[2] ?? dockerSteps[step]!.instruction.replace(/^RUN /, ''),
		code: Number(match?.[3] ?? 1),
		error: match?.[4] ?? failureReason,
	};
}

export function failedStepScript(facts: BuildFacts, failureReason: string): ScriptLine[] {
	const {step, command, code, error} = failedStep(failureReason);
	const output: ScriptLine[] = command.includes('pip install')
		? [
			out('Collecting Django==4.2.16 (from -r backend/requirements.txt (line 1))'),
			err('ERROR: Could not find a version that satisfies the requirement pyjwt==9.9.9 (from versions: 2.8.0, 2.9.0, 2.10.0, 2.10.1)'),
			err('ERROR: No matching distribution found for pyjwt==9.9.9'),
			err(`(${error})`),
		]
		: [
			err('Traceback (most recent call last):'),
			err('  File "/home/notechondria/manage.py", line 22, in <module>'),
			err('    main()'),
			err('  File "/home/notechondria/sync/signing.py", line 3, in <module>'),
			err('    import jwt'),
			err(error),
		];
	const container = hexId(facts, step, 20);
	return [
		header(step),
		out(` ---> Running in ${container}`),
		...output,
		err(`The command '/bin/sh -c ${command}' returned a non-zero code: ${code}`),
		err(`Build failed: ${failureReason}`),
	];
}

export function pushScript(facts: BuildFacts): ScriptLine[] {
	const image = hexId(facts, dockerSteps.length - 1, 30);
	return [
		out(`Successfully built ${image}`),
		out(`Successfully tagged ${facts.repository}:${facts.buildId}`),
		out(`The push refers to repository [${facts.repository}]`),
		...[1, 2, 3, 4, 5].map(layer => out(`${hexId(facts, 40, layer * 2)}: Pushed`)),
		out(`${facts.buildId}: digest: sha256:${hexId(facts, 41, 0)}${hexId(facts, 42, 0)}${hexId(facts, 43, 0)}${hexId(facts, 44, 0)}${hexId(facts, 45, 0)}${hexId(facts, 46, 0).slice(0, 4)} size: 2412`),
		out('Image successfully built'),
	];
}
