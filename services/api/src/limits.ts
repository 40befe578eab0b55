// Apart from app.ts so that the configuration loads without the app (the service's main
// reads it first, to start preloading the index snapshot while the app loads).

/** Largest JSON body, in bytes: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Largest import body, in bytes: 16 MiB (tens of thousands of records). */
export const DEFAULT_IMPORT_LIMIT = 16 * 1024 * 1024;
