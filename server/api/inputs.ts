import 'server-only';
import { z } from 'zod';
import { percentWithMessages } from '@/domain/limits';
import { runIdSchema } from '@/domain/runs';
import { apiKeyProblem, VT_SETTING_LIMITS, type VtSettingField } from '@/domain/vt-settings';

/** Procedure inputs more than one router (or procedure builder) uses: defined once, here. */

export const runIdInput = z.object({ runId: runIdSchema });

export const sha256Input = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits'),
});

export const minMemoryPercentInput = percentWithMessages(
  'Minimum memory % must be between 0 and 100',
  'Minimum memory % must be a number',
);

/** A pasted VirusTotal API key; the same sentences the Settings page shows before sending it. */
export const apiKeyInput = z
  .string()
  .trim()
  .superRefine((key, ctx) => {
    const problem = apiKeyProblem(key);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** One VirusTotal setting, within the bounds of the one table (domain/vt-settings.ts). */
function vtSettingInput(field: VtSettingField) {
  const l = VT_SETTING_LIMITS[field];
  const n = z.number().min(l.min).max(l.max);
  return (l.integer ? n.int() : n).optional();
}

export const vtSettingsInput = z.object({
  requestsPerMinute: vtSettingInput('requestsPerMinute'),
  requestsPerDay: vtSettingInput('requestsPerDay'),
  maliciousThreshold: vtSettingInput('maliciousThreshold'),
  cacheTtlDays: vtSettingInput('cacheTtlDays'),
  notFoundTtlHours: vtSettingInput('notFoundTtlHours'),
});
