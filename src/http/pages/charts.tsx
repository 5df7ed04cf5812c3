import type { BandDay, FairnessBar, TeamPageData } from "../../services/team-page";
import { dateLabel, hours, inZone } from "./format";

/*
 * Pictures drawn on the server as inline SVG: no chart code runs in the
 * browser. Each row is an HTML label beside a small SVG, so that text stays
 * at reading size on a phone while the bars stretch to the width there is.
 */

export const CHART_STYLE = `
.chart-rows { display: grid; gap: .6rem; margin: .5rem 0; }
.fair-row { display: grid; grid-template-columns: minmax(8rem, 12rem) minmax(0, 1fr) minmax(9rem, 13rem); gap: .25rem 1rem; align-items: center; }
.fair-row .who { font-weight: 600; } .fair-row .why { display: block; font-weight: normal; font-size: .8rem; color: var(--muted); }
.fair-row svg { width: 100%; height: 1.6rem; display: block; }
.fair-row .figures { font-size: .85rem; color: var(--muted); }
.band { display: grid; gap: 2px; margin: .5rem 0; }
.band-row { display: grid; grid-template-columns: 6.5rem minmax(0, 1fr); gap: .75rem; align-items: center; }
.band-row > * { min-width: 0; }
.band-day { font-size: .8rem; white-space: nowrap; color: var(--muted); }
.band-day.weekend { color: var(--text); }
.band-row svg { width: 100%; display: block; }
.axis { position: relative; height: 1.2rem; font-size: .75rem; color: var(--muted); }
.axis span { position: absolute; top: 0; transform: translateX(-50%); white-space: nowrap; }
.axis span:first-child { transform: none; } .axis span:last-child { transform: translateX(-100%); }
@media (max-width: 48rem) {
  .fair-row { grid-template-columns: minmax(0, 1fr); gap: .1rem; }
  .band-row { grid-template-columns: 5.2rem minmax(0, 1fr); gap: .4rem; }
}
`;

const COLOURS = { onCall: "#2563eb", holiday: "#f59e0b", covered: "#16a34a", givenAway: "#6b7280", fair: "#111827" };
/** One colour per region of a follow-the-sun team, in rotation order. */
const REGION_COLOURS = ["#2563eb", "#0d9488", "#db2777", "#65a30d", "#0891b2", "#a16207"];
const HATCH_ID = "baton-hatch";

const W = 1000;

function signed(h: number): string {
  const r = Math.round(h);
  return r > 0 ? `+${r} h` : r < 0 ? `−${-r} h` : "±0 h";
}

function describeBar(bar: FairnessBar): string {
  return `${bar.name}: ${hours(bar.onCallHours)} on call against a fair share of ${hours(bar.fairShare)}; ${hours(bar.holidayHours)} on public holidays; ${hours(bar.coveredHours)} covered for others; ${hours(bar.givenAwayHours)} given away.`;
}

