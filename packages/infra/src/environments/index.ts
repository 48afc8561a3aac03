import type { InfraSettings } from '../settings';
import dev from './dev';
import prod from './prod';
import stg from './stg';

/**
 * Infra settings by env name; an env in `clusters/` without an entry here is a synth error, so a
 * new environment gets its network and TLS decided in review, not by a default.
 */
export const infraSettings: Readonly<Record<string, InfraSettings>> = { dev, stg, prod };
