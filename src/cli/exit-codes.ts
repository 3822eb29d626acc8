/** Exit code for wrong usage (sysexits EX_USAGE): unknown option, missing argument, unreadable file. */
export const EXIT_USAGE = 64;
