/** Bounds that keep Received parsing linear and small whatever the input. */

/** Characters of one header value we look at; real Received values are well under 1 KiB. */
export const MAX_RECEIVED_CHARS = 8192;
/** Longest value we keep for a single field (host names are at most 255 octets). */
export const MAX_FIELD_CHARS = 255;
/** Longest auth description we keep (e.g. `Authenticated sender: …`). */
export const MAX_AUTH_CHARS = 200;
