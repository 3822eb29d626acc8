import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RoundArchive } from '../archives/round-archive.entity.js';
import { AuditService, type AuditTrail } from '../audit/audit.service.js';
import { verifyCms } from '../cms/index.js';
import { AppError } from '../common/errors/app-error.js';
import type { Actor } from '../common/http/actor.js';
import { encodeKeysetCursor, keysetPage, sortKeySql } from '../common/http/keyset-page.js';
import type { EnvelopeViewDto } from '../envelopes/dto/envelope-view.dto.js';
import { DocumentSignature } from '../envelopes/entities/document-signature.entity.js';
import { EnvelopePresenter } from '../envelopes/envelope.presenter.js';
import { EnvelopesService } from '../envelopes/envelopes.service.js';
import { certificateFromEvidencePack } from '../notifications/certificate-attachment.js';
import { EvidencePackService } from '../evidence/evidence-pack.service.js';
import { UsersService } from '../users/users.service.js';
import { containsPattern, type EnvelopeFilter } from './domain/envelope-filter.js';

export const PAGE_SIZE = 25;
/** The CSV export stops here: one request never reads an unbounded number of rows. */
export const CSV_MAX_ROWS = 5000;

export interface EnvelopeRow {
  id: string;
  title: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  senderId: string | null;
  signers: { fullName: string; status: string }[];
}

/** Who signed a document according to the certificate in the CMS, beside the name the sender typed. */
export interface CertificateIdentity {
  iin: string | null;
  commonName: string | null;
  /** NCA certificates keep the patronymic in GIVENNAME (CN is surname and name). */
  patronymic: string | null;
  documentName: string;
}

export interface EnvelopeDetail {
  view: EnvelopeViewDto;
  certificates: Map<string, CertificateIdentity[]>;
  trail: AuditTrail | null;
  archives: { id: string; sessionId: string; status: string; size: number | null; sha256: string | null }[];
  names: Map<string, string>;
}

export interface Dashboard {
  byStatus: Record<string, number>;
  /** Active signers of envelopes in progress, longest wait first. */
  waiting: { envelopeId: string; title: string; signer: string; since: Date | null }[];
  medianSecondsToComplete: number | null;
  /** The last 30 days, oldest first. */
  perDay: { day: string; n: number }[];
}

interface RawRow {
  sort_key: string;
  id: string;
  title: string;
  status: string;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
  sender_id: string | null;
  signers: { fullName: string; status: string }[] | null;
}

/**
 * What the console reads about envelopes. Every query names the organisation; an envelope of another
 * organisation is "not found", like through the API.
 */
