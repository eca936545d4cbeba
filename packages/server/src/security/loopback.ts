import { isIP } from "node:net";

/**
 * True when `host` is a loopback address (`127.0.0.0/8`, `::1`, `localhost`), which only this machine can reach.
 * Anything else, `0.0.0.0` and `::` (every interface) included, is reachable from a network; a host name other than
 * `localhost` counts as reachable too, since what it resolves to may change.
 *
 * @example
 * isLoopbackHost("127.0.0.1"); // true
 * isLoopbackHost("0.0.0.0"); // false
 */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost") return true;
  const mapped = h.startsWith("::ffff:") ? h.slice("::ffff:".length) : h;
  if (isIP(mapped) === 4) return mapped.split(".")[0] === "127";
  if (isIP(h) === 6) return /^(0{0,4}:){2,7}0{0,3}1$/.test(h) || h === "::1";
  return false;
}
