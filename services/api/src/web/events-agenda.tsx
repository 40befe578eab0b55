import { raw } from 'hono/html';
import type { Agenda } from '@partnermatch/core';

/**
 * The printable agenda's own stylesheet: A4 portrait, one meeting per block that never breaks
 * across pages, the interpreter mark in words as well as a border (readable in black and white).
 */
export const AGENDA_CSS = `
:root { font-family: system-ui, "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #111; }
body.agenda { max-width: 48rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.45; }
.agenda h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
.agenda .agenda-meta { color: #444; margin: 0 0 1rem; }
.agenda .agenda-tools { display: flex; gap: 1rem; flex-wrap: wrap; margin: 0 0 1rem; }
.agenda .agenda-tools a { color: #0b5cad; }
.agenda ol.agenda-meetings { list-style: none; padding: 0; margin: 0; }
.agenda li.agenda-meeting { border: 1px solid #999; border-radius: 4px; padding: .6rem .8rem; margin: 0 0 .6rem; break-inside: avoid; page-break-inside: avoid; }
.agenda li.agenda-meeting.interpreter { border: 2px dashed #7a4b00; }
.agenda .agenda-when { font-weight: 600; }
.agenda .agenda-with { font-size: 1.1rem; font-weight: 600; }
.agenda .agenda-why { color: #333; font-size: .95rem; }
.agenda .interpreter-mark { display: inline-block; border: 1px solid #7a4b00; color: #7a4b00; padding: 0 .35rem; border-radius: 3px; font-weight: 600; }
.agenda dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: .3rem 0 0; }
.agenda dt { color: #555; }
.agenda dd { margin: 0; }
@media print {
  @page { size: A4 portrait; margin: 15mm; }
  body.agenda { margin: 0; max-width: none; }
  .agenda .agenda-tools { display: none; }
}
`;

/** Path of the web interface's copy of {@link AGENDA_CSS} (the pages' CSP allows no inline style). */
export const AGENDA_CSS_PATH = '/ui/events-agenda.css';

/**
 * One participant's agenda as a whole printable HTML document in the agenda's language:
 * one block per meeting with time, table, the other side, the need, the one-line match
 * explanation and, when booked, the interpreter. `style` links the web's stylesheet or
 * inlines it (the API's copy, read outside the web interface).
 */
export function AgendaDocument(props: { agenda: Agenda; style: 'link' | 'inline'; tools?: { href: string; label: string; lang?: string }[] }) {
  const { agenda } = props;
  const l = agenda.labels;
  const colon = agenda.language === 'zh' ? '：' : ': ';
  return (
    <html lang={agenda.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${l.title} · ${agenda.participant.name} · ${agenda.eventName}`}</title>
        {props.style === 'link' ? <link rel="stylesheet" href={AGENDA_CSS_PATH} /> : <style>{raw(AGENDA_CSS)}</style>}
      </head>
      <body class="agenda">
        <main>
          <h1>
            {l.title}
            {colon}
            <span class="agenda-participant">{agenda.participant.name}</span>
          </h1>
          <p class="agenda-meta">
            {agenda.eventName}
            {agenda.place === undefined ? '' : ` · ${l.place}${colon}${agenda.place}`} · {agenda.timeZone}
          </p>
          {props.tools !== undefined && props.tools.length > 0 && (
            <nav class="agenda-tools">
              {props.tools.map((tool) => (
                <a href={tool.href} lang={tool.lang} hreflang={tool.lang}>
                  {tool.label}
                </a>
              ))}
            </nav>
          )}
          {agenda.meetings.length === 0 ? (
            <p class="agenda-empty">{l.noMeetings}</p>
          ) : (
            <ol class="agenda-meetings">
              {agenda.meetings.map((m) => (
                <li class={`agenda-meeting${m.interpreter ? ' interpreter' : ''}`} data-slot={m.slot}>
                  <div class="agenda-when">
                    {m.date} · {m.start}–{m.end} · {l.table} {m.table}
                    {m.interpreter && (
                      <>
                        {' '}
                        <span class="interpreter-mark">{l.interpreter}</span>
                      </>
                    )}
                  </div>
                  <div class="agenda-with">
                    {l.with}
                    {colon}
                    <span class="agenda-counterpart">{m.counterpart.name}</span>
                  </div>
                  <dl>
                    <dt>{l.about}</dt>
                    <dd>
                      {m.need.title} ({m.need.id})
                    </dd>
                    {m.explanation !== '' && (
                      <>
                        <dt>{l.why}</dt>
                        <dd class="agenda-why">{m.explanation}</dd>
                      </>
                    )}
                    <dt>{l.score}</dt>
                    <dd>{m.score.toFixed(2)}</dd>
                    {m.interpreter && (
                      <>
                        <dt>{l.interpreter}</dt>
                        <dd class="interpreter-note">{l.interpreterNote}</dd>
                      </>
                    )}
                  </dl>
                </li>
              ))}
            </ol>
          )}
        </main>
      </body>
    </html>
  );
}

/** The agenda document as HTML text. */
export async function agendaHtml(agenda: Agenda, style: 'link' | 'inline', tools?: { href: string; label: string; lang?: string }[]): Promise<string> {
  return `<!doctype html>${String(await (<AgendaDocument agenda={agenda} style={style} {...(tools === undefined ? {} : { tools })} />))}`;
}