export function FairnessChart(props: { bars: FairnessBar[]; from: string; to: string; timeZone: string }) {
  const { bars } = props;
  if (bars.length === 0) return <p class="muted">No hours to compare yet.</p>;
  const max = Math.max(1, ...bars.map((b) => Math.max(b.onCallHours + b.givenAwayHours, b.fairShare))) * 1.05;
  const x = (h: number) => Math.max(0, Math.min(W, (h / max) * W));
  return (
    <figure id="fairness-chart">
      <ul class="legend" aria-hidden="true">
        <li>
          <span class="swatch" style={`background:${COLOURS.onCall}`}></span>on call
        </li>
        <li>
          <span class="swatch" style={`background:${COLOURS.holiday}`}></span>of it on a public holiday
        </li>
        <li>
          <span class="swatch" style={`background:${COLOURS.covered}`}></span>of it covering for others
        </li>
        <li>
          <span class="swatch" style={`background:#fff;border:2px dashed ${COLOURS.givenAway}`}></span>given away
        </li>
        <li>
          <span class="swatch" style={`background:${COLOURS.fair};width:3px`}></span>fair share
        </li>
      </ul>
      <div class="chart-rows">
        {bars.map((bar) => {
          const on = x(bar.onCallHours);
          const covered = Math.min(on, x(bar.coveredHours));
          return (
            <div class="fair-row" data-member={bar.member}>
              <span class="who">
                {bar.name}
                {bar.why ? <span class="why">{bar.why}</span> : null}
              </span>
              <svg viewBox={`0 0 ${W} 24`} preserveAspectRatio="none" role="img" aria-label={describeBar(bar)}>
                <rect x="0" y="2" width={W} height="20" fill="#f3f4f6" />
                <rect x="0" y="4" width={on} height="16" fill={COLOURS.onCall} />
                <rect x="0" y="4" width={Math.min(on, x(bar.holidayHours))} height="16" fill={COLOURS.holiday} />
                <rect x={on - covered} y="4" width={covered} height="16" fill={COLOURS.covered} />
                {bar.givenAwayHours > 0 ? (
                  <rect x={on} y="5" width={x(bar.givenAwayHours)} height="14" fill="none" stroke={COLOURS.givenAway} stroke-width="2" stroke-dasharray="4 3" vector-effect="non-scaling-stroke" />
                ) : null}
                <line x1={x(bar.fairShare)} x2={x(bar.fairShare)} y1="0" y2="24" stroke={COLOURS.fair} stroke-width="3" vector-effect="non-scaling-stroke" />
              </svg>
              <span class="figures">
                <span class="nowrap">{hours(bar.onCallHours)}</span> of <span class="nowrap">{hours(bar.fairShare)}</span> fair,{" "}
                <strong class={`nowrap ${bar.balance > 24 ? "warn" : ""}`}>{signed(bar.balance)}</strong>
              </span>
            </div>
          );
        })}
      </div>
      <figcaption>
        On-call hours per member from {inZone(props.from, props.timeZone, "d LLL yyyy")} to the end of the plan ({inZone(props.to, props.timeZone, "d LLL yyyy")}), against the share of
        the weeks each could have served. Positive: carried more than their share.
      </figcaption>
    </figure>
  );
}

/** Where an instant falls along its day's row, 0–1440, whatever the day's length (23 or 25 hours across DST). */
function dayX(day: BandDay, iso: string): number {
  const start = Date.parse(day.start);
  const length = Date.parse(day.end) - start;
  return Math.max(0, Math.min(1440, ((Date.parse(iso) - start) / length) * 1440));
}

function describeDay(day: BandDay, regions: NonNullable<TeamPageData["band"]>["regions"], zone: string): string {
  const t = (iso: string) => inZone(iso, zone, "HH:mm");
  const parts = day.lanes.map((lane) => {
    const name = regions.find((r) => r.id === lane.rotation)?.name ?? lane.rotation;
    const shifts = lane.shifts.map((s) => `${s.member} ${t(s.start < day.start ? day.start : s.start)}–${s.end >= day.end ? "24:00" : t(s.end)}${s.source === "holiday-cover" ? " (holiday cover)" : ""}`);
    return `${name}: ${shifts.length ? shifts.join(", ") : "nobody"}`;
  });
  if (day.uncovered.length) parts.push(`nobody on call ${day.uncovered.map((u) => `${t(u.start)}–${u.end >= day.end ? "24:00" : t(u.end)}`).join(", ")}`);
  if (day.gaps.length) parts.push(`${day.gaps.length} gap between windows, held`);
  if (day.overlaps.length) parts.push(`${day.overlaps.length} overlap`);
  return `${dateLabel(day.date, "ccc d LLL")}. ${parts.join(". ")}.`;
}

