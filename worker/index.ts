import { app } from "./app.js";

export { AuthGuard } from "./guard/auth-guard.js";
export { HostHub } from "./hub/host-hub.js";
export { HostRegistry } from "./registry/host-registry.js";
export default app;
