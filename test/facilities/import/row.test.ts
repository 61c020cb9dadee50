import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import type { RawRow } from '../../../src/facilities/import/headers.js';
import {
  coordinate,
  institutionFilter,
  institutionOption,
  locate,
  mapRow,
  phone,
  postalCode,
  type RowOptions,
  streetNumber,
  text,
} from '../../../src/facilities/import/row.js';

const SOURCE = 'Secretaría de Salud – DGIS, Catálogo CLUES, corte 202604';
const imss: RowOptions = { institutions: institutionFilter(), source: SOURCE };

/** An ordinary IMSS family-medicine unit in Oaxaca; each case changes what it tests. */
const unit: RawRow = {
  clues: 'OCIMS990011',
  name: 'UNIDAD DE MEDICINA FAMILIAR NO. 904',
  status: 'EN OPERACION',
  kind: 'DE CONSULTA EXTERNA',
  typology: 'UNIDAD DE MEDICINA FAMILIAR',
  street: 'CALZADA MADERO',
  number: '105',
  colonia: 'CENTRO',
  postalCode: '68000',
  locality: 'OAXACA DE JUAREZ',
  municipality: 'OAXACA DE JUAREZ',
  state: 'OAXACA',
  phone: '9515550101',
  lat: '17.0654',
  lon: '-96.7266',
};

