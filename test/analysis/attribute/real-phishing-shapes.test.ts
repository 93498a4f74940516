import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { analyzeSubmission } from '../../../shared/analysis/analyze.ts';
import { extractMessages } from '../../../shared/analysis/message/extract-messages.ts';
import { compileTenancy } from '../../../shared/tenancy/compile-tenancy.ts';
import { loadTenancyFile } from '../../../shared/tenancy/parse-tenancy.ts';

/**
 * Shapes seen while auditing the core against real phishing received by Outlook.com / Exchange Online
 * (docs/attribution.md, "Audit against real phishing"). Every fixture is hand-written with documentation
 * addresses in the shape of what the real messages showed; no corpus message is copied here.
 */

const demoFile = loadTenancyFile(fileURLToPath(new URL('../../../examples/demo-tenancy.yaml', import.meta.url)));
const DEMO = compileTenancy(demoFile);
/** SpamAssassin's view of the same mailbox: Microsoft's ranges as trusted_networks, no platform. */
const SA_LIKE = compileTenancy({ ...demoFile, platform: { ...demoFile.platform, networks: [], egressNetworks: [], hostnames: [] }, trustedRelays: demoFile.platform.networks });
const fixture = (name: string): Buffer => readFileSync(new URL(`../../fixtures/attribution/${name}`, import.meta.url));

describe('real phishing shapes: classification', () => {
  it('phishing sent through a help desk that threads its own ids (auto-generated, In-Reply-To) is reported', async () => {
    const a = await analyzeSubmission(fixture('phish-notification-thread.eml'), DEMO);
    expect(a.kind).to.equal('direct');
    expect(a.reports).to.have.length(1);
    expect(a.reports[0]!).to.deep.include({ direction: 'inbound', relayIp: '198.51.100.61', originatingIp: '198.51.100.61' });
  });

  it('the same mail answering an id the sender did not mint is still an automatic reply (not reported)', async () => {
    const raw = fixture('phish-notification-thread.eml').toString('utf8').replace('In-Reply-To: <T9K662@desk.example>', 'In-Reply-To: <notice-7@abuse.platform.example>');
    const a = await analyzeSubmission(Buffer.from(raw), DEMO);
    expect(a.kind).to.equal('auto-reply');
    expect(a.reports).to.deep.equal([]);
  });

  it('a References list that mixes the service\'s own ids with one of ours is an automatic reply', () => {
    const raw = fixture('phish-notification-thread.eml').toString('utf8')
      .replace('In-Reply-To: <T9K662@desk.example>', 'References: <T9K662@desk.example> <notice-7@abuse.platform.example>');
    expect(extractMessages(Buffer.from(raw)).kind).to.equal('auto-reply');
  });

  it('an id without a domain is not the sender\'s own: the weak mark on a reply still discards', () => {
    const raw = fixture('phish-notification-thread.eml').toString('utf8').replace('In-Reply-To: <T9K662@desk.example>', 'In-Reply-To: <T9K662>');
    expect(extractMessages(Buffer.from(raw)).kind).to.equal('auto-reply');
  });

  it('webmail spam relayed through another tenant (webmail self-reference + X-Auto-Response-Suppress) is reported, inbound', async () => {
    const a = await analyzeSubmission(fixture('phish-relayed-through-tenant.eml'), DEMO);
    expect(a.kind).to.equal('direct');
    expect(a.reports).to.have.length(1);
    // The relaying tenant's hops and its egress (40.107.20.110) are the platform's; the outside sender is the webmail host.
    expect(a.reports[0]!).to.deep.include({ direction: 'inbound', relayIp: '198.51.100.230', originatingIp: '198.51.100.230', viaPlatform: false, tenant: null });
  });

  it('a localized Outlook forward block (pt-BR) is the reported message, not the forwarder\'s chain', async () => {
    const a = await analyzeSubmission(fixture('phish-localized-forward.eml'), DEMO);
    expect(a.kind).to.equal('forward');
    expect(a.reports).to.have.length(1);
    const r = a.reports[0]!;
    expect(r).to.deep.include({ from: 'lure@lure.example', subject: 'I wish to small talk', direction: 'unknown', relayIp: null });
    expect(r.evidence.join('\n')).to.contain('inline outlook forward block');
  });

  for (const [lang, block] of [
    ['German', ['Von: Lure <lure@lure.example>', 'Gesendet: Mittwoch, 30. August 2023 02:52', 'An: User <user@outlook.example>', 'Betreff: Gewinn']],
    ['French', ['De : Lure <lure@lure.example>', 'Envoyé : mercredi 30 août 2023 02:52', 'À : User <user@outlook.example>', 'Objet : Gain']],
    ['Spanish', ['De: Lure <lure@lure.example>', 'Enviado el: miércoles, 30 de agosto de 2023 2:52', 'Para: User <user@outlook.example>', 'Asunto: Premio']],
  ] as const) {
    it(`reads a ${lang} Outlook forward block`, () => {
      const raw = ['From: User <user@outlook.example>', 'To: abuse@platform.example', 'Subject: WG: prize', 'Date: Sun, 3 Sep 2023 00:53:58 +0000', '', 'see below', '', ...block, '', 'You won.'].join('\n');
      const e = extractMessages(Buffer.from(raw));
      expect(e.kind).to.equal('forward');
      expect(e.messages[0]!.headers.find((h) => h.name === 'from')?.value).to.equal('Lure <lure@lure.example>');
    });
  }

  it('a localized block in a message whose subject is not a forward stays direct (faked reply chains)', () => {
    const raw = ['Received: from x.example (x.example [203.0.113.9]) by mx.example.org; Sun, 3 Sep 2023 00:54:00 +0000', 'From: Lure <lure@lure.example>',
      'To: victim@example.org', 'Subject: Your invoice', 'Date: Sun, 3 Sep 2023 00:53:58 +0000', '', 'Pay now.', '',
      'De: Accounts <ap@example.org>', 'Enviado: quarta-feira, 30 de agosto de 2023 02:52', 'Para: Victim <victim@example.org>', 'Assunto: invoice', '', 'old'].join('\n');
    expect(extractMessages(Buffer.from(raw)).kind).to.equal('direct');
  });
});

