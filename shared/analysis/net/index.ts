/** Address classification for the analysis core: pure functions, no I/O. */
export { normalizeIp } from './normalize-ip.ts';
export { isInternal, INTERNAL_RANGES } from './is-internal.ts';
export { CidrSet } from './cidr-set.ts';
export { hostMatchesSuffix } from './host-suffix.ts';
