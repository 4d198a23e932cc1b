import type { MiddlewareHandler } from "hono";
import { mayAct, type Action } from "../../protocol/policy.js";
import { ErrorPage } from "../pages/errors.js";
import type { AppEnv } from "../types.js";

/**
 * Routes of an action that is not an op (managing users, hosts, keys, sign-on): the one policy's
 * `mayAct` for the signed-in user's role, else 403 with its reason (a fragment for htmx, a page
 * otherwise), and the route never runs.
 */
export function requireAction(action: Action): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const verdict = mayAct(c.var.user.role, action);
    if (verdict.allowed) return next();
    if (c.req.header("hx-request")) {
      return c.html(
        <div class="outcome outcome-error" role="alert">
          <strong>Not allowed:</strong> {verdict.reason}.
        </div>,
        403,
      );
    }
    return c.html(<ErrorPage title="Not allowed">{`Not allowed: ${verdict.reason}.`}</ErrorPage>, 403);
  };
}
