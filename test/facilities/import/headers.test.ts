import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/errors.js';
import { mapColumns, normalizeName, pickFields } from '../../../src/facilities/import/headers.js';

const REQUIRED = ['CLUES', 'NOMBRE DE LA UNIDAD', 'LATITUD', 'LONGITUD', 'ESTATUS DE OPERACION'];

describe('header names', () => {
  it.each([
    ['ESTATUS DE OPERACION', 'ESTATUS DE OPERACION'],
    ['  Estatus de  Operación ', 'ESTATUS DE OPERACION'],
    ['\uFEFFCLUES', 'CLUES'],
    ['código postal', 'CODIGO POSTAL'],
    ['NOMBRE\tDE LA\nUNIDAD', 'NOMBRE DE LA UNIDAD'],
    ['Miércoles', 'MIERCOLES'],
    [null, ''],
    [12, '12'],
  ])('%j → %j', (raw, normalized) => {
    expect(normalizeName(raw)).toBe(normalized);
  });
});

describe('column map', () => {
  it('finds fields by name wherever they are, ignoring columns it does not know', () => {
    const header = [
      'LONGITUD',
      'Extra',
      'clues',
      ' Latitud',
      'Nombre de la Unidad',
      'ESTATUS DE OPERACIÓN',
      'VIALIDAD',
    ];
    const columns = mapColumns('f.csv', header);
    expect(columns).toEqual({ lon: 0, clues: 2, lat: 3, name: 4, status: 5, street: 6 });
    expect(
      pickFields(columns, ['-99.1', 'x', 'DFIMS000011', '19.4', 'UMF 1', 'EN OPERACION', 'REFORMA']),
    ).toEqual({
      lon: '-99.1',
      clues: 'DFIMS000011',
      lat: '19.4',
      name: 'UMF 1',
      status: 'EN OPERACION',
      street: 'REFORMA',
    });
  });

  it('does not mistake a key column for the name next to it (CLAVE DE LA ENTIDAD vs ENTIDAD)', () => {
    const columns = mapColumns('f.csv', [
      ...REQUIRED,
      'CLAVE DE LA ENTIDAD',
      'ENTIDAD',
      'CLAVE DEL MUNICIPIO',
      'MUNICIPIO',
    ]);
    expect(columns.state).toBe(6);
    expect(columns.municipality).toBe(8);
  });

  it('accepts the older spelled-out names for state, municipality and locality', () => {
    const columns = mapColumns('f.csv', [
      ...REQUIRED,
      'NOMBRE DE LA ENTIDAD',
      'NOMBRE DEL MUNICIPIO',
      'NOMBRE DE LA LOCALIDAD',
    ]);
    expect(columns).toMatchObject({ state: 5, municipality: 6, locality: 7 });
  });

  it('prefers the current name when both are present', () => {
    const columns = mapColumns('f.csv', [...REQUIRED, 'NOMBRE DEL MUNICIPIO', 'MUNICIPIO']);
    expect(columns.municipality).toBe(6);
  });

  it('treats optional columns as optional', () => {
    const columns = mapColumns('f.csv', REQUIRED);
    expect(Object.keys(columns).sort()).toEqual(['clues', 'lat', 'lon', 'name', 'status']);
  });

  it.each([
    ['LATITUD', 'missing column "LATITUD"'],
    ['ESTATUS DE OPERACION', 'missing column "ESTATUS DE OPERACION"'],
    ['NOMBRE DE LA UNIDAD', 'missing column "NOMBRE DE LA UNIDAD"'],
  ])('without %s throws a DataError naming the file, the header and the column', (column, problem) => {
    const header = REQUIRED.filter((c) => c !== column);
    let error: unknown;
    try {
      mapColumns('catalogo.csv', header);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataError);
    expect(error).toMatchObject({ file: 'catalogo.csv', where: 'header', problem });
  });

  it('names every missing required column at once', () => {
    expect(() => mapColumns('f.csv', ['CLUES', 'NOMBRE DE LA UNIDAD', 'ESTATUS DE OPERACION'])).toThrow(
      'missing columns "LATITUD", "LONGITUD"',
    );
  });
});
