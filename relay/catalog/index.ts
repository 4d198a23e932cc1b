import { appsCreate, appsDestroy, appsDetail, appsList, appsRebuild, appsRestart, appsScaleSet, appsScaleShow, appsStart, appsStop } from "./apps.js";
import { buildsCancel, buildsList, buildsOutput } from "./builds.js";
import { configGet, configSet, configUnset } from "./config.js";
import {
  databasesBackupAuth,
  databasesBackupDeauth,
  databasesBackupEncrypt,
  databasesBackupRun,
  databasesBackups,
  databasesBackupSchedule,
  databasesBackupUnencrypt,
  databasesBackupUnschedule,
} from "./database-backups.js";
import { databasesExpose, databasesUnexpose } from "./database-ports.js";
import { databasesExport, databasesImport } from "./database-dumps.js";
import { databasesCreate, databasesDestroy, databasesInfo, databasesLink, databasesList, databasesOverview, databasesUnlink } from "./databases.js";
import {
  appsUnlock,
  builderSet,
  buildpacksAdd,
  buildpacksClear,
  buildpacksRemove,
  buildpacksReport,
  checksSet,
  deployReport,
  gitSetDeployBranch,
  gitSync,
} from "./deploy.js";
import { domainsAdd, domainsAll, domainsRemove, domainsReport } from "./domains.js";
import { relayPing, serverHealth } from "./health.js";
import { changesRunning } from "./changes.js";
import { historyEntryOp, historyExport, historyGet, historyList, historyVerify } from "./history.js";
import { logsFailed, logsTail } from "./logs.js";
import { pluginsList } from "./plugins.js";
import { portsAdd, portsRemove, portsReport } from "./ports.js";
import { networkCreate, networkDestroy, networkList, networkReport, networkSet } from "./network.js";
import { dockerOptionsAdd, dockerOptionsClear, dockerOptionsRemove, dockerOptionsReport } from "./docker-options.js";
import { storageCreate, storageDestroy, storageEnsureDirectory, storageEntries, storageInfo, storageList, storageMount, storageUnmount } from "./storage.js";
import { resourcesClear, resourcesReport, resourcesSet } from "./resources.js";
import { nginxReload, nginxReport, nginxSet, proxyDisable, proxyEnable, proxyReport, proxySetType } from "./proxy.js";
import { releasesDrift, releasesKeep, releasesList, releasesPlan, releasesRecent, releasesRevert, releasesRollback, releasesValues } from "./releases.js";
import { certsAdd, certsRemove } from "./certs.js";
import { appsClone, appsRename } from "./rename.js";
import { cronHost, cronList, cronResume, cronRun, cronSuspend } from "./cron.js";
import { gitFromImage, registryLogin, registryLoginGlobal } from "./image.js";
import { appsLock } from "./locks.js";
import {
  hostCleanup,
  hostConfigSet,
  hostConfigUnset,
  hostDeployBranch,
  hostDomainsAdd,
  hostDomainsRemove,
  hostSettings,
  pluginsUpdate,
} from "./host-settings.js";
import { tlsAutoRenew, tlsCleanup, tlsDisable, tlsEnable, tlsList, tlsSetEmail, tlsStatus } from "./tls.js";
import type { Catalog } from "./types.js";

/**
 * Every op the relay will run, one catalog file per domain as in protocol/ops/. Anything not named
 * here does not run.
 */
