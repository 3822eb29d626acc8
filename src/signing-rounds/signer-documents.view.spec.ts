import type { LinkView } from './signer-links.service.js';
import { documentsSection, endStateCard } from './signer-documents.view.js';

function view(envelopeStatus: string, signerStatus: string, documentType: 'pdf' | 'xml' = 'pdf'): LinkView {
  return {
    envelope: { id: 'e1', organisationId: 'o1', status: envelopeStatus, documentType, title: 'T' },
    signer: { id: 's1', status: signerStatus },
    documents: [{ id: 'd1', name: '<b>x</b>.pdf', size: 2048, sha256: 'ab' }],
    liveRound: null,
    rounds: [],
  } as unknown as LinkView;
}

describe('signer link page: end states', () => {
  it.each(['en', 'ru', 'kz'] as const)('%s: a sentence for every way an envelope ends, none while it is open', (language) => {
    const sentences = new Set<string>();
    for (const status of ['COMPLETED', 'DECLINED', 'CANCELED', 'EXPIRED', 'FAILED', 'DRAFT']) {
      const card = endStateCard(view(status, 'ACTIVE'), language)!;
      expect(card).toContain(`data-envelope-status="${status}"`);
      sentences.add(card.replace(/<[^>]+>/g, ''));
    }
    expect(sentences.size).toBe(6);
    expect(endStateCard(view('IN_PROGRESS', 'ACTIVE'), language)).toBeNull();
    expect(endStateCard(view('IN_PROGRESS', 'WAITING'), language)).toBeNull();
    expect(endStateCard(view('IN_PROGRESS', 'SIGNED'), language)).toContain('data-state="signed"');
    expect(endStateCard(view('DECLINED', 'DECLINED'), language)).toContain('data-state="declined"');
  });

  it('escapes document names and offers signed copies only when complete', () => {
    const open = documentsSection(view('IN_PROGRESS', 'ACTIVE'), 'tok', 'en', { xml: new Map() });
    expect(open).toContain('&lt;b&gt;x&lt;/b&gt;.pdf');
    expect(open).not.toContain('<b>x</b>');
    expect(open).not.toContain('data-signed-copy');
    const done = documentsSection(view('COMPLETED', 'SIGNED'), 'tok', 'en', { xml: new Map() });
    expect(done).toContain('/s/tok/documents/d1/signed.p7s');
    expect(done).toContain('/s/tok/archive.zip');
  });
});
