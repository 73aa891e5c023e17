// Words of the notechondria world: who calls the API, what they ask for, what their notes are called.

export const clientAddresses = ['127.0.0.1', '10.0.4.12', '10.0.4.17', '10.0.7.3', '10.0.2.41'];

export const userAgents = [
	'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
	'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
	'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
	'python-requests/2.32.3',
	'okhttp/4.12.0',
	'curl/8.7.1',
	'GitHub-Hookshot/8c1e7f2',
];

export type Request = {method: string; path: string; status: number; bytes: number};

const pages = ['1', '2', '3', '7'];
const courses = ['31', '32', '40', '47'];

const note = (dice: number) => 4000 + (dice % 400);

const requests: ReadonlyArray<(dice: number) => Request> = [
	dice => ({method: 'GET', path: `/api/notes/?page=${pages[dice % pages.length]!}`, status: 200, bytes: 5123 + (dice % 900)}),
	dice => ({method: 'GET', path: `/api/notes/${note(dice)}/`, status: 200, bytes: 2210 + (dice % 3000)}),
	dice => ({method: 'GET', path: `/api/courses/${courses[dice % courses.length]!}/notes/`, status: 200, bytes: 8800 + (dice % 4000)}),
	() => ({method: 'GET', path: '/api/planner/week/?start=2026-11-16', status: 200, bytes: 3312}),
	dice => ({method: 'PATCH', path: `/api/notes/${note(dice)}/`, status: 200, bytes: 2301}),
	() => ({method: 'POST', path: '/api/notes/', status: 201, bytes: 1877}),
	dice => ({method: 'DELETE', path: `/api/notes/${note(dice)}/attachments/2/`, status: 204, bytes: 0}),
	() => ({method: 'GET', path: '/static/css/app.9f2c41.css', status: 304, bytes: 0}),
	dice => ({method: 'GET', path: `/api/notes/${note(dice) + 90_000}/`, status: 404, bytes: 58}),
	() => ({method: 'POST', path: '/api/sync/github/push', status: 202, bytes: 31}),
	() => ({method: 'GET', path: '/admin/notes/note/', status: 302, bytes: 0}),
	() => ({method: 'POST', path: '/api/auth/token/refresh/', status: 401, bytes: 83}),
	() => ({method: 'GET', path: '/api/search/?q=limits%20and%20continuity', status: 200, bytes: 4410}),
];

/** A request the frontend, the mobile app or a webhook makes, with a plausible answer. */
export function request(dice: number): Request {
	return requests[(dice >>> 8) % requests.length]!(dice);
}

export const loggers = ['notes.views', 'notes.serializers', 'planner.services', 'courses.views', 'sync.github', 'accounts.casdoor', 'storages.r2'];

export const appMessages: ReadonlyArray<{level: string; msg: string}> = [
	{level: 'info', msg: 'note saved'},
	{level: 'info', msg: 'planner week rendered'},
	{level: 'debug', msg: 'cache hit'},
	{level: 'info', msg: 'github push accepted'},
	{level: 'warning', msg: 'slow query'},
	{level: 'info', msg: 'casdoor shadow login matched'},
	{level: 'error', msg: 'r2 upload failed, retrying'},
	{level: 'info', msg: 'reminder sweep finished'},
];

/** Titles users give their notes: scripts, emoji, combining marks. */
export const noteTitles = [
	'微积分 第三周 — 极限与连续 📚',
	'Ψυχολογία 101: σημειώσεις ✍️',
	'한국어 노트: 문법 정리',
	'ملاحظات المحاضرة الرابعة',
	'जीवविज्ञान के नोट्स',
	'Café naïve résumé — cafe\u0301 with a combining accent',
	'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇ notes',
	'Study group 👩‍💻👨‍👩‍👧‍👦 🇯🇵 🏳️‍🌈 👍🏽',
	'日本語のノート：第２章',
	'Математика: ряды Фурье',
];

export const userNames = ['alice', 'bob', 'José Ñúñez', '山田太郎', 'Zoë Ångström', 'oksana.shevchenko'];
