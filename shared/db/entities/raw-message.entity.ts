import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The bytes of a reported message, stored once however often it is submitted (content-addressed). */
@Entity({ name: 'raw_messages' })
export class RawMessage {
  @PrimaryColumn({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'bytea', select: false })
  content!: Buffer;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
