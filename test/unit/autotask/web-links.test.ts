/** Links into Autotask's web UI (docs/autotask-api.md#ticket-links): the zone's ww<N> host from the REST root. */
import { describe, expect, it } from 'vitest';
import { ticketDetailUrl, webRootOf } from '../../../src/autotask/web-links.js';

describe('ticket links', () => {
  it('derives ww<N> from the zone\'s webservices<N> REST root', () => {
    expect(webRootOf('https://webservices19.autotask.net/ATServicesRest/')).toBe('https://ww19.autotask.net/');
    expect(webRootOf('https://WebServices5.AutoTask.net/atservicesrest')).toBe('https://ww5.autotask.net/');
  });

  it('keeps any other host\'s origin (the sandbox, a proxy), never a path or credentials', () => {
    expect(webRootOf('http://127.0.0.1:4100/ATServicesRest/')).toBe('http://127.0.0.1:4100/');
    expect(webRootOf('https://user:pw@at-proxy.example.com:8443/x/ATServicesRest/')).toBe('https://at-proxy.example.com:8443/');
    expect(webRootOf('https://webservices19.autotask.net.evil.example/ATServicesRest/')).toBe('https://webservices19.autotask.net.evil.example/');
  });

  it('opens a ticket by id through ExecuteCommand', () => {
    expect(ticketDetailUrl('https://ww19.autotask.net/', 48380))
      .toBe('https://ww19.autotask.net/Autotask/AutotaskExtend/ExecuteCommand.aspx?Code=OpenTicketDetail&TicketID=48380');
    expect(() => ticketDetailUrl('https://ww19.autotask.net/', 0)).toThrow(RangeError);
    expect(() => ticketDetailUrl('https://ww19.autotask.net/', 1.5)).toThrow(RangeError);
  });
});
