import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The sandbox's tables live in their own PostgreSQL schema, apart from Kezek's. */
const schema = 'sandbox';

/** A person known to the sandbox's "state database": a registered name for an IIN. */
@Entity({ name: 'person', schema })
export class SandboxPerson {
  @PrimaryColumn('char', { length: 12 }) iin: string;
  @Column('text') surname: string;
  @Column('text', { name: 'given_name' }) givenName: string;
  @Column('text') patronymic: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}
