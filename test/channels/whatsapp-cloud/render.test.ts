import { describe, expect, it } from 'vitest';
import {
  classifyCloudError,
  GraphApiError,
  OutsideWindowError,
} from '../../../src/channels/whatsapp-cloud/errors.js';
import { referralCode } from '../../../src/channels/whatsapp-cloud/inbound.js';
import { type CloudMessage, renderReplies } from '../../../src/channels/whatsapp-cloud/render.js';
import type { Option } from '../../../src/core/messages.js';
import { isPromoterCode } from '../../../src/core/promoter-code.js';

const words = () => ({ choose: 'Elige una opción:', listButton: 'Ver opciones', listSection: 'Opciones' });
const options = (n: number, label = (i: number) => `Opción ${i}`): Option[] =>
  Array.from({ length: n }, (_, i) => ({ id: `opt:${i}`, label: label(i) }));
const interactive = (m: CloudMessage | undefined) => (m?.type === 'interactive' ? m.interactive : undefined);

describe('rendering replies for the Cloud API', () => {
  it.each([
    [1, 'button'],
    [3, 'button'],
    [4, 'list'],
    [10, 'list'],
  ])('shows %i options as a %s', (n, kind) => {
    const out = renderReplies([{ text: '¿Qué necesitas?', options: options(n) }], words);
    expect(out).toHaveLength(1);
    expect(interactive(out[0])?.type).toBe(kind);
  });

  it('cuts button titles to 20 characters and keeps the ids', () => {
    const out = renderReplies(
      [{ text: 'x', options: options(3, (i) => `Una etiqueta muy larga número ${i}`) }],
      words,
    );
    const it = interactive(out[0]);
    if (it?.type !== 'button') throw new Error('not buttons');
    for (const [i, b] of it.action.buttons.entries()) {
      expect([...b.reply.title].length).toBeLessThanOrEqual(20);
      expect(b.reply.id).toBe(`opt:${i}`);
    }
  });

  it('cuts list row titles to 24 characters and shows the whole label as a description of at most 72', () => {
    const long = 'Vacuna contra el neumococo para adultos mayores de 60 años y personas con diabetes';
    const out = renderReplies(
      [{ text: 'x', options: options(5, (i) => (i === 0 ? long : `Corta ${i}`)) }],
      words,
    );
    const it = interactive(out[0]);
    if (it?.type !== 'list') throw new Error('not a list');
    const [first, second] = it.action.sections[0]?.rows ?? [];
    expect([...(first?.title ?? '')].length).toBeLessThanOrEqual(24);
    expect([...(first?.description ?? '')].length).toBeLessThanOrEqual(72);
    expect(first?.description?.startsWith('Vacuna contra el neumococo')).toBe(true);
    expect(second).toEqual({ id: 'opt:1', title: 'Corta 1' });
    expect(it.action.button).toBe('Ver opciones');
    expect(it.action.sections[0]?.title).toBe('Opciones');
  });

  it('numbers more than 10 options as text, numbering on from earlier replies of the answer', () => {
    const out = renderReplies(
      [
        { text: 'a', options: options(2) },
        { text: 'b', options: options(11) },
      ],
      words,
    );
    expect(interactive(out[0])?.type).toBe('button');
    const text = out[1]?.type === 'text' ? out[1].text.body : '';
    expect(text).toMatch(/^b\n\n3\. Opción 0\n4\. Opción 1/);
    expect(text).toMatch(/13\. Opción 10$/);
  });

  it('sends a long text first and the options under a short prompt when the text exceeds an interactive body', () => {
    const text = 'x'.repeat(1500);
    const out = renderReplies([{ text, options: options(2) }], words);
    expect(out.map((m) => m.type)).toEqual(['text', 'interactive']);
    expect(interactive(out[1])?.body.text).toBe('Elige una opción:');
  });

  it('asks for the location with the interactive location request', () => {
    const out = renderReplies([{ text: '📍 Envíame tu ubicación', requestLocation: true }], words);
    expect(out).toEqual([
      {
        type: 'interactive',
        interactive: {
          type: 'location_request_message',
          body: { text: '📍 Envíame tu ubicación' },
          action: { name: 'send_location' },
        },
      },
    ]);
  });

  it('asks for a link preview only when the text has a link', () => {
    const out = renderReplies([{ text: 'hola' }, { text: 'mapa: https://maps.example/x' }], words);
    expect(out.map((m) => (m.type === 'text' ? m.text.preview_url : undefined))).toEqual([false, true]);
  });
});

describe('classifying Graph API failures', () => {
  it.each([
    ['HTTP 500', new GraphApiError(500, undefined, 'x'), 'transient'],
    ['HTTP 503', new GraphApiError(503, 2, 'x'), 'transient'],
    ['network', new TypeError('fetch failed'), 'transient'],
    ['timeout', new DOMException('timed out', 'TimeoutError'), 'transient'],
    ['130429 throughput', new GraphApiError(400, 130429, 'x'), 'transient'],
    ['80007 account rate', new GraphApiError(400, 80007, 'x'), 'transient'],
    ['131056 pair rate', new GraphApiError(400, 131056, 'x'), 'retry-after'],
    ['131047 window', new GraphApiError(400, 131047, 'x'), 'fatal'],
    ['our window check', new OutsideWindowError(), 'fatal'],
    ['190 token', new GraphApiError(401, 190, 'x'), 'fatal'],
    ['100 bad parameter', new GraphApiError(400, 100, 'x'), 'fatal'],
  ])('%s → %s', (_what, err, kind) => {
    expect(classifyCloudError(err).kind).toBe(kind);
  });
});

describe('Click-to-WhatsApp referral codes', () => {
  it.each(['120208812345678901', '1', '99999999999999999999', '123456789_987654321'])(
    'turns the source id %s into a valid promoter code',
    (id) => {
      const code = referralCode(id);
      expect(code).toMatch(/^AD1-[A-Z]+$/);
      expect(isPromoterCode(code as string)).toBe(true);
    },
  );

  it('writes a numeric ad id in base 26 (A = 0), so it can be turned back', () => {
    expect(referralCode('0')).toBe('AD1-A');
    expect(referralCode('27')).toBe('AD1-BB');
  });
});
