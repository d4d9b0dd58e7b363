import { UNTRIAGED_FILTER } from '@/domain/triage';
import { toggleParam } from '../url/url-params';

/** `triage=untriaged` narrows a view to rows nobody has decided on yet (the run page and Prevalence). */
export const untriagedParam = toggleParam('triage', UNTRIAGED_FILTER);
