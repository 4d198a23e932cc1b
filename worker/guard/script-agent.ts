/**
 * The user agent Docklight's own local scripts sign in with (`npm start` enrolling its demo host,
 * the test stacks): `docklight-start-script/1 (…)`. The sign-in list labels such a sign-in so it is
 * recognised; it is only a label, anyone can send it, and it changes nothing else.
 */
export const START_SCRIPT_AGENT = "docklight-start-script/1 (npm start: signs in to enrol its host)";

/** Whether a recorded user agent is the one the local scripts send (see START_SCRIPT_AGENT). */
export const isStartScriptAgent = (ua: string) => ua === START_SCRIPT_AGENT;
