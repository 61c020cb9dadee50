import { describe, expect, it } from 'vitest';
import { pickOption } from '../../src/runner/options.js';

const menu = [
  { id: 'elig', label: '¿Me toca vacuna?' },
  { id: 'facility', label: '¿Dónde me vacuno?' },
  { id: 'hours', label: 'Horarios y fechas' },
  { id: 'prevention', label: 'Cómo prevenir' },
  { id: 'faq', label: 'Preguntas frecuentes' },
  { id: 'lang:en', label: 'English' },
];
const yesNo = [
  { id: 'yes', label: 'Sí' },
  { id: 'no', label: 'No' },
];

describe('pickOption: answers to a numbered list', () => {
  it.each([
    ['1', menu, 'elig'],
    [' 2. ', menu, 'facility'],
    ['#3', menu, 'hours'],
    ['opción 4', menu, 'prevention'],
    ['la 5 por favor', menu, 'faq'],
    ['uno', menu, 'elig'],
    ['DOS', menu, 'facility'],
    ['tercera', menu, 'hours'],
    ['six', menu, 'lang:en'],
    ['option two', menu, 'facility'],
    ['horarios', menu, 'hours'],
    ['Horario', menu, 'hours'],
    ['preguntas frecuentes', menu, 'faq'],
    ['prevenir', menu, 'prevention'],
    ['donde me vacuno', menu, 'facility'],
    ['english', menu, 'lang:en'],
    ['si', yesNo, 'yes'],
    ['Sí', yesNo, 'yes'],
    ['no', yesNo, 'no'],
  ])('reads %j as an option', (text, offered, id) => {
    expect(pickOption(text, offered)?.id).toBe(id);
  });

  it.each([
    ['7', menu], // out of range: maybe an age, let the NLU read it
    ['65', menu],
    ['04510', menu], // a postal code
    ['me', menu], // a filler word only
    ['tengo 2 hijos', menu],
    ['no puedo respirar', menu], // an emergency must reach the NLU's rules
    ['donde me vacuno si tengo 67 y soy diabetico', menu], // a question, not a choice
    ['1', []], // nothing offered
    ['no', menu],
  ])('leaves %j to the NLU', (text, offered) => {
    expect(pickOption(text, offered)).toBeUndefined();
  });
});
