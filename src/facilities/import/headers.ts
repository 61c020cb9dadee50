import { DataError } from '../../errors.js';

/**
 * Column headers of the DGIS CLUES catalogue. The layout has had 55, 67 and 68 columns depending on the
 * cut and the export, and the same field has carried different names over the years, so columns are
 * found by normalised name, never by position.
 */

/**
 * Trim, uppercase, strip accents and collapse spaces: "Estatus de operación " → "ESTATUS DE OPERACION".
 * (JavaScript counts a byte-order mark as white space, so a BOM left on the first header goes too.)
 */
export function normalizeName(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).normalize('NFD').replace(/\p{M}/gu, '').replace(/\s+/g, ' ').trim().toUpperCase();
}

/** Our fields and the catalogue names each may appear under, preferred name first. */
const FIELDS = {
  clues: ['CLUES'],
  name: ['NOMBRE DE LA UNIDAD'],
  lat: ['LATITUD'],
  lon: ['LONGITUD'],
  status: ['ESTATUS DE OPERACION'],
  // Only the national layout has it; otherwise the institution is read from the CLUES key.
  institution: ['CLAVE DE LA INSTITUCION'],
  kind: ['NOMBRE TIPO ESTABLECIMIENTO'],
  typology: ['NOMBRE DE TIPOLOGIA'],
  street: ['VIALIDAD'],
  number: ['NUMERO EXTERIOR'],
  colonia: ['ASENTAMIENTO'],
  postalCode: ['CODIGO POSTAL'],
  locality: ['LOCALIDAD', 'NOMBRE DE LA LOCALIDAD'],
  // Layouts from around 2019–2022 spelled these out.
  municipality: ['MUNICIPIO', 'NOMBRE DEL MUNICIPIO'],
  state: ['ENTIDAD', 'NOMBRE DE LA ENTIDAD'],
  phone: ['TELEFONO 1 DEL ESTABLECIMIENTO', 'TELEFONO'],
  phone2: ['TELEFONO 2 DEL ESTABLECIMIENTO'],
} as const satisfies Record<string, readonly string[]>;

export type Field = keyof typeof FIELDS;

/** Without these a row cannot become a unit we can point people to. */
const REQUIRED = ['clues', 'name', 'lat', 'lon', 'status'] as const satisfies readonly Field[];
type RequiredField = (typeof REQUIRED)[number];

/** Where each field is (0-based index into a row's cells); optional fields may be absent. */
export type ColumnMap = Record<RequiredField, number> &
  Partial<Record<Exclude<Field, RequiredField>, number>>;

/** A cell as it comes from csv-parse (string) or exceljs (number, Date, boolean…). */
export type RawValue = string | number | boolean | Date | null | undefined;

/** One catalogue row, by our field names. */
export type RawRow = Partial<Record<Field, RawValue>>;

/** Finds our fields in a header row; throws a DataError naming the missing required columns. */
export function mapColumns(file: string, header: readonly unknown[]): ColumnMap {
  const positions = new Map<string, number>();
  header.forEach((cell, i) => {
    const name = normalizeName(cell);
    // A repeated header keeps its first position, the way a reader scanning left to right would.
    if (name && !positions.has(name)) positions.set(name, i);
  });
  const found: Partial<Record<Field, number>> = {};
  for (const [field, names] of Object.entries(FIELDS) as [Field, readonly string[]][]) {
    const at = names.map((n) => positions.get(n)).find((i) => i !== undefined);
    if (at !== undefined) found[field] = at;
  }
  const missing = REQUIRED.filter((f) => found[f] === undefined).map((f) => `"${FIELDS[f][0]}"`);
  if (missing.length) {
    throw new DataError(
      file,
      'header',
      `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    );
  }
  return found as ColumnMap;
}

/** The cells of one row, by our field names. */
export function pickFields(columns: ColumnMap, cells: readonly RawValue[]): RawRow {
  const row: RawRow = {};
  for (const [field, i] of Object.entries(columns) as [Field, number][]) row[field] = cells[i];
  return row;
}
