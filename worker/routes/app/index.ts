import { Hono } from "hono";
import type { HostAppEnv } from "../../types.js";
import { appGuard } from "../scope.js";
import { configRoutes } from "./config.js";
import { cronRoutes } from "./cron.js";
import { imageRoutes } from "./image.js";
import { deployRoutes } from "./deploy.js";
import { domainRoutes, portRoutes } from "./domains.js";
import { appHistoryRoutes } from "./history.js";
import { logRoutes } from "./logs.js";
import { overviewRoutes } from "./overview.js";
import { proxyRoutes } from "./proxy.js";
import { networkRoutes } from "./network.js";
import { storageRoutes } from "./storage.js";
import { dockerOptionsRoutes } from "./docker-options.js";
import { resourceRoutes } from "./resources.js";
import { settingsRoutes } from "./settings.js";
import { releaseRoutes } from "./releases.js";
import { tlsRoutes } from "./tls.js";

/**
 * The pages of one app on one host, mounted at `/hosts/:host/apps/:app`, each tab at its own path
 * (as `pages/app/*` lays them out). Every page is a plain URL; every change is an htmx request
 * whose answer (or error) lands where the user acted, and the long ones stream the host's output.
 */
export const appRoutes = new Hono<HostAppEnv>()
  .use(appGuard)
  .route("/", overviewRoutes)
  .route("/deploy", deployRoutes)
  .route("/config", configRoutes)
  .route("/domains", domainRoutes)
  .route("/ports", portRoutes)
  .route("/tls", tlsRoutes)
  .route("/settings", settingsRoutes)
  .route("/proxy", proxyRoutes)
  .route("/resources", resourceRoutes)
  .route("/network", networkRoutes)
  .route("/storage", storageRoutes)
  .route("/docker-options", dockerOptionsRoutes)
  .route("/releases", releaseRoutes)
  .route("/cron", cronRoutes)
  .route("/image", imageRoutes)
  .route("/logs", logRoutes)
  .route("/history", appHistoryRoutes);
