/**
 * Errors of the CMS core. Verification never throws for a bad document (it reports FORMAT_FAILURE instead);
 * these are for the calls that have no report to fill: extracting content, merging, and bad options.
 */
export class CmsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The bytes are not a CMS SignedData we can read (garbage, truncated, too large, too deep). */
export class CmsFormatError extends CmsError {}

/** A certificate given in the options (trust anchor, extra certificate) cannot be read. */
export class CmsCertificateError extends CmsError {}

export type CmsMergeErrorCode =
  | 'EMPTY'
  | 'NOT_SIGNED_DATA'
  | 'CONTENT_TYPE_MISMATCH'
  | 'CONTENT_MISMATCH'
  | 'CONTENT_UNKNOWN'
  | 'TOO_MANY_SIGNERS';

/** `mergeSignedData` refused its input, for the reason in `code`. */
export class CmsMergeError extends CmsError {
  constructor(
    readonly code: CmsMergeErrorCode,
    message: string,
  ) {
    super(message);
  }
}
