import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReport } from '../../src/db/stats.js';
import { promoterLinks } from '../../src/promoters/links.js';
import { hashUser } from '../../src/storage/keys.js';
import { PERSON, text } from '../channels/whatsapp/fixtures.js';
import { translate, World } from '../channels/whatsapp/world.js';

/** The WhatsApp channel as it runs (real whatsapp-web.js Client, fake WhatsApp Web page). */
const ADMIN = '5215555550199@c.us';
const OTHER = '5215555550177@c.us';
let world: World;

beforeAll(async () => {
  world = new World({ adminIds: [`whatsapp:${ADMIN}`] });
  await world.start();
});
afterAll(() => world.close());

describe('WhatsApp: promoter links and /report', () => {
  it('records the referral of a person who sends the first message of a promoter link', async () => {
    const links = promoterLinks('PROMO-01', { whatsappNumber: '5215555550100' });
    const first = new URL(links.whatsapp as string).searchParams.get('text') as string;
    const sent = await world.say(PERSON, first, text);
    expect(sent[0]).toMatch(/Soy VacunaBot/);
    await world.say(PERSON, first, text); // sent twice: still one referral
    await world.app.stats.flush();
    const rows = world.app.db.prepare('SELECT * FROM referrals').all();
    expect(rows).toEqual([
      {
        user_hash: hashUser('test-salt-0123456789abcdef', 'whatsapp', PERSON),
        code: 'PROMO-01',
        channel: 'whatsapp',
        day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      },
    ]);
    expect(world.sessionStates().some((s) => s.promoterCode === 'PROMO-01')).toBe(true);
  });

  it('answers /report or "reporte" to an admin, and treats it as any text from anyone else', async () => {
    await world.say(OTHER, 'quien gano el partido, llamame al 55 1234 5678', text);
    const refused = await world.say(OTHER, '/report', text);
    expect(refused.join('\n')).toMatch(/no entendí/);
    expect(refused.join('\n')).not.toMatch(/📊|Mensajes respondidos/);

    const [summary, ...more] = await world.say(ADMIN, 'reporte', text);
    expect(more).toEqual([]);
    const t = translate('es');
    expect(summary).toContain(t('report.messages', { count: 4 }));
    expect(summary).toContain('whatsapp 4');
    expect(summary).toContain('PROMO-01 1');
    expect(summary).toContain('«quien gano el partido, llamame al [número]» ×1');
    expect(summary).toContain('«/report» ×1');
    for (const id of ['5215555550123', '5215555550177', '5215555550199', '1234 5678', '@c.us']) {
      expect(summary).not.toContain(id);
    }
    expect(await world.say(ADMIN, '/report', text)).toHaveLength(1);
    // the admin's /report is not counted as a message the bot answered
    await world.app.stats.flush();
    expect(readReport(world.app.db).messages.reduce((n, r) => n + r.messages, 0)).toBe(4);
  });
});