@Injectable()
export class ConsoleEnvelopesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly envelopes: EnvelopesService,
    private readonly presenter: EnvelopePresenter,
    private readonly audit: AuditService,
    private readonly evidence: EvidencePackService,
    private readonly users: UsersService,
  ) {}

  /** One page of the filtered list, keyset-paged on the sort column and id. */
  async list(organisationId: string, filter: EnvelopeFilter, limit = PAGE_SIZE): Promise<{ items: EnvelopeRow[]; nextCursor: string | null }> {
    const column = filter.sort === 'updated_desc' ? 'e.updated_at' : 'e.created_at';
    const direction = filter.sort === 'created_asc' ? 'ASC' : 'DESC';
    const params: unknown[] = [organisationId];
    const where = ['e.organisation_id = $1'];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.status !== 'all') add((p) => `e.status = ${p}`, filter.status);
    if (filter.q) {
      if (/^\d{12}$/.test(filter.q)) add((p) => `EXISTS (SELECT 1 FROM signer s WHERE s.envelope_id = e.id AND s.organisation_id = e.organisation_id AND s.iin = ${p})`, filter.q);
      else add((p) => `(e.title ILIKE ${p} OR EXISTS (SELECT 1 FROM signer s WHERE s.envelope_id = e.id AND s.full_name ILIKE ${p}))`, containsPattern(filter.q));
    }
    if (filter.from) add((p) => `e.created_at >= ${p}::date`, filter.from);
    if (filter.to) add((p) => `e.created_at < (${p}::date + 1)`, filter.to);
    if (filter.sender) add((p) => `created.actor->>'id' = ${p}`, filter.sender);
    if (filter.cursor) {
      params.push(filter.cursor.at, filter.cursor.id);
      const op = direction === 'ASC' ? '>' : '<';
      where.push(`(${column}, e.id) ${op} ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    // updated_at keeps microseconds: the cursor carries the sort column as PostgreSQL's text, not a Date.
    const rows = (await this.db.query(
      `SELECT ${sortKeySql(column)} AS sort_key, e.id, e.title, e.status, e.created_at, e.updated_at, e.finished_at, created.actor->>'id' AS sender_id,
              (SELECT json_agg(json_build_object('fullName', s.full_name, 'status', s.status) ORDER BY s.position) FROM signer s WHERE s.envelope_id = e.id) AS signers
         FROM envelope e
         LEFT JOIN audit_event created ON created.envelope_id = e.id AND created.seq = 1
        WHERE ${where.join(' AND ')}
        ORDER BY ${column} ${direction}, e.id ${direction}
        LIMIT $${params.length}`,
      params,
    )) as RawRow[];
    const page = keysetPage(rows, limit, (last) => encodeKeysetCursor({ at: last.sort_key, id: last.id }));
    const items = page.items.map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      finishedAt: r.finished_at,
      senderId: r.sender_id,
      signers: r.signers ?? [],
    }));
    return { items, nextCursor: page.nextCursor };
  }

  /** The dashboard's figures: a handful of aggregate queries, each bounded. */
  async dashboard(organisationId: string): Promise<Dashboard> {
    const [byStatus, waiting, median, perDay] = await Promise.all([
      this.db.query(`SELECT status, count(*)::int AS n FROM envelope WHERE organisation_id = $1 GROUP BY status`, [organisationId]) as Promise<{ status: string; n: number }[]>,
      this.db.query(
        `SELECT e.id AS envelope_id, e.title, s.full_name, s.activated_at
           FROM signer s JOIN envelope e ON e.id = s.envelope_id
          WHERE s.organisation_id = $1 AND e.status = 'IN_PROGRESS' AND s.status = 'ACTIVE'
          ORDER BY s.activated_at ASC NULLS LAST LIMIT 20`,
        [organisationId],
      ) as Promise<{ envelope_id: string; title: string; full_name: string; activated_at: Date | null }[]>,
      this.db.query(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - sent_at)) AS seconds
           FROM envelope WHERE organisation_id = $1 AND status = 'COMPLETED' AND sent_at IS NOT NULL AND finished_at IS NOT NULL`,
        [organisationId],
      ) as Promise<{ seconds: number | null }[]>,
      this.db.query(
        `SELECT to_char(d, 'YYYY-MM-DD') AS day, count(e.id)::int AS n
           FROM generate_series((now() AT TIME ZONE 'UTC')::date - 29, (now() AT TIME ZONE 'UTC')::date, interval '1 day') AS d
           LEFT JOIN envelope e ON e.organisation_id = $1 AND (e.created_at AT TIME ZONE 'UTC')::date = d::date
          GROUP BY d ORDER BY d`,
        [organisationId],
      ) as Promise<{ day: string; n: number }[]>,
    ]);
    return {
      byStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
      waiting: waiting.map((w) => ({ envelopeId: w.envelope_id, title: w.title, signer: w.full_name, since: w.activated_at })),
      medianSecondsToComplete: median[0]?.seconds === null || median[0]?.seconds === undefined ? null : Number(median[0].seconds),
      perDay,
    };
  }

  async detail(organisationId: string, envelopeId: string): Promise<EnvelopeDetail> {
    const envelope = await this.envelopes.get(organisationId, envelopeId);
    const view = await this.presenter.view(envelope);
    const certificates = new Map<string, CertificateIdentity[]>();
    for (const document of view.documents) {
      const latest = await this.db.getRepository(DocumentSignature).findOne({ where: { documentId: document.id, organisationId }, order: { routingOrder: 'DESC' } });
      if (!latest) continue;
      // Identity only: who the certificates name. The verdict on trust is the evidence pack's and /verify's.
      const report = await verifyCms(latest.cms);
      for (const signature of report.signatures) {
        const iin = signature.signer?.iin ?? null;
        if (!iin) continue;
        const list = certificates.get(iin) ?? [];
        list.push({ iin, commonName: signature.signer?.commonName ?? null, patronymic: signature.signer?.givenName ?? null, documentName: document.name });
        certificates.set(iin, list);
      }
    }
    const [trail, archives, names] = await Promise.all([
      this.audit.list(organisationId, envelopeId).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'AUDIT_TRAIL_NOT_FOUND') return null;
        throw error;
      }),
      this.db.getRepository(RoundArchive).find({ where: { organisationId, envelopeId }, order: { createdAt: 'ASC' } }),
      this.users.actorNames(organisationId),
    ]);
    return {
      view,
      certificates,
      trail,
      archives: archives.map((a) => ({ id: a.id, sessionId: a.sessionId, status: a.status, size: a.size, sha256: a.sha256 })),
      names,
    };
  }

  async archiveZip(organisationId: string, envelopeId: string, archiveId: string): Promise<{ zip: Buffer; fileName: string }> {
    const archive = await this.db
      .getRepository(RoundArchive)
      .createQueryBuilder('a')
      .addSelect('a.zip')
      .where('a.id = :archiveId AND a.envelope_id = :envelopeId AND a.organisation_id = :organisationId', { archiveId, envelopeId, organisationId })
      .getOne();
    if (!archive?.zip) throw new AppError('NOT_FOUND', 'No stored archive copy with this id');
    return { zip: archive.zip, fileName: `archive-${archive.sessionId.replace(/[^\w-]/g, '_')}.zip` };
  }

  /** The certificate of completion, taken from a freshly built evidence pack (the export is recorded). */
  async certificateOfCompletion(organisationId: string, envelopeId: string, actor: Actor): Promise<Buffer> {
    const { zip } = await this.evidence.build(organisationId, envelopeId, actor);
    return certificateFromEvidencePack(zip);
  }
}
