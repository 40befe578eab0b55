/** Run the `partnermatch` command in-process (for tests and embedding). */
export { runCli, USAGE, EXIT_OK, EXIT_BAD_INPUT, EXIT_INTERNAL, type CliStreams } from './run.js';
/** Read record files (JSON, NDJSON, CSV) as the command does. */
export { readRecords, parseRecords, csvRowToRecord, detectFormat, InputError, type InputFormat } from './io.js';
