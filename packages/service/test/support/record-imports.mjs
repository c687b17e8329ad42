// A preload (node --import) that appends every module URL the process resolves to the file
// named by RECORD_IMPORTS, so a test can tell what a process loaded. Node's resolve hook runs
// on a thread of its own; it writes each URL as one line.
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url, { data: { file: process.env.RECORD_IMPORTS } });
