import { describe, expect, it } from 'vitest';
import { renderReplies } from '../../../src/channels/whatsapp/render.js';
import { Location } from '../../../src/channels/whatsapp/wwebjs.js';

const unit = {
  id: 'DFIMS000001',
  name: 'UMF 1',
  address: 'Av. Cuauhtémoc 330, Doctores',
  lat: 19.42,
  lon: -99.15,
};

describe('renderReplies: the core replies as WhatsApp messages', () => {
  it('numbers options under the text, continuing across the replies of one answer', () => {
    const out = renderReplies([
      { text: 'Elige:', options: [{ id: 'a', label: 'Uno' }] },
      {
        text: '¿O esto?',
        options: [
          { id: 'b', label: 'Dos' },
          { id: 'c', label: 'Tres' },
        ],
      },
    ]);
    expect(out.messages).toEqual(['Elige:\n\n1. Uno', '¿O esto?\n\n2. Dos\n3. Tres']);
    expect(out.offered.map((o) => o.id)).toEqual(['a', 'b', 'c']);
  });

  it('sends a location as a pin after its text, named and with the unit address, the menu last', () => {
    const out = renderReplies([
      { text: 'Las unidades más cercanas:', facilities: [{ ...unit, distance_km: 1.2, open_now: true }] },
      {
        text: '1. UMF 1 · a 1.2 km',
        location: { lat: unit.lat, lon: unit.lon, title: unit.name },
        options: [{ id: 'hours', label: 'Horarios' }],
      },
    ]);
    expect(out.messages).toHaveLength(4);
    const pin = out.messages[2];
    expect(pin).toBeInstanceOf(Location);
    expect(pin).toMatchObject({ latitude: 19.42, longitude: -99.15, name: 'UMF 1', address: unit.address });
    expect(out.messages[3]).toBe('1. Horarios');
  });

  it('sends nothing for an empty reply', () => {
    expect(renderReplies([{ text: '' }]).messages).toEqual([]);
  });
});
