import { beforeAll, describe, expect, it } from 'vitest';
import { Gazetteer, mexicanCities } from '../../src/places/gazetteer.js';

let gazetteer: Gazetteer;
beforeAll(() => {
  gazetteer = Gazetteer.load();
  console.info(`gazetteer loaded in ${gazetteer.loadMs.toFixed(0)} ms`);
});

const IZTAPALAPA = 3526683;
const MONTERREY = 3995465;
const JUCHITAN = 3526357;
const CIUDAD_JUAREZ = 4013708;
const OAXACA = 3522507;

describe('Gazetteer.resolve finds the place people name', () => {
  it.each([
    ['estoy en Iztapalapa', IZTAPALAPA, 'Iztapalapa', '09'],
    ['near Monterrey centro', MONTERREY, 'Monterrey', '19'],
    ['vivo en Juchitán', JUCHITAN, 'Juchitán de Zaragoza', '20'],
    ['vivo en juchitan', JUCHITAN, 'Juchitán de Zaragoza', '20'],
    ['VIVO EN JUCHITÁN DE ZARAGOZA, OAX.', JUCHITAN, 'Juchitán de Zaragoza', '20'],
    ['estoy en iztapalpa', IZTAPALAPA, 'Iztapalapa', '09'],
    ['iztapalapaa', IZTAPALAPA, 'Iztapalapa', '09'],
    ['juarez chihuahua', CIUDAD_JUAREZ, 'Juárez', '08'],
    ['ciudad juarez', CIUDAD_JUAREZ, 'Juárez', '08'],
    ['estoy en oaxaca', OAXACA, 'Oaxaca de Juárez', '20'],
    ['donde hay vacunas en oaxaca', OAXACA, 'Oaxaca de Juárez', '20'],
    ['guadalajra', 4005539, 'Guadalajara', '14'],
    ['vivo en chihuaua', 4014338, 'Chihuahua', '08'],
    ['cdmx', 3530597, 'Ciudad de México', '09'],
    ['is there a clinic in mexico city', 3530597, 'Ciudad de México', '09'],
    ['vivo en el estado de mexico', 3515302, 'Toluca de Lerdo', '15'],
    ['around toluca edomex', 3515302, 'Toluca de Lerdo', '15'],
    ['estoy en xalapa ver, donde voy', 3526617, 'Xalapa', '30'],
    ['toy en culiacan sin', 4012176, 'Culiacán', '25'],
    ['estoy en leon gto', undefined, 'León de los Aldama', '11'],
    ['im in la paz bcs', 4000900, 'La Paz', '03'],
    ['durango', 4011743, 'Victoria de Durango', '10'],
    ['where can i get the flu shot in san miguel de allende', undefined, 'San Miguel de Allende', '11'],
    ['vivo en gustavo a. madero', 3514674, 'Gustavo Adolfo Madero', '09'],
    ['soy de neza', 3530589, 'Ciudad Nezahualcoyotl', '15'],
  ])('%s → %s', (text, id, name, stateCode) => {
    const r = gazetteer.resolve(text);
    expect(r.kind).toBe('found');
    if (r.kind !== 'found') return;
    if (id) expect(r.place.id).toBe(id);
    expect(r.place).toMatchObject({ name, stateCode });
  });

  it('narrows a namesake with the state named beside it', () => {
    const r = gazetteer.resolve('san juan nuevo leon');
    expect(r).toMatchObject({
      kind: 'found',
      place: { name: 'San Juan', stateCode: '19', state: 'Nuevo León' },
    });
  });

  it('gives the state capital for a state whose place it does not know', () => {
    const r = gazetteer.resolve('estoy en un ranchito de Zacatecas');
    expect(r).toMatchObject({ kind: 'found', place: { id: 3979844, stateCode: '32' } });
  });
});

describe('Gazetteer.resolve asks when namesakes are of similar size', () => {
  // Cuauhtémoc (CDMX, 532,000) is under 5× Cuauhtémoc (Chihuahua, 114,000): both are real answers.
  it('asks between the Cuauhtémocs, biggest first', () => {
    const r = gazetteer.resolve('cuauhtemoc');
    expect(r.kind).toBe('ambiguous');
    if (r.kind !== 'ambiguous') return;
    expect(r.candidates.length).toBeLessThanOrEqual(4);
    expect(r.candidates.slice(0, 2).map((c) => c.stateCode)).toEqual(['09', '08']);
    const sizes = r.candidates.map((c) => c.population);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('resolves Cuauhtémoc when the state is given', () => {
    expect(gazetteer.resolve('cuauhtemoc chihuahua')).toMatchObject({
      kind: 'found',
      place: { stateCode: '08' },
    });
    expect(gazetteer.resolve('cuauhtemoc cdmx')).toMatchObject({ kind: 'found', place: { stateCode: '09' } });
  });

  it('asks between the port and the capital for "veracruz"', () => {
    const r = gazetteer.resolve('estoy en veracruz');
    expect(r.kind).toBe('ambiguous');
    if (r.kind === 'ambiguous')
      expect(r.candidates.map((c) => c.name).sort()).toEqual(['Veracruz', 'Xalapa']);
  });
});

describe('Gazetteer.resolve finds nothing where no place is named', () => {
  it.each([
    'hola',
    'quiero vacunarme',
    'centro',
    'la',
    'san',
    'el',
    'mexico',
    'estoy en mexico',
    'vivo en la colonia',
    'quiero ver mi cita',
    'son las 5 y no abren',
    'como va a estar el clima',
    'me vacunan igual?',
    'me duele la cabeza y tengo azucar alta',
    'mi mamá no puede respirar y tiene los labios morados',
    'auxilio mi señor se desvanecio y no contesta',
    'me duele mucho el pecho y me cuesta respirar',
    '',
  ])('%j', (text) => {
    expect(gazetteer.resolve(text)).toEqual({ kind: 'none' });
  });
});

describe('Gazetteer lookups', () => {
  it('finds a place by GeoNames id', () => {
    expect(gazetteer.byId(IZTAPALAPA)).toMatchObject({ name: 'Iztapalapa', state: 'Ciudad de México' });
    expect(gazetteer.byId(-1)).toBeUndefined();
  });

  it('has a capital with a population for every state, the GeoNames seat where GeoNames marks one', () => {
    const seats = new Map(
      mexicanCities()
        .filter((c) => c.featureCode === 'PPLA' || c.featureCode === 'PPLC')
        .map((c) => [c.cityId, c.featureCode]),
    );
    for (const state of gazetteer.states.all) {
      const capital = gazetteer.stateCapital(state.code);
      expect(capital, state.name).toBeDefined();
      expect(capital?.stateCode).toBe(state.code);
      expect(capital?.population).toBeGreaterThan(50_000);
      // GeoNames marks Victoria de Durango as a plain PPL; states.json names it.
      if (state.code !== '10') expect(seats.has(capital?.id ?? 0), state.name).toBe(true);
    }
    expect(seats.get(gazetteer.stateCapital('09')?.id ?? 0)).toBe('PPLC');
  });

  it('knows every place alias of states.json, in its own state', () => {
    for (const state of gazetteer.states.all) {
      for (const id of Object.values(state.placeAliases)) {
        expect(gazetteer.byId(id)?.stateCode, `${state.name} ${id}`).toBe(state.code);
      }
    }
  });
});
