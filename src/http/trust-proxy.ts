import type { TrustProxy } from '../config/config.ts';

/** What Fastify's `trustProxy` option is given for OMI_TRUST_PROXY. */
export type FastifyTrustProxy = boolean | string[] | ((address: string, hop: number) => boolean);

/**
 * OMI_TRUST_PROXY as Fastify's `trustProxy`. A hop count trusts the `hops` nearest peers
 * (proxy-addr's meaning; Fastify itself treats a bare number as "trust nothing"), so it is only
 * safe when the server cannot be reached except through that many proxies. With any trust,
 * `request.ip` is the first untrusted address of the X-Forwarded-For chain and `request.protocol`
 * and `request.host` follow X-Forwarded-Proto/-Host when the socket's peer is trusted.
 */
export function fastifyTrustProxy(trust: TrustProxy): FastifyTrustProxy {
  if (typeof trust === 'boolean') return trust;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return [...trust];
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

export const isLoopback = (address: string | undefined): boolean => LOOPBACK.test(address ?? '');
