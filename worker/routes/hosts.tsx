import { Hono, type Context } from "hono";
import { z } from "zod";
import { hostId } from "../../protocol/names.js";
import { audit, type AuditEvent } from "../audit/record.js";
import { hostClient, hostStatus } from "../hub/client.js";
import { ConfirmPage, EnrollPage, installCommand, KeyRotatedPage, LinkWait, type EnrollReason } from "../pages/enroll.js";
import { ErrorPage } from "../pages/errors.js";
import { HostsPage } from "../pages/hosts.js";
import { RunningWhenRevoked } from "../pages/revoke-note.js";
import { hostRegistry } from "../registry/client.js";
import type { Enrollment, HostRecord } from "../registry/host-registry.js";
import { hostName } from "../registry/names.js";
import { servedRelease } from "../registry/release.js";
import { team } from "../team/client.js";
import { requireAction } from "../team/guard.js";
import { principalOf } from "../team/principal.js";
import type { AppEnv } from "../types.js";
import { measureHost } from "./host.js";
import { refuse, valid } from "./input.js";
import { knownHosts } from "./scope.js";
import { hostUrl } from "../urls.js";
import { log } from "../log.js";

/** Adding, renaming, re-enrolling and removing hosts, and rotating the op key: the owner's (protocol/policy.ts mayAct). */
const manage = requireAction("hosts.manage");
const rotate = requireAction("keys.rotate");

const nameForm = z.object({ name: hostName });
const hostParam = z.object({ host: hostId });
const sinceQuery = z.object({ since: z.coerce.number().int().nonnegative().default(0) });

/** Audits what the signed-in owner did to host `host` (or, `host` null, to every host: the op key). */
const audited = (c: Context<AppEnv>, action: Extract<AuditEvent, { kind: "host" }>["action"], host: string | null, ok: boolean, detail?: string) =>
  audit(c.env, { kind: "host", action, actor: c.var.user.name, host, ok, ...(detail ? { detail } : {}) });

/** Scripts (npm start, the tests) ask for JSON; browsers get pages. */
const wantsJson = (c: Context) => (c.req.header("accept") ?? "").includes("application/json");

/**
 * A new host, a rotated token or a new command: for a script, the enrollment as JSON (`command` is
 * the one install command, `code` its one-time code, exchanged at `POST /relay/enroll`); for a
 * browser, the page that shows the command once and waits for the relay.
 */
async function enrolled(c: Context<AppEnv>, enrollment: Enrollment, reason: EnrollReason, since: number) {
  const origin = new URL(c.req.url).origin;
  const { host, code, expiresAt, publicKey } = enrollment;
  const release = await servedRelease(c.env, origin);
  const sha256 = release?.sha256 ?? null;
  if (!release) log.error("this edge serves no relay release (public/relay/latest.json): the install command pins no sha256", { host: host.id });
  c.header("cache-control", "no-store"); // it holds the code, shown once
  if (wantsJson(c)) {
    return c.json(
      { id: host.id, name: host.name, code, expiresAt, publicKey, sha256, command: installCommand(origin, enrollment, sha256) },
      reason === "added" ? 201 : 200,
    );
  }
  const [status, hosts] = await Promise.all([hostStatus(c.env, host.id, host.name), knownHosts(c)]);
  return c.html(<EnrollPage origin={origin} enrollment={enrollment} sha256={sha256} reason={reason} status={status} since={since} hosts={hosts} />);
}

/** 400: another host has that name (a reload of the add form lands here too, and adds nothing). */
const nameTaken = (c: Context, taken: HostRecord) =>
  wantsJson(c)
    ? c.json({ error: `name: a host named ${taken.name} already exists (id ${taken.id})` }, 400)
    : refuse(c, `name: a host named ${taken.name} already exists (id ${taken.id}); give this one another name`);

const noSuchHost = (c: Context) => c.html(<ErrorPage title="No such host">This edge has no host by that name.</ErrorPage>, 404);

/** The changes running on host `id` now, as its confirmations list them ([] when it cannot tell). */
const runningOn = (c: Context<AppEnv>, id: string) => hostClient(c.env, id, principalOf(c.var.user, id)).running();

/** The registered host `:host` names, or null (the caller answers 404). */
const registered = (c: Context<AppEnv>, id: string): Promise<HostRecord | null> => hostRegistry(c.env).get(id);

/**
 * `/hosts`: every host with its link state and a measured round trip; adding a host (the one
 * command, shown once, then a wait for its relay), renaming one, rotating its token and removing
 * it. The last two disconnect the host's relay, which is told why and stops.
 */
