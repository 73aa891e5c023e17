// Import first in a test file that checks the console without colour: what the entry point does
// for NO_COLOR, before Ink's colour library is loaded.
import process from 'node:process';

process.env.FORCE_COLOR = '0';
