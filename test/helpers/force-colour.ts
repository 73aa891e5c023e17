// Import first in a test file that checks colours: Ink's colour library decides at import time,
// and a test worker's stdout is a pipe, which would otherwise switch colours off.
import process from 'node:process';

process.env.FORCE_COLOR = '1';
