// The Host header check: a page on another site whose name an attacker re-points at
// 127.0.0.1 (DNS rebinding) reaches this server with its own name in Host; refusing every
// name but ours keeps such pages from reading the demo's origin.
import os from 'node:os';
import net from 'node:net';

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARD = new Set(['0.0.0.0', '::']);

const hostName = (address) => (net.isIPv6(address) ? `[${address}]` : address.toLowerCase());

/** The names (no port) this server answers to when bound to `bindHost`. */
export function serverNames(bindHost) {
  const names = new Set(LOOPBACK);
  if (WILDCARD.has(bindHost)) {
    for (const list of Object.values(os.networkInterfaces())) for (const { address } of list ?? []) names.add(hostName(address));
  } else {
    names.add(hostName(bindHost));
  }
  return names;
}

/** Whether a request's Host header values (all of them) name this server and its port. */
export function hostAllowed(values, names, port) {
  if (values?.length !== 1) return false;
  const value = values[0].toLowerCase();
  const match = value.match(/^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/);
  if (!match) return false;
  return names.has(match[1]) && Number(match[2] ?? 80) === port;
}
