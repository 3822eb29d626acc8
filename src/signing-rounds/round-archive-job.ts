/** Queue of the provider archive download that follows every FINISHED round (sent here, handled by archives). */
export const ROUND_ARCHIVE_QUEUE = 'round-archive';

export interface RoundArchiveJob {
  roundId: string;
}
