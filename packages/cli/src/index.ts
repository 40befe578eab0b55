/** Run the `partnermatch` command in-process (for tests and embedding). */
export { runCli, USAGE, EXIT_OK, EXIT_BAD_INPUT, EXIT_INTERNAL, type CliStreams } from './run.js';
/** Read record files as the command does (core's one reader, problems prefixed with the file). */
export { readRecordsFile, guessKind, InputError } from './io.js';
