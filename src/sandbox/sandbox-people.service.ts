import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { certificatePem, createSandboxCa, importPrivateKey, issuePersonCertificate, subjectKey, type KeyAndCertificate } from './domain/certificates.js';
import type { Signer } from './domain/cms-sign.js';
import { isIinFormat } from '../cms/iin.js';
import { nameForIin, type PersonName } from './domain/kazakh-names.js';
import { SandboxCa, SandboxCertificate, SandboxPerson } from './sandbox.entities.js';
import { SandboxClock } from './sandbox-clock.js';

/**
 * The sandbox's stand-ins for the state register and the certification authority: names per IIN
 * (registered, or derived deterministically), the sandbox CA, and one certificate and key per IIN,
 * all persisted and reused.
 */
@Injectable()
export class SandboxPeopleService {
  private caPromise?: Promise<KeyAndCertificate>;
  /** The CA key is sealed at rest: whoever reads the database alone cannot issue trusted sandbox certificates. */
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: SandboxClock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  async nameOf(iin: string): Promise<PersonName & { registered: boolean }> {
    const row = await this.db.getRepository(SandboxPerson).findOneBy({ iin });
    if (row) return { surname: row.surname, givenName: row.givenName, patronymic: row.patronymic, registered: true };
    return { ...nameForIin(iin), registered: false };
  }

  async register(iin: string, name: PersonName): Promise<PersonName> {
    if (!isIinFormat(iin)) throw new AppError('VALIDATION_FAILED', 'iin: 12 digits');
    const clean = {
      surname: name.surname.trim().toLocaleUpperCase('kk-KZ'),
      givenName: name.givenName.trim().toLocaleUpperCase('kk-KZ'),
      patronymic: (name.patronymic ?? '').trim().toLocaleUpperCase('kk-KZ'),
    };
    await this.db.query(
      `INSERT INTO sandbox.person (iin, surname, given_name, patronymic) VALUES ($1, $2, $3, $4)
       ON CONFLICT (iin) DO UPDATE SET surname = $2, given_name = $3, patronymic = $4, updated_at = now()`,
      [iin, clean.surname, clean.givenName, clean.patronymic],
    );
    return clean;
  }

  /** The sandbox CA, generated and stored on first use (several instances agree on the first one stored). */
  ca(): Promise<KeyAndCertificate> {
    this.caPromise ??= this.loadOrCreateCa().catch((error: unknown) => {
      this.caPromise = undefined;
      throw error;
    });
    return this.caPromise;
  }

  async caPem(): Promise<string> {
    return certificatePem((await this.ca()).certificateDer);
  }

  private async loadOrCreateCa(): Promise<KeyAndCertificate> {
    const repository = this.db.getRepository(SandboxCa);
    const existing = await repository.findOneBy({ id: 1 });
    if (existing) return this.openCa(existing);
    const created = await createSandboxCa(new Date());
    await this.db.query(`INSERT INTO sandbox.ca (id, certificate_der, private_key_sealed) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`, [
      Buffer.from(created.certificateDer),
      this.box.seal(Buffer.from(created.privateKeyPkcs8).toString('base64')),
    ]);
    return this.openCa(await repository.findOneByOrFail({ id: 1 }));
  }

  private openCa(row: SandboxCa): KeyAndCertificate {
    return { certificateDer: row.certificateDer, privateKeyPkcs8: Buffer.from(this.box.open(row.privateKeySealed), 'base64') };
  }

  /** The signing identity of an IIN: its stored certificate, or a new one when none exists, the name changed or it expired. */
  async signerFor(iin: string): Promise<Signer> {
    const name = await this.nameOf(iin);
    const key = subjectKey(iin, name);
    const repository = this.db.getRepository(SandboxCertificate);
    let row = await repository.findOneBy({ iin });
    const now = this.clock.now();
    if (!row || row.subjectKey !== key || row.notAfter.getTime() < now.getTime() + 24 * 3600_000) {
      const issued = await issuePersonCertificate(await this.ca(), iin, name, now);
      await this.db.query(
        `INSERT INTO sandbox.certificate (iin, subject_key, certificate_der, private_key_pkcs8, not_after) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (iin) DO UPDATE SET subject_key = $2, certificate_der = $3, private_key_pkcs8 = $4, not_after = $5, created_at = now()
         WHERE sandbox.certificate.subject_key IS DISTINCT FROM $2 OR sandbox.certificate.not_after < $6`,
        [iin, key, Buffer.from(issued.certificateDer), Buffer.from(issued.privateKeyPkcs8), issued.notAfter, new Date(now.getTime() + 24 * 3600_000)],
      );
      row = await repository.findOneByOrFail({ iin });
    }
    return { certificateDer: row.certificateDer, privateKey: await importPrivateKey(row.privateKeyPkcs8) };
  }
}
