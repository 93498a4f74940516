import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

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

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
