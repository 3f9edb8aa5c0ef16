import { SalesfleetError } from '@salesfleet/models';

/**
 * A backup archive that cannot be trusted: not an archive, truncated, or a row or manifest that does
 * not match its checksum. Raised by verification, before a restore creates anything.
 */
export class ArchiveInvalid extends SalesfleetError {
  constructor(file: string, reason: string) {
    super('ArchiveInvalid', `Backup archive ${file} cannot be used: ${reason}`, { file });
  }
}

/** An archive of a schema newer than this version knows; restore it with that version or newer. */
export class ArchiveTooNew extends SalesfleetError {
  constructor(file: string, schemaVersion: string, known: string | null) {
    super(
      'ArchiveTooNew',
      `Backup archive ${file} has schema version ${schemaVersion}, newer than this Salesfleet knows (${known ?? 'none'}); restore it with the Salesfleet version that made it, or a newer one`,
      { file, schemaVersion, known },
    );
  }
}
