import type { HealthSample } from "../../protocol/ops.js";

/** One unit per 30 s (the relay's sampling interval) over the hour: whole numbers, a short path. */
const W = 120;
/** 0–100 % on whole units, 2 units clear above and below for the stroke. */
const H = 104;
const HOUR = 3_600_000;

/** Warning at 70 %, critical at 90 % (as the original dashboard). */
export function level(percent: number | null): "ok" | "warn" | "bad" | "idle" {
  if (percent === null) return "idle";
  return percent >= 90 ? "bad" : percent >= 70 ? "warn" : "ok";
}

const LEVEL_TEXT = { ok: "OK", warn: "Watch closely", bad: "Critical", idle: "No reading" } as const;

export function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 || n >= 100 ? 0 : 1)} ${units[i]}`;
}

const pct = (v: number | null) => (v === null ? "—" : `${v.toFixed(1)} %`);

/**
 * A percent series of the last hour as an inline SVG path: classes only (the strict CSP refuses
 * style attributes; worker/pages/app.css draws the stroke and the baseline), a <title> for screen
 * readers. The path is in whole units, each point after a run's first one relative to the one
 * before (`l dx dy …`): an hour of readings every 30 s is a few hundred bytes, not kilobytes. A
 * null value (a sample with no CPU reading) breaks the line.
 */
export function Sparkline({ id, label, points, end }: { id: string; label: string; points: Array<{ at: number; value: number | null }>; end: number }) {
  const start = end - HOUR;
  const x = (at: number) => Math.round(Math.min(W, Math.max(0, ((at - start) / HOUR) * W)));
  const y = (v: number) => H - 2 - Math.round(Math.min(100, Math.max(0, v)));
  const inWindow = points.filter((p) => p.at >= start && p.at <= end);
  let d = "";
  let pen: { x: number; y: number; first: boolean } | null = null;
  for (const [i, p] of inWindow.entries()) {
    if (p.value === null) {
      pen = null;
      continue;
    }
    const at = { x: x(p.at), y: y(p.value) };
    if (pen) d += `${pen.first ? "l" : " "}${at.x - pen.x} ${at.y - pen.y}`;
    // a lone reading: a zero-length segment, drawn as a dot by its round cap
    else d += `M${at.x} ${at.y}${(inWindow[i + 1]?.value ?? null) === null ? "h0.01" : ""}`;
    pen = { ...at, first: !pen };
  }
  const values = inWindow.map((p) => p.value).filter((v): v is number => v !== null);
  const summary =
    values.length === 0
      ? `${label}, last hour: no readings yet`
      : `${label}, last hour: ${values.length} readings, min ${Math.min(...values).toFixed(1)} %, max ${Math.max(...values).toFixed(1)} %`;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" class="spark" role="img" aria-labelledby={id}>
      <title id={id}>{summary}</title>
      {d ? <path d={d} /> : null}
    </svg>
  );
}

function Metric({
  id,
  name,
  value,
  detail,
  points,
  end,
}: {
  id: string;
  name: string;
  value: number | null;
  detail: string;
  points: Array<{ at: number; value: number | null }>;
  end: number;
}) {
  const lv = level(value);
  return (
    <section class={`metric ${lv}`} aria-labelledby={`${id}-h`} data-metric={id}>
      <h3 id={`${id}-h`}>{name}</h3>
      <p class="metric-value">
        <strong>{pct(value)}</strong> <span class={`badge ${lv === "bad" ? "down" : lv === "ok" ? "up" : lv}`}>{LEVEL_TEXT[lv]}</span>
      </p>
      <p class="metric-detail">{detail}</p>
      <Sparkline id={`${id}-spark`} label={name} points={points} end={end} />
    </section>
  );
}

/** CPU, memory and each disk now, each with the last hour as a sparkline; an overall level. */
export function HealthCards({ now, series }: { now: HealthSample; series: HealthSample[] }) {
  const all = [...series.filter((s) => s.at < now.at), now];
  const disks = now.disks.map((d, i) => ({ ...d, i }));
  const worst = [now.cpuPercent, now.memory.usedPercent, ...now.disks.map((d) => d.usedPercent)].reduce<number | null>(
    (a, b) => (b === null ? a : a === null ? b : Math.max(a, b)),
    null,
  );
  const overall = level(worst);
  return (
    <div class="health">
      <p class={`outcome outcome-${overall === "bad" ? "error" : overall === "warn" ? "warning" : "ok"}`}>
        Server health: <strong>{LEVEL_TEXT[overall]}</strong>
        <span class="muted">
          {" "}
          · load {now.load.map((l) => l.toFixed(2)).join(" ")} · up {Math.floor(now.uptimeSeconds / 86_400)} d {Math.floor((now.uptimeSeconds % 86_400) / 3600)}{" "}
          h
        </span>
      </p>
      <div class="metrics">
        <Metric
          id="cpu"
          name="CPU"
          value={now.cpuPercent}
          detail={`${now.load[0].toFixed(2)} load (1 min)`}
          points={all.map((s) => ({ at: s.at, value: s.cpuPercent }))}
          end={now.at}
        />
        <Metric
          id="memory"
          name="Memory"
          value={now.memory.usedPercent}
          detail={`${bytes(now.memory.totalBytes - now.memory.availableBytes)} used of ${bytes(now.memory.totalBytes)}`}
          points={all.map((s) => ({ at: s.at, value: s.memory.usedPercent }))}
          end={now.at}
        />
        {disks.map((d) => (
          <Metric
            id={`disk-${d.i}`}
            name={`Disk ${d.path}`}
            value={d.usedPercent}
            detail={`${bytes(d.freeBytes)} free of ${bytes(d.totalBytes)}`}
            points={all.map((s) => ({ at: s.at, value: s.disks.find((x) => x.path === d.path)?.usedPercent ?? null }))}
            end={now.at}
          />
        ))}
      </div>
    </div>
  );
}
