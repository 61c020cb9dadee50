import { describe, expect, it } from 'vitest';
import { renderReply, type TelegramOp } from '../../../src/channels/telegram/render.js';

const label = () => 'Enviar mi ubicación';
const messages = (ops: TelegramOp[]) => ops.flatMap((op) => (op.method === 'sendMessage' ? [op] : []));

describe('a core reply as Telegram calls', () => {
  it('escapes the text for HTML parse mode', () => {
    const [op] = messages(renderReply({ text: 'Dosis <1> & más > nada' }, label));
    expect(op?.text).toBe('Dosis &lt;1&gt; &amp; más &gt; nada');
    expect(op?.extra.parse_mode).toBe('HTML');
  });

  it('splits a long text under 4096 characters, at line breaks, with the buttons on the last part', () => {
    const line = `${'palabra '.repeat(12)}\n`;
    const text = line.repeat(100); // ~9,700 characters
    const ops = messages(
      renderReply({ text, options: [{ id: 'faq', label: 'Preguntas frecuentes' }] }, label),
    );
    expect(ops.length).toBe(3);
    for (const op of ops) expect(op.text.length).toBeLessThanOrEqual(4096);
    for (const op of ops.slice(0, -1)) expect(op.extra.reply_markup).toBeUndefined();
    expect(ops.at(-1)?.extra.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Preguntas frecuentes', callback_data: 'faq' }]],
    });
    expect(ops.map((op) => op.text).join('\n')).toBe(text); // rejoined where it was cut: nothing lost
  });

  it('leaves out a button whose callback data would pass 64 bytes', () => {
    const [op] = messages(
      renderReply(
        {
          text: 'Elige',
          options: [
            { id: 'ok', label: 'Sí' },
            { id: 'x'.repeat(65), label: 'Demasiado largo' },
          ],
        },
        label,
      ),
    );
    expect(op?.extra.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Sí', callback_data: 'ok' }]] });
  });

  it('turns link previews off only for texts with something like a link', () => {
    const [plain] = messages(renderReply({ text: 'Las vacunas son gratuitas.' }, label));
    expect(plain?.extra.link_preview_options).toBeUndefined();
    for (const text of [
      'Mapa: https://www.google.com/maps/search/?api=1&query=19.4,-99.1',
      'Más en imss.gob.mx',
    ]) {
      const [linked] = messages(renderReply({ text }, label));
      expect(linked?.extra.link_preview_options).toEqual({ is_disabled: true });
    }
  });

  it('asks for the location with a one-time reply keyboard button', () => {
    const [op] = messages(renderReply({ text: '¿Dónde estás?', requestLocation: true }, label));
    expect(op?.extra.reply_markup).toEqual({
      keyboard: [[{ text: 'Enviar mi ubicación', request_location: true }]],
      resize_keyboard: true,
      one_time_keyboard: true,
    });
  });

  it('sends a unit as a venue, and a bare point as a location pin', () => {
    const venue = renderReply(
      { text: '', location: { lat: 19.4, lon: -99.1, title: 'UMF 1', address: 'Av. Uno 1' } },
      label,
    );
    expect(venue).toEqual([
      { method: 'sendVenue', lat: 19.4, lon: -99.1, title: 'UMF 1', address: 'Av. Uno 1' },
    ]);
    expect(renderReply({ text: '', location: { lat: 19.4, lon: -99.1 } }, label)).toEqual([
      { method: 'sendLocation', lat: 19.4, lon: -99.1 },
    ]);
  });
});