export function CoverageBand(props: { band: NonNullable<TeamPageData["band"]>; timeZone: string }) {
  const { band } = props;
  const laneH = 8;
  const markH = 4;
  const height = band.regions.length * (laneH + 1) + markH + 1;
  const colourOf = (rotation: string) => REGION_COLOURS[band.regions.findIndex((r) => r.id === rotation) % REGION_COLOURS.length]!;
  return (
    <figure id="coverage-band">
      <svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false">
        <defs>
          <pattern id={HATCH_ID} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#f59e0b" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="3" />
          </pattern>
        </defs>
      </svg>
      <ul class="legend" aria-hidden="true">
        {band.regions.map((r) => (
          <li>
            <span class="swatch" style={`background:${colourOf(r.id)}`}></span>
            {r.name}
          </li>
        ))}
        <li>
          <span class="swatch" style="background:repeating-linear-gradient(45deg,#f59e0b 0 3px,#fff 3px 5px)"></span>holiday cover
        </li>
        <li>
          <span class="swatch" style="background:#7c3aed"></span>overlap
        </li>
        <li>
          <span class="swatch" style="background:#f97316"></span>gap held by a longer window
        </li>
        <li>
          <span class="swatch" style="background:#dc2626"></span>nobody on call
        </li>
      </ul>
      <div class="band">
        <div class="band-row" aria-hidden="true">
          <span class="band-day"></span>
          <div class="axis">
            {[0, 6, 12, 18, 24].map((h) => (
              <span style={`left:${(h / 24) * 100}%`}>{String(h).padStart(2, "0")}:00</span>
            ))}
          </div>
        </div>
        {band.days.map((day) => {
          const weekday = dateLabel(day.date, "ccc");
          return (
            <div class="band-row" data-date={day.date}>
              <span class={`band-day ${weekday === "Sat" || weekday === "Sun" ? "weekend" : ""}`}>{dateLabel(day.date, "ccc d LLL")}</span>
              <svg viewBox={`0 0 1440 ${height}`} preserveAspectRatio="none" style={`height:${height * 1.6}px`} role="img" aria-label={describeDay(day, band.regions, props.timeZone)}>
                <rect x="0" y="0" width="1440" height={height} fill="#f3f4f6" />
                {[360, 720, 1080].map((gx) => (
                  <line x1={gx} x2={gx} y1="0" y2={height} stroke="#d1d5db" stroke-width="1" vector-effect="non-scaling-stroke" />
                ))}
                {day.lanes.map((lane, i) =>
                  lane.shifts.map((s) => {
                    const x1 = dayX(day, s.start);
                    const x2 = dayX(day, s.end);
                    return (
                      <rect
                        x={x1}
                        y={i * (laneH + 1)}
                        width={Math.max(0, x2 - x1)}
                        height={laneH}
                        fill={s.source === "holiday-cover" ? `url(#${HATCH_ID})` : colourOf(lane.rotation)}
                        data-source={s.source}
                      />
                    );
                  }),
                )}
                {day.overlaps.map((o) => (
                  <rect x={dayX(day, o.start)} y={height - markH} width={Math.max(2, dayX(day, o.end) - dayX(day, o.start))} height={markH} fill="#7c3aed" data-mark="overlap" />
                ))}
                {day.gaps.map((g) => (
                  <rect x={dayX(day, g.start)} y={height - markH} width={Math.max(2, dayX(day, g.end) - dayX(day, g.start))} height={markH} fill="#f97316" data-mark="gap" />
                ))}
                {day.uncovered.map((u) => (
                  <rect x={dayX(day, u.start)} y="0" width={Math.max(2, dayX(day, u.end) - dayX(day, u.start))} height={height} fill="#dc2626" opacity=".85" data-mark="uncovered" />
                ))}
              </svg>
            </div>
          );
        })}
      </div>
      <figcaption>
        Each day from 00:00 to 24:00 in {props.timeZone}; one line per region ({band.regions.map((r) => `${r.name} in ${r.timeZone}`).join(", ")}), marks below for overlaps and
        gaps between the regions' windows.
      </figcaption>
    </figure>
  );
}
