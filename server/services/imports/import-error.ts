/** Why an upload is not imported, as a sentence for the person who uploaded it. */
export class ImportRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportRejectedError';
  }
}
