/**
 * The Dokku version that records builds (`builds:list|info|output|cancel`, plugins/builds in
 * dokku/dokku). Docklight does not read those records yet: pages say so on such a host.
 */
export const BUILDS_SINCE = "0.38.0";
