import { Hono, type Context } from "hono";
import { z } from "zod";
import { hostId } from "../../protocol/names.js";
import { auditFilter, type AuditFilter } from "../audit/events.js";
import { auditExport } from "../audit/export.js";
import { audit } from "../audit/record.js";
import { hostClient } from "../hub/client.js";
import { ActivityPage, ChainResult, VerifyHost, type ActivityQuery } from "../pages/activity.js";
import { OutcomeMessage } from "../pages/outcome.js";
import { team } from "../team/client.js";
import { requireAction } from "../team/guard.js";
import { principalOf } from "../team/principal.js";
import type { AppEnv } from "../types.js";
import { problems, refuse } from "./input.js";
import { knownHosts } from "./scope.js";
import { historyUrl } from "../urls.js";

/** Events one Activity page shows. */
export const ACTIVITY_PAGE_SIZE = 100;

/** The query as typed (trimmed, empty fields dropped), and parsed, or what was wrong with it. */
function readQuery(raw: Record<string, string>): { typed: ActivityQuery } & ({ ok: true; filter: AuditFilter } | { ok: false; message: string }) {
  const cleaned = Object.fromEntries(
    Object.entries(raw)
      .map(([k, v]) => [k, v.trim()] as const)
      .filter(([, v]) => v !== ""),
  );
  const typed: ActivityQuery = { user: cleaned.user, host: cleaned.host, app: cleaned.app, kind: cleaned.kind };
  const parsed = auditFilter.safeParse(cleaned);
  return parsed.success ? { typed, ok: true, filter: parsed.data } : { typed, ok: false, message: problems(parsed.error) };
}

const hostParam = z.object({ host: hostId });

/** The owner's and admins' (the one policy's `activity.all`): the page, its exports, and Verify. */
const allowed = requireAction("activity.all");

/** The page with `filter`'s newest events (ACTIVITY_PAGE_SIZE of them), and `verified` under its host. */
async function page(c: Context<AppEnv>, query: ReturnType<typeof readQuery>, verified?: Parameters<typeof ActivityPage>[0]["status"]) {
  const hosts = await knownHosts(c);
  if (!query.ok) return c.html(<ActivityPage events={[]} query={query.typed} hosts={hosts} older={null} error={query.message} status={verified} />, 400);
  const events = await team(c.env).activity(query.filter, ACTIVITY_PAGE_SIZE + 1);
  const shown = events.slice(0, ACTIVITY_PAGE_SIZE);
  const older = events.length > ACTIVITY_PAGE_SIZE ? shown.at(-1)!.id : null;
  return c.html(<ActivityPage events={shown} query={query.typed} hosts={hosts} older={older} status={verified} />);
}

/**
 * `/activity`: the edge's audit trail across hosts (worker/audit/), filtered by user, host, app and
 * kind; `export.csv` and `export.json` with the same filters; and `POST /activity/verify/:host`, which
 * runs history.verify on the host's relay with the chain heads kept from earlier verifications,
 * keeps the new head when the chain is intact, audits the verification, and shows what it found.
 */
export const activityRoutes = new Hono<AppEnv>()
  .get("/", allowed, (c) => page(c, readQuery(c.req.query())))
  .get("/:file{export\\.(csv|json)}", allowed, async (c) => {
    const format = c.req.param("file") === "export.csv" ? "csv" : "json";
    const query = readQuery(c.req.query());
    if (!query.ok) return c.text(`Those filters are not valid; nothing was exported.\n${query.message}\n`, 400);
    const stub = team(c.env);
    const body = auditExport((f, n) => stub.activity(f, n), query.filter, format);
    const stamp = new Date().toISOString().slice(0, 10);
    return c.body(body, 200, {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="docklight-activity-${stamp}.${format}"`,
      "cache-control": "no-store",
    });
  })
  .post("/verify/:host", allowed, async (c) => {
    const parsed = hostParam.safeParse(c.req.param());
    const host = parsed.success ? (await knownHosts(c)).find((h) => h.id === parsed.data.host) : undefined;
    if (!host) return refuse(c, "host: this edge has no host by that name", 404);
    const stub = team(c.env);
    const known = await stub.chainHeads(host.id);
    const client = hostClient(c.env, host.id, principalOf(c.var.user, host.id), host.name);
    const outcome = await client.run("history.verify", { known });
    let result;
    if (outcome.kind === "ok") {
      const report = outcome.result;
      if (report.intact && report.head) await stub.keepChainHead(host.id, report.head);
      const detail = report.intact ? `intact, ${report.checked} rows` : `broken: ${report.breaksTotal} breaks (${report.breaks[0]?.message ?? ""})`;
      await audit(c.env, { kind: "host", action: "verified", actor: c.var.user.name, host: host.id, ok: report.intact, detail });
      result = <ChainResult host={host.id} report={report} known={known.length} />;
    } else {
      result = <OutcomeMessage outcome={outcome} historyHref={historyUrl(host.id)} />;
    }
    if (c.req.header("hx-request")) return c.html(<VerifyHost host={host} result={result} />);
    return page(c, readQuery({}), { ...host, result });
  });
