import { fileURLToPath } from 'node:url';
import { loadTenancyFile } from '../../../shared/tenancy/parse-tenancy.ts';
import { compileTenancy } from '../../../shared/tenancy/compile-tenancy.ts';
import type { Hop } from '../../../shared/analysis/types.ts';

export const CONTOSO_TENANCY_FILE = fileURLToPath(new URL('../../fixtures/attribution/contoso-tenancy.yaml', import.meta.url));
export const CONTOSO_ID = '5f6c8a1e-2b3d-4c7e-9a10-8e2f4b6d1c37';
export const FABRIKAM_ID = '9d3e1c52-7a4b-4f08-b6e1-2c5d8f9a0b14';

export function contosoTenancy() {
  return compileTenancy(loadTenancyFile(CONTOSO_TENANCY_FILE));
}

/** A hand-built hop: only the fields the walk reads matter (ip, by). */
export function hop(index: number, ip: string | null, by: string | null = 'mx.example.net'): Hop {
  return { index, ip, by, rdns: null, helo: null, protocol: 'ESMTP', id: null, auth: null, for: null, date: null, format: 'generic', raw: `from x ([${ip}]) by ${by}` };
}

export function chain(...spec: [string | null, string?][]): Hop[] {
  return spec.map(([ip, by], i) => hop(i, ip, by ?? 'mx.example.net'));
}
