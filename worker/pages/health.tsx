import type { HealthSample } from "../../protocol/ops.js";

const W = 120;
const H = 32;
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
 * A percent series of the last hour as an inline SVG path: presentation attributes and classes
 * only (the strict CSP refuses style attributes), a <title> for screen readers. A null value (a
 * sample with no CPU reading) breaks the line.
 */
export function Sparkline({ id, label, points, end }: { id: string; label: string; points: Array<{ at: number; value: number | null }>; end: number }) {
  const start = end - HOUR;
  const x = (at: number) => Math.min(W, Math.max(0, ((at - start) / HOUR) * W)).toFixed(1);
  const y = (v: number) => (H - 1 - (Math.min(100, Math.max(0, v)) / 100) * (H - 2)).toFixed(1);
  let d = "";
  let pen = false;
  const inWindow = points.filter((p) => p.at >= start && p.at <= end);
  inWindow.forEach((p, i) => {
    if (p.value === null) {
      pen = false;
      return;
    }
    const next = inWindow[i + 1];
    d += `${pen ? "L" : "M"}${x(p.at)} ${y(p.value)}`;
    // a lone reading: a zero-length segment, drawn as a dot by its round cap
    if (!pen && (!next || next.value === null)) d += "h0.01";
    pen = true;
  });
  const values = inWindow.map((p) => p.value).filter((v): v is number => v !== null);
  const summary =
    values.length === 0
      ? `${label}, last hour: no readings yet`
      : `${label}, last hour: ${values.length} readings, min ${Math.min(...values).toFixed(1)} %, max ${Math.max(...values).toFixed(1)} %`;
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" class="spark" role="img" aria-labelledby={id}>
      <title id={id}>{summary}</title>
      <line class="spark-base" x1="0" y1={H - 0.5} x2={W} y2={H - 0.5} stroke-width="1" vector-effect="non-scaling-stroke" />
      {d ? (
        <path class="spark-line" d={d} fill="none" stroke-width="2" stroke-linejoin="round" stroke-linecap="round" vector-effect="non-scaling-stroke" />
      ) : null}
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
      <p class={`health-overall outcome outcome-${overall === "bad" ? "error" : overall === "warn" ? "warning" : "ok"}`}>
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
