import type { Config } from '../../shared/config/config.schema.ts';

/**
 * The base of every link we hand out (delist URLs, mailed confirmation links). Never built
 * from the request's Host header: a forged Host would put an attacker's site in our mail.
 */
export function publicUrl(config: Config): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

export function delistUrl(config: Config, ip: string): string {
  return `${publicUrl(config)}/sender/delist?ip=${encodeURIComponent(ip)}`;
}
