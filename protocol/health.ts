import { z } from "zod";

/**
 * What the edge's `GET /api/health` answers: `service` says it is a Docklight edge, so
 * `docklight-relay doctor` can tell it from any other server at DOCKLIGHT_URL before it checks
 * the clock or the token against it.
 */
export const EDGE_SERVICE = "docklight-edge";
export const edgeHealth = z.object({ status: z.literal("ok"), service: z.literal(EDGE_SERVICE) });
export type EdgeHealth = z.infer<typeof edgeHealth>;
