import type { EmergencyFile } from './lexicon.js';

/**
 * Emergency detection runs before anything else, as plain rules on the normalised text: a
 * statistical model must never be the thing that decides whether someone is told to call 911.
 */
export class EmergencyRules {
  private readonly rules: { id: string; patterns: RegExp[] }[];

  constructor(file: EmergencyFile) {
    this.rules = file.rules.map((r) => ({ id: r.id, patterns: r.patterns.map((p) => new RegExp(p)) }));
  }

  /** The id of the first rule that fires, if any. */
  match(normalised: string): string | undefined {
    const text = ` ${normalised} `;
    return this.rules.find((r) => r.patterns.every((p) => p.test(text)))?.id;
  }
}
