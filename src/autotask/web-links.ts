/**
 * Links into Autotask's web UI (docs/autotask-api.md#ticket-links): a ticket opens through the ExecuteCommand API on
 * the zone's `ww<N>` host, which we derive from the REST root's `webservices<N>` host.
 */
const ZONE_HOST = /^webservices(\d+)\.autotask\.net$/i;

/** The web UI root (ending in '/') of the tenant whose REST root this is; other hosts keep their own origin. */
export function webRootOf(restRoot: string): string {
  const url = new URL(restRoot);
  const zone = ZONE_HOST.exec(url.hostname);
  return zone ? `https://ww${zone[1]}.autotask.net/` : `${url.origin}/`;
}

/** Where a person opens ticket `ticketId` (the ticket's id, not its number) in Autotask. */
export function ticketDetailUrl(webRoot: string, ticketId: number): string {
  if (!Number.isSafeInteger(ticketId) || ticketId <= 0) throw new RangeError(`not a ticket id: ${ticketId}`);
  return `${webRoot}Autotask/AutotaskExtend/ExecuteCommand.aspx?Code=OpenTicketDetail&TicketID=${ticketId}`;
}
