import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ReporterTrust } from '../../trust/reporter-trust.ts';

export const API_ROLES = ['intake', 'analyst', 'admin', 'platform'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** An API key: `ak_<id>_<secret>`; only SHA-256 of the secret is kept (see shared/auth/api-keys.ts). */
@Entity({ name: 'api_keys' })
export class ApiKey {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: ApiRole;

  @Column({ type: 'text', nullable: true })
  label!: string | null;

  @Column({ name: 'secret_sha256', type: 'char', length: 64, select: false })
  secretSha256!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** How much an intake through this key is trusted (docs/reputation.md); `feed` exactly when bound to a feedback loop. */
  @Column({ type: 'varchar', length: 16, default: 'platform' })
  trust!: ReporterTrust;

  /** The tenancy's feedback loop this key is bound to, or null. */
  @Column({ name: 'feedback_loop', type: 'text', nullable: true })
  feedbackLoop!: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
