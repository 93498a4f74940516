import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A platform tenant, as imported from the tenancy file (`abuse-intake tenancy import`). */
@Entity({ name: 'tenants' })
export class TenantRow {
  /** The tenancy file's `id` (e.g. `contoso`); reports.tenant_id holds it. */
  @PrimaryColumn({ type: 'varchar', length: 100 })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'external_ids', type: 'text', array: true })
  externalIds!: string[];

  @Column({ type: 'text', array: true })
  domains!: string[];

  /** Dedicated egress networks (CIDR text). */
  @Column({ type: 'inet', array: true })
  networks!: string[];

  @Column({ name: 'abuse_contact', type: 'text', nullable: true })
  abuseContact!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
