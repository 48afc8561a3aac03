import { strictnessSuite } from '../../core/test/strictness';
import { infraSettingsSchema } from '../src/index';

strictnessSuite('infra settings (packages/infra/src/environments/<env>.ts)', infraSettingsSchema);
