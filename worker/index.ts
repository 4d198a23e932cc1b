import { app } from "./app.js";

export { AuthGuard } from "./guard/auth-guard.js";
export { HostHub } from "./hub/host-hub.js";
export { HostRegistry } from "./registry/host-registry.js";
export { Team } from "./team/team.js";
export default app;
