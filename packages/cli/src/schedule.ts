import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  AGENDA_LANGUAGES,
  agendaCalendar,
  buildAgendas,
  createMatcherInParallel,
  formatIssue,
  PartnermatchError,
  programmeCsv,
  scheduleEvent,
  validatePreviousProgramme,
  type AgendaLanguage,
  type Company,
  type PartnerNeed,
  type Programme,
  type ScheduleMethod,
  type ValidationIssue,
} from '@partnermatch/core';
import { InputError, readJsonFile, readRecordsFile, writeFileAtomically } from './io.js';

export const SCHEDULE_USAGE = `  partnermatch schedule --companies FILE --needs FILE --event FILE [--out FILE] [--time-limit S]
                        [--method auto|lp|heuristic|greedy] [--previous FILE]
                        [--agendas DIR] [--csv FILE] [--language sv|en|zh]
      A meeting programme for an event (docs/EVENTS-FORMAT.md): JSON with eventId, meetings,
      objective, bound, gap and unscheduledRequests. --previous repairs an earlier programme
      (its output) with the fewest changes; --agendas writes agendas.{sv,en,zh}.json and one
      .ics per participant (companies in sv, organisations in zh, unless --language);
      --csv the whole programme (language --language, default en).
`;

const METHODS: readonly ScheduleMethod[] = ['auto', 'lp', 'heuristic', 'greedy'];

interface Streams {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

function prefixed(path: string, issues: readonly ValidationIssue[]): string[] {
  return issues.map((issue) => `${path}: ${formatIssue(issue)}`);
}

async function checkWritableFolder(path: string, flag: string): Promise<void> {
  try {
    await access(dirname(resolve(path)), constants.W_OK);
  } catch {
    throw new InputError([`${flag} ${path}: cannot write here (folder ${dirname(resolve(path))} does not exist or is not writable)`]);
  }
}

/** A file name for a participant: letters of any script, digits, dot, dash and underscore. */
function fileName(text: string): string {
  return text.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 80);
}

/** `partnermatch schedule …`: resolves to the exit code; bad input throws InputError (exit 2). */
export async function scheduleCommand(args: readonly string[], streams: Streams): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      companies: { type: 'string' },
      needs: { type: 'string' },
      event: { type: 'string' },
      out: { type: 'string' },
      'time-limit': { type: 'string' },
      method: { type: 'string', default: 'auto' },
      previous: { type: 'string' },
      agendas: { type: 'string' },
      csv: { type: 'string' },
      language: { type: 'string' },
    },
  });
  const problems: string[] = [];
  for (const flag of ['companies', 'needs', 'event'] as const) if (values[flag] === undefined) problems.push(`--${flag} is required`);
  let timeLimit: number | undefined;
  if (values['time-limit'] !== undefined) {
    timeLimit = Number(values['time-limit']);
    if (values['time-limit'].trim() === '' || !Number.isFinite(timeLimit) || timeLimit <= 0) problems.push('--time-limit: must be a number of seconds above 0');
  }
  const method = values.method as ScheduleMethod;
  if (!METHODS.includes(method)) problems.push(`--method: must be one of ${METHODS.join(', ')}`);
  const language = values.language as AgendaLanguage | undefined;
  if (language !== undefined && !AGENDA_LANGUAGES.includes(language)) problems.push('--language: must be sv, en or zh');
  if (problems.length > 0) throw new InputError(problems);
  if (values.out !== undefined) await checkWritableFolder(values.out, '--out');
  if (values.csv !== undefined) await checkWritableFolder(values.csv, '--csv');

  const companiesPath = values.companies!;
  const needsPath = values.needs!;
  const eventPath = values.event!;
  // Every unreadable file is named at once, not only the first.
  const reads = await Promise.allSettled([
    readRecordsFile(companiesPath, 'company'),
    readRecordsFile(needsPath, 'need'),
    readJsonFile(eventPath),
    values.previous === undefined ? Promise.resolve(undefined) : readJsonFile(values.previous),
  ]);
  const unreadable: string[] = [];
  for (const read of reads) {
    if (read.status === 'fulfilled') continue;
    if (!(read.reason instanceof InputError)) throw read.reason;
    unreadable.push(...read.reason.problems);
  }
  if (unreadable.length > 0) throw new InputError(unreadable);
  const [companies, needs, eventInput, previousInput] = reads.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [Company[], PartnerNeed[], unknown, unknown];
  const previous = previousInput === undefined ? undefined : validatePreviousProgramme(previousInput);
  if (previous !== undefined && !previous.ok) throw new InputError(prefixed(values.previous!, previous.issues));

  const matcher = await createMatcherInParallel({ companies, needs });
  let programme: Programme;
  try {
    programme = await scheduleEvent(matcher, eventInput, {
      needs,
      method,
      ...(timeLimit !== undefined ? { timeLimit } : {}),
      ...(previous?.ok ? { previous: previous.value } : {}),
    });
  } catch (error) {
    if (error instanceof PartnermatchError && error.code === 'INVALID_INPUT') throw new InputError(prefixed(eventPath, error.issues));
    throw error;
  }

  if (values.agendas !== undefined) {
    const dir = values.agendas;
    try {
      await mkdir(join(dir, 'ics'), { recursive: true });
    } catch (error) {
      throw new InputError([`--agendas ${dir}: cannot create the folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
    }
    const byLanguage = new Map(AGENDA_LANGUAGES.map((lang) => [lang, buildAgendas(matcher, eventInput, programme, lang)]));
    for (const [lang, agendas] of byLanguage) await writeFileAtomically(join(dir, `agendas.${lang}.json`), `${JSON.stringify(agendas, null, 2)}\n`);
    // Each side reads its calendar in its own language unless one is asked for.
    const companyAgendas = byLanguage.get(language ?? 'sv')!.filter((a) => a.participant.kind === 'company');
    const orgAgendas = byLanguage.get(language ?? 'zh')!.filter((a) => a.participant.kind === 'organization');
    for (const agenda of companyAgendas) await writeFileAtomically(join(dir, 'ics', `company-${fileName(agenda.participant.id)}.ics`), agendaCalendar(agenda));
    let n = 0;
    for (const agenda of orgAgendas) {
      n += 1;
      await writeFileAtomically(join(dir, 'ics', `organization-${String(n).padStart(2, '0')}-${fileName(agenda.participant.id)}.ics`), agendaCalendar(agenda));
    }
  }
  if (values.csv !== undefined) {
    const lang = language ?? 'en';
    await writeFileAtomically(values.csv, programmeCsv(buildAgendas(matcher, eventInput, programme, lang), lang));
  }
  const json = `${JSON.stringify(programme, null, 2)}\n`;
  if (values.out !== undefined) await writeFileAtomically(values.out, json);
  else streams.stdout.write(json);
  return 0;
}
