import { ProcLensError } from '@/domain/errors';

/** Why an upload is not imported, as a sentence for the person who uploaded it. */
export class ImportRejectedError extends ProcLensError {
  constructor(message: string) {
    super('bad-input', message);
  }
}
