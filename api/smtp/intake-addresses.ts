import { AppError } from '../../shared/errors/app-error.ts';

/**
 * The intake mailboxes and the category each one files reports under.
 * `INTAKE_ADDRESSES` is a comma-separated list of `address[=category]`. Without `=category` the
 * local part decides: `fbl`/`feedback`/`arf` → `feedback-loop`, anything else → the local part
 * itself (so `spam@` → `spam`, `abuse@` → `abuse`, `phishing@` → `phishing`).
 */
export type IntakeAddresses = ReadonlyMap<string, string>;

const FEEDBACK_LOCAL_PARTS = new Set(['fbl', 'feedback', 'feedback-loop', 'arf']);
const ADDRESS = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;
const CATEGORY = /^[a-z0-9-]{1,32}$/;

export function parseIntakeAddresses(spec: string): IntakeAddresses {
  const out = new Map<string, string>();
  for (const entry of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [addressPart, categoryPart] = entry.split('=', 2).map((s) => s.trim()) as [string, string | undefined];
    const address = addressPart.toLowerCase();
    if (!ADDRESS.test(address)) {
      throw new AppError('config_invalid', `INTAKE_ADDRESSES: "${addressPart}" is not an email address`, { variable: 'INTAKE_ADDRESSES' });
    }
    const local = address.slice(0, address.lastIndexOf('@'));
    const category = categoryPart?.toLowerCase() ?? (FEEDBACK_LOCAL_PARTS.has(local) ? 'feedback-loop' : local);
    if (!CATEGORY.test(category)) {
      throw new AppError('config_invalid', `INTAKE_ADDRESSES: category "${category}" must be 1-32 of a-z 0-9 -`, { variable: 'INTAKE_ADDRESSES' });
    }
    out.set(address, category);
  }
  if (out.size === 0) throw new AppError('config_invalid', 'INTAKE_ADDRESSES names no address', { variable: 'INTAKE_ADDRESSES' });
  return out;
}

/** The category for a recipient, or undefined when it is not one of ours (→ 550, never relay). */
export function categoryFor(addresses: IntakeAddresses, recipient: string): string | undefined {
  return addresses.get(recipient.trim().toLowerCase());
}