export const hostsRoutes = new Hono<AppEnv>()
  .get("/", manage, async (c) => {
    const registry = hostRegistry(c.env);
    const [records, legacy] = await Promise.all([registry.list(), registry.legacySecrets()]);
    const rows = await Promise.all(records.map((r) => measureHost(hostClient(c.env, r.id, principalOf(c.var.user, r.id)))));
    return c.html(<HostsPage hosts={records.map((record, i) => ({ record, row: rows[i]! }))} legacy={legacy} />);
  })
  .post("/", manage, valid("form", nameForm), async (c) => {
    const since = Date.now();
    const added = await hostRegistry(c.env).add(c.req.valid("form").name);
    if ("taken" in added) return nameTaken(c, added.taken);
    await audited(c, "added", added.host.id, true, `named ${added.host.name}`);
    return enrolled(c, added, "added", since);
  })
  .get("/:host/link", manage, valid("param", hostParam), valid("query", sinceQuery), async (c) => {
    const record = await registered(c, c.req.valid("param").host);
    if (!record) return c.html(<p id="link-wait">This host is no longer on the edge.</p>, 404);
    return c.html(<LinkWait record={record} status={await hostStatus(c.env, record.id, record.name)} since={c.req.valid("query").since} />);
  })
  .post("/:host/name", manage, valid("param", hostParam), valid("form", nameForm), async (c) => {
    const renamed = await hostRegistry(c.env).rename(c.req.valid("param").host, c.req.valid("form").name);
    if (renamed && "taken" in renamed) return nameTaken(c, renamed.taken);
    if (renamed) await audited(c, "renamed", renamed.id, true, `to ${renamed.name}`);
    return renamed ? c.redirect("/hosts", 303) : noSuchHost(c);
  })
  .get("/:host/token", manage, valid("param", hostParam), async (c) => {
    const record = await registered(c, c.req.valid("param").host);
    if (!record) return noSuchHost(c);
    return c.html(
      <ConfirmPage title={`Rotate the token of ${record.name}?`} action={hostUrl(record.id, "/token")} button="Rotate token" hosts={await knownHosts(c)}>
        <p>The relay connected with the current token is disconnected and told why; the next page shows the command that installs the new one.</p>
        <RunningWhenRevoked host={record.id} jobs={await runningOn(c, record.id)} removing={false} />
      </ConfirmPage>,
    );
  })
  .post("/:host/token", manage, valid("param", hostParam), async (c) => {
    const since = Date.now();
    const enrollment = await hostRegistry(c.env).rotateToken(c.req.valid("param").host);
    if (enrollment) await audited(c, "token-rotated", enrollment.host.id, true);
    return enrollment ? enrolled(c, enrollment, "rotated", since) : noSuchHost(c);
  })
  // A new one-time install command (the last one expired or was used); nothing is disconnected until it is run.
  .post("/:host/code", manage, valid("param", hostParam), async (c) => {
    const since = Date.now();
    const enrollment = await hostRegistry(c.env).newCode(c.req.valid("param").host);
    if (enrollment) await audited(c, "new-code", enrollment.host.id, true);
    return enrollment ? enrolled(c, enrollment, "new-code", since) : noSuchHost(c);
  })
  .get("/:host/remove", manage, valid("param", hostParam), async (c) => {
    const record = await registered(c, c.req.valid("param").host);
    if (!record) return noSuchHost(c);
    return c.html(
      <ConfirmPage title={`Remove ${record.name}?`} action={hostUrl(record.id, "/remove")} button="Remove host" hosts={await knownHosts(c)}>
        <p>
          Its relay is disconnected and told why, and its token stops working. Nothing changes on the host itself: uninstall the relay there with{" "}
          <code>curl -fsSL {new URL(c.req.url).origin}/install.sh | sh -s -- --uninstall</code>.
        </p>
        <RunningWhenRevoked host={record.id} jobs={await runningOn(c, record.id)} removing={true} />
      </ConfirmPage>,
    );
  })
  .post("/:host/remove", manage, valid("param", hostParam), async (c) => {
    const { host } = c.req.valid("param");
    if (!(await hostRegistry(c.env).remove(host))) return noSuchHost(c);
    await audited(c, "removed", host, true);
    // A host added later under the same id starts a new history chain.
    await team(c.env).forgetChainHeads(host);
    return wantsJson(c) ? c.body(null, 204) : c.redirect("/hosts", 303);
  });

/** `/signing-key`: rotating the edge's op-signing key (connected relays are sent the new one, signed by the old). */
export const signingKeyRoutes = new Hono<AppEnv>()
  .get("/", rotate, async (c) =>
    c.html(
      <ConfirmPage title="Rotate the op-signing key?" action="/signing-key" button="Rotate the key" hosts={await knownHosts(c)}>
        <p>
          Connected relays are sent the new public key, signed by the old one, and switch to it. A relay that is offline now keeps the old key and refuses every
          operation until it re-joins: rotate its host's token and run the new command there.
        </p>
      </ConfirmPage>,
    ),
  )
  .post("/", rotate, async (c) => {
    const { publicKey, told } = await hostRegistry(c.env).rotateOpSigningKey();
    await audited(c, "key-rotated", null, true, `${told} connected relay${told === 1 ? "" : "s"} told`);
    return wantsJson(c) ? c.json({ publicKey, told }) : c.html(<KeyRotatedPage publicKey={publicKey} told={told} hosts={await knownHosts(c)} />);
  });