describe('a catalogue row', () => {
  it('becomes a unit with every field', () => {
    expect(mapRow(unit, imss)).toEqual({
      row: {
        clues: 'OCIMS990011',
        institution: 'IMS',
        name: 'UNIDAD DE MEDICINA FAMILIAR NO. 904',
        kind: 'DE CONSULTA EXTERNA',
        typology: 'UNIDAD DE MEDICINA FAMILIAR',
        street: 'CALZADA MADERO',
        number: '105',
        colonia: 'CENTRO',
        postalCode: '68000',
        locality: 'OAXACA DE JUAREZ',
        municipality: 'OAXACA DE JUAREZ',
        state: 'OAXACA',
        phone: '9515550101',
        lat: 17.0654,
        lon: -96.7266,
        schedule: null,
        source: SOURCE,
        demo: false,
      },
    });
  });

  it.each<[string, RawRow, string]>([
    ['no key', { clues: '  ' }, 'no CLUES key'],
    ['a key that is not a CLUES key', { clues: 'OC-123' }, 'invalid CLUES key "OC-123"'],
    ['out of operation', { status: 'FUERA DE OPERACION' }, 'not in operation (FUERA DE OPERACION)'],
    ['no status', { status: '' }, 'no operating status'],
    [
      'a warehouse',
      { kind: 'DE APOYO', typology: 'ALMACENES' },
      'does not serve the public (DE APOYO: ALMACENES)',
    ],
    [
      'an office',
      { kind: 'De Apoyo ', typology: 'OFICINAS ADMINISTRATIVAS' },
      'does not serve the public (De Apoyo: OFICINAS ADMINISTRATIVAS)',
    ],
    ['no name', { name: ' ' }, 'no unit name'],
    ['an IMSS-Bienestar unit', { clues: 'HGIMB000011' }, 'institution IMB not selected (importing IMS)'],
    ['no coordinates', { lat: '', lon: '' }, 'no coordinates'],
    ['zero coordinates', { lat: 0, lon: 0 }, 'no coordinates'],
    ['unreadable coordinates', { lat: 'N/D', lon: '-96.7' }, 'no coordinates'],
    [
      'coordinates outside Mexico',
      { lat: '40.4168', lon: '-3.7038' },
      'coordinates outside Mexico (latitude 40.4168, longitude -3.7038)',
    ],
  ])('is skipped when it has %s', (_, change, reason) => {
    const result = mapRow({ ...unit, ...change }, imss);
    expect(result).toMatchObject({ skip: reason });
    // closed units and those not for the public are also removed if an earlier import stored them
    expect('retire' in result).toBe(/not in operation \(|does not serve/.test(reason));
  });

  it('accepts status and kind in any case and with accents', () => {
    expect(mapRow({ ...unit, status: ' en operación ' }, imss)).toHaveProperty('row');
    expect(mapRow({ ...unit, kind: 'DE HOSPITALIZACIÓN' }, imss)).toHaveProperty(
      'row.kind',
      'DE HOSPITALIZACIÓN',
    );
  });

  it('reads the institution from its column when there is one, trimmed, else from the key', () => {
    const all: RowOptions = { institutions: 'all', source: SOURCE };
    expect(mapRow({ ...unit, institution: ' imb ' }, all)).toHaveProperty('row.institution', 'IMB');
    expect(mapRow({ ...unit, clues: 'hgimb000011 ' }, all)).toMatchObject({
      row: { clues: 'HGIMB000011', institution: 'IMB' },
    });
    expect(mapRow({ ...unit, institution: '' }, all)).toHaveProperty('row.institution', 'IMS');
  });

  it('keeps IMSS-Bienestar units when asked for them', () => {
    const bienestar: RowOptions = { institutions: institutionFilter('imss-bienestar'), source: SOURCE };
    expect(mapRow({ ...unit, clues: 'HGIMB000011' }, bienestar)).toHaveProperty('row.institution', 'IMB');
    expect(mapRow({ ...unit, clues: 'OCIMO000011' }, bienestar)).toHaveProperty('row.institution', 'IMO');
    expect(mapRow(unit, bienestar)).toEqual({ skip: 'institution IMS not selected (importing IMB, IMO)' });
  });

  it('uses the second phone when the first is a placeholder', () => {
    expect(mapRow({ ...unit, phone: '0000000000', phone2: '951 555 0202' }, imss)).toHaveProperty(
      'row.phone',
      '9515550202',
    );
  });

  it('takes numbers as exceljs gives them', () => {
    const result = mapRow({ ...unit, postalCode: 6700, phone: 5555550101, lat: 19.42, lon: -99.145 }, imss);
    expect(result).toMatchObject({
      row: { postalCode: '06700', phone: '5555550101', lat: 19.42, lon: -99.145 },
    });
  });
});

describe('coordinates', () => {
  it.each<[string, unknown, unknown, ReturnType<typeof locate>]>([
    ['inside Mexico', '17.0654', '-96.7266', { lat: 17.0654, lon: -96.7266 }],
    ['numbers', 32.5149, -117.0382, { lat: 32.5149, lon: -117.0382 }],
    ['decimal comma', '17,0654', '-96,7266', { lat: 17.0654, lon: -96.7266 }],
    ['swapped', '-96.7266', '17.0654', { lat: 17.0654, lon: -96.7266, fixed: 'swapped latitude/longitude' }],
    [
      'positive longitude',
      '17.0654',
      '96.7266',
      { lat: 17.0654, lon: -96.7266, fixed: 'negated positive longitude' },
    ],
    [
      'swapped, longitude positive',
      '89.6237',
      '20.9674',
      { lat: 20.9674, lon: -89.6237, fixed: 'swapped latitude/longitude and negated longitude' },
    ],
    ['missing', undefined, '-96.7', { skip: 'no coordinates' }],
    ['zero', '0', '-96.7', { skip: 'no coordinates' }],
    ['text', 'SIN DATO', 'SIN DATO', { skip: 'no coordinates' }],
    [
      'south of the border box',
      '10.5',
      '-96.7',
      { skip: 'coordinates outside Mexico (latitude 10.5, longitude -96.7)' },
    ],
    [
      'in the United States',
      '34.05',
      '-118.24',
      { skip: 'coordinates outside Mexico (latitude 34.05, longitude -118.24)' },
    ],
  ])('%s: %j, %j', (_, lat, lon, expected) => {
    expect(locate(lat as never, lon as never)).toEqual(expected);
  });

  it.each([
    ['19.4', 19.4],
    [' -99.1 ', -99.1],
    ['', null],
    [null, null],
    [Number.NaN, null],
    ['abc', null],
  ])('%j reads as %j', (value, expected) => {
    expect(coordinate(value)).toBe(expected);
  });
});

describe('field clean-up', () => {
  it.each([
    ['68000', '68000'],
    ['6700', '06700'],
    [6700, '06700'],
    [1000, '01000'],
    ['C.P. 68000', '68000'],
    ['99999', null],
    [99999, null],
    ['00000', null],
    ['0', null],
    ['', null],
    [null, null],
    ['1234567', null],
  ])('postal code %j → %j', (value, expected) => {
    expect(postalCode(value)).toBe(expected);
  });

  it.each([
    ['SIN NÚMERO', null],
    ['SIN NUMERO', null],
    ['sin número  ', null],
    ['S/N', null],
    ['s/n', null],
    ['S.N.', null],
    ['', null],
    ['48', '48'],
    ['Mz.05  Lote 49 ', 'Mz.05 Lote 49'],
    [1234, '1234'],
  ])('street number %j → %j', (value, expected) => {
    expect(streetNumber(value)).toBe(expected);
  });

  it.each([
    ['9535330233', '9535330233'],
    ['(951) 533-0233', '9515330233'],
    [9535330233, '9535330233'],
    ['722 555 0505 / 722 555 0506', '7225550505'],
    ['0000000000', null],
    ['1111111111', null],
    ['0', null],
    ['12345', null],
    ['', null],
    [null, null],
  ])('phone %j → %j', (value, expected) => {
    expect(phone(value)).toBe(expected);
  });

  it.each([
    ['  AV.  INSURGENTES   SUR ', 'AV. INSURGENTES SUR'],
    ['SERVICIOS DE SALUD IMSS BIENESTAR ', 'SERVICIOS DE SALUD IMSS BIENESTAR'],
    ['   ', null],
    [undefined, null],
    [42, '42'],
  ])('text %j → %j', (value, expected) => {
    expect(text(value)).toBe(expected);
  });
});

describe('--institution', () => {
  it.each<[string | string[], string[] | 'all']>([
    ['imss', ['IMS']],
    ['IMSS', ['IMS']],
    ['imss-bienestar', ['IMB', 'IMO']],
    ['IMSS Bienestar', ['IMB', 'IMO']],
    ['issste', ['IST']],
    ['ssa', ['SSA']],
    ['imss,imss-bienestar', ['IMS', 'IMB', 'IMO']],
    [
      ['IMS', 'ist'],
      ['IMS', 'IST'],
    ],
    ['IMB, IMO', ['IMB', 'IMO']],
    ['all', 'all'],
  ])('%j → %j', (spec, expected) => {
    const filter = institutionFilter(spec);
    expect(filter === 'all' ? 'all' : [...filter]).toEqual(expected);
  });

  it('defaults to IMSS', () => {
    expect([...(institutionFilter() as Set<string>)]).toEqual(['IMS']);
  });

  it.each(['seguro-social', '', 'IMSS2'])('rejects %j with a ConfigError', (spec) => {
    expect(() => institutionFilter(spec)).toThrow(ConfigError);
  });

  it.each<[string[], string]>([
    [['IMB'], 'imss-bienestar'],
    [['IMO', 'IMB'], 'imss-bienestar'],
    [['SMP', 'IST', 'IMS'], 'imss,issste,SMP'],
    [['SMP', 'DIF'], 'DIF,SMP'],
  ])('the value for %j is %j, and it selects them', (codes, option) => {
    expect(institutionOption(codes)).toBe(option);
    const filter = institutionFilter(option);
    expect(filter !== 'all' && codes.every((c) => filter.has(c))).toBe(true);
  });
});
