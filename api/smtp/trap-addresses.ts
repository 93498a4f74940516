import { AppError } from '../../shared/errors/app-error.ts';
import type { IntakeAddresses } from './intake-addresses.ts';
import { intakeDomains, parsePersonalRecipient } from '../../shared/trust/personal-address.ts';

/**
 * The operator's spam-trap addresses (`TRAP_ADDRESSES`, comma-separated): mail the front door
 * itself receives for one of them is a trap hit about the connecting client (docs/intake.md,
 * "Spam traps"). Normalised to lower case. A trap address may not also be an intake address, nor
 * look like a personal reporting address (`report+…@<intake domain>`): a recipient must mean one
 * thing, decided by the envelope alone.
 */
export type TrapAddresses = ReadonlySet<string>;

const ADDRESS = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;

function invalid(message: string): AppError {
  return new AppError('config_invalid', `TRAP_ADDRESSES: ${message}`, { variable: 'TRAP_ADDRESSES' });
}

export function parseTrapAddresses(spec: string | undefined, intake: IntakeAddresses): TrapAddresses {
  const out = new Set<string>();
  const domains = intakeDomains(intake.keys());
  for (const entry of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (entry.length > 254 || !ADDRESS.test(entry)) throw invalid(`"${entry.slice(0, 100)}" is not an email address`);
    const address = entry.toLowerCase();
    if (intake.has(address)) throw invalid(`${address} is also in INTAKE_ADDRESSES; an address is either an intake mailbox or a trap, never both`);
    if (parsePersonalRecipient(address, domains) !== null) {
      throw invalid(`${address} has the form of a personal reporting address (report+…@ an intake domain); choose another local part`);
    }
    out.add(address);
  }
  return out;
}

/** The trap address a recipient names, normalised, or undefined when it is not a trap. */
export function trapFor(traps: TrapAddresses, recipient: string): string | undefined {
  const a = recipient.trim().toLowerCase();
  return traps.has(a) ? a : undefined;
}
