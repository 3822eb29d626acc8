import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createPrivateKey, type webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { readCertificates } from '../cms/index.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import { ConfigError, type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { createSealIdentity, importSealKey, sealManifest } from './domain/evidence-seal.js';

interface LoadedSeal {
  certificateDer: Uint8Array;
  privateKey: webcrypto.CryptoKey;
}

/**
 * The instance seal of evidence packs: EVIDENCE_SEAL_CERT_FILE + EVIDENCE_SEAL_KEY_FILE when configured, else a
 * self-signed identity generated on first use and kept in PostgreSQL with its key sealed (SecretBox), so that
 * every instance on the database seals with the same one.
 */
@Injectable()
export class EvidenceSealService {
  private readonly logger = new Logger('EvidenceSeal');
  private readonly box: SecretBox;
  private seal?: Promise<LoadedSeal>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  /** The detached CMS over the manifest bytes. */
  async sealManifest(manifest: Uint8Array): Promise<Uint8Array> {
    return sealManifest(manifest, await this.load(), new Date());
  }

  /** What relying parties pass to `kezek verify-evidence --seal` (or `openssl cms -verify -CAfile`). */
  async certificatePem(): Promise<string> {
    const der = Buffer.from((await this.load()).certificateDer).toString('base64');
    return `-----BEGIN CERTIFICATE-----\n${der.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  }

  private load(): Promise<LoadedSeal> {
    this.seal ??= (this.config.EVIDENCE_SEAL_CERT_FILE ? this.fromFiles() : this.fromDatabase()).catch((error: unknown) => {
      this.seal = undefined;
      throw error;
    });
    return this.seal;
  }

  private async fromFiles(): Promise<LoadedSeal> {
    const certFile = this.config.EVIDENCE_SEAL_CERT_FILE!;
    const keyFile = this.config.EVIDENCE_SEAL_KEY_FILE!;
    const [certificate] = readCertificates(readFileSync(certFile), 'EVIDENCE_SEAL_CERT_FILE');
    let pkcs8: Buffer;
    try {
      pkcs8 = createPrivateKey(readFileSync(keyFile)).export({ type: 'pkcs8', format: 'der' });
    } catch (error) {
      throw new ConfigError([`EVIDENCE_SEAL_KEY_FILE: ${keyFile} is not a readable private key (${(error as Error).message})`]);
    }
    return { certificateDer: certificate.der, privateKey: await importSealKey(pkcs8) };
  }

  private async fromDatabase(): Promise<LoadedSeal> {
    const read = async () => ((await this.db.query(`SELECT certificate_der, private_key_sealed FROM evidence_seal WHERE id = 1`)) as { certificate_der: Buffer; private_key_sealed: string }[])[0];
    let row = await read();
    if (!row) {
      const created = await createSealIdentity(new URL(this.config.publicBaseUrl).host, new Date());
      await this.db.query(`INSERT INTO evidence_seal (id, certificate_der, private_key_sealed) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`, [
        Buffer.from(created.certificateDer),
        this.box.seal(Buffer.from(created.privateKeyPkcs8).toString('base64')),
      ]);
      row = await read();
      this.logger.log('Generated the evidence seal (a self-signed certificate); set EVIDENCE_SEAL_CERT_FILE and EVIDENCE_SEAL_KEY_FILE to use your own');
    }
    return { certificateDer: row.certificate_der, privateKey: await importSealKey(Buffer.from(this.box.open(row.private_key_sealed), 'base64')) };
  }
}
