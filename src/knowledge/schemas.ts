import { z } from 'zod';

/** Every user-facing content entry exists in both languages. */
export const Bilingual = z.object({ es: z.string().trim().min(1), en: z.string().trim().min(1) }).strict();
export type Bilingual = z.infer<typeof Bilingual>;

/** A source id from FACTS.md or sources.json; an entry may cite several. */
const SourceRef = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and hyphens');

export const SourcesFile = z
  .object({
    sources: z.array(
      z
        .object({
          id: Id,
          publisher: z.string().min(1),
          title: z.string().min(1),
          url: z.string().url().nullable(),
          note: z.string().optional(),
        })
        .strict(),
    ),
  })
  .strict();

const Range = z
  .object({ min: z.number().int().nonnegative().optional(), max: z.number().int().nonnegative().optional() })
  .strict()
  .refine((r) => r.min !== undefined || r.max !== undefined, 'a range needs min or max');

export const ConditionId = Id;

/** The facts about a person that the eligibility rules can test. All given facts must hold. */
export const RuleWhen = z
  .object({
    ageMonths: Range.optional(),
    ageYears: Range.optional(),
    pregnant: z.boolean().optional(),
    pregnancyWeeks: Range.optional(),
    anyCondition: z.array(ConditionId).min(1).optional(),
    worker: z.boolean().optional(),
  })
  .strict()
  .refine((w) => Object.keys(w).length > 0, 'a rule needs at least one condition');

export const RuleStatus = z.enum(['recommended', 'later', 'confirm']);

const Rule = z
  .object({
    vaccine: Id,
    when: RuleWhen,
    status: RuleStatus,
    reason: Bilingual,
    source: SourceRef,
  })
  .strict();

/** The vaccines, the conditions the rules name, and each season's rules (seasons are in campaign.json). */
export const VaccinesFile = z
  .object({
    conditions: z.array(z.object({ id: ConditionId, name: Bilingual }).strict()).min(1),
    vaccines: z.array(z.object({ id: Id, name: Bilingual, protects: Bilingual.optional() }).strict()).min(1),
    seasons: z
      .array(
        z
          .object({
            /** The id of a season in campaign.json. */
            season: z.string().min(1),
            /** Who each vaccine of this season is for, as one line: the general answer. */
            who: z.record(Id, Bilingual),
            rules: z.array(Rule).min(1),
            source: SourceRef,
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export const PreventionFile = z
  .object({ tips: z.array(z.object({ id: Id, text: Bilingual, source: SourceRef }).strict()).min(1) })
  .strict();

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM (24-hour)');

export const CampaignFile = z
  .object({
    seasons: z
      .array(
        z
          .object({
            id: z.string().min(1),
            name: Bilingual,
            start: IsoDate.optional(),
            end: IsoDate,
            /** Where people get vaccinated in this season (the "where" answer without a place). */
            where: Bilingual.optional(),
            /** Who opens at weekends in this season, when the source says. */
            weekends: Bilingual.optional(),
            source: SourceRef,
          })
          .strict(),
      )
      .min(1),
    standingHours: z
      .object({
        // ISO weekdays: 1 = Monday … 7 = Sunday
        days: z.array(z.number().int().min(1).max(7)).min(1),
        open: ClockTime,
        close: ClockTime,
        source: SourceRef,
      })
      .strict(),
    /** Beyond this distance the nearest loaded unit is not "near": the bot says so first. */
    nearbyKm: z.number().positive(),
  })
  .strict();

export const FaqFile = z
  .object({
    topics: z
      .array(
        z
          .object({
            id: Id,
            title: z.object({ es: z.string().min(1).max(40), en: z.string().min(1).max(40) }).strict(),
            answer: z.object({ es: z.string().min(1).max(600), en: z.string().min(1).max(600) }).strict(),
            keywords: z
              .object({ es: z.array(z.string().min(1)).min(1), en: z.array(z.string().min(1)).min(1) })
              .strict(),
            source: SourceRef,
            /** Answered from live data instead of the fixed text: "season" gives the campaign's dates for today. */
            live: z.literal('season').optional(),
            /** An intent whose answer already says this: not added as a second answer to it. */
            covers: z.enum(['eligibility', 'hours', 'facility']).optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type SourcesFile = z.infer<typeof SourcesFile>;
export type VaccinesFile = z.infer<typeof VaccinesFile>;
export type PreventionFile = z.infer<typeof PreventionFile>;
export type CampaignFile = z.infer<typeof CampaignFile>;
export type FaqFile = z.infer<typeof FaqFile>;
export type SeasonRules = VaccinesFile['seasons'][number];
export type Season = CampaignFile['seasons'][number];
export type RuleWhen = z.infer<typeof RuleWhen>;
export type RuleStatus = z.infer<typeof RuleStatus>;
