import { app } from "./app.js";

export { AuthGuard } from "./guard/auth-guard.js";
export { HostHub } from "./hub/host-hub.js";
export default app;
