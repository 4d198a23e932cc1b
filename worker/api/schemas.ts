import { createRoute, z } from "@hono/zod-openapi";
import { appName, gitRef, gitRemote, hostId } from "../../protocol/names.js";
import { appState } from "../../protocol/ops/apps.js";
import { historyFilter } from "../../protocol/ops/history.js";

/**
 * The JSON API for CI and scripts (`/api/v1`), one route per declaration: its input (validated by
 * these schemas before the handler runs) and each answer, from which the OpenAPI document
 * (`/api/v1/openapi.json`) is generated. Every route acts through the same ops and policy as the
 * pages (worker/api/routes.ts).
 */

const security = [{ Bearer: [] }];

/** Every refusal and failure: what went wrong, in words; `code` as the relay or the policy names it. */
export const apiError = z
  .object({
    error: z.string().openapi({ example: "Not allowed: you have no grant on app web on this host." }),
    code: z.string().openapi({ example: "denied" }),
    /** With "busy": the change that holds the app. */
    opId: z.string().optional(),
  })
  .openapi("Error");

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 502 | 503 | 504;
const ERROR_TEXT: Record<ErrorStatus, string> = {
  400: "The input was refused: the message says what was wrong",
  401: "No token, or one that is unknown, expired or revoked",
  403: "The policy refused it to this token (the message says why); nothing ran",
  404: "No such host, app or change",
  409: "Another change to this app is running (its opId is given)",
  502: "The host's relay or Dokku failed, or the change's outcome is unknown",
  503: "The host's relay is not connected",
  504: "The host did not answer in time",
};
type ErrorResponse = { description: string; content: { "application/json": { schema: typeof apiError } } };

/** The error answers of a route, each `apiError`. */
const errors = <C extends ErrorStatus>(...codes: C[]) =>
  Object.fromEntries(codes.map((code) => [code, { description: ERROR_TEXT[code], content: { "application/json": { schema: apiError } } }])) as {
    [K in C]: ErrorResponse;
  };
/** Every way running an op can fail (worker/api/routes.ts statusOf). */
const OP_FAILURES = [400, 401, 403, 404, 409, 502, 503, 504] as const;

const hostParam = z.object({ host: hostId });
const appParams = hostParam.extend({ app: appName });
const changeParams = hostParam.extend({ opId: z.uuid() });

export const apiApp = z
  .object({
    name: z.string(),
    state: appState,
    processes: z.number().int().nullable(),
    unknownReason: z.string().nullable(),
  })
  .openapi("App");

export const appsAnswer = z
  .object({
    host: z.string(),
    apps: z.array(apiApp),
    /** Set when the host is offline: the list is the last one it gave, read at this time (ms since epoch). */
    asOf: z.number().int().nullable(),
  })
  .openapi("Apps");

/** A change that started: follow it at `links.events`, read its state at `links.self`. */
export const startedAnswer = z
  .object({
    opId: z.uuid(),
    op: z.string(),
    links: z.object({ self: z.string(), events: z.string(), page: z.string() }),
  })
  .openapi("Started");

/** How a change ended: `ok`, or an error with its code and message. */
export const apiOutcome = z.object({ ok: z.boolean(), kind: z.string(), code: z.string().nullable(), message: z.string() }).openapi("Outcome");

export const changeAnswer = z
  .object({
    opId: z.uuid(),
    op: z.string(),
    app: z.string().nullable(),
    title: z.string().nullable(),
    requestedBy: z.string(),
    startedAt: z.number().int(),
    state: z.enum(["running", "ended"]),
    outcome: apiOutcome.nullable(),
  })
  .openapi("Change");

export const historyAnswer = z
  .object({
    entries: z.array(
      z.object({
        id: z.number().int(),
        opId: z.string(),
        op: z.string(),
        app: z.string().nullable(),
        title: z.string().nullable(),
        outcome: z.string(),
        exitCode: z.number().int().nullable(),
        requestedBy: z.string(),
        startedAt: z.number().int(),
        finishedAt: z.number().int(),
        durationMs: z.number().int(),
      }),
    ),
    total: z.number().int(),
  })
  .openapi("History");

/** A deploy: from the repository and ref given (git:sync), or without them a rebuild of what the app has. */
export const deployBody = z
  .object({ remote: gitRemote.optional(), ref: gitRef.optional() })
  .strict()
  .refine((b) => b.ref === undefined || b.remote !== undefined, { message: "ref needs remote", path: ["ref"] })
  .openapi("DeployRequest");

export const historyQuery = z.object({
  app: appName.optional().openapi({
    description: "Only this app's rows. A token on one app reads only that app's history: without `app` it reads its own, naming another is refused (403).",
  }),
  op: historyFilter.shape.op,
  outcome: historyFilter.shape.outcome,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

export const listApps = createRoute({
  method: "get",
  path: "/hosts/{host}/apps",
  summary: "The host's apps and their state (the apps this token may see)",
  security,
  request: { params: hostParam },
  responses: { 200: json(appsAnswer, "The apps"), ...errors(...OP_FAILURES) },
});

export const deployApp = createRoute({
  method: "post",
  path: "/hosts/{host}/apps/{app}/deploy",
  summary: "Start a deploy: git:sync of `remote` (and `ref`), or a rebuild without them",
  security,
  request: { params: appParams, body: { required: false, content: { "application/json": { schema: deployBody } } } },
  responses: { 202: json(startedAnswer, "The deploy started; it runs to its end on the host"), ...errors(...OP_FAILURES) },
});

export const restartApp = createRoute({
  method: "post",
  path: "/hosts/{host}/apps/{app}/restart",
  summary: "Start a restart of the app",
  security,
  request: { params: appParams },
  responses: { 202: json(startedAnswer, "The restart started"), ...errors(...OP_FAILURES) },
});

export const getChange = createRoute({
  method: "get",
  path: "/hosts/{host}/changes/{opId}",
  summary: "A change's state: running, or ended with its outcome",
  security,
  request: { params: changeParams },
  responses: { 200: json(changeAnswer, "The change"), ...errors(401, 403, 404) },
});

export const followChange = createRoute({
  method: "get",
  path: "/hosts/{host}/changes/{opId}/events",
  summary: "Follow a change: its output from the first line the relay keeps, then its outcome, as JSON lines",
  description:
    'One JSON object per line: `{"type":"output","stream":"stdout"|"stderr","data":"…"}`, `{"type":"dropped","chars":N}` (output the relay no longer keeps), and last `{"type":"end","outcome":{…}}`.',
  security,
  request: { params: changeParams },
  responses: {
    200: { description: "The change's events", content: { "application/x-ndjson": { schema: z.string() } } },
    ...errors(401, 403, 404),
  },
});

export const readHistory = createRoute({
  method: "get",
  path: "/hosts/{host}/history",
  summary: "The host's history of commands (or one app's), newest first",
  security,
  request: { params: hostParam, query: historyQuery },
  responses: { 200: json(historyAnswer, "History rows (without their output)"), ...errors(...OP_FAILURES) },
});