export const catalog: Catalog = {
  "apps.list": appsList,
  "apps.restart": appsRestart,
  "apps.detail": appsDetail,
  "apps.create": appsCreate,
  "apps.destroy": appsDestroy,
  "apps.start": appsStart,
  "apps.stop": appsStop,
  "apps.rebuild": appsRebuild,
  "apps.scale.show": appsScaleShow,
  "apps.scale.set": appsScaleSet,
  "config.get": configGet,
  "config.set": configSet,
  "config.unset": configUnset,
  "domains.report": domainsReport,
  "domains.all": domainsAll,
  "domains.add": domainsAdd,
  "domains.remove": domainsRemove,
  "deploy.report": deployReport,
  "checks.set": checksSet,
  "git.sync": gitSync,
  "git.setDeployBranch": gitSetDeployBranch,
  "builder.set": builderSet,
  "buildpacks.report": buildpacksReport,
  "buildpacks.add": buildpacksAdd,
  "buildpacks.remove": buildpacksRemove,
  "buildpacks.clear": buildpacksClear,
  "apps.unlock": appsUnlock,
  "ports.report": portsReport,
  "ports.add": portsAdd,
  "ports.remove": portsRemove,
  "proxy.report": proxyReport,
  "proxy.enable": proxyEnable,
  "proxy.disable": proxyDisable,
  "proxy.setType": proxySetType,
  "nginx.report": nginxReport,
  "nginx.set": nginxSet,
  "nginx.reload": nginxReload,
  "resources.report": resourcesReport,
  "resources.set": resourcesSet,
  "resources.clear": resourcesClear,
  "network.report": networkReport,
  "network.set": networkSet,
  "network.list": networkList,
  "network.create": networkCreate,
  "network.destroy": networkDestroy,
  "storage.list": storageList,
  "storage.mount": storageMount,
  "storage.unmount": storageUnmount,
  "storage.ensureDirectory": storageEnsureDirectory,
  "storage.entries": storageEntries,
  "storage.info": storageInfo,
  "storage.create": storageCreate,
  "storage.destroy": storageDestroy,
  "docker-options.report": dockerOptionsReport,
  "docker-options.add": dockerOptionsAdd,
  "docker-options.remove": dockerOptionsRemove,
  "docker-options.clear": dockerOptionsClear,
  "tls.status": tlsStatus,
  "tls.list": tlsList,
  "tls.setEmail": tlsSetEmail,
  "tls.enable": tlsEnable,
  "tls.autoRenew": tlsAutoRenew,
  "tls.disable": tlsDisable,
  "tls.cleanup": tlsCleanup,
  "certs.add": certsAdd,
  "certs.remove": certsRemove,
  "apps.rename": appsRename,
  "apps.clone": appsClone,
  "cron.list": cronList,
  "cron.host": cronHost,
  "cron.run": cronRun,
  "cron.suspend": cronSuspend,
  "cron.resume": cronResume,
  "git.fromImage": gitFromImage,
  "registry.login": registryLogin,
  "registry.loginGlobal": registryLoginGlobal,
  "host.settings": hostSettings,
  "host.domains.add": hostDomainsAdd,
  "host.domains.remove": hostDomainsRemove,
  "host.config.set": hostConfigSet,
  "host.config.unset": hostConfigUnset,
  "host.deployBranch": hostDeployBranch,
  "host.cleanup": hostCleanup,
  "plugins.update": pluginsUpdate,
  "apps.lock": appsLock,
  "plugins.list": pluginsList,
  "databases.overview": databasesOverview,
  "databases.list": databasesList,
  "databases.info": databasesInfo,
  "databases.create": databasesCreate,
  "databases.link": databasesLink,
  "databases.unlink": databasesUnlink,
  "databases.destroy": databasesDestroy,
  "databases.backups": databasesBackups,
  "databases.backup.auth": databasesBackupAuth,
  "databases.backup.deauth": databasesBackupDeauth,
  "databases.backup.run": databasesBackupRun,
  "databases.backup.schedule": databasesBackupSchedule,
  "databases.backup.unschedule": databasesBackupUnschedule,
  "databases.backup.encrypt": databasesBackupEncrypt,
  "databases.backup.unencrypt": databasesBackupUnencrypt,
  "databases.expose": databasesExpose,
  "databases.export": databasesExport,
  "databases.import": databasesImport,
  "databases.unexpose": databasesUnexpose,
  "logs.tail": logsTail,
  "logs.failed": logsFailed,
  "server.health": serverHealth,
  "relay.ping": relayPing,
  "history.list": historyList,
  "history.entry": historyEntryOp,
  "history.export": historyExport,
  "history.verify": historyVerify,
  "history.get": historyGet,
  "changes.running": changesRunning,
  "releases.list": releasesList,
  "releases.recent": releasesRecent,
  "releases.plan": releasesPlan,
  "releases.values": releasesValues,
  "releases.rollback": releasesRollback,
  "releases.drift": releasesDrift,
  "releases.keep": releasesKeep,
  "releases.revert": releasesRevert,
  "builds.list": buildsList,
  "builds.output": buildsOutput,
  "builds.cancel": buildsCancel,
};
