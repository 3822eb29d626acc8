import { zipSync, type Zippable } from 'fflate';

/** A file name safe inside a zip: no directories, no control characters, the type's extension, unique. */
export function archiveEntryName(name: string, type: 'pdf' | 'xml', taken: Set<string>): string {
  let base = [...name.replace(/[\\/]/g, '_')].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join('').trim() || `document.${type}`;
  if (!base.toLowerCase().endsWith(`.${type}`)) base = `${base}.${type}`;
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = base.replace(new RegExp(`\\.${type}$`, 'i'), ` (${n}).${type}`);
  taken.add(candidate.toLowerCase());
  return candidate;
}

export function zipFiles(files: { name: string; bytes: Uint8Array }[]): Uint8Array {
  const entries: Zippable = {};
  for (const file of files) entries[file.name] = [file.bytes, { level: 6 }];
  return zipSync(entries);
}
