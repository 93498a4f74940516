import { ApiKey } from './api-key.entity.ts';
import { RawMessage } from './raw-message.entity.ts';
import { Report } from './report.entity.ts';
import { Submission } from './submission.entity.ts';
import { TenantRow } from './tenant.entity.ts';

export { ApiKey, RawMessage, Report, Submission, TenantRow };

/** Every entity the DataSource knows; add new ones here. */
export const ENTITIES = [RawMessage, Submission, Report, ApiKey, TenantRow];
