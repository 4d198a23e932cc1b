import { app } from "./app.js";

export { HostHub } from "./hub/host-hub.js";
export default app;