describe('real phishing shapes: the walk', () => {
  it('mail received by a mailbox on *.prod.exchangelabs.com servers is inbound; its tenant header names the recipient', async () => {
    const [r] = (await analyzeSubmission(fixture('phish-exchangelabs-mailbox.eml'), DEMO)).reports;
    expect(r!).to.deep.include({ direction: 'inbound', relayIp: '203.0.113.77', viaPlatform: false, tenant: null, tenantConfidence: null, recipientTenant: 'contoso' });
  });

  it('mail received in 2020, with the platform\'s own hops on 2a01:111:e400::/48, is inbound', async () => {
    const [r] = (await analyzeSubmission(fixture('phish-exchange-2020-v6.eml'), DEMO)).reports;
    expect(r!).to.deep.include({ direction: 'inbound', relayIp: '198.51.100.202', viaPlatform: false });
  });

  it('the demo tenancy names exchangelabs.com among the platform host names', () => {
    expect(demoFile.platform.hostnames).to.include('exchangelabs.com');
  });
});

describe('real phishing shapes: SpamAssassin would name the same outside sender', () => {
  for (const name of ['phish-notification-thread.eml', 'phish-relayed-through-tenant.eml', 'phish-exchangelabs-mailbox.eml', 'phish-exchange-2020-v6.eml', 'inbound-exchange.eml']) {
    it(`${name}: our inbound relay is SpamAssassin's first untrusted relay with Microsoft's ranges trusted`, async () => {
      const [ours] = (await analyzeSubmission(fixture(name), DEMO)).reports;
      const [sa] = (await analyzeSubmission(fixture(name), SA_LIKE)).reports;
      expect(ours!.direction).to.equal('inbound');
      expect(sa!.direction).to.equal('foreign');
      expect(ours!.relayIp).to.equal(sa!.relayIp);
    });
  }
});
